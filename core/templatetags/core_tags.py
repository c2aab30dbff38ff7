"""Template tags every module shares."""

import json

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.fragments import chrome_values, fragment, template_fragment
from core.navigation import current_nav_url
from core.rows import html_format, rows_html

register = template.Library()


def json_ld_text(data: dict) -> str:
    """``data`` as JSON that cannot end its ``<script>`` element (``<``, ``>`` and ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@register.simple_tag
def json_ld(data):
    """``{% json_ld data %}`` → ``<script type="application/ld+json">…</script>`` (schema.org data)."""
    if not data:
        return ""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(json_ld_text(data)))  # noqa: S308


# --- the site's header and footer (base.html) ---------------------------------------------------
# On every public page, so each is rendered once per process and key (core.fragments) and only
# the CSRF token and the path to come back to are filled in per request.


@register.simple_tag(takes_context=True)
def site_nav(context):
    """The brand and the public menu; the entry for the page shown is marked as the current one."""
    request = context.get("request")
    items = context.get("public_nav") or ()
    path = request.path if request is not None else ""
    current = current_nav_url(items, path)
    values = {"organisation_name": context.get("organisation_name", ""), "public_nav": items, "current_url": current}
    key = (
        "core.site_nav",
        values["organisation_name"],
        tuple((item["url"], str(item["label"])) for item in items),
        current,
    )
    return fragment(key, lambda: render_to_string("includes/_site_nav.html", values))


@register.simple_tag(takes_context=True)
def site_tools(context):
    """The language switch (back to this page) and the login or logout link."""
    request = context["request"]
    user = context.get("user")
    authenticated = bool(user is not None and user.is_authenticated)
    return template_fragment(
        request, ("core.site_tools", authenticated), "includes/_site_tools.html", {"authenticated": authenticated},
        per_request=chrome_values(request),
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def site_footer(context):
    """The legal links and the copyright line."""
    values = {"organisation_name": context.get("organisation_name", ""), "year": timezone.localdate().year}
    key = ("core.site_footer", values["organisation_name"], values["year"])
    return fragment(key, lambda: render_to_string("includes/_site_footer.html", values))


@register.simple_tag(takes_context=True)
def nav_items(context, items, current_url=None):
    """``{% nav_items staff_nav %}``: the menu's ``<li>``s, the current page (``current_url``, else the
    request's path) marked with ``aria-current``.

    Built in Python (``core.rows``): every page renders two menus of up to twenty entries.
    """
    request = context.get("request")
    path = current_url if current_url is not None else (request.path if request is not None else None)
    return rows_html(
        lambda item: html_format(
            '<li><a href="{}"{}>{}</a></li>',
            item["url"],
            mark_safe(' aria-current="page"') if item["url"] == path else "",
            item["label"],
        ),  # fmt: skip
        items,
    )

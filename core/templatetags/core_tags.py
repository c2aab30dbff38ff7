"""Template tags every module shares."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


@register.simple_tag(takes_context=True)
def nav_items(context, items):
    """``{% nav_items staff_nav %}``: the menu's ``<li>``s, the current page marked with ``aria-current``.

    Built in Python (``core.rows``): every page renders two menus of up to twenty entries.
    """
    request = context.get("request")
    path = request.path if request is not None else None
    return rows_html(
        lambda item: html_format(
            '<li><a href="{}"{}>{}</a></li>',
            item["url"],
            mark_safe(' aria-current="page"') if item["url"] == path else "",
            item["label"],
        ),  # fmt: skip
        items,
    )

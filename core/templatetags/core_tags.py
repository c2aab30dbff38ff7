"""Template tags every module shares."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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

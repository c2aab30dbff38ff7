"""Template helpers of the portal."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def breakable(text) -> str:
    """A name that may wrap after its slashes on a phone: "Anlagenmechaniker/-in" → "Anlagenmechaniker/<wbr>-in"."""
    return mark_safe(escape(text).replace("/", "/<wbr>"))  # noqa: S308 – escaped above

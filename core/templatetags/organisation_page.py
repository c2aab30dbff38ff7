"""``{% organisation_panels organisation %}``: the blocks other modules add to an organisation's page."""

from django import template
from django.utils.safestring import mark_safe

from core.organisations import organisation_panels as _panels

register = template.Library()


@register.simple_tag(takes_context=True)
def organisation_panels(context, organisation):
    return mark_safe("".join(_panels(organisation, request=context.get("request"))))  # noqa: S308 – rendered templates

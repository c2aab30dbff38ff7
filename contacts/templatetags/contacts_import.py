from django import template

from contacts.importing import duplicate_reason as _duplicate_reason

register = template.Library()


@register.filter
def duplicate_reason(match: dict) -> str:
    """Why a row counts as a duplicate, in words ("gleiche Mitgliedsnummer")."""
    return _duplicate_reason(match or {})

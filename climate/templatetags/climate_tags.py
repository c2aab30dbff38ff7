from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


def _num(value, places):
    if value is None or value == "":
        return "–"
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


@register.filter
def eur(value):
    """1234.5 → "1.234,50 €" (German) / "1,234.50 €" (English)."""
    shown = _num(value, 2)
    return shown if shown == "–" else f"{shown}\u00a0€"


@register.filter
def num(value, places=2):
    return _num(value, int(places))

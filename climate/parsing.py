"""Numbers as people type them: German first ("1.234,5"), and "1234.5" too."""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_QUANTITY = Decimal(10) ** 12

_GERMAN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_PLAIN = re.compile(r"^\d+([.,]\d+)?$")
_ENGLISH_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")


def parse_decimal(text, *, maximum: Decimal = MAX_QUANTITY) -> Decimal | None:
    """Parse a non-negative number; '' → None. Raises ValidationError with a message for people.

    "1.234,5" → 1234.5 (German); "1234,5" → 1234.5; "1234.5" → 1234.5; "1.234" → 1234
    (a dot followed by groups of three digits is a German thousands separator).
    """
    if text is None:
        return None
    raw = str(text).strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if raw == "":
        return None
    if raw.startswith("-"):
        raise ValidationError(_("Bitte geben Sie keine negative Zahl ein."), code="negative")
    if raw.startswith("+"):
        raw = raw[1:]
    if _GERMAN_THOUSANDS.match(raw):
        normalised = raw.replace(".", "").replace(",", ".")
    elif _ENGLISH_THOUSANDS.match(raw):
        normalised = raw.replace(",", "")
    elif _PLAIN.match(raw):
        normalised = raw.replace(",", ".")
    else:
        raise ValidationError(
            _("„%(value)s“ ist keine Zahl. Beispiel: 1.234,5 oder 1234,5.") % {"value": str(text)[:40]},
            code="invalid",
        )
    try:
        value = Decimal(normalised)
    except InvalidOperation:
        raise ValidationError(_("Bitte geben Sie eine Zahl ein."), code="invalid") from None
    if value > maximum:
        raise ValidationError(
            _("Der Wert ist unrealistisch groß (höchstens %(max)s).") % {"max": f"{maximum:,.0f}".replace(",", ".")},
            code="too_large",
        )
    return value

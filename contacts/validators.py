import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^\d{5}$")
# WZ 2008: section letter, or division 01–99 with optional group/class/subclass.
WZ_RE = re.compile(r"^(?:[A-U]|\d{2}(?:\.\d{1,2}(?:\.\d)?)?)$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 /()\-]{4,24}$")


def validate_german_postcode(value: str) -> None:
    if not POSTCODE_RE.match(value or ""):
        raise ValidationError(
            _("Bitte eine fünfstellige deutsche Postleitzahl angeben (z. B. 48143)."), code="postcode"
        )


def validate_wz_code(value: str) -> None:
    if not WZ_RE.match(value or ""):
        raise ValidationError(
            _("Bitte einen WZ-2008-Code angeben, z. B. „28.22“ oder den Abschnitt „C“."), code="wz_code"
        )


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(
            _("Bitte eine Telefonnummer aus Ziffern angeben, z. B. +49 251 707-0 oder 0251 7070."), code="phone"
        )

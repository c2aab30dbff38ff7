"""How a figure is written in the report's German text: the placeholder options.

``{advisory.talks_funding}`` → ``50``; options follow a ``|`` (examples for 47 / 428 / 3):

- no option: the number with German grouping and the figure's decimals (47 / 428 / 3);
- ``rund``: "rund" and a round figure, one significant digit below 100, two from 100
  (rund 50 / rund 430); below 10 the exact number (3);
- ``über``: "über" and the largest round number *below* the value, so "über" is never false
  (über 40 / über 400); 10 and below the exact number (3);
- ``wort``: 0 to 12 as a word (drei), otherwise digits; ``Wort`` capitalised to start a sentence;
- ``vorjahr``: the previous year's value; combines with the others (``{key|vorjahr|rund}``);
- ``änderung``: the change from the previous year in percent (+12,5 %);
- ``monat``: for a month figure, the month without its year (September).

``{jahr}`` and ``{vorjahr}`` are the report's year and the one before.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from core.figures import MONTHS_DE, change, format_month, format_number

WORDS = ["null", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"]
# option as written → canonical name (umlaut-free spellings for keyboards without them)
OPTIONS = {
    "rund": "rund", "über": "ueber", "ueber": "ueber", "wort": "wort", "Wort": "Wort", "vorjahr": "vorjahr",
    "änderung": "aenderung", "aenderung": "aenderung", "monat": "monat",
}  # fmt: skip
DISPLAY_OPTIONS = {"rund", "ueber", "wort", "Wort", "aenderung", "monat"}


class FormatError(ValueError):
    """An option that does not fit (shown in the text where the placeholder stands)."""


def _rounded(value: Decimal) -> Decimal:
    magnitude = abs(value)
    if magnitude < 10:
        return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    digits = len(str(int(magnitude)))
    step = Decimal(10) ** (digits - 1 if magnitude < 100 else digits - 2)
    return (value / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def rund(value) -> str:
    number = Decimal(str(value))
    if abs(number) < 10:
        return format_number(number, 0)
    return f"rund {format_number(_rounded(number), 0)}"


def ueber(value) -> str:
    number = Decimal(str(value))
    if number <= 10:
        return format_number(number, 0)
    digits = len(str(int(number)))
    step = Decimal(10) ** (digits - 1)
    below = (Decimal(math.ceil(number / step)) - 1) * step
    return f"über {format_number(below, 0)}" if below > 0 else format_number(number, 0)


def wort(value, *, capital: bool = False) -> str:
    number = Decimal(str(value))
    if number != number.to_integral_value() or not 0 <= number <= 12:
        return format_number(number, 0 if number == number.to_integral_value() else 1)
    word = WORDS[int(number)]
    return word[0].upper() + word[1:] if capital else word


def parse_options(parts: list[str]) -> tuple[bool, str | None]:
    """``(previous year?, display option)`` from the option names after the key; FormatError if unknown."""
    previous, display = False, None
    for part in parts:
        name = OPTIONS.get(part.strip())
        if name is None:
            raise FormatError(_("Unbekannte Option „%(option)s“") % {"option": part.strip()})
        if name == "vorjahr":
            previous = True
        elif display is not None:
            raise FormatError(_("Nur eine Schreibweise je Platzhalter (%(a)s, %(b)s)") % {"a": display, "b": name})
        else:
            display = name
    return previous, display


def write(meta, value, *, display: str | None, previous_value=None) -> str:
    """The text for a value of a figure (``meta``: kind, decimals) with the display option."""
    kind = getattr(meta, "kind", "number")
    if display == "aenderung":
        _difference, percent = change(value, previous_value)
        if kind == "month":
            raise FormatError(_("„änderung“ passt nicht zu einem Monat"))
        return "–" if percent is None else f"{format_number(percent, 1, sign=True)}\u00a0%"
    if value is None:
        return "–"
    if kind == "month":
        if display not in (None, "monat"):
            raise FormatError(_("„%(option)s“ passt nicht zu einem Monat") % {"option": display})
        if display == "monat":
            return MONTHS_DE[int(value) % 100 - 1]
        return format_month(value)
    if display == "monat":
        raise FormatError(_("„monat“ passt nur zu einem Monat"))
    if display == "rund":
        return rund(value)
    if display == "ueber":
        return ueber(value)
    if display in ("wort", "Wort"):
        return wort(value, capital=display == "Wort")
    return format_number(value, getattr(meta, "decimals", 0))

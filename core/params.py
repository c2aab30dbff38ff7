"""Integer, year and page parameters from a query string or a form, parsed one way.

Hostile values (``jahr=0``, ``jahr=999999``, ``²``, a NUL byte, 10,000 digits) give the default,
never a 500: only ASCII digits count, and the result is clamped to the range asked for.
"""

import re

from django.utils import timezone

_ASCII_INT_RE = re.compile(r"^-?[0-9]{1,12}$")
FIRST_YEAR = 2000  # the oldest records a chamber would keep in Kammerwerk


def parse_int(value, *, default: int | None = None, minimum: int | None = None, maximum: int | None = None):
    """``value`` as an int in ``[minimum, maximum]``; ``default`` when it is missing or not a number.

    A number outside the range is clamped to it (``seite=99999`` → the last allowed page).
    """
    text = str(value).strip() if value is not None else ""
    if not _ASCII_INT_RE.match(text):
        return default
    number = int(text)
    if minimum is not None and number < minimum:
        number = minimum
    if maximum is not None and number > maximum:
        number = maximum
    return number


def int_param(params, name: str, *, default: int | None = None, minimum: int | None = None, maximum: int | None = None):
    """``parse_int(params.get(name))``: ``params`` is ``request.GET`` or ``request.POST``."""
    return parse_int(params.get(name), default=default, minimum=minimum, maximum=maximum)


def id_param(params, name: str) -> int | None:
    """A positive database id, or ``None`` (also for ``0``, ``-5`` or an id beyond any table)."""
    number = parse_int(params.get(name), default=None)
    return number if number is not None and 1 <= number < 2**63 else None


def year_range() -> range:
    """The years a page may ask for: 2000 up to next year."""
    return range(FIRST_YEAR, timezone.localdate().year + 2)


def year_param(params, name: str = "jahr", *, default: int | None | str = "current") -> int | None:
    """A year between 2000 and next year; outside that, or not a number: ``default``.

    ``default="current"`` (the default) means this year; pass ``None`` for "no year chosen".
    """
    fallback = timezone.localdate().year if default == "current" else default
    years = year_range()
    year = parse_int(params.get(name), default=None)
    return year if year is not None and year in years else fallback


def page_param(params, name: str = "seite", *, last: int | None = None) -> int:
    """A page number from 1 (up to ``last`` when known)."""
    return parse_int(params.get(name), default=1, minimum=1, maximum=last or 100_000)

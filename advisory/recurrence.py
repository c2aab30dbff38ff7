"""Dates of a recurring consultation day ("every second Tuesday"), as pure functions.

Two readings of "jeden zweiten Dienstag" are common, so both are offered:

- every N weeks from the first date (``weekly-2``: 10.03., 24.03., 07.04. …);
- the same weekday of each month by its ordinal (``monthly``: the second Tuesday of every month,
  taken from the first date), or the last such weekday of each month (``monthly-last``).

Dates to leave out (holidays, the expert's leave) are skipped and do not count: the series still
has ``count`` dates.
"""

import calendar
import datetime

WEEKLY_PREFIX = "weekly-"
MONTHLY = "monthly"
MONTHLY_LAST = "monthly-last"
MAX_COUNT = 52


def ordinal_of_weekday(day: datetime.date) -> int:
    """1 for the first Tuesday of its month, 2 for the second … 5 for a fifth."""
    return (day.day - 1) // 7 + 1


def is_last_weekday_of_month(day: datetime.date) -> bool:
    return day.month != (day + datetime.timedelta(days=7)).month


def nth_weekday(year: int, month: int, weekday: int, ordinal: int) -> datetime.date | None:
    """The ``ordinal``-th ``weekday`` (Monday = 0) of a month; ``None`` if the month has no such day."""
    first = datetime.date(year, month, 1)
    day = first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (ordinal - 1))
    return day if day.month == month else None


def last_weekday(year: int, month: int, weekday: int) -> datetime.date:
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _months_after(day: datetime.date):
    year, month = day.year, day.month
    while True:
        month += 1
        if month == 13:
            year, month = year + 1, 1
        yield year, month


def _candidates(first: datetime.date, rule: str):
    yield first
    if rule.startswith(WEEKLY_PREFIX):
        weeks = int(rule.removeprefix(WEEKLY_PREFIX))
        day = first
        while True:
            day += datetime.timedelta(weeks=weeks)
            yield day
    # a fifth weekday is always the last one of its month
    last = rule == MONTHLY_LAST or ordinal_of_weekday(first) == 5
    ordinal = ordinal_of_weekday(first)
    for year, month in _months_after(first):
        if last:
            yield last_weekday(year, month, first.weekday())
        else:
            yield nth_weekday(year, month, first.weekday(), ordinal)


def valid_rule(rule: str) -> bool:
    if rule in (MONTHLY, MONTHLY_LAST):
        return True
    weeks = rule.removeprefix(WEEKLY_PREFIX)
    return rule.startswith(WEEKLY_PREFIX) and weeks.isascii() and weeks.isdigit() and 1 <= int(weeks) <= 8


def recurrence_dates(first: datetime.date, rule: str, count: int, skip=()) -> list[datetime.date]:
    """``count`` dates from ``first`` on by ``rule``, leaving out the dates in ``skip``.

    >>> recurrence_dates(datetime.date(2026, 3, 10), "weekly-2", 3)
    [datetime.date(2026, 3, 10), datetime.date(2026, 3, 24), datetime.date(2026, 4, 7)]
    >>> recurrence_dates(datetime.date(2026, 3, 10), "monthly", 3)
    [datetime.date(2026, 3, 10), datetime.date(2026, 4, 14), datetime.date(2026, 5, 12)]
    """
    if not valid_rule(rule):
        raise ValueError(f"unknown rule {rule!r}")
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be 1–{MAX_COUNT}")
    if rule == MONTHLY_LAST and not is_last_weekday_of_month(first):
        raise ValueError("the first date is not the last such weekday of its month")
    skip = set(skip)
    dates: list[datetime.date] = []
    for candidate in _candidates(first, rule):
        if candidate is None or candidate in skip:
            continue
        dates.append(candidate)
        if len(dates) == count:
            return dates
    return dates  # pragma: no cover – the generators never end

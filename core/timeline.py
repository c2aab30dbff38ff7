"""An organisation's timeline, filled by every module.

A module registers a function that returns its entries for one organisation
(consultations, bookings, registrations, subscriptions, survey answers...).
Each source must fetch its entries in a fixed number of queries.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from core.registry import discover


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime | datetime.date
    kind: str  # short label shown as a badge, e.g. "Beratung"
    title: str
    url: str = ""
    detail: str = ""

    @property
    def has_time(self) -> bool:
        return isinstance(self.when, datetime.datetime)

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return self.when.replace(tzinfo=None)
        return datetime.datetime.combine(self.when, datetime.time.min)


_SOURCES: dict[str, Callable] = {}


def register_timeline(name: str):
    def decorator(function: Callable):
        _SOURCES[name] = function
        return function

    return decorator


def timeline_for_organisation(organisation, limit: int = 200) -> list[TimelineEntry]:
    discover()
    entries: list[TimelineEntry] = []
    for source in _SOURCES.values():
        entries.extend(source(organisation))
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    return entries[:limit]

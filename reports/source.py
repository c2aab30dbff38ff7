"""Where a report's numbers come from: the live registry (a draft) or a frozen snapshot.

The report reads other modules only through ``core.figures``. :class:`LiveFigures` computes from
today's records and remembers everything it was asked; :meth:`LiveFigures.snapshot` turns that into
the JSON a frozen version keeps. :class:`FrozenFigures` answers the same questions from that JSON,
so a frozen version reads the same whatever happens to the records later.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone, translation

from core import figures as registry

SNAPSHOT_FORMAT = 1


@dataclass(frozen=True)
class Meta:
    """What the text needs to know of a figure or a breakdown (the same live and frozen)."""

    key: str
    label: str
    unit: str = ""
    decimals: int = 0
    kind: str = "number"  # number | percent | month | breakdown
    dimension: str = ""
    group: str = ""
    group_label: str = ""


def encode(value):
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, bool) or value is None or isinstance(value, int | float):
        return value
    raise TypeError(f"A figure value must be a number, not {type(value).__name__}")


def decode(value):
    if isinstance(value, dict):
        return Decimal(value["d"])
    return value


def _meta_of(entry) -> Meta:
    with translation.override("de"):  # the report is written in German
        if isinstance(entry, registry.Breakdown):
            return Meta(
                key=entry.key, label=str(entry.label), unit=entry.unit, decimals=entry.decimals, kind="breakdown",
                dimension=str(entry.dimension), group=entry.group, group_label=registry.group_label(entry.group),
            )  # fmt: skip
        return Meta(
            key=entry.key, label=str(entry.label), unit=entry.unit, decimals=entry.decimals, kind=entry.kind,
            group=entry.group, group_label=registry.group_label(entry.group),
        )  # fmt: skip


class LiveFigures:
    """Figures computed now. Use inside ``core.figures.one_computation()`` so shared queries run once."""

    frozen = False

    def __init__(self):
        self._values: dict[int, dict[str, object]] = {}
        self._rows: dict[int, dict[str, list]] = {}
        self._metas: dict[str, Meta] = {}

    def meta(self, key: str) -> Meta | None:
        if key not in self._metas:
            entry = registry.get_figure(key) or registry.get_breakdown(key)
            if entry is None:
                return None
            self._metas[key] = _meta_of(entry)
        return self._metas[key]

    def value(self, key: str, year: int):
        values = self._values.setdefault(year, {})
        if key not in values:
            values[key] = registry.get_figure(key).compute(year)
        return values[key]

    def rows(self, key: str, year: int) -> list[tuple[str, object]]:
        rows = self._rows.setdefault(year, {})
        if key not in rows:
            rows[key] = [(str(label), value) for label, value in registry.get_breakdown(key).compute(year)]
        return rows[key]

    def groups(self) -> list[tuple[str, str, list[str]]]:
        """Every registered figure, grouped by module: ``(app, its name, keys)``."""
        with translation.override("de"):
            return [(app, name, [figure.key for figure in entries]) for app, name, entries in registry.figure_groups()]

    def snapshot(self, year: int) -> dict:
        """Everything asked so far, plus every figure of the year and the one before (the comparison)."""
        groups = self.groups()
        for _app, _name, keys in groups:
            for key in keys:
                self.meta(key)
                self.value(key, year)
                self.value(key, year - 1)
        return {
            "format": SNAPSHOT_FORMAT,
            "year": year,
            "taken_at": timezone.now().isoformat(),
            "metas": {key: meta.__dict__ for key, meta in self._metas.items()},
            "groups": [list(group) for group in groups],
            "values": {
                str(y): {key: encode(value) for key, value in values.items()} for y, values in self._values.items()
            },
            "rows": {
                str(y): {key: [[label, encode(value)] for label, value in rows] for key, rows in by_key.items()}
                for y, by_key in self._rows.items()
            },
        }


class FrozenFigures:
    """The figures a frozen version kept. Asking for one it did not keep is a programming error."""

    frozen = True

    def __init__(self, snapshot: dict):
        self.data = snapshot
        self.taken_at = datetime.datetime.fromisoformat(snapshot["taken_at"])
        self._metas = {key: Meta(**meta) for key, meta in snapshot["metas"].items()}

    def meta(self, key: str) -> Meta | None:
        return self._metas.get(key)

    def value(self, key: str, year: int):
        return decode(self.data["values"][str(year)][key])

    def rows(self, key: str, year: int) -> list[tuple[str, object]]:
        return [(label, decode(value)) for label, value in self.data["rows"][str(year)][key]]

    def groups(self) -> list[tuple[str, str, list[str]]]:
        return [tuple(group) for group in self.data["groups"]]

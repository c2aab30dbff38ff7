"""The figures registry: named yearly numbers for the annual report.

Every module registers its figures under stable dotted keys
(``contacts.organisations``) with a function that counts them from the records
of a year. Nothing is stored by hand: the report, the dashboards and
``manage.py figures`` all read them from here.

Two kinds of entries:

- a **figure**: ``year → number`` (``@register_figure("advisory.talks", _("Beratungsgespräche"))``);
- a **breakdown**: ``year → [(label, number), …]``, the same kind of count split by a dimension
  (district, topic, kind of event, month): ``@register_breakdown("advisory.talks_by_topic",
  _("Beratungsgespräche nach Thema"), dimension=_("Thema"))``. Reports draw them as charts and tables.

Both are computed with aggregate queries (COUNT/SUM … GROUP BY), never by loading the year's rows.
Several figures often share one query (``event_counts(year)`` gives a dozen): decorate it with
:func:`shared`, and within :func:`one_computation` (which :func:`figures_for_year` and the report
use) it runs once per argument tuple; outside, every call reads fresh.

A figure carries what print needs: a German label (English through the app's .po), a unit, the
number of decimals and a ``kind`` (``number``, ``percent``, ``month`` for a ``YYYYMM`` value).
The page and the report group figures by the app that registered them (its ``verbose_name``).
"""

import contextvars
import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import wraps

from django.utils.functional import Promise

from core.registry import discover

FigureValue = int | float | Decimal | None
BreakdownRows = list[tuple[str, FigureValue]]
KINDS = ("number", "percent", "month")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    compute: Callable[[int], FigureValue]
    unit: str = ""
    decimals: int = 0
    kind: str = "number"
    app: str = ""

    @property
    def group(self) -> str:
        return self.app or self.key.split(".")[0]


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str | Promise
    compute: Callable[[int], BreakdownRows]
    dimension: str | Promise = ""
    unit: str = ""
    decimals: int = 0
    app: str = ""

    @property
    def group(self) -> str:
        return self.app or self.key.split(".")[0]


_FIGURES: dict[str, Figure] = {}
_BREAKDOWNS: dict[str, Breakdown] = {}


def _app_of(function: Callable) -> str:
    return (getattr(function, "__module__", "") or "").split(".")[0]


def register_figure(key: str, label, unit: str = "", *, decimals: int = 0, kind: str = "number"):
    """Decorator: ``@register_figure("advisory.talks", _("Beratungsgespräche"))``."""
    if kind not in KINDS:
        raise ValueError(f"Figure {key!r}: kind must be one of {KINDS}.")

    def decorator(function: Callable[[int], FigureValue]):
        if key in _FIGURES and _FIGURES[key].compute is not function or key in _BREAKDOWNS:
            raise ValueError(f"Figure {key!r} is registered twice.")
        _FIGURES[key] = Figure(
            key=key, label=label, compute=function, unit=unit, decimals=decimals, kind=kind, app=_app_of(function)
        )
        return function

    return decorator


def register_breakdown(key: str, label, *, dimension, unit: str = "", decimals: int = 0):
    """Decorator for ``year → [(label, value), …]`` in the order a chart should show them."""

    def decorator(function: Callable[[int], BreakdownRows]):
        if key in _BREAKDOWNS and _BREAKDOWNS[key].compute is not function or key in _FIGURES:
            raise ValueError(f"Breakdown {key!r} is registered twice.")
        _BREAKDOWNS[key] = Breakdown(
            key=key, label=label, compute=function, dimension=dimension, unit=unit, decimals=decimals,
            app=_app_of(function),
        )  # fmt: skip
        return function

    return decorator


def unregister(key: str) -> None:
    """Remove an entry (tests that register a figure of their own clean up with it)."""
    _FIGURES.pop(key, None)
    _BREAKDOWNS.pop(key, None)


def all_figures() -> list[Figure]:
    discover()
    return [_FIGURES[key] for key in sorted(_FIGURES)]


def all_breakdowns() -> list[Breakdown]:
    discover()
    return [_BREAKDOWNS[key] for key in sorted(_BREAKDOWNS)]


def get_figure(key: str) -> Figure | None:
    discover()
    return _FIGURES.get(key)


def get_breakdown(key: str) -> Breakdown | None:
    discover()
    return _BREAKDOWNS.get(key)


def group_label(app_label: str) -> str:
    from django.apps import apps

    try:
        return str(apps.get_app_config(app_label).verbose_name)
    except LookupError:
        return app_label


def figure_groups() -> list[tuple[str, str, list[Figure]]]:
    """``(app label, its name, figures in the order the app registered them)``, apps in settings order."""
    from django.apps import apps

    discover()
    order = {config.label: position for position, config in enumerate(apps.get_app_configs())}
    groups: dict[str, list[Figure]] = {}
    for figure in _FIGURES.values():
        groups.setdefault(figure.group, []).append(figure)
    return [
        (app, group_label(app), figures)
        for app, figures in sorted(groups.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    ]


# --- computing -------------------------------------------------------------------------------------

_CACHE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("figures_cache", default=None)


def shared(function: Callable):
    """Compute once per argument tuple inside :func:`one_computation`; fresh every time outside."""

    @wraps(function)
    def wrapped(*args):
        cache = _CACHE.get()
        if cache is None:
            return function(*args)
        key = (wrapped, args)
        if key not in cache:
            cache[key] = function(*args)
        return cache[key]

    return wrapped


@contextmanager
def one_computation() -> Iterator[None]:
    """Within the block, :func:`shared` helpers run once per arguments (nested blocks share one cache)."""
    if _CACHE.get() is not None:
        yield
        return
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def figures_for_year(year: int, prefix: str = "") -> dict[str, FigureValue]:
    with one_computation():
        return {figure.key: figure.compute(year) for figure in all_figures() if figure.key.startswith(prefix)}


def change(value: FigureValue, previous: FigureValue) -> tuple[FigureValue, Decimal | None]:
    """``(difference, percent change)`` from the previous year; ``None`` where it has no meaning."""
    if value is None or previous is None:
        return None, None
    difference = Decimal(str(value)) - Decimal(str(previous))
    if not previous:
        return difference, None
    return difference, (difference * 100 / abs(Decimal(str(previous)))).quantize(Decimal("0.1"))


def end_of_year(year: int) -> datetime.datetime:
    """The first moment of the next year, in the site's time zone (``created_at < end_of_year(y)``)."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def start_of_year(year: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year, 1, 1))


# --- German formatting (the report is printed in German; the staff page uses the same) ------------------

MONTHS_DE = [
    "Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November",
    "Dezember",
]  # fmt: skip


def format_number(value, decimals: int = 0, *, sign: bool = False) -> str:
    """``1234.5`` → ``"1.234,5"`` (German grouping and decimal comma), half-up rounding, ``–`` for None."""
    if value is None:
        return "–"
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding="ROUND_HALF_UP")
    if number == 0:
        number = abs(number)  # no "-0"
    text = f"{abs(number):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")
    if number < 0:
        return "−" + text  # the minus sign, not a hyphen
    return ("+" + text) if sign and number > 0 else text


def format_month(value) -> str:
    """``202009`` → ``"September 2020"``."""
    if value is None:
        return "–"
    year, month = divmod(int(value), 100)
    if not 1 <= month <= 12:
        return str(value)
    return f"{MONTHS_DE[month - 1]} {year}"


def format_value(figure: Figure | Breakdown, value, *, with_unit: bool = False) -> str:
    """A value as print shows it: German number with the figure's decimals, a month as words."""
    if getattr(figure, "kind", "number") == "month":
        return format_month(value)
    text = format_number(value, figure.decimals)
    unit = "%" if getattr(figure, "kind", "") == "percent" else figure.unit
    return f"{text}\u00a0{unit}" if with_unit and unit and value is not None else text


def format_change(figure: Figure, value, previous) -> str:
    """``+12 (+25,0 %)``, ``±0``; only the difference where the previous year had none; ``–`` without values."""
    if figure.kind == "month":
        return ""
    difference, percent = change(value, previous)
    if difference is None:
        return "–"
    if difference == 0:
        return "±0"
    text = format_number(difference, figure.decimals, sign=True)
    if figure.kind == "percent":
        return text + " Pp."
    return f"{text} ({format_number(percent, 1, sign=True)} %)" if percent is not None else text

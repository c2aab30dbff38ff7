"""The figures registry: named yearly numbers for the annual report.

Every module registers its figures under stable dotted keys
(``contacts.organisations``) with a function that counts them from the records
of a year. Nothing is stored by hand: the report, the dashboards and
``manage.py figures`` all call :func:`figures_for_year`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise

from core.registry import discover

FigureValue = int | float | Decimal | None


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    compute: Callable[[int], FigureValue]
    unit: str = ""


_FIGURES: dict[str, Figure] = {}


def register_figure(key: str, label, unit: str = ""):
    """Decorator: ``@register_figure("advisory.talks", _("Beratungsgespräche"))``."""

    def decorator(function: Callable[[int], FigureValue]):
        if key in _FIGURES and _FIGURES[key].compute is not function:
            raise ValueError(f"Figure {key!r} is registered twice.")
        _FIGURES[key] = Figure(key=key, label=label, compute=function, unit=unit)
        return function

    return decorator


def all_figures() -> list[Figure]:
    discover()
    return [_FIGURES[key] for key in sorted(_FIGURES)]


def figures_for_year(year: int, prefix: str = "") -> dict[str, FigureValue]:
    return {figure.key: figure.compute(year) for figure in all_figures() if figure.key.startswith(prefix)}

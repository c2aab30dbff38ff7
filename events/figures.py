"""Yearly event figures for the annual report (keys ``events.*``), computed from the records.

An event counts as **held** when its date has passed, it was not cancelled, and staff marked it held
or somebody was let in (checked in): the figure does not depend on staff remembering the status.
All event counts come from one GROUP BY query (``events.selectors.event_counts``).
"""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.figures import register_breakdown, register_figure, shared
from events import selectors
from events.models import Event

_counts = shared(selectors.event_counts)
_registrations = shared(selectors.registration_counts)


def _total(year: int, state: str, *, kind: str | None = None, mode: str | None = None) -> int:
    return sum(
        n
        for event_kind, modes in _counts(year)[state].items()
        if kind in (None, event_kind)
        for event_mode, n in modes.items()
        if mode in (None, event_mode)
    )


def _register(key: str, label, compute) -> None:
    compute.__name__ = f"events_{key.replace('.', '_')}"
    register_figure(f"events.{key}", label)(compute)


_register("held", _("durchgeführte Veranstaltungen"), lambda year: _total(year, "held"))
_register("cancelled", _("abgesagte Veranstaltungen"), lambda year: _total(year, "cancelled"))
_register("moved_online", _("ins Internet verlegte Veranstaltungen"), lambda year: _counts(year)["moved_online"])
_register(
    "meet_the_boss", _("durchgeführte Meet-the-Boss-Veranstaltungen"),
    lambda year: _total(year, "held", kind=Event.Kind.MEET_THE_BOSS),
)  # fmt: skip
_register(
    "meet_the_boss_universities", _("Partnerhochschulen der Meet-the-Boss-Veranstaltungen"),
    lambda year: selectors.meet_the_boss_partner_count(year),
)  # fmt: skip
_register("registrations", _("Anmeldungen zu Veranstaltungen"), lambda year: _registrations(year)["registrations"])
_register(
    "attendance", _("Teilnehmende an Veranstaltungen (eingelassen)"), lambda year: _registrations(year)["attendance"]
)
for _kind, _label in Event.Kind.choices:
    _register(
        f"type.{_kind}", format_lazy("{}: {}", _("durchgeführte Veranstaltungen"), _label),
        lambda year, kind=_kind: _total(year, "held", kind=kind),
    )  # fmt: skip
    _register(
        f"cancelled.{_kind}", format_lazy("{}: {}", _("abgesagte Veranstaltungen"), _label),
        lambda year, kind=_kind: _total(year, "cancelled", kind=kind),
    )  # fmt: skip
for _mode, _label in Event.Mode.choices:
    _register(
        f"mode.{_mode}", format_lazy("{}: {}", _("durchgeführte Veranstaltungen"), _label),
        lambda year, mode=_mode: _total(year, "held", mode=mode),
    )  # fmt: skip


def _by_kind(state: str):
    def compute(year: int) -> list[tuple[str, int]]:
        return [(str(label), _total(year, state, kind=kind)) for kind, label in Event.Kind.choices]

    compute.__name__ = f"events_{state}_by_kind"
    return compute


register_breakdown("events.held_by_kind", _("durchgeführte Veranstaltungen nach Art"), dimension=_("Art"))(
    _by_kind("held")
)
register_breakdown("events.cancelled_by_kind", _("abgesagte Veranstaltungen nach Art"), dimension=_("Art"))(
    _by_kind("cancelled")
)

"""Yearly event figures for the annual report (keys ``events.*``), computed from the records."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core.figures import register_figure
from events.models import Event
from events.selectors import event_figures


def _figure(key: str, label):
    def compute(year: int) -> int:
        return event_figures(year)[key]

    compute.__name__ = f"events_{key.replace('.', '_')}"
    register_figure(f"events.{key}", label)(compute)


_figure("held", _("Veranstaltungen durchgeführt"))
_figure("cancelled", _("Veranstaltungen abgesagt"))
_figure("moved_online", _("Veranstaltungen ins Internet verlegt"))
_figure("meet_the_boss", _("Meet-the-Boss-Veranstaltungen durchgeführt"))
_figure("registrations", _("Anmeldungen zu Veranstaltungen"))
_figure("attendance", _("Teilnehmende (eingelassen)"))
for _kind, _label in Event.Kind.choices:
    _figure(f"type.{_kind}", format_lazy("{} – {}", _("durchgeführt nach Art"), _label))
for _mode, _label in Event.Mode.choices:
    _figure(f"mode.{_mode}", format_lazy("{} – {}", _("durchgeführt nach Format"), _label))

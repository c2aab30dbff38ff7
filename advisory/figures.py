"""The advisory module's yearly figures for the annual report (computed, never stored).

Talks come from the consultation log (one query for all of them), consultation days and their
talks from the days held (past, not cancelled) and their bookings minus no-shows.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from advisory import selectors
from advisory.models import ConsultationSeries, Topic
from core.figures import register_breakdown, register_figure, shared

Kind = ConsultationSeries.Kind
Area = Topic.Area

_talk_counts = shared(selectors.talk_counts)
_day_figures = shared(selectors.day_figures)
_by_kind = shared(selectors.days_held_by_kind)


@register_figure("advisory.talks", _("Beratungsgespräche insgesamt"))
def talks(year: int) -> int:
    return _talk_counts(year)["total"]


@register_figure("advisory.talks_funding", _("Erstberatungen zu Förderprogrammen"))
def talks_funding(year: int) -> int:
    return _talk_counts(year)[Area.FUNDING]


@register_figure("advisory.talks_technology", _("Erstberatungen zu Innovation und Technologie"))
def talks_technology(year: int) -> int:
    return _talk_counts(year)[Area.TECHNOLOGY]


@register_figure(
    "advisory.technology_ce_share", _("Anteil der CE-Kennzeichnung an den Technologieberatungen"), kind="percent"
)
def technology_ce_share(year: int) -> Decimal | None:
    counts = _talk_counts(year)
    if not counts[Area.TECHNOLOGY]:
        return None
    return (Decimal(counts["technology_ce"]) * 100 / counts[Area.TECHNOLOGY]).quantize(Decimal("0.1"))


@register_figure("advisory.talks_energy", _("Erstberatungen zu Energiefragen"))
def talks_energy(year: int) -> int:
    return _talk_counts(year)[Area.ENERGY]


@register_figure("advisory.days_held", _("durchgeführte Sprechtage aller Reihen"))
def days_held(year: int) -> int:
    return _day_figures(year)["days_held"]


@register_figure("advisory.inventor_days", _("Sprechtage der Erfinderberatung"))
def inventor_days(year: int) -> int:
    return _by_kind(year)[Kind.INVENTOR]["days"]


@register_figure("advisory.inventor_talks", _("Einzelberatungen mit Patentanwältinnen und Patentanwälten"))
def inventor_talks(year: int) -> int:
    return _by_kind(year)[Kind.INVENTOR]["talks"]


@register_figure("advisory.ce_days", _("CE-Sprechtage"))
def ce_days(year: int) -> int:
    return _by_kind(year)[Kind.CE]["days"]


@register_figure("advisory.ce_participants", _("Teilnehmende an CE-Sprechtagen"))
def ce_participants(year: int) -> int:
    return _by_kind(year)[Kind.CE]["talks"]


@register_figure("advisory.expert_days_funding", _("Expertensprechtage zur Förderung"))
def expert_days_funding(year: int) -> int:
    return _by_kind(year)[Kind.FUNDING]["days"]


@register_figure("advisory.expert_talks_funding", _("Gespräche an Expertensprechtagen zur Förderung"))
def expert_talks_funding(year: int) -> int:
    return _by_kind(year)[Kind.FUNDING]["talks"]


@register_figure("advisory.slots_offered", _("an Sprechtagen angebotene Termine und Plätze"))
def slots_offered(year: int) -> int:
    return _day_figures(year)["slots_offered"]


@register_figure("advisory.slots_booked", _("an Sprechtagen gebuchte Termine und Plätze"))
def slots_booked(year: int) -> int:
    return _day_figures(year)["slots_booked"]


@register_figure("advisory.slots_attended", _("wahrgenommene Sprechtag-Termine"))
def slots_attended(year: int) -> int:
    return _day_figures(year)["slots_attended"]


@register_figure("advisory.no_shows", _("nicht wahrgenommene Sprechtag-Termine"))
def no_shows(year: int) -> int:
    return _day_figures(year)["no_shows"]


@register_figure("advisory.waitlist_entries", _("Einträge auf Wartelisten für Sprechtage"))
def waitlist_entries(year: int) -> int:
    return _day_figures(year)["waitlist_entries"]


@register_breakdown("advisory.talks_by_topic", _("Beratungsgespräche nach Thema"), dimension=_("Thema"))
def talks_by_topic(year: int) -> list[tuple[str, int]]:
    return selectors.talks_by_topic(year)


@register_breakdown("advisory.talks_by_district", _("Beratungsgespräche nach Kreis"), dimension=_("Kreis"))
def talks_by_district(year: int) -> list[tuple[str, int]]:
    return [(name or str(_("ohne Kreisangabe")), n) for name, n in selectors.talks_by_district(year)]


@register_breakdown("advisory.days_by_series", _("Sprechtage nach Reihe"), dimension=_("Reihe"))
def days_by_series(year: int) -> list[tuple[str, int]]:
    return [(str(Kind(kind).label), row["days"]) for kind, row in _by_kind(year).items()]

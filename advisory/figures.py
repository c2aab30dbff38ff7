"""The advisory module's yearly figures for the annual report (computed, never stored)."""

from django.utils.translation import gettext_lazy as _

from advisory import selectors
from advisory.models import ConsultationSeries, Topic
from core.figures import register_figure

Kind = ConsultationSeries.Kind


@register_figure("advisory.talks", _("Beratungsgespräche insgesamt"))
def talks(year: int) -> int:
    from advisory.models import Consultation

    return Consultation.objects.filter(date__year=year).count()


@register_figure("advisory.talks_funding", _("Erstberatungen zu Förderprogrammen"))
def talks_funding(year: int) -> int:
    return selectors.talks_in_area(year, Topic.Area.FUNDING)


@register_figure("advisory.talks_technology", _("Erstberatungen zu Innovation und Technologie"))
def talks_technology(year: int) -> int:
    return selectors.talks_in_area(year, Topic.Area.TECHNOLOGY)


@register_figure("advisory.talks_energy", _("Beratungen zu Energie"))
def talks_energy(year: int) -> int:
    return selectors.talks_in_area(year, Topic.Area.ENERGY)


@register_figure("advisory.days_held", _("Sprechtage durchgeführt"))
def days_held(year: int) -> int:
    return selectors.days_held(year)


@register_figure("advisory.inventor_days", _("Erfinderberatung: Sprechtage"))
def inventor_days(year: int) -> int:
    return selectors.days_held(year, Kind.INVENTOR)


@register_figure("advisory.inventor_talks", _("Erfinderberatung: Einzelberatungen mit Patentanwälten"))
def inventor_talks(year: int) -> int:
    return selectors.day_talks(year, Kind.INVENTOR)


@register_figure("advisory.ce_days", _("CE-Sprechtage"))
def ce_days(year: int) -> int:
    return selectors.days_held(year, Kind.CE)


@register_figure("advisory.ce_participants", _("CE-Sprechtage: Teilnehmende"))
def ce_participants(year: int) -> int:
    return selectors.day_talks(year, Kind.CE)


@register_figure("advisory.expert_days_funding", _("Expertensprechtage Förderung"))
def expert_days_funding(year: int) -> int:
    return selectors.days_held(year, Kind.FUNDING)


@register_figure("advisory.expert_talks_funding", _("Expertensprechtage Förderung: Gespräche"))
def expert_talks_funding(year: int) -> int:
    return selectors.day_talks(year, Kind.FUNDING)


@register_figure("advisory.slots_offered", _("Sprechtage: angebotene Termine/Plätze"))
def slots_offered(year: int) -> int:
    return selectors.day_figures(year)["slots_offered"]


@register_figure("advisory.slots_booked", _("Sprechtage: gebuchte Termine/Plätze"))
def slots_booked(year: int) -> int:
    return selectors.day_figures(year)["slots_booked"]


@register_figure("advisory.slots_attended", _("Sprechtage: wahrgenommene Termine"))
def slots_attended(year: int) -> int:
    return selectors.day_figures(year)["slots_attended"]


@register_figure("advisory.no_shows", _("Sprechtage: nicht erschienen"))
def no_shows(year: int) -> int:
    return selectors.day_figures(year)["no_shows"]


@register_figure("advisory.waitlist_entries", _("Sprechtage: Einträge auf Wartelisten"))
def waitlist_entries(year: int) -> int:
    return selectors.day_figures(year)["waitlist_entries"]

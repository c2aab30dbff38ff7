"""The climate module's figures for the annual report, computed from records with aggregate queries."""

from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from climate import selectors
from climate.models import CalculatorUse, PolicyTalk, Publication, SurveySubmission
from core.figures import all_figures, end_of_year, register_breakdown, register_figure, shared

_demand = shared(lambda year: selectors.reported_demand_at(end_of_year(year)))


@register_figure("climate.calculator_uses", _("Berechnungen mit dem CO2-Kostenrechner"))
def calculator_uses(year: int) -> int:
    return CalculatorUse.objects.filter(month__year=year).aggregate(n=Sum("count"))["n"] or 0


@register_figure("climate.survey_submissions", _("Antworten auf die Wasserstoff-Bedarfsabfrage"))
def survey_submissions(year: int) -> int:
    return SurveySubmission.objects.filter(
        created_at__gte=end_of_year(year - 1), created_at__lt=end_of_year(year)
    ).count()


@register_figure("climate.survey_companies", _("Unternehmen mit gemeldetem Wasserstoffbedarf am Jahresende"))
def survey_companies(year: int) -> int:
    return _demand(year)["companies"]


@register_figure(
    "climate.regional_h2_demand_t", _("gemeldeter regionaler Wasserstoffbedarf am Jahresende"), unit="t/Jahr"
)
def regional_h2_demand_t(year: int) -> Decimal:
    """The latest answer of each company submitted by the end of the year, summed."""
    return _demand(year)["tonnes"]


@register_figure("climate.policy_talks", _("Politikgespräche"))
def policy_talks(year: int) -> int:
    return PolicyTalk.objects.filter(date__year=year).count()


@register_figure("climate.publications", _("Veröffentlichungen (Studien und Positionspapiere)"))
def publications(year: int) -> int:
    return Publication.objects.filter(published_on__year=year).count()


@register_figure("climate.studies", _("Studien und Kurzstudien"))
def studies(year: int) -> int:
    return Publication.objects.filter(published_on__year=year, kind=Publication.Kind.STUDY).count()


@register_breakdown(
    "climate.h2_demand_by_district", _("gemeldeter Wasserstoffbedarf nach Kreis"), dimension=_("Kreis"),
    unit="t/Jahr",
)  # fmt: skip
def h2_demand_by_district(year: int) -> list[tuple[str, Decimal]]:
    return [
        (name or str(_("ohne Kreisangabe")), tonnes)
        for name, tonnes in selectors.reported_demand_by_district(end_of_year(year))
    ]


def climate_figures(year: int) -> list[dict]:
    return [
        {"key": f.key, "label": f.label, "value": f.compute(year), "unit": f.unit}
        for f in all_figures()
        if f.key.startswith("climate.")
    ]

"""The climate module's figures for the annual report, computed from records."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from climate.models import CalculatorUse, PolicyTalk, Publication, SurveySubmission
from core.figures import all_figures, register_figure


def _end_of(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


@register_figure("climate.calculator_uses", _("Berechnungen mit dem CO2-Kostenrechner"))
def calculator_uses(year: int) -> int:
    return CalculatorUse.objects.filter(month__year=year).aggregate(n=Sum("count"))["n"] or 0


@register_figure("climate.survey_submissions", _("Antworten zur Wasserstoff-Bedarfsumfrage"))
def survey_submissions(year: int) -> int:
    return SurveySubmission.objects.filter(created_at__year=year).count()


@register_figure("climate.survey_companies", _("Unternehmen mit Wasserstoffbedarf (Stand Jahresende)"))
def survey_companies(year: int) -> int:
    return SurveySubmission.objects.filter(created_at__lt=_end_of(year)).values("organisation_id").distinct().count()


@register_figure("climate.regional_h2_demand_t", _("gemeldeter regionaler Wasserstoffbedarf (t/Jahr)"), unit="t")
def regional_h2_demand_t(year: int) -> Decimal:
    """The latest answer of each company submitted by the end of the year, summed."""
    latest: dict[int, tuple] = {}
    rows = SurveySubmission.objects.filter(created_at__lt=_end_of(year)).values_list(
        "organisation_id", "created_at", "id", "h2_demand_t"
    )
    for organisation_id, created_at, pk, demand in rows.iterator():
        if organisation_id not in latest or (created_at, pk) > latest[organisation_id][:2]:
            latest[organisation_id] = (created_at, pk, demand)
    return sum((entry[2] for entry in latest.values()), Decimal(0))


@register_figure("climate.policy_talks", _("Politikgespräche"))
def policy_talks(year: int) -> int:
    return PolicyTalk.objects.filter(date__year=year).count()


@register_figure("climate.publications", _("Veröffentlichungen (Studien, Positionspapiere)"))
def publications(year: int) -> int:
    return Publication.objects.filter(published_on__year=year).count()


def climate_figures(year: int) -> list[dict]:
    return [
        {"key": f.key, "label": f.label, "value": f.compute(year), "unit": f.unit}
        for f in all_figures()
        if f.key.startswith("climate.")
    ]

from django.urls import reverse
from django.utils.translation import gettext as _

from climate.models import SurveySubmission
from core.timeline import TimelineEntry, register_timeline


@register_timeline("climate")
def survey_submissions(organisation) -> list[TimelineEntry]:
    """The organisation's answers to the hydrogen survey (one query)."""
    rows = SurveySubmission.objects.filter(organisation=organisation).order_by("-created_at")[:20]
    return [
        TimelineEntry(
            when=s.created_at,
            kind=_("Wasserstoff"),
            title=_("Umfrage beantwortet: Umstieg ab %(year)s zu %(share)s %%")
            % {"year": s.switch_year, "share": s.switch_share},
            url=reverse("climate:survey_overview"),
            detail=_("%(t)s t H2/Jahr, %(name)s")
            % {"t": f"{s.h2_demand_t:.1f}".replace(".", ","), "name": s.contact_name},
        )  # fmt: skip
        for s in rows
    ]

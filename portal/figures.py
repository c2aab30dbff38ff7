"""The portal's figures for the annual report, computed from the records."""

import datetime

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.figures import register_figure
from portal.models import ChangeRequest, CompanyProfile, Offer, ProfileViewCount


def _end_of(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


def _start_of(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1))


@register_figure("portal.companies", _("Unternehmen im Industrie-Portal (Jahresende)"))
def companies(year: int) -> int:
    return CompanyProfile.objects.filter(created_at__lt=_end_of(year), is_published=True).count()


@register_figure("portal.editors_active", _("aktive Firmenredakteurinnen und -redakteure"))
def editors_active(year: int) -> int:
    """Editors who changed their entry in the year (applied changes or changes submitted for review)."""
    start, end = _start_of(year), _end_of(year)
    authors = set()
    for model in (CompanyProfile, Offer):
        authors |= set(
            model.history.filter(history_date__gte=start, history_date__lt=end, history_user__editor_of__isnull=False)
            .values_list("history_user_id", flat=True)
            .distinct()
        )
    authors |= set(
        ChangeRequest.objects.filter(created_at__gte=start, created_at__lt=end, author__editor_of__isnull=False)
        .values_list("author_id", flat=True)
        .distinct()
    )
    return len(authors)


@register_figure("portal.offers", _("Angebote mit Beginn im Jahr"))
def offers(year: int) -> int:
    return Offer.objects.filter(start_date__year=year).count()


@register_figure("portal.places", _("angebotene Plätze mit Beginn im Jahr"))
def places(year: int) -> int:
    return Offer.objects.filter(start_date__year=year).aggregate(total=Sum("places"))["total"] or 0


@register_figure("portal.profile_views", _("Aufrufe von Unternehmensprofilen"))
def profile_views(year: int) -> int:
    return ProfileViewCount.objects.filter(month__year=year).aggregate(total=Sum("views"))["total"] or 0

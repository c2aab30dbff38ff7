"""The portal's figures for the annual report, computed from the records."""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _

from core.figures import end_of_year as _end_of
from core.figures import register_breakdown, register_figure
from core.figures import start_of_year as _start_of
from portal.models import ChangeRequest, CompanyProfile, Offer, ProfileViewCount


@register_figure("portal.companies", _("Unternehmen im Industrie-Portal am Jahresende"))
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


@register_figure("portal.offers", _("Ausbildungs-, Studien- und Praktikumsangebote mit Beginn im Jahr"))
def offers(year: int) -> int:
    return Offer.objects.filter(start_date__year=year).count()


@register_figure("portal.places", _("angebotene Plätze mit Beginn im Jahr"))
def places(year: int) -> int:
    return Offer.objects.filter(start_date__year=year).aggregate(total=Sum("places"))["total"] or 0


@register_figure("portal.profile_views", _("Aufrufe der Unternehmensprofile im Portal"))
def profile_views(year: int) -> int:
    return ProfileViewCount.objects.filter(month__year=year).aggregate(total=Sum("views"))["total"] or 0


@register_breakdown(
    "portal.companies_by_district", _("Unternehmen im Industrie-Portal am Jahresende nach Kreis"), dimension=_("Kreis")
)
def companies_by_district(year: int) -> list[tuple[str, int]]:
    rows = (
        CompanyProfile.objects.filter(created_at__lt=_end_of(year), is_published=True)
        .values("organisation__district__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    names = sorted(
        ((row["organisation__district__name"], row["n"]) for row in rows),
        key=lambda row: (row[0] is None, row[0] or ""),
    )
    return [(name or str(_("ohne Kreisangabe")), n) for name, n in names]

"""The contacts module's yearly figures: the stock of organisations and people at the end of a year."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from core.figures import end_of_year, register_breakdown, register_figure


@register_figure("contacts.organisations", _("Organisationen im Bestand am Jahresende"))
def organisations(year: int) -> int:
    return Organisation.objects.filter(created_at__lt=end_of_year(year)).count()


@register_figure("contacts.organisations_new", _("im Jahr neu erfasste Organisationen"))
def organisations_new(year: int) -> int:
    return Organisation.objects.filter(created_at__gte=end_of_year(year - 1), created_at__lt=end_of_year(year)).count()


@register_figure("contacts.members", _("Mitgliedsunternehmen im Bestand am Jahresende"))
def members(year: int) -> int:
    return Organisation.objects.filter(created_at__lt=end_of_year(year)).exclude(member_number="").count()


@register_figure("contacts.people", _("Ansprechpersonen im Bestand am Jahresende"))
def people(year: int) -> int:
    """People recorded by the end of the year; erased (anonymised) people no longer count."""
    return Person.objects.filter(created_at__lt=end_of_year(year), anonymised_at__isnull=True).count()


@register_breakdown(
    "contacts.organisations_by_district", _("Organisationen im Bestand am Jahresende nach Kreis"), dimension=_("Kreis")
)
def organisations_by_district(year: int) -> list[tuple[str, int]]:
    rows = (
        Organisation.objects.filter(created_at__lt=end_of_year(year))
        .values("district__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows = sorted(rows, key=lambda row: (row["district__name"] is None, row["district__name"] or ""))
    return [(row["district__name"] or str(_("ohne Kreisangabe")), row["n"]) for row in rows]

import datetime

from django.utils.translation import gettext_lazy as _

from contacts.models import Organisation, Person
from core.figures import register_figure


def _end_of(year: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime(year + 1, 1, 1))


@register_figure("contacts.organisations", _("Organisationen im Bestand (Jahresende)"))
def organisations(year: int) -> int:
    return Organisation.objects.filter(created_at__lt=_end_of(year)).count()


@register_figure("contacts.organisations_new", _("neu erfasste Organisationen"))
def organisations_new(year: int) -> int:
    return Organisation.objects.filter(created_at__year=year).count()


@register_figure("contacts.members", _("Mitgliedsunternehmen im Bestand"))
def members(year: int) -> int:
    return Organisation.objects.filter(created_at__lt=_end_of(year)).exclude(member_number="").count()


@register_figure("contacts.people", _("Personen im Bestand (Jahresende)"))
def people(year: int) -> int:
    return Person.objects.filter(created_at__lt=_end_of(year), anonymised_at__isnull=True).count()

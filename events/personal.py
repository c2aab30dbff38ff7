"""A person's event registrations in their personal area: status, waiting-list place and the
actions the registration allows, each going to the registration's own token pages."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.personal import PersonalAction, PersonalItem, register_personal_section
from events import selectors, services
from events.models import Registration


def _status(registration: Registration) -> str:
    if registration.event.is_cancelled:
        return _("Veranstaltung abgesagt")
    if registration.status == Registration.Status.WAITING:
        return _("Warteliste, Platz %(position)s") % {"position": (registration.ahead or 0) + 1}
    return str(registration.get_status_display())


def _item(registration: Registration) -> PersonalItem:
    event, token = registration.event, registration.token
    actions = []
    if registration.status == Registration.Status.OFFERED:
        actions.append(
            PersonalAction(_("Platz annehmen"), reverse("events:registration_accept", args=[token]), method="post")
        )
    calendar = selectors.registration_calendar(registration, event)
    if calendar == "entry":
        actions.append(
            PersonalAction(_("Kalenderdatei (.ics)"), reverse("events:registration_ics", args=[token]), download=True)
        )
    if services.registration_cancel_refusal(registration, event) is None:
        label = _("Platz ablehnen") if registration.status == Registration.Status.OFFERED else _("Anmeldung stornieren")
        actions.append(PersonalAction(label, reverse("events:registration_cancel", args=[token]), method="post"))
    return PersonalItem(
        title=event.title, status=_status(registration), when=event.starts_at,
        detail=_("Teilnahme als %(audience)s") % {"audience": registration.audience.name},
        url=registration.get_manage_url(), actions=tuple(actions),
    )  # fmt: skip


@register_personal_section("events", title=gettext_lazy("Veranstaltungen"), order=10)
def registrations(email: str) -> list[PersonalItem]:
    """Registrations for coming events and those of the last 30 days, soonest first (1 query)."""
    return [_item(registration) for registration in selectors.registrations_for_email(email)]

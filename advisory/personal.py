"""A person's consultation-day bookings and waiting-list places in their personal area.

Every action goes to the booking's own token pages (the links the person got by mail), so the
rules stay the services' (``services.booking_change_refusal``): an action the service would
refuse is not offered.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advisory import selectors, services
from advisory.models import Booking
from core.personal import PersonalAction, PersonalItem, register_personal_section


def _place(day) -> str:
    return day.place or _("online")


def _booking_item(booking: Booking) -> PersonalItem:
    token = booking.token
    manage = reverse("advisory:booking_manage", args=[token])
    changeable = services.booking_change_refusal(booking) is None
    actions: list[PersonalAction] = []
    status = booking.get_status_display()
    if booking.status == Booking.Status.OFFERED and changeable:
        until = timezone.localtime(booking.offer_expires_at).strftime("%d.%m.%Y %H:%M")
        status = _("Platz frei geworden – bitte bis %(until)s Uhr annehmen") % {"until": until}
        actions = [
            PersonalAction(_("Termin annehmen"), reverse("advisory:offer_accept", args=[token]), method="post"),
            PersonalAction(_("Ablehnen"), reverse("advisory:booking_cancel", args=[token]), method="post"),
        ]
    elif booking.status == Booking.Status.CONFIRMED:
        actions.append(
            PersonalAction(_("Kalenderdatei (.ics)"), reverse("advisory:booking_ics", args=[token]), download=True)
        )
        if changeable:
            actions += [
                PersonalAction(_("Termin verschieben"), f"{manage}#verschieben"),
                PersonalAction(
                    _("Buchung stornieren"), reverse("advisory:booking_cancel", args=[token]), method="post"
                ),
            ]
    if booking.day.is_cancelled:
        status = _("Sprechtag abgesagt")
    return PersonalItem(
        title=booking.day.series.name, status=str(status), when=booking.slot.starts_at,
        detail=_place(booking.day), url=manage, actions=tuple(actions),
    )  # fmt: skip


def _waitlist_item(entry) -> PersonalItem:
    manage = reverse("advisory:waitlist_manage", args=[entry.token])
    return PersonalItem(
        title=entry.day.series.name,
        status=_("Warteliste, Platz %(position)s") % {"position": entry.position},
        when=entry.day.starts_at,
        detail=_place(entry.day),
        url=manage,
        actions=(PersonalAction(_("Von der Warteliste austragen"), manage, method="post"),),
    )


@register_personal_section("advisory", title=gettext_lazy("Sprechtage"), order=20)
def consultation_days(email: str) -> list[PersonalItem]:
    """Bookings (confirmed, offered, recently cancelled) and waiting-list places, soonest first (2 queries)."""
    items = [(b.slot.starts_at, _booking_item(b)) for b in selectors.bookings_for_email(email)]
    items += [(e.day.starts_at, _waitlist_item(e)) for e in selectors.waitlist_places_for_email(email)]
    return [item for _when, item in sorted(items, key=lambda pair: pair[0])]

"""Access helpers, one per guarded model: not visible → 404.

Staff see every consultation day and talk, an expert only their own days. Bookings and waiting-list
entries of the public are found by their personal token only (an unknown token → 404); whether a
booking can still be changed is a rule of the services (``services.booking_change_refusal``), shown
as a message on the booking's page, not as an error page.
"""

from django.http import Http404

from advisory import selectors
from advisory.models import Booking, Consultation, ConsultationDay, ExpertCalendar, FundingProgramme, WaitlistEntry
from core.prepared import PreparedQuery
from core.roles import Role


def day_for_user(user, pk) -> ConsultationDay:
    if not user.is_authenticated:
        raise Http404
    try:
        day = ConsultationDay.objects.select_related("series", "expert").get(pk=pk)
    except (ConsultationDay.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if user.has_role(Role.STAFF):
        return day
    if user.has_role(Role.EXPERT) and day.expert_id == user.pk:
        return day
    raise Http404


def booking_for_user(user, pk) -> Booking:
    try:
        booking = Booking.objects.select_related("day__series", "slot").get(pk=pk)
    except (Booking.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    day_for_user(user, booking.day_id)
    return booking


def consultation_for_user(user, pk) -> Consultation:
    """A talk of the consultation log: every staff member sees every talk."""
    if not (user.is_authenticated and user.has_role(Role.STAFF)):
        raise Http404
    consultation = Consultation.objects.select_related("organisation", "person").filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def programme_for_user(user, pk) -> FundingProgramme:
    """A programme of the catalogue, to maintain (staff)."""
    if not (user.is_authenticated and user.has_role(Role.STAFF)):
        raise Http404
    programme = FundingProgramme.objects.filter(pk=pk).first()
    if programme is None:
        raise Http404
    return programme


# A public day alone (joining its waiting list), compiled once per process (core.prepared); the day's
# page reads it with its slots (selectors.public_day_page).
_PUBLIC_DAY_QUERY = PreparedQuery(
    lambda pk: (
        ConsultationDay.objects.filter(pk=pk, series__is_public=True).order_by().values(*selectors.PUBLIC_DAY_ROW.names)
    ),
    pk=-1,
)


def public_day_page(pk) -> tuple[ConsultationDay, selectors.PublicDay]:
    """A public day (as :func:`public_day`) with what its page shows, read in one query."""
    found = selectors.public_day_page(pk)
    if found is None:
        raise Http404
    return found


def public_day(pk) -> ConsultationDay:
    """A day of a publicly bookable series (also a past or cancelled one: its page says so)."""
    rows = _PUBLIC_DAY_QUERY.rows(pk=pk)
    if not rows:
        raise Http404
    return selectors.PUBLIC_DAY_ROW.instance(rows[0])


def booking_for_token(token: str) -> Booking:
    """The booking a personal link names."""
    booking = Booking.objects.select_related("day__series", "slot").filter(token=token).first()
    if booking is None:
        raise Http404
    return booking


def waitlist_entry_for_token(token: str) -> WaitlistEntry:
    """The waiting-list entry a personal link names."""
    entry = WaitlistEntry.objects.select_related("day__series").filter(token=token).first()
    if entry is None:
        raise Http404
    return entry


def expert_for_feed_token(token: str):
    """The expert whose calendar feed a secret address names (unknown, reset, or no longer an expert → 404)."""
    calendar = ExpertCalendar.objects.select_related("expert").filter(token=token).first() if token else None
    if calendar is None or not calendar.expert.is_active or not calendar.expert.has_role(Role.EXPERT):
        raise Http404
    return calendar.expert

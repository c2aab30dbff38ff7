"""Access helpers: staff see every consultation day, an expert only their own (else 404)."""

from django.http import Http404

from advisory.models import Booking, ConsultationDay
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

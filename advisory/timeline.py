import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advisory.models import Booking, Consultation
from core.timeline import TimelineEntry, register_timeline


@register_timeline("advisory")
def advisory_entries(organisation) -> list[TimelineEntry]:
    """Consultations and consultation-day bookings of the organisation (3 queries)."""
    entries = []
    talks = (
        Consultation.objects.filter(organisation=organisation)
        .select_related("adviser")
        .prefetch_related("topics")
        .order_by("-date")[:100]
    )
    for talk in talks:
        entries.append(
            TimelineEntry(
                when=timezone.make_aware(datetime.datetime.combine(talk.date, datetime.time(12))),
                kind=_("Beratung"),
                title=", ".join(topic.name for topic in talk.topics.all()) or _("Beratungsgespräch"),
                url=reverse("advisory:consultation_edit", args=[talk.pk]),
                detail=f"{talk.get_channel_display()}, {talk.adviser}",
            )
        )
    bookings = (
        Booking.objects.filter(organisation=organisation)
        .select_related("day__series", "slot")
        .order_by("-slot__starts_at")[:100]
    )
    for booking in bookings:
        entries.append(
            TimelineEntry(
                when=booking.slot.starts_at,
                kind=_("Sprechtag"),
                title=booking.day.series.name,
                url=reverse("advisory:day_detail", args=[booking.day_id]),
                detail=f"{booking.name} – {booking.get_status_display()}",
            )
        )
    return entries

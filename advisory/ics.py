"""Calendar files (RFC 5545) for bookings, built with the icalendar library."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vText

from advisory.models import Booking


def _domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ")


def booking_ics(booking: Booking, *, cancelled: bool = False) -> str:
    day, slot = booking.day, booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Kammerwerk//Sprechtage//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"advisory-booking-{booking.pk}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", slot.starts_at)
    event.add("dtend", slot.ends_at)
    event.add("summary", f"{day.series.name} – {settings.KAMMERWERK_ORGANISATION_NAME}")
    location = day.place or day.online_url
    if location:
        event.add("location", vText(location))
    manage = settings.SITE_URL + booking.get_absolute_url()
    event.add("description", f"Buchung ansehen, verschieben oder stornieren: {manage}")
    event.add("url", manage)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")

"""Calendar files (RFC 5545/5546) for bookings, built with the icalendar library.

A booking keeps one UID for its whole life; ``Booking.ics_sequence`` rises on every change (move,
cancellation), so a calendar replaces the old entry instead of keeping the old time. Mailed files
are invitations (``METHOD:REQUEST``, or ``CANCEL``) and name the chamber as ORGANIZER and the
person as ATTENDEE; the download on the booking page is ``METHOD:PUBLISH`` (no ATTENDEE).
"""

from email.utils import parseaddr

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from advisory.models import Booking

PUBLISH, REQUEST, CANCEL = "PUBLISH", "REQUEST", "CANCEL"


def _sender_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def _domain() -> str:
    return _sender_address().rsplit("@", 1)[-1]


def _organizer() -> vCalAddress:
    organizer = vCalAddress(f"mailto:{_sender_address()}")
    organizer.params["cn"] = vText(settings.KAMMERWERK_ORGANISATION_NAME)
    return organizer


def _attendee(booking: Booking, method: str) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{booking.email}")
    attendee.params["cn"] = vText(booking.name)
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    attendee.params["partstat"] = vText("DECLINED" if method == CANCEL else "ACCEPTED")
    attendee.params["rsvp"] = vText("FALSE")
    return attendee


def booking_ics(booking: Booking, *, method: str = REQUEST) -> str:
    """The booking as a calendar file: ``REQUEST`` (mailed confirmation), ``CANCEL`` (mailed
    cancellation) or ``PUBLISH`` (the download)."""
    day, slot = booking.day, booking.slot
    calendar = Calendar()
    calendar.add("prodid", "-//Kammerwerk//Sprechtage//DE")
    calendar.add("version", "2.0")
    calendar.add("method", method)
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
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    event.add("sequence", booking.ics_sequence)
    event.add("organizer", _organizer())
    if method != PUBLISH:
        event.add("attendee", _attendee(booking, method))
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def expert_feed_ics(days, *, name: str) -> str:
    """An expert's own days as a subscribable feed (``METHOD:PUBLISH``).

    One entry per day (UID per day, SEQUENCE raised when it moves or is cancelled; a cancelled day
    stays in the feed with ``STATUS:CANCELLED`` so calendars remove it). The description gives the
    counts and the link to the day's page, never the names or the confidential descriptions of the
    people booked: a feed address ends up in calendar services beyond the chamber's control.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Kammerwerk//Sprechtage//DE")
    calendar.add("version", "2.0")
    calendar.add("method", PUBLISH)
    calendar.add("x-wr-calname", name)
    calendar.add("x-published-ttl", "PT1H")
    for day in days:
        event = Event()
        event.add("uid", f"advisory-day-{day.pk}@{_domain()}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", day.starts_at)
        event.add("dtend", day.ends_at)
        event.add("summary", f"Sprechtag: {day.series.name}")
        location = day.place or day.online_url
        if location:
            event.add("location", vText(location))
        link = settings.SITE_URL + reverse("advisory:day_detail", args=[day.pk])
        counts = f"{day.slots_held} von {day.slots_total} Plätzen gebucht"
        if day.waiting:
            counts += f", {day.waiting} auf der Warteliste"
        event.add("description", f"{counts}.\n{link}")
        event.add("url", link)
        event.add("status", "CANCELLED" if day.is_cancelled else "CONFIRMED")
        event.add("sequence", day.ics_sequence)
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")

"""Calendar files (RFC 5545, methods from RFC 5546): one registrant's entry, the public download, the feed.

Each event keeps one UID for its whole life; a change raises ``Event.sequence`` so calendar
programs replace the entry, and a cancellation is sent as METHOD:CANCEL. What is mailed to a
registrant is a scheduling message (METHOD:REQUEST or CANCEL) naming the organiser and that
registrant as attendee; what anyone can download (the "add to calendar" link, the feed) is
METHOD:PUBLISH, without attendees and without the online link.
"""

from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress
from icalendar import Event as VEvent

from events.models import Event, Registration

PRODID = "-//Kammerwerk//Veranstaltungen//DE"


def event_uid(event: Event) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "kammerwerk"
    return f"kammerwerk-event-{event.pk}@{domain}"


def _location(event: Event) -> str:
    if event.mode == Event.Mode.ONLINE:
        return "Online"
    place = event.venue
    if event.mode == Event.Mode.HYBRID:
        return f"{place} / Online" if place else "Online"
    return place


def _organizer() -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = settings.KAMMERWERK_ORGANISATION_NAME
    return organizer


def _attendee(registration: Registration, *, cancelled: bool) -> vCalAddress:
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = registration.full_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if cancelled else "ACCEPTED"
    attendee.params["rsvp"] = "FALSE"
    return attendee


def _vevent(event: Event, *, with_access: bool, cancelled: bool) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event_uid(event))
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", timezone.now())
    vevent.add("dtstart", event.starts_at)
    vevent.add("dtend", event.ends_at or event.starts_at + timedelta(hours=2))
    vevent.add("summary", event.title)
    location = _location(event)
    if location:
        vevent.add("location", location)
    url = settings.SITE_URL + event.get_absolute_url()
    vevent.add("url", url)
    description = event.summary or ""
    if with_access and event.has_online_part and event.online_url and not cancelled:
        description = f"{description}\n\nZugang: {event.online_url}".strip()
    description = f"{description}\n\n{url}".strip()
    vevent.add("description", description)
    vevent.add("status", "CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED")
    vevent.add("organizer", _organizer())
    return vevent


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def registrant_ics(event: Event, registration: Registration, *, cancelled: bool = False) -> str:
    """The calendar entry mailed to one registrant who holds a confirmed seat.

    METHOD:REQUEST (with the online link), or METHOD:CANCEL when the event or their
    registration is cancelled. ORGANIZER is the department, ATTENDEE the registrant.
    """
    is_cancelled = cancelled or event.is_cancelled
    calendar = _calendar("CANCEL" if is_cancelled else "REQUEST")
    vevent = _vevent(event, with_access=True, cancelled=is_cancelled)
    vevent.add("attendee", _attendee(registration, cancelled=is_cancelled))
    calendar.add_component(vevent)
    return calendar.to_ical().decode("utf-8")


def registration_download_ics(event: Event, registration: Registration) -> str:
    """The download on the registration page: the person's own entry (METHOD:PUBLISH, with the online
    link, which they would get by mail anyway), or, once their registration or the event is
    cancelled, the cancellation (METHOD:CANCEL) that removes the entry from their calendar."""
    cancelled = registration.status == Registration.Status.CANCELLED or event.is_cancelled
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_vevent(event, with_access=not cancelled, cancelled=cancelled))
    return calendar.to_ical().decode("utf-8")


def public_ics(event: Event) -> str:
    """The "add to calendar" download of the public page (METHOD:PUBLISH, no online link)."""
    return feed_ics([event], name=event.title)


def feed_ics(events, name: str = "Veranstaltungen") -> str:
    """A subscribable feed (METHOD:PUBLISH); cancelled events stay in it with STATUS:CANCELLED."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, with_access=False, cancelled=False))
    return calendar.to_ical().decode("utf-8")

"""Calendar files (RFC 5545): one event for a registrant, and the subscribable feed.

Each event keeps one UID for its whole life; a change raises ``Event.sequence`` so
calendar programs replace the entry, and a cancellation is sent as METHOD:CANCEL.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as VEvent

from events.models import Event


def event_uid(event: Event) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "kammerwerk"
    return f"kammerwerk-event-{event.pk}@{domain}"


def _location(event: Event) -> str:
    if event.mode == Event.Mode.ONLINE:
        return "Online"
    place = ", ".join(part for part in [event.venue_name, event.venue_address] if part)
    if event.mode == Event.Mode.HYBRID:
        return f"{place} / Online" if place else "Online"
    return place


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
    is_cancelled = cancelled or event.status == Event.Status.CANCELLED
    vevent.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    return vevent


def registrant_ics(event: Event, *, cancelled: bool = False, with_access: bool = True) -> str:
    """The calendar entry mailed to one registrant (METHOD:REQUEST, or CANCEL).

    ``with_access`` puts the online link in (only for people who hold a seat).
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Kammerwerk//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    is_cancelled = cancelled or event.status == Event.Status.CANCELLED
    calendar.add("method", "CANCEL" if is_cancelled else "REQUEST")
    calendar.add_component(_vevent(event, with_access=with_access, cancelled=is_cancelled))
    return calendar.to_ical().decode("utf-8")


def feed_ics(events, name: str = "Veranstaltungen") -> str:
    """A subscribable feed (METHOD:PUBLISH); cancelled events stay in it with STATUS:CANCELLED."""
    calendar = Calendar()
    calendar.add("prodid", "-//Kammerwerk//Veranstaltungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, with_access=False, cancelled=False))
    return calendar.to_ical().decode("utf-8")

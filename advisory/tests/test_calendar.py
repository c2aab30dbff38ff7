"""The calendar files a person receives (issue 12, items 8 and 15), parsed with icalendar the way a
calendar program reads them."""

import icalendar
import pytest
from django.urls import reverse

from advisory import services
from advisory.tests.factories import book, make_day
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _calendars(mailoutbox, to: str) -> list[icalendar.Calendar]:
    """The .ics files mailed to ``to``, in the order they were sent."""
    deliver_queued_mail()
    found = []
    for message in mailoutbox:
        if message.to != [to]:
            continue
        for filename, content, mimetype in message.attachments:
            if filename.endswith(".ics"):
                assert mimetype == "text/calendar"
                found.append(icalendar.Calendar.from_ical(content))
    return found


def _event(calendar: icalendar.Calendar):
    return calendar.walk("VEVENT")[0]


def test_moved_booking_replaces_the_calendar_entry_instead_of_keeping_the_old_time(expert, mailoutbox):
    day = make_day(expert, count=3)
    booking = book(day, slot=day.slots.get(number=1), email="bea@example.org")
    target = day.slots.get(number=3)
    services.booking_move(token=booking.token, slot_id=target.pk)
    services.booking_move(token=booking.token, slot_id=day.slots.get(number=2).pk)
    services.booking_cancel(token=booking.token)

    first, moved, moved_again, cancelled = (_event(c) for c in _calendars(mailoutbox, "bea@example.org"))
    assert len({str(e["uid"]) for e in (first, moved, moved_again, cancelled)}) == 1  # one entry, updated
    sequences = [int(e["sequence"]) for e in (first, moved, moved_again, cancelled)]
    assert sequences == sorted(set(sequences)), sequences  # strictly rising: each file outranks the last
    assert moved.decoded("dtstart") == target.starts_at != first.decoded("dtstart")
    assert str(cancelled["status"]) == "CANCELLED"


def test_day_cancelled_by_staff_outranks_the_confirmation(expert, mailoutbox):
    day = make_day(expert, count=2)
    book(day, email="bea@example.org")
    services.day_cancel(day=day)
    confirmation, cancellation = _calendars(mailoutbox, "bea@example.org")
    assert str(cancellation["method"]) == "CANCEL"
    assert int(_event(cancellation)["sequence"]) > int(_event(confirmation)["sequence"])


def test_mailed_calendar_files_name_organizer_and_attendee(expert, mailoutbox, settings):
    day = make_day(expert, count=2)
    booking = book(day, email="bea@example.org", name="Bea Besucher")
    services.booking_cancel(token=booking.token)
    request, cancel = _calendars(mailoutbox, "bea@example.org")
    assert (str(request["method"]), str(cancel["method"])) == ("REQUEST", "CANCEL")
    for calendar in (request, cancel):
        event = _event(calendar)
        assert str(event["organizer"]).lower() == "mailto:industrie@kammerwerk.example"
        assert event["organizer"].params["CN"] == settings.KAMMERWERK_ORGANISATION_NAME
        assert str(event["attendee"]).lower() == "mailto:bea@example.org"
        assert event["attendee"].params["CN"] == "Bea Besucher"


def test_calendar_download_on_the_booking_page_is_a_plain_entry(client, expert):
    booking = book(make_day(expert), email="bea@example.org")
    response = client.get(reverse("advisory:booking_ics", args=[booking.token]))
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["method"]) == "PUBLISH"
    assert "organizer" in _event(calendar) and "attendee" not in _event(calendar)


def test_waiting_list_gets_no_calendar_invitation_for_a_seat_they_do_not_hold(expert, mailoutbox):
    day = make_day(expert, count=1)
    holder = book(day, email="holder@example.org")
    services.waitlist_join(day_id=day.pk, name="Wanda Warte", email="wanda@example.org", consent=True)
    services.booking_cancel(token=holder.token)  # Wanda is offered the place, not yet booked
    deliver_queued_mail()
    to_wanda = [m for m in mailoutbox if m.to == ["wanda@example.org"]]
    assert len(to_wanda) == 2  # "you are on the list", "a place is free"
    assert not [a for m in to_wanda for a in m.attachments]
    services.day_cancel(day=day)  # the day is called off while the offer is open
    deliver_queued_mail()
    to_wanda = [m for m in mailoutbox if m.to == ["wanda@example.org"]]
    assert len(to_wanda) == 3 and not [a for m in to_wanda for a in m.attachments]

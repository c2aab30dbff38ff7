"""Booking, cancelling, moving, waiting lists and bad input (services and public views)."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from advisory import services
from advisory.models import Booking, ConsultationDay, ConsultationSeries, WaitlistEntry
from advisory.tests.factories import book, make_day
from core.models import OutgoingMail
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


@pytest.fixture
def day(expert):
    return make_day(expert, count=3)


def _form(prefix="b", **data):
    values = {
        "name": "Bea Besucher",
        "email": "bea@example.org",
        "company_name": "",
        "description": "",
        "consent": "on",
    }
    values.update(data)
    return {f"{prefix}-{key}": value for key, value in values.items()}


def test_booking_sends_confirmation_with_valid_ics(day, mailoutbox):
    booking = book(day, email="Bea@Example.org")
    assert booking.email == "bea@example.org"
    row = OutgoingMail.objects.get(reference=f"advisory.booking:{booking.pk}")
    assert row.template == "advisory_booking_confirmed" and booking.token in row.body_text
    deliver_queued_mail()
    message = mailoutbox[0]
    assert message.subject.startswith("Terminbestätigung")
    assert message.alternatives and "text/html" in message.alternatives[0][1]
    filename, content, mimetype = message.attachments[0]
    assert filename == "termin.ics" and mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.slot.starts_at
    assert event.decoded("dtend") == booking.slot.ends_at
    assert booking.token in str(event.get("description"))


def test_public_page_books_without_javascript(client, day):
    slot = day.slots.get(number=2)
    response = client.post(reverse("advisory:day_public", args=[day.pk]), _form(slot=slot.pk))
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "advisory:booking_manage", args=[booking.token]
    )
    assert booking.slot == slot and booking.consented_at and "Einwilligung" not in booking.consent_wording[:0]


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"description": "x" * 100_000}, "höchstens 2000 Zeichen"),
        ({"consent": ""}, "Einwilligung"),
        ({"name": ""}, "erforderlich"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(client, day, data, message):
    response = client.post(reverse("advisory:day_public", args=[day.pk]), _form(slot=day.slots.first().pk, **data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Booking.objects.exists() and not OutgoingMail.objects.exists()


def test_service_rejects_overlong_description_and_bad_email(day):
    with pytest.raises(services.BookingError, match="höchstens 2000"):
        book(day, description="x" * 100_000)
    with pytest.raises(services.BookingError, match="E-Mail"):
        book(day, email="a@b")
    assert not Booking.objects.exists()


def test_slot_taken_in_between(client, day):
    slot = day.slots.first()
    book(day, slot=slot, email="first@example.org")
    with pytest.raises(services.BookingError) as error:
        book(day, slot=slot, email="second@example.org")
    assert error.value.code == "taken"
    response = client.post(
        reverse("advisory:day_public", args=[day.pk]), _form(slot=slot.pk, email="third@example.org")
    )
    assert response.status_code == 400 and "nicht mehr frei" in response.content.decode()
    assert Booking.objects.count() == 1


def test_past_and_full_and_cancelled_days(expert):
    past = make_day(expert, days_ahead=-1)
    with pytest.raises(services.BookingError, match="Vergangenheit"):
        book(past)
    full = make_day(expert, count=1)
    book(full, email="a@example.org")
    with pytest.raises(services.BookingError) as error:
        book(full, email="b@example.org")
    assert error.value.code == "full"
    cancelled = make_day(expert, days_ahead=20)
    services.day_cancel(day=cancelled)
    with pytest.raises(services.BookingError, match="abgesagt"):
        book(cancelled)
    assert Booking.objects.count() == 1


def test_a_full_day_points_to_the_next_days_of_its_series_with_a_free_place(client, expert):
    full = make_day(expert, days_ahead=3, count=1)
    book(full, email="a@example.org")
    later = make_day(expert, days_ahead=9, count=2)
    sooner = make_day(expert, days_ahead=5, count=3)
    book(sooner, email="b@example.org")
    also_full = make_day(expert, days_ahead=7, count=1)
    book(also_full, email="c@example.org")
    other_series = make_day(expert, days_ahead=6, kind=ConsultationSeries.Kind.CE)
    past = make_day(expert, days_ahead=-2)

    html = client.get(reverse("advisory:day_public", args=[full.pk])).content.decode()

    assert "Freie Termine an anderen Tagen" in html and "Ausgebucht – Warteliste" in html
    links = [reverse("advisory:day_public", args=[day.pk]) for day in (sooner, later)]
    assert html.index(links[0]) < html.index(links[1]) < html.index("Auf die Warteliste")
    for day in (also_full, other_series, past):
        assert reverse("advisory:day_public", args=[day.pk]) not in html


def test_a_full_days_other_days_disappear_once_they_are_booked_up_too(client, expert):
    full = make_day(expert, days_ahead=3, count=1)
    book(full, email="a@example.org")
    other = make_day(expert, days_ahead=5, count=1)
    assert (
        reverse("advisory:day_public", args=[other.pk])
        in client.get(reverse("advisory:day_public", args=[full.pk])).content.decode()
    )
    book(other, email="b@example.org")
    html = client.get(reverse("advisory:day_public", args=[full.pk])).content.decode()
    assert "Freie Termine an anderen Tagen" not in html and "Auf die Warteliste" in html


def test_a_day_with_free_slots_shows_no_other_days(client, expert):
    day = make_day(expert, days_ahead=3, count=2)
    make_day(expert, days_ahead=5, count=2)
    assert (
        "Freie Termine an anderen Tagen"
        not in client.get(reverse("advisory:day_public", args=[day.pk])).content.decode()
    )


def test_group_day_books_seats_up_to_capacity(expert):
    ce_day = make_day(expert, kind="ce", fmt="group", count=4, minutes=120)
    bookings = [book(ce_day, email=f"p{i}@example.org") for i in range(4)]
    assert len({b.slot_id for b in bookings}) == 4
    assert {b.slot.starts_at for b in bookings} == {ce_day.starts_at}
    with pytest.raises(services.BookingError):
        book(ce_day, email="p5@example.org")


def test_limit_of_future_bookings_per_person_and_series(expert, day):
    other_day = make_day(expert, days_ahead=20)
    book(day, email="same@example.org")
    with pytest.raises(services.BookingError) as error:
        book(other_day, email="SAME@example.org")
    assert error.value.code == "limit"
    ce_day = make_day(expert, kind="ce", fmt="group", count=2)
    book(ce_day, email="same@example.org")  # another series: allowed
    day.series.booking_limit = 2
    day.series.save()
    book(other_day, email="same@example.org")


def test_cancel_link_cannot_be_reused_and_expires(client, day, expert):
    booking = book(day)
    url = reverse("advisory:booking_cancel", args=[booking.token])
    response = client.post(url, follow=True)
    assert "storniert" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert OutgoingMail.objects.filter(template="advisory_booking_cancelled").count() == 1
    response = client.post(url, follow=True)
    assert "nicht erneut verwendet" in response.content.decode()
    assert OutgoingMail.objects.filter(template="advisory_booking_cancelled").count() == 1
    # a booking whose day is over: the link has expired
    old = book(make_day(expert, days_ahead=0.01), email="old@example.org")
    ConsultationDay.objects.filter(pk=old.day_id).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.post(reverse("advisory:booking_cancel", args=[old.token]), follow=True)
    assert "abgelaufen" in response.content.decode()
    old.refresh_from_db()
    assert old.status == Booking.Status.CONFIRMED
    assert client.get(reverse("advisory:booking_manage", args=["falsch"])).status_code == 404


def test_move_booking_and_offer_freed_slot(client, day, expert):
    day2 = make_day(expert, days_ahead=15)
    booking = book(day, slot=day.slots.get(number=1))
    target = day2.slots.get(number=3)
    response = client.post(reverse("advisory:booking_move", args=[booking.token]), {"slot": target.pk})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot == target and booking.day == day2
    assert OutgoingMail.objects.filter(reference=f"advisory.booking:{booking.pk}").count() == 2
    # the old slot is free again
    assert book(day, slot=day.slots.get(number=1), email="x@example.org")


def test_waiting_list_offer_accept_and_expiry(expert):
    full = make_day(expert, count=1)
    first = book(full, email="first@example.org")
    with pytest.raises(services.BookingError) as error:
        services.waitlist_join(day_id=full.pk, name="Nele Nächste", email="first-waiting@example.org", consent=False)
    assert error.value.code == "consent"
    a = services.waitlist_join(day_id=full.pk, name="Anna A", email="a@example.org", consent=True)
    b = services.waitlist_join(day_id=full.pk, name="Bert B", email="b@example.org", consent=True)
    with pytest.raises(services.BookingError, match="bereits auf der Warteliste"):
        services.waitlist_join(day_id=full.pk, name="Anna A", email="A@example.org", consent=True)
    services.booking_cancel(token=first.token)
    a.refresh_from_db()
    assert a.status == WaitlistEntry.Status.OFFERED and a.booking.status == Booking.Status.OFFERED
    offer_mail = OutgoingMail.objects.get(template="advisory_waitlist_offer")
    assert offer_mail.to_email == "a@example.org" and a.booking.token in offer_mail.body_text
    # nobody else can take the held slot
    with pytest.raises(services.BookingError):
        book(full, email="c@example.org")
    # the deadline passes: the slot goes to the next person
    Booking.objects.filter(pk=a.booking.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    assert services.offers_expire() == 1
    with pytest.raises(services.BookingError, match="Frist"):
        services.offer_accept(token=a.booking.token)
    b.refresh_from_db()
    assert b.status == WaitlistEntry.Status.OFFERED
    accepted = services.offer_accept(token=b.booking.token)
    assert accepted.status == Booking.Status.CONFIRMED
    with pytest.raises(services.BookingError):
        services.offer_accept(token=b.booking.token)


def test_staff_cancel_day_tells_everyone_and_offers_next_days(expert):
    day = make_day(expert, count=1)
    next_day = make_day(expert, days_ahead=30)
    booked = book(day, email="booked@example.org")
    services.waitlist_join(day_id=day.pk, name="W", email="waiting@example.org", consent=True)
    assert services.day_cancel(day=day) == 2
    booked.refresh_from_db()
    assert booked.status == Booking.Status.CANCELLED
    mails = OutgoingMail.objects.filter(template="advisory_day_cancelled")
    assert {m.to_email for m in mails} == {"booked@example.org", "waiting@example.org"}
    assert all(next_day.get_absolute_url() in m.body_text for m in mails)


def test_reminder_two_days_before_once(expert):
    soon = make_day(expert, days_ahead=1.5)
    later = make_day(expert, days_ahead=5, kind="ce", fmt="group", count=2)
    book(soon)
    book(later)
    assert services.reminders_send() == 1
    assert services.reminders_send() == 0
    reminder = OutgoingMail.objects.get(template="advisory_booking_reminder")
    assert reminder.attachments[0]["filename"] == "termin.ics"


def test_confidential_description_is_erased_after_the_configured_time(expert, client):
    day = make_day(expert, count=2)
    booking = book(day, description="Geheime Erfindung")
    assert (
        "Geheime Erfindung" not in client.get(reverse("advisory:booking_manage", args=[booking.token])).content.decode()
    )
    assert services.descriptions_erase() == 0
    ConsultationDay.objects.filter(pk=day.pk).update(starts_at=timezone.now() - datetime.timedelta(days=31))
    assert services.descriptions_erase() == 1
    booking.refresh_from_db()
    assert booking.description == "" and booking.description_erased_at


def test_attendance_marking(expert, day):
    booking = book(day)
    with pytest.raises(services.BookingError, match="erst am Sprechtag"):
        services.booking_set_attendance(booking=booking, attendance="attended")
    ConsultationDay.objects.filter(pk=day.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=2))
    booking.slot.starts_at = timezone.now() - datetime.timedelta(hours=2)
    booking.slot.save()
    services.booking_set_attendance(booking=booking, attendance="no_show")
    booking.refresh_from_db()
    assert booking.attendance == Booking.Attendance.NO_SHOW

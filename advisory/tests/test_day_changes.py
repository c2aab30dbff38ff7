"""Consultation days as staff run them (issue 19, item 11): move or edit a whole day with notices to
everyone booked, create recurring days in one go, and an expert's private calendar feed."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from advisory import selectors, services
from advisory.models import Booking, ConsultationDay
from advisory.recurrence import recurrence_dates
from advisory.services import BookingError
from advisory.tests.factories import book, make_day, series
from core.models import OutgoingMail
from core.roles import Role
from testing.factories import UserFactory
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db


def _ics_mailed_to(mailoutbox, to: str) -> list[icalendar.Calendar]:
    deliver_queued_mail()
    return [
        icalendar.Calendar.from_ical(content)
        for message in mailoutbox
        if message.to == [to]
        for filename, content, _mimetype in message.attachments
        if filename.endswith(".ics")
    ]


def _move(day, *, by=datetime.timedelta(days=1), **changes):
    values = {"starts_at": day.starts_at + by, "expert": day.expert, "place": day.place,
              "online_url": day.online_url, "note": day.note, **changes}  # fmt: skip
    return services.day_update(day=day, **values)


# --- move or edit a whole day ------------------------------------------------------------------------


def test_everyone_booked_gets_an_updated_calendar_entry_when_staff_move_the_day(expert, mailoutbox):
    day = make_day(expert, count=3)
    first = book(day, email="bea@example.org", slot=day.slots.get(number=1))
    second = book(day, email="ben@example.org", slot=day.slots.get(number=3))
    old_slot_start = second.slot.starts_at

    change = _move(day, by=datetime.timedelta(days=7, hours=1), message="Der Raum ist belegt.")

    assert change.moved and change.notified == 2
    second.refresh_from_db()
    assert second.slot.starts_at == old_slot_start + datetime.timedelta(days=7, hours=1)  # keeps its place
    for booking in (first, second):
        confirmation, update = _ics_mailed_to(mailoutbox, booking.email)
        old, new = confirmation.walk("VEVENT")[0], update.walk("VEVENT")[0]
        assert str(update["method"]) == "REQUEST"
        assert str(new["uid"]) == str(old["uid"])  # the same calendar entry …
        assert int(new["sequence"]) > int(old["sequence"])  # … replaced, not duplicated
        booking.refresh_from_db()
        assert new.decoded("dtstart") == booking.slot.starts_at
    mail = OutgoingMail.objects.get(to_email="bea@example.org", template="advisory_day_changed")
    assert (
        "Der Raum ist belegt." in mail.body_text
        and reverse("advisory:booking_manage", args=[first.token]) in mail.body_text
    )


def test_people_waiting_hear_of_the_move_without_a_calendar_file(expert, mailoutbox):
    day = make_day(expert, count=1)
    book(day, email="bea@example.org")
    entry = services.waitlist_join(day_id=day.pk, name="Wanda", email="wanda@example.org", consent=True)

    _move(day)

    mail = OutgoingMail.objects.get(to_email="wanda@example.org", template="advisory_day_changed")
    assert reverse("advisory:waitlist_manage", args=[entry.token]) in mail.body_text
    assert _ics_mailed_to(mailoutbox, "wanda@example.org") == []


def test_a_moved_day_is_reminded_again_at_its_new_date(expert):
    day = make_day(expert, days_ahead=1, count=2)
    booking = book(day)
    assert services.reminders_send() == 1
    _move(day, by=datetime.timedelta(days=5))
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None
    assert services.reminders_send(now=timezone.now() + datetime.timedelta(days=4, hours=12)) == 1


def test_a_new_note_alone_mails_nobody(expert):
    day = make_day(expert, count=2)
    book(day)
    change = _move(day, by=datetime.timedelta(0), note="Bitte Unterlagen mitbringen")
    assert change.notified == 0
    assert not OutgoingMail.objects.filter(template="advisory_day_changed").exists()
    day.refresh_from_db()
    assert day.note == "Bitte Unterlagen mitbringen"


def test_a_new_place_is_told_to_everyone_booked(expert):
    day = make_day(expert, count=2)
    book(day, email="bea@example.org")
    change = _move(day, by=datetime.timedelta(0), place="IHK, Saal 2")
    assert change.relocated and change.notified == 1
    assert "IHK, Saal 2" in OutgoingMail.objects.get(template="advisory_day_changed").body_text


@pytest.mark.parametrize("state", ["cancelled", "past"])
def test_a_cancelled_or_past_day_cannot_be_moved(expert, state):
    day = make_day(expert, days_ahead=-1 if state == "past" else 5)
    if state == "cancelled":
        services.day_cancel(day=day)
    with pytest.raises(BookingError):
        _move(day)


def test_a_day_cannot_be_moved_into_the_past(expert):
    day = make_day(expert)
    with pytest.raises(BookingError) as refused:
        _move(day, by=-datetime.timedelta(days=20))
    assert refused.value.field == "date"
    day.refresh_from_db()
    assert day.starts_at > timezone.now()


def test_staff_move_a_day_with_the_form_and_see_how_many_were_told(login, staff, expert):
    day = make_day(expert, count=2)
    book(day)
    new = timezone.localtime(day.starts_at) + datetime.timedelta(days=2)
    page = login(staff).get(reverse("advisory:day_edit", args=[day.pk]))
    assert "erhält 1 gebuchte oder wartende Person eine E-Mail" in page.content.decode()
    response = login(staff).post(
        reverse("advisory:day_edit", args=[day.pk]),
        {"date": new.date().isoformat(), "time": new.strftime("%H:%M"), "expert": expert.pk, "place": day.place,
         "online_url": "", "note": "", "message": ""},
        follow=True,
    )  # fmt: skip
    assert "1 Person wird benachrichtigt" in response.content.decode()
    day.refresh_from_db()
    assert timezone.localtime(day.starts_at) == new


# --- recurring days ----------------------------------------------------------------------------------


def test_every_second_tuesday_means_every_other_week():
    assert recurrence_dates(datetime.date(2026, 3, 10), "weekly-2", 4) == [
        datetime.date(2026, 3, 10), datetime.date(2026, 3, 24), datetime.date(2026, 4, 7), datetime.date(2026, 4, 21),
    ]  # fmt: skip


def test_the_second_tuesday_of_each_month():
    dates = recurrence_dates(datetime.date(2026, 3, 10), "monthly", 4)
    assert dates == [datetime.date(2026, 3, 10), datetime.date(2026, 4, 14), datetime.date(2026, 5, 12),
                     datetime.date(2026, 6, 9)]  # fmt: skip
    assert all(day.weekday() == 1 and 8 <= day.day <= 14 for day in dates)


def test_a_fifth_weekday_repeats_as_the_last_of_each_month():
    assert recurrence_dates(datetime.date(2026, 3, 31), "monthly", 3) == [
        datetime.date(2026, 3, 31), datetime.date(2026, 4, 28), datetime.date(2026, 5, 26),
    ]  # fmt: skip


def test_skipped_dates_do_not_count():
    dates = recurrence_dates(datetime.date(2026, 12, 15), "weekly-1", 3, skip=[datetime.date(2026, 12, 29)])
    assert dates == [datetime.date(2026, 12, 15), datetime.date(2026, 12, 22), datetime.date(2027, 1, 5)]


def test_a_series_keeps_its_local_time_across_the_change_to_summer_time(staff, expert):
    first = timezone.localdate() + datetime.timedelta(days=7)
    days = services.day_series_create(
        series=series(), first_date=first, time=datetime.time(14, 0), rule="weekly-2", count=20, expert=expert,
        place="IHK", slot_count=2,
    )  # fmt: skip
    assert len(days) == 20
    assert [timezone.localtime(d.starts_at).date() for d in days] == [
        first + datetime.timedelta(weeks=2 * n) for n in range(20)
    ]
    assert {timezone.localtime(d.starts_at).time() for d in days} == {datetime.time(14, 0)}
    assert all(d.slots.count() == 2 for d in days)


def test_a_series_starting_in_the_past_creates_nothing(expert):
    with pytest.raises(BookingError):
        services.day_series_create(
            series=series(), first_date=timezone.localdate() - datetime.timedelta(days=7), time=datetime.time(9),
            rule="weekly-2", count=5, expert=expert, place="IHK",
        )  # fmt: skip
    assert not ConsultationDay.objects.exists()


def test_staff_preview_the_dates_then_create_every_second_tuesday(login, staff, expert):
    today = timezone.localdate()
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)  # a Tuesday at least a week ahead
    data = {"series": series().pk, "date": first.isoformat(), "time": "14:00", "rhythm": "weekly-2", "count": 5,
            "skip": "", "expert": expert.pk, "place": "IHK, Raum 1", "online_url": "", "format": "slots",
            "slot_minutes": 30, "slot_count": 3, "note": ""}  # fmt: skip
    client = login(staff)
    preview = client.post(reverse("advisory:day_series_create"), {**data, "action": "preview"})
    assert preview.status_code == 200 and not ConsultationDay.objects.exists()
    assert (first + datetime.timedelta(weeks=8)).strftime("%d.%m.%Y") in preview.content.decode()

    response = client.post(reverse("advisory:day_series_create"), {**data, "action": "create"}, follow=True)
    assert "5 Sprechtage sind angelegt." in response.content.decode()
    dates = [timezone.localtime(d.starts_at).date() for d in ConsultationDay.objects.order_by("starts_at")]
    assert dates == [first + datetime.timedelta(weeks=2 * n) for n in range(5)]
    assert {d.weekday() for d in dates} == {1}


def test_a_series_form_with_a_broken_date_to_skip_says_which(login, staff, expert):
    response = login(staff).post(
        reverse("advisory:day_series_create"),
        {"series": series().pk, "date": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
         "time": "14:00", "rhythm": "weekly-1", "count": 3, "skip": "24.12.2026\n31.13.2026", "expert": expert.pk,
         "place": "IHK", "format": "slots", "slot_minutes": 30, "slot_count": 3, "action": "create"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "„31.13.2026“ ist kein Datum" in response.content.decode()
    assert not ConsultationDay.objects.exists()


# --- the expert's calendar feed ---------------------------------------------------------------------


def _feed(client, calendar) -> icalendar.Calendar:
    response = client.get(calendar.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    return icalendar.Calendar.from_ical(response.content)


def test_the_experts_feed_lists_only_their_own_days(client, expert):
    other = UserFactory(email="anderer@example.org", full_name="Otto Anders", roles=[Role.EXPERT])
    mine = [make_day(expert, days_ahead=5), make_day(expert, days_ahead=12)]
    theirs = make_day(other, days_ahead=6)
    calendar = services.expert_calendar_reset(expert=expert)

    events = _feed(client, calendar).walk("VEVENT")

    assert sorted(str(e["uid"]).split("@")[0] for e in events) == sorted(f"advisory-day-{d.pk}" for d in mine)
    assert f"advisory-day-{theirs.pk}@" not in _feed(client, calendar).to_ical().decode()


def test_the_feed_names_nobody_who_booked(client, expert):
    day = make_day(expert, count=3)
    book(day, name="Bea Besucher", email="bea@example.org", description="Geheime Erfindung")
    text = _feed(client, services.expert_calendar_reset(expert=expert)).to_ical().decode()
    assert "1 von 3 Plätzen gebucht" in text.replace("\r\n ", "")
    assert "Bea" not in text and "bea@example.org" not in text and "Geheime" not in text


def test_a_moved_or_cancelled_day_updates_the_feed_entry(client, expert):
    day = make_day(expert)
    calendar = services.expert_calendar_reset(expert=expert)
    before = _feed(client, calendar).walk("VEVENT")[0]
    _move(day)
    moved = _feed(client, calendar).walk("VEVENT")[0]
    services.day_cancel(day=ConsultationDay.objects.get(pk=day.pk))
    cancelled = _feed(client, calendar).walk("VEVENT")[0]
    assert int(before["sequence"]) < int(moved["sequence"]) < int(cancelled["sequence"])
    assert moved.decoded("dtstart") == before.decoded("dtstart") + datetime.timedelta(days=1)
    assert str(cancelled["status"]) == "CANCELLED"


def test_a_reset_feed_address_stops_the_old_one(client, login, expert):
    old = services.expert_calendar_reset(expert=expert).get_absolute_url()
    response = login(expert).post(reverse("advisory:expert_feed_reset"), follow=True)
    assert "funktioniert nicht mehr" in response.content.decode()
    new = selectors.expert_calendar(expert).get_absolute_url()
    client.logout()
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_the_experts_schedule_shows_their_feed_address(login, expert):
    page = login(expert).get(reverse("advisory:expert_schedule")).content.decode()
    assert "Kalender-Adresse einrichten" in page
    calendar = services.expert_calendar_reset(expert=expert)
    page = login(expert).get(reverse("advisory:expert_schedule")).content.decode()
    assert f"http://testserver{calendar.get_absolute_url()}" in page


def test_a_former_experts_feed_address_stops_working(client, expert):
    calendar = services.expert_calendar_reset(expert=expert)
    expert.role_assignments.all().delete()
    assert client.get(calendar.get_absolute_url()).status_code == 404


def test_staff_cannot_set_up_an_expert_feed_for_themselves(staff):
    with pytest.raises(BookingError):
        services.expert_calendar_reset(expert=staff)


def test_booking_status_stays_on_the_moved_slot(expert):
    day = make_day(expert, count=2)
    booking = book(day)
    _move(day)
    assert Booking.objects.get(pk=booking.pk).slot_id == booking.slot_id

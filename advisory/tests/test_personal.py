"""What advisory gives the personal area, the public home page and the staff start page (issue 19,
items 3, 4 and 10), tested through core's registries."""

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from advisory import services
from advisory.models import Booking, ConsultationDay, Slot
from advisory.tests.factories import ConsultationFactory, book, make_day
from core.personal import personal_sections_for
from core.startpage import home_blocks_for, start_blocks_for

pytestmark = pytest.mark.django_db


def _section(email: str):
    return next(items for section, items in personal_sections_for(email) if section.key == "advisory")


def _actions(item) -> dict[str, object]:
    return {action.label: action for action in item.actions}


def test_a_booking_shows_in_the_personal_area_with_cancel_move_and_calendar(expert):
    day = make_day(expert, count=3)
    booking = book(day, email="bea@example.org")
    (item,) = _section("BEA@example.org ")
    assert item.title == day.series.name and item.status == "gebucht" and item.when == booking.slot.starts_at
    assert item.url == reverse("advisory:booking_manage", args=[booking.token])
    actions = _actions(item)
    assert actions["Buchung stornieren"].method == "post"
    assert actions["Buchung stornieren"].url == reverse("advisory:booking_cancel", args=[booking.token])
    assert actions["Kalenderdatei (.ics)"].download
    assert actions["Termin verschieben"].url.endswith("#verschieben")


def test_the_cancel_action_of_the_personal_area_cancels_the_booking(client, expert):
    booking = book(make_day(expert), email="bea@example.org")
    cancel = _actions(_section("bea@example.org")[0])["Buchung stornieren"]
    client.post(cancel.url)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    (item,) = _section("bea@example.org")
    assert item.status == "storniert" and "Buchung stornieren" not in _actions(item)


def test_a_waiting_list_place_shows_its_position_and_a_way_off_the_list(client, expert):
    day = make_day(expert, count=1)
    book(day)
    services.waitlist_join(day_id=day.pk, name="Erste", email="erste@example.org", consent=True)
    services.waitlist_join(day_id=day.pk, name="Zweite", email="zweite@example.org", consent=True)
    (item,) = _section("zweite@example.org")
    assert item.status == "Warteliste, Platz 2"
    leave = _actions(item)["Von der Warteliste austragen"]
    assert leave.method == "post"
    client.post(leave.url)
    assert _section("zweite@example.org") == []
    assert _section("erste@example.org")[0].status == "Warteliste, Platz 1"


def test_an_offered_place_can_be_accepted_from_the_personal_area(client, expert):
    day = make_day(expert, count=1)
    first = book(day, email="bea@example.org")
    services.waitlist_join(day_id=day.pk, name="Wanda", email="wanda@example.org", consent=True)
    services.booking_cancel(token=first.token)
    (item,) = _section("wanda@example.org")
    assert item.status.startswith("Platz frei geworden")
    client.post(_actions(item)["Termin annehmen"].url)
    assert _section("wanda@example.org")[0].status == "gebucht"


def test_a_booking_of_a_past_day_offers_no_cancel(expert):
    booking = book(make_day(expert), email="bea@example.org")
    past = timezone.now() - datetime.timedelta(days=2)
    ConsultationDay.objects.filter(pk=booking.day_id).update(starts_at=past)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=past, ends_at=past + datetime.timedelta(minutes=30))
    (item,) = _section("bea@example.org")
    assert set(_actions(item)) == {"Kalenderdatei (.ics)"}


def test_nobody_elses_bookings_show(expert):
    book(make_day(expert), email="bea@example.org")
    assert _section("ben@example.org") == []


def test_the_personal_section_reads_in_two_queries(expert, django_assert_num_queries):
    for n, kind in enumerate(["inventor", "ce", "funding"]):
        day = make_day(expert, days_ahead=5 + n, count=2, kind=kind)
        book(day, email="bea@example.org")
    full = make_day(expert, days_ahead=20, count=1, kind="other")
    book(full)
    services.waitlist_join(day_id=full.pk, name="Bea", email="bea@example.org", consent=True)
    from advisory.personal import consultation_days

    with django_assert_num_queries(2):
        items = consultation_days("bea@example.org")
    assert len(items) == 4


# --- the public home page and the staff start page -----------------------------------------------


def _home_html() -> str:
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    return "".join(home_blocks_for(request))


def _start_html(user) -> str:
    request = RequestFactory().get("/start/")
    request.user = user
    return "".join(start_blocks_for(request))


def test_the_home_page_offers_the_next_days_with_free_slots_only(expert):
    free = make_day(expert, days_ahead=3, count=3)
    book(free, email="a@example.org")
    full = make_day(expert, days_ahead=2, count=1)
    book(full, email="b@example.org")
    html = _home_html()
    assert reverse("advisory:day_public", args=[free.pk]) in html
    assert "noch 2 Termine frei" in html
    assert reverse("advisory:day_public", args=[full.pk]) not in html


def test_a_cancelled_booking_frees_its_slot_on_the_home_page_at_once(expert):
    day = make_day(expert, days_ahead=4, count=2)
    first, second = book(day, email="a@example.org"), book(day, email="b@example.org")
    assert reverse("advisory:day_public", args=[day.pk]) not in _home_html()
    services.booking_cancel(token=first.token)
    html = _home_html()
    assert reverse("advisory:day_public", args=[day.pk]) in html and "noch 1 Termin frei" in html
    services.booking_cancel(token=second.token)
    assert "noch 2 Termine frei" in _home_html()


def test_the_home_page_lists_the_first_four_days_with_a_free_slot_in_date_order(expert):
    free = [make_day(expert, days_ahead=ahead, count=2) for ahead in (5, 2, 9, 7, 11)]
    full = make_day(expert, days_ahead=3, count=1)
    book(full, email="b@example.org")
    html = _home_html()
    links = [reverse("advisory:day_public", args=[day.pk]) for day in sorted(free, key=lambda d: d.starts_at)]
    assert [html.index(link) for link in links[:4]] == sorted(html.index(link) for link in links[:4])
    assert links[4] not in html and reverse("advisory:day_public", args=[full.pk]) not in html


def test_the_home_block_is_hidden_without_free_days(expert):
    book(make_day(expert, count=1))
    assert "Sprechtage mit freien Terminen" not in _home_html()


def test_staff_see_todays_days_with_their_numbers(staff, expert):
    day = make_day(expert, days_ahead=3, count=3)
    book(day, email="a@example.org")
    book(day, email="b@example.org")
    early_today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(0, 1)))
    ConsultationDay.objects.filter(pk=day.pk).update(starts_at=early_today)  # today, whatever the hour
    html = _start_html(staff)
    assert "Sprechtage heute" in html and "2 von 3 Plätzen gebucht" in html
    assert reverse("advisory:day_detail", args=[day.pk]) in html


def test_todays_days_are_not_shown_to_experts_or_on_an_empty_day(staff, expert):
    make_day(expert, days_ahead=3)
    assert "Sprechtage heute" not in _start_html(staff)
    assert "Sprechtage heute" not in _start_html(expert)


def test_a_follow_up_is_done_from_the_start_page_and_leaves_it(login, staff):
    talk = ConsultationFactory(adviser=staff, follow_up_on=timezone.localdate())
    assert reverse("advisory:consultation_follow_up_done", args=[talk.pk]) in _start_html(staff)
    response = login(staff).post(
        reverse("advisory:consultation_follow_up_done", args=[talk.pk]), {"next": reverse("core:start")}
    )
    assert response.headers["Location"] == reverse("core:start")
    assert "Keine Wiedervorlagen" in _start_html(staff)

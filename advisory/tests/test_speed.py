"""What the speed work (issue 18) must not change: the day's page, whose empty booking form comes from
``core.fragments``, never offers a slot that is taken, always offers one that came free, shows a moved
day's new times and a cancellation on the very next request; the service stays at its statements."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from advisory import services
from advisory.models import ConsultationDay
from advisory.tests.factories import book, make_day
from core.fragments import fragments_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_fragments():
    fragments_clear()
    yield
    fragments_clear()


def _offered(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'name="b-slot" value="(\d+)"', page)}


def _times(page: str) -> list[str]:
    return re.findall(r"\d\d:\d\d–\d\d:\d\d", page)


def test_a_taken_slot_leaves_the_page_and_a_freed_one_comes_back_on_the_next_request(client, expert):
    day = make_day(expert, count=3)
    url = reverse("advisory:day_public", args=[day.pk])
    slots = {slot.number: slot.pk for slot in day.slots.all()}
    assert _offered(client.get(url).content.decode()) == set(slots.values())

    booking = book(day, slot=day.slots.get(number=2), email="bea@example.org")
    assert _offered(client.get(url).content.decode()) == {slots[1], slots[3]}

    services.booking_cancel(token=booking.token)
    assert _offered(client.get(url).content.decode()) == set(slots.values())

    book(day, slot=day.slots.get(number=1), email="a@example.org")
    book(day, slot=day.slots.get(number=2), email="b@example.org")
    book(day, slot=day.slots.get(number=3), email="c@example.org")
    page = client.get(url).content.decode()
    assert not _offered(page) and 'name="w-email"' in page and "Warteliste" in page


def test_a_moved_day_shows_its_new_times_and_a_cancelled_day_no_form(client, expert, staff):
    day = make_day(expert, count=2, minutes=30)
    url = reverse("advisory:day_public", args=[day.pk])
    before = _times(client.get(url).content.decode())
    assert len(before) == 2

    services.day_update(day=day, starts_at=day.starts_at + datetime.timedelta(hours=2), expert=expert, place=day.place)
    after = _times(client.get(url).content.decode())
    first = timezone.localtime(day.starts_at + datetime.timedelta(hours=2))
    assert after[0].startswith(f"{first:%H:%M}") and after != before

    services.day_cancel(day=ConsultationDay.objects.get(pk=day.pk))
    page = client.get(url).content.decode()
    assert "abgesagt" in page and not _offered(page)


def test_the_empty_form_follows_the_language(client, expert):
    day = make_day(expert, count=2)
    url = reverse("advisory:day_public", args=[day.pk])
    assert "E-Mail-Adresse" in client.get(url).content.decode()
    client.cookies["kammerwerk_language"] = "en"
    assert "E-Mail-Adresse" not in client.get(url).content.decode()


@pytest.mark.postgres  # the day's lock is a SELECT … FOR UPDATE there; SQLite locks the whole database
def test_booking_takes_the_day_lock_for_five_statements(expert):
    """Person lock, then the day locked and read with its series, the limit, the slot with whether it
    is held, the insert (plus the webhooks' own read); the confirmation follows after the commit."""
    day = make_day(expert, count=3)
    slot = day.slots.get(number=1)
    with CaptureQueriesContext(connection) as ctx:
        book(day, slot=slot, email="bea@example.org")
    statements = [query["sql"] for query in ctx.captured_queries]
    locked = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    assert '"advisory_consultationseries"' in statements[locked]  # day and series in one statement
    inserted = next(i for i, sql in enumerate(statements) if sql.startswith('INSERT INTO "advisory_booking"'))
    assert inserted - locked == 3  # limit, slot; no savepoint, no re-read of the day
    assert not any("SAVEPOINT" in sql for sql in statements[locked:inserted])

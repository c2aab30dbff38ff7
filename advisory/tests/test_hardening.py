"""What the outside review found in the advisory module (issue 12), each named after what a user or
an attacker noticed."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from advisory import selectors
from advisory.models import Consultation, Topic
from advisory.tests.factories import ConsultationFactory, book, make_day

pytestmark = pytest.mark.django_db


def _csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_follow_up_done_does_not_send_staff_to_another_site(login, staff):
    talk = ConsultationFactory(adviser=staff, follow_up_on=datetime.date.today())
    client = login(staff)
    url = reverse("advisory:consultation_follow_up_done", args=[talk.pk])
    for hostile in ("https://evil.example/phish", "//evil.example/phish", "/\\evil.example"):
        response = client.post(url, {"next": hostile})
        assert response.status_code == 302 and response["Location"] == reverse("core:start"), hostile
    response = client.post(url, {"next": "/beratung/?jahr=2026"})
    assert response["Location"] == "/beratung/?jahr=2026"


def test_the_talks_list_pages_by_50_newest_first_keeping_the_filters_and_the_export_has_every_talk(login, staff):
    size = selectors.CONSULTATION_PAGE_SIZE
    total = size + 7
    start = datetime.date(2025, 1, 1)
    talks = Consultation.objects.bulk_create(
        Consultation(adviser=staff, contact_name=f"Kunde {n}", date=start + datetime.timedelta(days=n))
        for n in range(total)
    )  # "Kunde 56" is the newest
    Consultation.objects.create(adviser=staff, contact_name="Kunde aus 2024", date=datetime.date(2024, 12, 31))
    ce = Topic.objects.get(slug="ce-kennzeichnung")
    Consultation.topics.through.objects.bulk_create(
        Consultation.topics.through(consultation_id=talk.pk, topic_id=ce.pk) for talk in talks
    )
    client = login(staff)
    url = reverse("advisory:consultation_list")
    first = client.get(url, {"year": 2025}).content.decode()
    shown = re.findall(r'<a href="/beratung/gespraeche/\d+/">(Kunde [^<]+)</a>', first)
    assert shown == [f"Kunde {n}" for n in range(total - 1, total - 1 - size, -1)]  # the newest 50, newest first
    assert f"{total} Gespräche, Seite 1 von 2" in first
    assert 'href="?year=2025&amp;seite=2" rel="next"' in first  # the next page keeps the filter
    assert 'href="?year=2025&amp;format=csv"' in first  # so does the export
    second = client.get(url, {"year": 2025, "seite": 2}).content.decode()
    shown = re.findall(r'<a href="/beratung/gespraeche/\d+/">(Kunde [^<]+)</a>', second)
    assert shown[0] == f"Kunde {total - 1 - size}"  # the 51st-newest talk opens page 2
    assert shown == [f"Kunde {n}" for n in range(total - 1 - size, -1, -1)] and "Kunde aus 2024" not in second
    assert "Seite 2 von 2" in second and 'href="?year=2025&amp;seite=1" rel="prev"' in second
    response = client.get(url, {"year": 2025, "seite": 2, "format": "csv"})
    assert response.streaming
    rows = _csv_rows(response)
    assert len(rows) == total + 1  # header and every talk of the filter, whatever the page
    assert {row[3] for row in rows[1:]} == {f"Kunde {n}" for n in range(total)}
    assert all(row[6] == str(ce) for row in rows[1:])


def test_consultation_list_of_one_page_shows_no_page_links(login, staff):
    ConsultationFactory(adviser=staff, date=datetime.date(2025, 3, 1))
    page = login(staff).get(reverse("advisory:consultation_list"), {"year": 2025}).content.decode()
    assert "1 Gespräch<" in page and "Seite 1" not in page and 'rel="next"' not in page


def test_bookings_export_streams_every_booking(login, staff, expert):
    day = make_day(expert, count=3)
    for n in range(3):
        book(day, email=f"p{n}@example.org", name=f"Person {n}")
    response = login(staff).get(reverse("advisory:bookings_export"), {"tag": day.pk})
    assert response.streaming
    assert [row[4] for row in _csv_rows(response)[1:]] == ["Person 0", "Person 1", "Person 2"]


def test_booking_pages_opened_by_a_personal_link_are_not_kept_in_shared_caches(client, expert):
    full = make_day(expert, count=1)
    booking = book(full, email="bea@example.org")
    from advisory import services

    entry = services.waitlist_join(day_id=full.pk, name="Wanda Warte", email="wanda@example.org", consent=True)
    for url in (
        reverse("advisory:booking_manage", args=[booking.token]),
        reverse("advisory:booking_ics", args=[booking.token]),
        reverse("advisory:waitlist_manage", args=[entry.token]),
    ):
        response = client.get(url)
        assert response.status_code == 200 and response["Cache-Control"] == "private, no-store", url


@pytest.mark.parametrize("value", ["0", "999999", "²", "２０２０", "-1", "2020x", "9" * 400])
def test_hostile_year_and_id_parameters_show_the_page_not_an_error(login, staff, value):
    client = login(staff)
    assert client.get(reverse("advisory:overview"), {"jahr": value}).status_code == 200
    assert client.get(reverse("advisory:day_list"), {"jahr": value, "reihe": value}).status_code == 200
    export = client.get(reverse("advisory:bookings_export"), {"jahr": value})
    assert export.status_code == 200
    assert client.get(reverse("advisory:bookings_export"), {"tag": value}).status_code == 404

"""The staff participants table (``verwaltung/<pk>/teilnehmende/``): every column a row shows, read in a
fixed number of queries however many registrations the event has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Registration
from events.tests.factories import AudienceFactory, QuestionFactory, RegistrationFactory, event_with_audience

pytestmark = pytest.mark.django_db


def _queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    return len(captured), page


def test_the_table_shows_every_column_in_the_same_queries_for_2_and_12_registrations(login, staff):
    event, audience = event_with_audience()
    partners = AudienceFactory(event=event, name="Partner", partners_only=True)
    first, second = QuestionFactory(event=event, text="Erste Frage"), QuestionFactory(event=event, text="Zweite")
    checked_in = RegistrationFactory(
        audience=audience, last_name="Albers", first_name="Anna", organisation_name="Albers & Co",
        checked_in_at=timezone.now(), status=Registration.Status.CONFIRMED,
    )  # fmt: skip
    checked_in.answers.create(question=second, value="nur die zweite")
    pending = RegistrationFactory(
        audience=partners, last_name="Berg", first_name="Ben", status=Registration.Status.PENDING, partner_proof=""
    )
    pending.answers.create(question=first, value="zur ersten")
    url = reverse("events:staff_participants", args=[event.pk])
    client = login(staff)
    client.get(url)  # warm up (session, content types)
    few, page = _queries(client, url)
    assert '<th scope="row">Albers, Anna</th>' in page and "Albers &amp; Co" in page and "bestätigt ✓" in page
    assert "<td></td><td>nur die zweite</td>" in page  # answers in the questions' order, an empty cell between
    assert "<td>zur ersten</td><td></td>" in page
    assert "Partnernachweis: fehlt – bitte prüfen" in page  # the partners-only audience's proof
    assert f'action="/veranstaltungen/verwaltung/anmeldungen/{pending.pk}/entscheiden/"' in page
    assert "<td>Partner</td>" in page and "2 Anmeldungen" in page
    for n in range(10):
        RegistrationFactory(audience=audience if n % 2 else partners, status=Registration.Status.CONFIRMED)
    many, page = _queries(client, url)
    assert many == few and "12 Anmeldungen" in page

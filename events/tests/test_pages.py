"""Pages: the public calendar and registration, the staff list, export, check-in, privacy, timeline."""

import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.privacy import DataSubject, personal_data_erase, personal_data_export
from core.timeline import timeline_for_organisation
from events.models import Registration
from events.tests.factories import (
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    event_with_audience,
    in_days,
)

pytestmark = pytest.mark.django_db


def test_calendar_filters_and_feed(client):
    webinar = EventFactory(title="KI-Webinar", kind="webinar", mode="online", starts_at=in_days(5))
    meeting = EventFactory(title="Netzwerk vor Ort", starts_at=in_days(40))
    EventFactory(title="Geheimer Entwurf", status="draft")
    page = client.get(reverse("events:calendar")).content.decode()
    assert "KI-Webinar" in page and "Netzwerk vor Ort" in page and "Geheimer Entwurf" not in page
    page = client.get(reverse("events:calendar"), {"art": "webinar"}).content.decode()
    assert "KI-Webinar" in page and "Netzwerk vor Ort" not in page
    page = client.get(reverse("events:calendar"), {"format": "in_person"}).content.decode()
    assert "KI-Webinar" not in page
    month = meeting.starts_at.strftime("%Y-%m")
    page = client.get(reverse("events:calendar"), {"monat": month}).content.decode()
    assert "Netzwerk vor Ort" in page and (webinar.starts_at.strftime("%Y-%m") == month or "KI-Webinar" not in page)
    feed = client.get(reverse("events:feed"), {"art": "webinar"})
    assert feed["Content-Type"].startswith("text/calendar")
    body = feed.content.decode()
    assert "KI-Webinar" in body and "Netzwerk vor Ort" not in body and "meet.example" not in body
    assert client.get(reverse("events:detail", args=["geheimer-entwurf"])).status_code == 404


def test_register_through_the_page_and_cancel(client):
    event, audience = event_with_audience(quota=1, mode="online")
    question = QuestionFactory(event=event, text="Ihre Frage an uns")
    url = reverse("events:detail", args=[event.slug])
    page = client.get(url).content.decode()
    ld = json.loads(re.search(r'application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["@type"] == "Event" and ld["eventStatus"].endswith("EventScheduled")
    assert ld["eventAttendanceMode"].endswith("OnlineEventAttendanceMode") and "meet.example" not in page
    data = {"audience": audience.pk, "first_name": "Anna", "last_name": "Adler", "email": "anna@example.org",
            f"q_{question.pk}": "<script>alert('x')</script>", "join_waiting_list": "on"}  # fmt: skip
    response = client.post(url, data)
    registration = Registration.objects.get()
    assert response.status_code == 302 and response["Location"] == registration.get_manage_url()
    again = client.post(url, data)
    assert again.status_code == 400 and "bereits eine Anmeldung" in again.content.decode()
    assert Registration.objects.count() == 1
    too_long = client.post(url, {**data, "email": "b@example.org", f"q_{question.pk}": "x" * 10_000})
    assert too_long.status_code == 400 and Registration.objects.count() == 1
    manage = client.get(registration.get_manage_url()).content.decode()
    assert "bestätigt" in manage
    client.post(reverse("events:registration_cancel", args=[registration.token]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_full_page_shows_waiting_list_choice(client):
    event, audience = event_with_audience(quota=1)
    RegistrationFactory(audience=audience)
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "ausgebucht" in page
    response = client.post(
        reverse("events:detail", args=[event.slug]),
        {"audience": audience.pk, "first_name": "B", "last_name": "B", "email": "b@example.org"},
    )
    assert response.status_code == 400 and "ausgebucht" in response.content.decode()
    assert Registration.objects.count() == 1


def test_staff_participants_escape_html_and_export(login, staff):
    event, audience = event_with_audience()
    question = QuestionFactory(event=event, text="Anmerkung")
    registration = RegistrationFactory(audience=audience, organisation_name='=HYPERLINK("x")')
    registration.answers.create(question=question, value="<b>fett</b>")
    client = login(staff)
    page = client.get(reverse("events:staff_participants", args=[event.pk])).content.decode()
    assert "&lt;b&gt;fett&lt;/b&gt;" in page and "<b>fett</b>" not in page
    csv_text = client.get(reverse("events:staff_export", args=[event.pk]), {"format": "csv"}).content.decode(
        "utf-8-sig"
    )
    assert "Anmerkung" in csv_text and "<b>fett</b>" in csv_text and "'=HYPERLINK" in csv_text
    xlsx = client.get(reverse("events:staff_export", args=[event.pk]), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Nachname" and rows[1][-1] == "<b>fett</b>"


def test_check_in_by_phone(login, staff):
    event, audience = event_with_audience()
    registration = RegistrationFactory(audience=audience, last_name="Zander")
    client = login(staff)
    page = client.get(reverse("events:staff_checkin", args=[event.pk]), {"q": "zand"}).content.decode()
    assert "Zander" in page and 'name="viewport"' in page
    response = client.post(reverse("events:staff_checkin_toggle", args=[registration.pk]), HTTP_HX_REQUEST="true")
    assert "eingelassen" in response.content.decode()
    registration.refresh_from_db()
    assert registration.checked_in_at


def test_staff_cancel_page(login, staff):
    event, audience = event_with_audience()
    RegistrationFactory(audience=audience)
    client = login(staff)
    url = reverse("events:staff_cancel", args=[event.pk])
    assert client.post(url, {"message": "x"}).status_code == 200  # confirmation box not ticked
    client.post(url, {"message": "Leider.", "confirm": "on"})
    event.refresh_from_db()
    assert event.status == "cancelled" and event.changes.get().notices.count() == 1


def test_staff_create_event_gets_a_default_audience(login, staff):
    client = login(staff)
    response = client.post(
        reverse("events:staff_create"),
        {"title": "Workshop CE", "kind": "workshop", "status": "published", "mode": "online",
         "starts_at": "2030-05-01T10:00", "ends_at": "2030-05-01T12:00", "offer_hours": 48, "rounds": 4,
         "seats_per_table": 1, "min_meetings": 3},
    )  # fmt: skip
    assert response.status_code == 302
    event = EventFactory._meta.model.objects.get(title="Workshop CE")
    assert event.slug == "workshop-ce-2030-05-01" and event.audiences.count() == 1


def test_privacy_export_and_erase(company_a):
    event, audience = event_with_audience()
    question = QuestionFactory(event=event)
    registration = RegistrationFactory(audience=audience, email="anna@example.org", organisation=company_a)
    registration.answers.create(question=question, value="geheim")
    subject = DataSubject(email="Anna@example.org")
    exported = personal_data_export(subject)["events"]
    assert exported[0]["email"] == "anna@example.org" and exported[0]["answers"][0]["answer"] == "geheim"
    assert timeline_for_organisation(company_a)[0].title == event.title
    personal_data_erase(subject)
    registration.refresh_from_db()
    assert registration.first_name == "anonymisiert" and not registration.answers.exists()
    assert personal_data_export(subject)["events"] == []
    assert Registration.objects.count() == 1  # still counted in the figures

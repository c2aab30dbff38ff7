"""The report's pages as staff, the lead and the public use them (without JavaScript, and with htmx)."""

import pytest
from django.utils import timezone

from reports import services
from reports.models import Section, Version
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


@pytest.fixture
def draft(staff):
    report = services.report_create(title=f"Jahresbericht {YEAR}", year=YEAR, by=staff)
    return report.versions.get()


def test_staff_create_a_report_from_last_years_text(login, staff, draft):
    services.section_save(section=draft.sections.get(), title="Kontakte", body="{contacts.organisations}", by=staff)
    client = login(staff)
    form = client.get("/jahresbericht/verwaltung/neu/")
    assert f"Jahresbericht {YEAR - 1}" in form.content.decode()
    response = client.post(
        "/jahresbericht/verwaltung/neu/",
        {"title": "Bericht Folgejahr", "subtitle": "", "year": YEAR + 1, "template": draft.pk},
    )
    version = Version.objects.get(report__title="Bericht Folgejahr")
    assert response.status_code == 302 and response["Location"] == f"/jahresbericht/verwaltung/{version.report_id}/"
    assert [s.body for s in version.sections.all()] == ["{contacts.organisations}"]


def test_a_report_year_in_the_far_future_is_refused_with_a_message(login, staff):
    response = login(staff).post("/jahresbericht/verwaltung/neu/", {"title": "X", "year": YEAR + 5, "template": ""})
    assert response.status_code == 200 and "Das Berichtsjahr darf höchstens" in response.content.decode()
    assert not Version.objects.exists()


def test_staff_preview_a_sentence_without_javascript_and_nothing_is_saved(login, staff, draft):
    OrganisationFactory.create_batch(2)
    section = draft.sections.get()
    url = f"/jahresbericht/verwaltung/abschnitte/{section.pk}/"
    body = "Wir betreuen {contacts.organisations} Organisationen und {advisory.talkz} mehr."
    response = login(staff).post(url, {"title": "Kontakte", "body": body, "aktion": "vorschau"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'Wir betreuen <span class="report-figure" title="Organisationen im Bestand am Jahresende">2</span>' in text
    assert '<mark class="report-error">' in text and "{advisory.talkz}" in text and "Zeile 1" in text
    assert Section.objects.get(pk=section.pk).body == ""


def test_the_live_preview_answers_htmx_with_the_fragment_only(login, staff, draft):
    section = draft.sections.get()
    response = login(staff).post(
        f"/jahresbericht/verwaltung/abschnitte/{section.pk}/vorschau/",
        {"title": "Jahr", "body": "Bericht {jahr}"},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text
    assert f'Bericht <span class="report-figure" title="Berichtsjahr">{YEAR}</span>' in text
    assert "HX-Request" in response["Vary"]


def test_staff_save_a_section_and_the_lead_freezes_it(login, staff, lead, draft):
    section = draft.sections.get()
    client = login(staff)
    client.post(f"/jahresbericht/verwaltung/abschnitte/{section.pk}/", {"title": "Kontakte", "body": "{jahr}"})
    assert Section.objects.get(pk=section.pk).body == "{jahr}"
    assert client.post(f"/jahresbericht/verwaltung/versionen/{draft.pk}/einfrieren/").status_code == 403
    response = login(lead).post(f"/jahresbericht/verwaltung/versionen/{draft.pk}/einfrieren/", follow=True)
    assert "ist eingefroren" in response.content.decode()
    assert Version.objects.get(pk=draft.pk).is_frozen
    # a frozen section can no longer be opened for editing
    assert login(staff).get(f"/jahresbericht/verwaltung/abschnitte/{section.pk}/").status_code == 403


def test_the_lead_sees_why_a_report_with_errors_is_not_frozen(login, lead, draft):
    services.section_save(section=draft.sections.get(), title="A", body="{advisory.talkz}", by=lead)
    response = login(lead).post(f"/jahresbericht/verwaltung/versionen/{draft.pk}/einfrieren/", follow=True)
    assert "kann so nicht eingefroren werden" in response.content.decode()
    assert Version.objects.get(pk=draft.pk).is_draft


def test_the_public_sees_only_published_versions(client, staff, lead, draft):
    assert client.get(f"/jahresbericht/{draft.pk}/").status_code == 404
    services.version_freeze(version=draft, by=lead)
    assert client.get(f"/jahresbericht/{draft.pk}/jahresbericht.pdf").status_code == 404
    services.version_publish(version=draft, by=lead)
    page = client.get(f"/jahresbericht/{draft.pk}/")
    assert page.status_code == 200 and "Kennzahlen im Vergleich zum Vorjahr" in page.content.decode()
    assert f"/jahresbericht/{draft.pk}/" in client.get("/jahresbericht/").content.decode()
    assert client.get(f"/jahresbericht/{draft.pk}/jahresbericht.pdf")["Content-Type"] == "application/pdf"


def test_the_report_pages_speak_english_when_asked(login, staff, draft):
    client = login(staff)
    client.cookies["kammerwerk_language"] = "en"
    text = client.get(f"/jahresbericht/verwaltung/{draft.report_id}/").content.decode()
    assert "Download PDF" in text and "Versions" in text

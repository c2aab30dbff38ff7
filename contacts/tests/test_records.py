"""Create/edit with German validation messages, the GDPR export and erasure, and the audit log."""

import json

import pytest
from django.urls import reverse

from contacts.models import Consent, Organisation, OrganisationRole, Person
from contacts.services import consent_record
from testing.factories import DistrictFactory, OrganisationFactory, OrganisationRoleFactory, PersonFactory


def _organisation_form(**overrides) -> dict:
    data = {
        "name": "Terhechte Präzisionsmechanik", "legal_form": "GmbH", "street": "Dieselstraße 4", "postcode": "48653",
        "city": "Coesfeld", "district": "", "wz_code": "25.62", "employees": "35", "size_class": "",
        "member_number": "", "website": "https://terhechte.example", "email": "info@terhechte.example",
        "phone": "02541 12345", "notes": "", "tag_names": "Wasserstoff, Ausbildung",
    }  # fmt: skip
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.smoke
def test_create_organisation_shows_german_messages_for_bad_values(login, staff):
    client = login(staff)
    response = client.post(
        reverse("contacts:organisation_create"),
        _organisation_form(postcode="4865", email="info@", phone="ruf mich an", wz_code="Metall"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte eine fünfstellige deutsche Postleitzahl angeben (z. B. 48143)." in page
    assert "Bitte gültige E-Mail-Adresse eingeben." in page
    assert "Bitte eine Telefonnummer aus Ziffern angeben, z. B. +49 251 707-0 oder 0251 7070." in page
    assert "Bitte einen WZ-2008-Code angeben, z. B. „28.22“ oder den Abschnitt „C“." in page
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_create_and_edit_organisation(login, staff):
    client = login(staff)
    district = DistrictFactory(name="Coesfeld")
    response = client.post(reverse("contacts:organisation_create"), _organisation_form(district=district.pk))
    organisation = Organisation.objects.get()
    assert response.status_code == 302 and response["Location"] == organisation.get_absolute_url()
    assert (organisation.size_class, organisation.wz_section) == ("small", "C")
    assert sorted(organisation.tags.values_list("name", flat=True)) == ["Ausbildung", "Wasserstoff"]

    OrganisationFactory(member_number="NW1")
    response = client.post(
        reverse("contacts:organisation_edit", args=[organisation.pk]), _organisation_form(member_number="NW1")
    )
    assert "Diese Mitgliedsnummer ist schon vergeben." in response.content.decode()
    response = client.post(
        reverse("contacts:organisation_edit", args=[organisation.pk]), _organisation_form(employees="-1")
    )
    assert "Ganzzahl" in response.content.decode() or "größer oder gleich 0" in response.content.decode()
    client.post(reverse("contacts:organisation_edit", args=[organisation.pk]), _organisation_form(employees="300"))
    organisation.refresh_from_db()
    assert organisation.size_class == "large"


@pytest.mark.django_db
def test_person_form_rejects_a_bad_phone_in_german(login, staff):
    response = login(staff).post(
        reverse("contacts:person_create"),
        {"first_name": "Anna", "last_name": "Ahrens", "email": "kaputt", "phone": "abc", "language": "de"},
    )
    page = response.content.decode()
    assert "Bitte gültige E-Mail-Adresse eingeben." in page
    assert "Bitte eine Telefonnummer aus Ziffern angeben" in page
    assert not Person.objects.exists()


@pytest.fixture
def anna(db):
    person = PersonFactory(first_name="Anna", last_name="Ahrens", email="anna.ahrens@example.org", phone="0251 123")
    OrganisationRoleFactory(person=person, organisation=OrganisationFactory(name="Metallbau Nord"))
    consent_record(
        email=person.email, purpose="newsletter.industrie", wording="Ich möchte den Newsletter erhalten.",
        wording_version="2026-01", source="Formular", person=person,
    )  # fmt: skip
    return person


@pytest.mark.django_db
@pytest.mark.smoke
def test_person_export_json_contains_the_persons_data(login, staff, anna):
    response = login(staff).post(reverse("contacts:person_export", args=[anna.pk]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="personendaten-{anna.pk}.json"' in response["Content-Disposition"]
    data = json.loads(response.content)
    person = data["contacts"]["people"][0]
    assert (person["first_name"], person["last_name"], person["email"]) == ("Anna", "Ahrens", "anna.ahrens@example.org")
    assert person["roles"][0]["organisation"] == "Metallbau Nord"
    assert data["contacts"]["consents"][0]["wording"] == "Ich möchte den Newsletter erhalten."


@pytest.mark.django_db
@pytest.mark.smoke
def test_erase_is_for_the_lead_and_anonymises_the_person_and_their_history(login, staff, lead, anna):
    client = login(staff)
    # a change through the UI, so there is an older version holding the data
    client.post(
        reverse("contacts:person_edit", args=[anna.pk]),
        {"first_name": "Anna", "last_name": "Ahrens-Berg", "email": anna.email, "phone": "0251 123", "language": "de"},
    )
    assert Person.history.filter(id=anna.pk).count() == 2
    assert client.get(reverse("contacts:person_erase", args=[anna.pk])).status_code == 403
    assert client.post(reverse("contacts:person_erase", args=[anna.pk]), {"confirm": "ja"}).status_code == 403

    client = login(lead)
    assert client.get(reverse("contacts:person_erase", args=[anna.pk])).status_code == 200
    response = client.post(reverse("contacts:person_erase", args=[anna.pk]), {"confirm": "ja"}, follow=True)
    assert "Die Daten der Person wurden gelöscht bzw. anonymisiert" in response.content.decode()
    anna.refresh_from_db()
    assert (anna.first_name, anna.last_name, anna.email, anna.phone) == ("anonymisiert", "anonymisiert", "", "")
    assert anna.anonymised_at is not None
    assert not Person.history.filter(last_name__startswith="Ahrens").exists()
    assert not Person.history.filter(email="anna.ahrens@example.org").exists()
    assert not OrganisationRole.objects.filter(person=anna).exists()
    assert not OrganisationRole.history.filter(person_id=anna.pk).exists()
    assert not Consent.objects.filter(email="anna.ahrens@example.org").exists()
    assert not Consent.history.filter(email="anna.ahrens@example.org").exists()
    assert "Ahrens" not in client.get(reverse("contacts:audit_log")).content.decode()


@pytest.mark.django_db
def test_erase_needs_the_confirmation(login, lead, anna):
    client = login(lead)
    response = client.post(reverse("contacts:person_erase", args=[anna.pk]), {}, follow=True)
    assert "Bitte bestätigen Sie die Löschung mit dem Kontrollkästchen." in response.content.decode()
    anna.refresh_from_db()
    assert anna.last_name == "Ahrens"


@pytest.mark.django_db
@pytest.mark.smoke
def test_audit_log_shows_who_changed_which_fields(login, staff, lead):
    client = login(staff)
    client.post(reverse("contacts:organisation_create"), _organisation_form())
    organisation = Organisation.objects.get()
    client = login(lead)
    client.post(
        reverse("contacts:organisation_edit", args=[organisation.pk]),
        _organisation_form(postcode="48143", city="Münster", tag_names="Wasserstoff, Ausbildung"),
    )
    page = client.get(reverse("contacts:audit_log")).content.decode()
    rows = [row for row in page.split("<tr>") if row.startswith("<td>") and "Terhechte Präzisionsmechanik" in row]
    assert len(rows) == 3  # created, its tags set (a change of "Schlagwörter"), the lead's change
    changed, tags_set, created = rows
    assert "Tara Team" in tags_set and "geändert: Schlagwörter" in tags_set
    assert "<td>Lea Leitung</td>" in changed
    assert "<td>Organisation</td><td>Terhechte Präzisionsmechanik</td>" in changed
    assert "geändert: Ort, PLZ</td>" in changed
    assert "<td>Tara Team</td>" in created and "<td>angelegt</td>" in created
    record = organisation.history.order_by("-history_date").first()
    assert record.history_user == lead


@pytest.mark.django_db
def test_audit_log_needs_the_same_queries_for_few_and_many_changes(login, staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from contacts.models import Tag

    client = login(staff)

    def change_some(count):
        tag = Tag.objects.get_or_create(name="Wasserstoff")[0]
        for _number in range(count):
            organisation = OrganisationFactory()
            organisation.city = "Ahaus"
            organisation.save()
            organisation.tags.add(tag)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("contacts:audit_log")).content.decode()
        return len(captured), page

    change_some(3)
    client.get(reverse("contacts:audit_log"))
    few, _page = queries()
    change_some(30)
    many, page = queries()
    assert many == few
    assert "geändert: Ort</td>" in page and "geändert: Schlagwörter</td>" in page


@pytest.mark.django_db
def test_timeline_shows_entries_with_a_date_only(login, staff, company_a):
    """Modules may put plain dates (a consultation day) on the timeline."""
    import datetime

    from core.timeline import _SOURCES, TimelineEntry

    _SOURCES["test-dates"] = lambda organisation: [
        TimelineEntry(when=datetime.date(2020, 11, 3), kind="Test", title="Sprechtag")
    ]
    try:
        response = login(staff).get(f"/kontakte/organisationen/{company_a.pk}/")
    finally:
        del _SOURCES["test-dates"]
    assert "03.11.2020" in response.content.decode()

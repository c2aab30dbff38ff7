"""Issue 12, item 6: the consultation log links the person named in a talk, and a person's data
export and erasure find their talks (linked, by e-mail, and by the free-text name)."""

import pytest
from django.urls import reverse

from advisory.models import Consultation, Topic
from advisory.tests.factories import ConsultationFactory, book, make_day
from contacts.models import OrganisationRole, Person
from contacts.picker import organisation_label
from core.privacy import DataSubject, personal_data_erase, personal_data_export
from testing.factories import OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _talk(organisation=None, **data):
    values = {
        "organisation": organisation_label(organisation) if organisation else "", "date": "2026-11-20",
        "channel": "phone", "duration_minutes": "20", "topics": [Topic.objects.get(slug="ce-kennzeichnung").pk],
        "outcome": "Maschinenrichtlinie erklärt",
    }  # fmt: skip
    values.update(data)
    return values


@pytest.fixture
def petra(company_a):
    person = PersonFactory(first_name="Petra", last_name="Pieper", email="petra.pieper@example.org")
    OrganisationRoleFactory(person=person, organisation=company_a, kind=OrganisationRole.Kind.MANAGING_DIRECTOR)
    return person


def test_staff_form_offers_the_people_of_the_company_and_links_the_chosen_one(login, staff, company_a, petra):
    stranger = PersonFactory(first_name="Sven", last_name="Fremd")
    talk = ConsultationFactory(adviser=staff, organisation=company_a, contact_name="")
    client = login(staff)
    page = client.get(reverse("advisory:consultation_edit", args=[talk.pk])).content.decode()
    assert "Petra Pieper" in page and "Sven Fremd" not in page
    response = client.post(reverse("advisory:consultation_edit", args=[talk.pk]), _talk(company_a, person=petra.pk))
    assert response.status_code == 302
    talk.refresh_from_db()
    assert talk.person == petra
    # a person of another company cannot be slipped in
    response = client.post(reverse("advisory:consultation_edit", args=[talk.pk]), _talk(company_a, person=stranger.pk))
    assert response.status_code == 400 and "gehört nicht zum gewählten Unternehmen" in response.content.decode()
    talk.refresh_from_db()
    assert talk.person == petra


def test_person_select_follows_the_company_typed(login, staff, company_a, company_b, petra):
    client = login(staff)
    page = client.get(reverse("advisory:consultation_create")).content.decode()
    assert 'hx-include="#id_organisation"' in page  # the person picker's suggestions follow the company
    suggestions = client.get(
        reverse("contacts:person_suggestions"),
        {"feld": "person", "person": "", "organisation": organisation_label(company_a)},
    )
    assert "Petra Pieper" in suggestions.content.decode()
    suggestions = client.get(
        reverse("contacts:person_suggestions"),
        {"feld": "person", "person": "", "organisation": organisation_label(company_b)},
    )
    assert "Petra Pieper" not in suggestions.content.decode()


def test_typed_name_of_a_company_contact_links_the_talk_to_them(login, staff, company_a, petra):
    response = login(staff).post(
        reverse("advisory:consultation_create"), _talk(company_a, contact_name="petra  PIEPER")
    )
    assert response.status_code == 302
    assert Consultation.objects.get().person == petra


def test_typed_name_and_email_create_the_contact_at_the_company(login, staff, company_a):
    data = _talk(company_a, contact_name="Dr. Paul Neu", contact_email="Paul.Neu@example.org")
    assert login(staff).post(reverse("advisory:consultation_create"), data).status_code == 302
    talk = Consultation.objects.get()
    assert talk.person.email == "paul.neu@example.org" and talk.person.last_name == "Neu"
    assert OrganisationRole.objects.filter(person=talk.person, organisation=company_a).exists()
    # the next talk with the same address links the same person, no duplicate
    assert login(staff).post(reverse("advisory:consultation_create"), data).status_code == 302
    assert Person.objects.filter(email="paul.neu@example.org").count() == 1
    assert Consultation.objects.filter(person=talk.person).count() == 2


def test_private_person_keeps_name_and_email_on_the_talk_only(login, staff):
    data = _talk(contact_name="Ina Erfinderin", contact_email="ina@example.org")
    assert login(staff).post(reverse("advisory:consultation_create"), data).status_code == 302
    talk = Consultation.objects.get()
    assert talk.person is None and talk.contact_email == "ina@example.org"
    assert not Person.objects.exists()


def test_person_export_contains_their_consultations(staff, company_a, petra):
    ConsultationFactory(adviser=staff, organisation=company_a, person=petra, contact_name="", outcome="ZIM-Antrag")
    ConsultationFactory(adviser=staff, contact_name="Petra Pieper", outcome="Patentfrage")  # typed, not linked
    ConsultationFactory(adviser=staff, contact_name="Otto Other", outcome="nicht ihres")
    exported = personal_data_export(DataSubject(email="petra.pieper@example.org", person=petra))["advisory"]
    assert sorted(c["outcome"] for c in exported["consultations"]) == ["Patentfrage", "ZIM-Antrag"]
    assert {c["contact_name"] for c in exported["consultations"]} == {"Petra Pieper"}


def test_erased_person_no_longer_appears_in_the_consultation_log(staff, company_a, petra, expert):
    linked = ConsultationFactory(adviser=staff, organisation=company_a, person=petra, contact_name="", outcome="Zim")
    typed = ConsultationFactory(adviser=staff, contact_name="Pieper, Petra", outcome="Ihre Erfindung")
    by_email = ConsultationFactory(adviser=staff, contact_name="P. P.", contact_email="Petra.Pieper@example.org")
    other = ConsultationFactory(adviser=staff, organisation=company_a, contact_name="Otto Other", outcome="bleibt")
    # someone else of the same name who is linked to their own record is not touched
    namesake = PersonFactory(first_name="Petra", last_name="Pieper", email="andere@example.org")
    theirs = ConsultationFactory(adviser=staff, person=namesake, contact_name="", outcome="andere Petra")

    personal_data_erase(DataSubject(email="petra.pieper@example.org", person=petra))

    for talk in (linked, typed, by_email):
        talk.refresh_from_db()
        assert talk.person is None and talk.contact_name == "anonymisiert"
        assert talk.contact_email == "" and talk.outcome == ""
        assert talk.topics.exists()  # the statistics keep the talk
    assert Consultation.objects.filter(date=linked.date).count() == 5
    other.refresh_from_db()
    theirs.refresh_from_db()
    assert other.contact_name == "Otto Other" and other.outcome == "bleibt"
    assert theirs.person == namesake and theirs.outcome == "andere Petra"
    exported = personal_data_export(DataSubject(email="petra.pieper@example.org", person=petra))["advisory"]
    assert exported["consultations"] == []


def test_name_given_when_booking_finds_the_free_text_talk_on_erasure(staff, expert):
    book(make_day(expert), email="ina@example.org", name="Ina Erfinderin")
    talk = ConsultationFactory(adviser=staff, contact_name="Ina Erfinderin", outcome="Gebrauchsmuster")
    personal_data_erase(DataSubject(email="ina@example.org"))
    talk.refresh_from_db()
    assert talk.contact_name == "anonymisiert" and talk.outcome == ""

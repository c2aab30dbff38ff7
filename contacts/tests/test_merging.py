"""Merging duplicate organisations and people: every link moves, history stays, bad input changes nothing.

The test builds links of feature modules (advisory, events, networks) with their factories only;
contacts itself moves them through Django's model meta without knowing those modules.
"""

import pytest
from django.urls import reverse

from advisory.tests.factories import ConsultationFactory
from contacts.models import MergeRecord, Organisation, OrganisationRole, Person, Tag
from contacts.services import organisation_merge, person_merge
from core.errors import ServiceError
from events.tests.factories import RegistrationFactory
from networks.tests.factories import MembershipFactory, NetworkFactory
from testing.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(db):
    kept = OrganisationFactory(name="Bröcker Maschinenbau GmbH", postcode="48143", member_number="")
    duplicate = OrganisationFactory(
        name="Broecker Maschinenbau", postcode="48143", member_number="M-4711", notes="Ansprechpartner wechselt"
    )
    return kept, duplicate


def test_merge_moves_consultation_registration_and_membership_to_the_kept_organisation(pair, staff):
    kept, duplicate = pair
    consultation = ConsultationFactory(organisation=duplicate, adviser=staff)
    registration = RegistrationFactory(organisation=duplicate)
    membership = MembershipFactory(organisation=duplicate)
    duplicate.tags.add(Tag.objects.create(name="Wasserstoff"))

    record = organisation_merge(kept_id=kept.pk, merged_id=duplicate.pk, user=staff)

    consultation.refresh_from_db()
    registration.refresh_from_db()
    membership.refresh_from_db()
    assert consultation.organisation_id == kept.pk
    assert registration.organisation_id == kept.pk
    assert membership.organisation_id == kept.pk
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    kept.refresh_from_db()
    assert [tag.name for tag in kept.tags.all()] == ["Wasserstoff"]
    assert kept.member_number == "M-4711"  # the kept record had none
    assert "Ansprechpartner wechselt" in kept.notes
    assert MergeRecord.objects.get() == record
    assert record.organisation == kept and record.merged_by == staff and record.merged_id == duplicate.pk
    assert record.merged_data["name"] == "Broecker Maschinenbau"
    # the audit trail keeps the duplicate's versions, including its deletion
    assert list(Organisation.history.filter(id=duplicate.pk).values_list("history_type", flat=True))[0] == "-"


def test_merge_keeps_one_membership_when_both_are_in_the_same_network(pair, staff):
    kept, duplicate = pair
    network = NetworkFactory()
    kept_membership = MembershipFactory(network=network, organisation=kept)
    MembershipFactory(network=network, organisation=duplicate)
    other = MembershipFactory(organisation=duplicate)

    record = organisation_merge(kept_id=kept.pk, merged_id=duplicate.pk, user=staff)

    rows = list(type(other).objects.filter(organisation=kept).values_list("pk", "network_id"))
    assert sorted(rows) == sorted([(kept_membership.pk, network.pk), (other.pk, other.network_id)])
    assert any(link["dropped"] == 1 for link in record.moved)


def test_merge_of_people_moves_roles_and_drops_the_duplicate_role(staff):
    company = OrganisationFactory()
    kept = PersonFactory(first_name="Jörg", last_name="Müller", email="")
    duplicate = PersonFactory(first_name="Joerg", last_name="Mueller", email="j.mueller@example.org")
    OrganisationRoleFactory(person=kept, organisation=company, kind="hr")
    OrganisationRoleFactory(person=duplicate, organisation=company, kind="hr")
    press = OrganisationRoleFactory(person=duplicate, organisation=company, kind="press")

    person_merge(kept_id=kept.pk, merged_id=duplicate.pk, user=staff)

    kept.refresh_from_db()
    assert kept.email == "j.mueller@example.org"
    assert sorted(OrganisationRole.objects.filter(person=kept).values_list("kind", flat=True)) == ["hr", "press"]
    assert OrganisationRole.objects.get(pk=press.pk).person_id == kept.pk
    assert not Person.objects.filter(pk=duplicate.pk).exists()


def test_merging_an_organisation_with_itself_is_refused_and_changes_nothing(pair, staff):
    kept, _duplicate = pair
    with pytest.raises(ServiceError, match="nicht mit sich selbst"):
        organisation_merge(kept_id=kept.pk, merged_id=kept.pk, user=staff)
    assert Organisation.objects.filter(pk=kept.pk).exists()
    assert not MergeRecord.objects.exists()


def test_merging_a_record_that_no_longer_exists_says_so_and_changes_nothing(pair, staff):
    kept, duplicate = pair
    consultation = ConsultationFactory(organisation=duplicate, adviser=staff)
    with pytest.raises(ServiceError, match="gibt es nicht mehr"):
        organisation_merge(kept_id=kept.pk, merged_id=999_999, user=staff)
    consultation.refresh_from_db()
    assert consultation.organisation_id == duplicate.pk
    assert not MergeRecord.objects.exists()


def test_merge_page_previews_counts_and_merges_only_after_confirming(pair, client, staff):
    kept, duplicate = pair
    ConsultationFactory(organisation=duplicate, adviser=staff)
    MembershipFactory(organisation=duplicate)
    client.force_login(staff)
    url = reverse("contacts:organisation_merge", args=[duplicate.pk])

    response = client.get(url, {"other": f"Bröcker Maschinenbau GmbH ({kept.postcode} {kept.city})", "keep": "anderen"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "Beratungsgespräche" in text or "Beratung" in text
    assert Organisation.objects.filter(pk=duplicate.pk).exists()  # nothing merged yet

    response = client.post(url, {"behalten": kept.pk, "aufloesen": duplicate.pk})
    assert response.status_code == 302 and response["Location"] == kept.get_absolute_url()
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    detail = client.get(kept.get_absolute_url()).content.decode()
    assert "zusammengeführt mit „Broecker Maschinenbau“" in detail


def test_merge_page_refuses_the_same_organisation_with_a_german_message(pair, client, staff):
    kept, _duplicate = pair
    client.force_login(staff)
    url = reverse("contacts:organisation_merge", args=[kept.pk])
    response = client.post(url, {"behalten": kept.pk, "aufloesen": kept.pk}, follow=True)
    assert "nicht mit sich selbst zusammengeführt" in response.content.decode()
    assert Organisation.objects.filter(pk=kept.pk).exists()


def test_merge_page_of_a_merged_organisation_says_it_is_gone(pair, client, staff):
    kept, duplicate = pair
    organisation_merge(kept_id=kept.pk, merged_id=duplicate.pk, user=staff)
    client.force_login(staff)
    response = client.get(reverse("contacts:organisation_merge", args=[duplicate.pk]), follow=True)
    assert "gibt es nicht mehr" in response.content.decode()


def test_erasing_a_person_also_erases_the_data_of_the_duplicates_merged_into_them(staff):
    from core.privacy import DataSubject, personal_data_erase, personal_data_export

    kept = PersonFactory(first_name="Petra", last_name="Pieper", email="petra@example.org")
    duplicate = PersonFactory(first_name="Petra", last_name="Piper", email="p.piper@example.org", phone="0251 1")
    person_merge(kept_id=kept.pk, merged_id=duplicate.pk, user=staff)
    exported = personal_data_export(DataSubject(email="petra@example.org", person=kept))["contacts"]
    assert exported["merged_duplicates"][0]["data"]["email"] == "p.piper@example.org"

    personal_data_erase(DataSubject(email="petra@example.org", person=kept))

    assert not MergeRecord.objects.exists()
    assert not Person.history.filter(id=duplicate.pk).exists()


def test_person_merge_page_finds_the_duplicate_by_name_and_merges_after_confirming(client, staff):
    from contacts.picker import person_label

    kept = PersonFactory(first_name="Jörg", last_name="Müller", email="joerg@example.org")
    duplicate = PersonFactory(first_name="Joerg", last_name="Mueller", email="")
    client.force_login(staff)
    url = reverse("contacts:person_merge", args=[kept.pk])

    ambiguous = client.get(url, {"other": "Mueller", "keep": "diesen"}).content.decode()
    assert "Mehrere Personen passen" in ambiguous  # both are called Müller: staff must pick one
    preview = client.get(url, {"other": person_label(duplicate), "keep": "diesen"}).content.decode()
    assert "Vorschau" in preview and f'name="aufloesen" value="{duplicate.pk}"' in preview
    assert Person.objects.filter(pk=duplicate.pk).exists()

    response = client.post(url, {"behalten": kept.pk, "aufloesen": duplicate.pk})
    assert response["Location"] == kept.get_absolute_url()
    assert not Person.objects.filter(pk=duplicate.pk).exists()
    assert "zusammengeführt mit „Joerg Mueller“" in client.get(kept.get_absolute_url()).content.decode()

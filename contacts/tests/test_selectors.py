"""Every reader in contacts/selectors.py (and picker.py) costs a fixed number of queries, however many rows."""

import pytest
from django.db import connection

from contacts import picker, selectors
from contacts.models import Consent, OrganisationEditor
from contacts.services import consent_record, organisation_save
from testing.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory, make_editor


@pytest.fixture
def many(db, staff):
    """Enough of everything that an N+1 would show: organisations with tags, people, editors, consents."""
    organisations = [OrganisationFactory(name=f"Zählwerk {n}") for n in range(12)]
    for n, organisation in enumerate(organisations):
        organisation_save(organisation=organisation, tag_names=["Wasserstoff", f"Tag {n % 3}"])
        OrganisationRoleFactory(organisation=organisation)
        OrganisationRoleFactory(organisation=organisation, person=OrganisationRoleFactory().person)
        make_editor(organisation, f"redaktion{n}@example.org")
        consent_record(email=f"person{n}@example.org", purpose="portal.contact", wording="Ja", wording_version="1",
                       source="Test", organisation=organisation)  # fmt: skip
    return organisations


def test_organisation_page_and_filters(many, django_assert_num_queries):
    filters = selectors.OrganisationFilters(q="zählwerk", tag="Wasserstoff")
    search = 2 if connection.vendor == "postgresql" else 1  # PostgreSQL: the planner's estimate of the matches first
    with django_assert_num_queries(search):
        page = selectors.organisation_page(filters, page_size=5)
    with django_assert_num_queries(search):
        assert len(selectors.organisation_page(filters, cursor=page.next_cursor, page_size=5).rows) == 5
    with django_assert_num_queries(1):
        assert len(selectors.organisation_page(selectors.OrganisationFilters(tag="Wasserstoff"), page_size=5).rows) == 5
    with django_assert_num_queries(1):
        assert selectors.organisations_filtered(filters).count() == 12
    with django_assert_num_queries(2):
        choices = selectors.filter_choices()
    assert "Wasserstoff" in choices["tags"]


def test_detail_pages(many, django_assert_num_queries):
    organisation = many[0]
    with django_assert_num_queries(4):  # the row with its district, tags, people with functions, editors
        detail = selectors.organisation_detail(organisation.pk)
        assert len(detail.roles.all()) == 2 and len(detail.editors.all()) == 1 and detail.editors.all()[0].user.email
        assert detail.district.name and len(detail.tags.all()) == 2
    person = detail.roles.all()[0].person
    with django_assert_num_queries(4):  # the person, tags, consents, functions with organisations
        shown = selectors.person_detail(person.pk)
        assert organisation.name in [role.organisation.name for role in shown.roles.all()]
        list(shown.tags.all()), list(shown.consents.all())


def test_lists_and_imports(many, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(selectors.people_filtered("example.org"))) >= 1  # every word a prefix of a word
    with django_assert_num_queries(1):
        assert selectors.import_batches_recent() == []


def test_audit_entries(many, django_assert_num_queries):
    # two per audited model (organisation, person, function, consent, role, company editor) + the tags' history
    with django_assert_num_queries(13):
        entries = selectors.audit_entries()
    assert {entry["label"] for entry in entries} >= {"Organisation", "Person", "Rolle", "Firmenredaktion"}


def test_rules_other_modules_use(many, django_assert_num_queries):
    PersonFactory(email="Doppelt@Example.org")
    PersonFactory(email="doppelt@example.org")
    with django_assert_num_queries(1):
        assert selectors.person_for_email(" DOPPELT@example.org ").email == "Doppelt@Example.org"
    with django_assert_num_queries(1):
        assert len(selectors.consented_emails(purpose="portal.contact")) == 12
    with django_assert_num_queries(1):
        assert selectors.consent_is_given(email="PERSON3@example.org", purpose="portal.contact", organisation=many[3])
    with django_assert_num_queries(1):
        assert selectors.consents_active(purpose="portal.contact", organisation=many[0]).count() == 1
    assert Consent.objects.count() == 12 and OrganisationEditor.objects.count() == 12


def test_the_pickers_reads(many, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(picker.organisation_candidates("zählwerk")) == picker.SUGGESTION_LIMIT
    with django_assert_num_queries(2):  # by member number, then by words
        organisation, candidates = picker.organisation_resolve("zählwerk")
    assert organisation is None and len(candidates) == picker.SUGGESTION_LIMIT

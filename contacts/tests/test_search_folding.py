"""Staff find "Bröcker" when they type "Brocker", "Müller" for "Muller"/"Mueller", "Straße" for "Strasse".

The same tests run on SQLite and (marked ``postgres``) on PostgreSQL: both index the folded
``search_text`` column (core.search.fold_text), so the result must not depend on the database.
"""

import pytest
from django.urls import reverse

from contacts.picker import organisation_candidates, person_candidates
from contacts.selectors import OrganisationFilters, organisations_filtered, people_filtered
from core.search import fold_text
from testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(db):
    return {
        "broecker": OrganisationFactory(name="Bröcker Anlagenbau GmbH", city="Münster"),
        "mueller": OrganisationFactory(name="Maschinenbau Müller KG", city="Coesfeld"),
        "strasse": OrganisationFactory(name="Straßenbau Nord GmbH", city="Borken"),
        "other": OrganisationFactory(name="Kunststoff Süd AG", city="Bocholt"),
        "person": PersonFactory(first_name="Jörg", last_name="Müller", email="jm@example.org"),
    }


def _names(queryset):
    return sorted(org.name for org in queryset)


def _search(query):
    return _names(organisations_filtered(OrganisationFilters(q=query)))


def _check_folding(records):
    for query in ["Brocker", "Broecker", "bröcker", "BRÖ"]:
        assert _search(query) == ["Bröcker Anlagenbau GmbH"], query
    for query in ["Muller", "Mueller", "müller masch"]:
        assert _search(query) == ["Maschinenbau Müller KG"], query
    for query in ["Strasse", "Straße", "strassenbau"]:
        assert _search(query) == ["Straßenbau Nord GmbH"], query
    assert _search("Munster") == ["Bröcker Anlagenbau GmbH"]  # the place is folded too
    assert [org.name for org in organisation_candidates("Brocker")] == ["Bröcker Anlagenbau GmbH"]
    for query in ["Muller", "Mueller", "Jorg", "joerg müller"]:
        assert [p.last_name for p in people_filtered(query)] == ["Müller"], query
        assert [p.last_name for p in person_candidates(query)] == ["Müller"], query
    # PostgreSQL's parser would keep "jm@example.org" as one token; the folded column holds plain words
    assert [p.last_name for p in people_filtered("example.org")] == ["Müller"]


def test_fold_text_treats_umlaut_spellings_alike():
    assert fold_text("Bröcker") == fold_text("Broecker") == fold_text("Brocker")
    assert fold_text("Müller") == fold_text("Mueller") == fold_text("Muller")
    assert fold_text("Straße") == fold_text("Strasse")


def test_search_finds_umlauts_typed_without_them(records):
    _check_folding(records)


@pytest.mark.postgres
def test_search_finds_umlauts_typed_without_them_on_postgresql(records):
    _check_folding(records)


def test_renamed_organisation_is_found_under_its_new_name(records):
    organisation = records["other"]
    organisation.name = "Göbel Kunststoff AG"
    organisation.save()
    assert _search("Goebel") == ["Göbel Kunststoff AG"]
    assert _search("Kunststoff Sud") == []  # the old name is gone from the index


def test_staff_person_list_finds_mueller_for_muller(client, staff, records):
    client.force_login(staff)
    page = client.get(reverse("contacts:person_list"), {"q": "Muller"}).content.decode()
    assert "Jörg" in page


def test_person_picker_suggests_people_while_typing(client, staff, records):
    client.force_login(staff)
    response = client.get(reverse("contacts:person_suggestions"), {"feld": "person", "person": "Mueller"})
    assert "Jörg Müller (jm@example.org)" in response.content.decode()

"""The staff lists: full-text search, filters, keyset pagination and a fixed number of queries per page."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from contacts.models import Organisation, Tag
from contacts.selectors import OrganisationFilters, organisation_page
from testing.factories import DistrictFactory, OrganisationFactory, PersonFactory

LIST = reverse("contacts:organisation_list")


def _names(response) -> list[str]:
    return re.findall(r'<a href="/kontakte/organisationen/\d+/">([^<]+)</a>', response.content.decode())


@pytest.mark.django_db
@pytest.mark.smoke
def test_search_matches_every_word_as_a_prefix(login, staff):
    OrganisationFactory(name="Maschinenbau Müller", city="Borken", postcode="46325", member_number="NW000123")
    OrganisationFactory(name="Müller Backwaren", city="Münster", postcode="48143")
    OrganisationFactory(name="Schulte Stahlbau", city="Ahaus", postcode="48683")
    client = login(staff)
    assert _names(client.get(LIST, {"q": "mül masch"})) == ["Maschinenbau Müller"]
    assert sorted(_names(client.get(LIST, {"q": "müller"}))) == ["Maschinenbau Müller", "Müller Backwaren"]
    assert _names(client.get(LIST, {"q": "4868"})) == ["Schulte Stahlbau"]
    assert _names(client.get(LIST, {"q": "NW000123"})) == ["Maschinenbau Müller"]
    assert _names(client.get(LIST, {"q": "ahaus"})) == ["Schulte Stahlbau"]
    assert _names(client.get(LIST, {"q": "nichtda"})) == []


@pytest.mark.django_db
def test_search_follows_edits(login, staff):
    organisation = OrganisationFactory(name="Alter Name")
    organisation.name = "Neuer Name"
    organisation.save()
    client = login(staff)
    assert _names(client.get(LIST, {"q": "neuer"})) == ["Neuer Name"]
    assert _names(client.get(LIST, {"q": "alter"})) == []


@pytest.mark.django_db
def test_filters(login, staff):
    borken = DistrictFactory(name="Borken")
    hydrogen = Tag.objects.create(name="Wasserstoff")
    steel = OrganisationFactory(
        name="Stahlwerk", district=borken, wz_code="24.10", employees=800, member_number="M1", energy_intensive=True
    )
    steel.tags.add(hydrogen)
    OrganisationFactory(name="Softwarehaus", district=borken, wz_code="62.01", employees=5)
    # explicit district: the factory's default cycles through districts and could pick Borken
    OrganisationFactory(
        name="Molkerei", district=DistrictFactory(name="Münster"), wz_code="10.51", employees=60, member_number="M2"
    )
    client = login(staff)
    assert sorted(_names(client.get(LIST, {"district": "borken"}))) == ["Softwarehaus", "Stahlwerk"]
    assert sorted(_names(client.get(LIST, {"section": "C"}))) == ["Molkerei", "Stahlwerk"]
    assert _names(client.get(LIST, {"size_class": "micro"})) == ["Softwarehaus"]
    assert sorted(_names(client.get(LIST, {"member": "yes"}))) == ["Molkerei", "Stahlwerk"]
    assert _names(client.get(LIST, {"member": "no"})) == ["Softwarehaus"]
    assert _names(client.get(LIST, {"energy_intensive": "on"})) == ["Stahlwerk"]
    assert _names(client.get(LIST, {"tag": "Wasserstoff"})) == ["Stahlwerk"]
    assert _names(client.get(LIST, {"district": "borken", "section": "J", "q": "soft"})) == ["Softwarehaus"]


@pytest.mark.django_db
@pytest.mark.smoke
def test_keyset_pagination_walks_all_rows_without_overlap(db):
    # equal names force the tie-break on id
    for number in range(23):
        OrganisationFactory(name=f"Firma {number % 7}")
    seen, cursor, pages = [], "", 0
    while True:
        page = organisation_page(OrganisationFilters(), cursor=cursor, page_size=5)
        pages += 1
        assert page.is_first == (cursor == "")
        seen.extend((row.name, row.pk) for row in page.rows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert seen == sorted(seen)


@pytest.mark.django_db
@pytest.mark.parametrize("sort_matches_up_to", [0, 10_000], ids=["walk-the-name-index", "sort-the-matches"])
def test_search_pages_walk_all_matches_in_name_order(sort_matches_up_to, monkeypatch):
    # a search with few matches sorts them, one with many walks (name, id) (PostgreSQL); the pages are the same
    monkeypatch.setattr("contacts.selectors.SORT_MATCHES_UP_TO", sort_matches_up_to)
    for number in range(23):
        OrganisationFactory(name=f"{'ABZ'[number % 3]}. Müller {number % 5}")
        OrganisationFactory(name=f"{'ABZ'[number % 3]}. Schulte {number % 5}")
    seen, cursor = [], ""
    while True:
        page = organisation_page(OrganisationFilters(q="mueller"), cursor=cursor, page_size=4)
        seen.extend((row.name, row.pk) for row in page.rows)
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    expected = list(
        Organisation.objects.filter(name__contains="Müller").order_by("name", "id").values_list("name", "id")
    )
    assert len(expected) == 23 and seen == expected


@pytest.mark.django_db
def test_next_page_link_continues_after_the_last_row(login, staff):
    for number in range(60):
        OrganisationFactory(name=f"Firma {number:03d}")
    client = login(staff)
    first = client.get(LIST)
    first_names = _names(first)
    assert len(first_names) == 50
    cursor = re.search(r'nach=([\w-]+)" rel="next"', first.content.decode()).group(1)
    second_names = _names(client.get(LIST, {"nach": cursor}))
    assert second_names == [f"Firma {number:03d}" for number in range(50, 60)]
    assert not set(first_names) & set(second_names)
    assert "Zum Anfang" in client.get(LIST, {"nach": cursor}).content.decode()
    # a broken cursor shows the first page instead of failing
    assert _names(client.get(LIST, {"nach": "kaputt"})) == first_names


def _queries_for_list(client, params) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_queries_per_page_do_not_grow_with_rows(login, staff, django_assert_num_queries):
    client = login(staff)
    borken = DistrictFactory(name="Borken")
    for number in range(10):
        OrganisationFactory(name=f"Klein {number:03d}", district=borken).tags.add(
            Tag.objects.get_or_create(name="A")[0]
        )
    client.get(LIST)  # warm up (session, content types)
    small = _queries_for_list(client, {})
    new = [Organisation(name=f"Groß {number:04d}", district=borken, postcode="46325") for number in range(400)]
    for organisation in new:
        organisation.derive()
    Organisation.objects.bulk_create(new)
    big = _queries_for_list(client, {})
    assert big == small
    page_two_cursor = organisation_page(OrganisationFilters()).next_cursor
    with django_assert_num_queries(small):
        client.get(LIST, {"nach": page_two_cursor})
    search = small + (connection.vendor == "postgresql")  # PostgreSQL: the planner's estimate of the matches first
    with django_assert_num_queries(search):
        client.get(LIST, {"q": "groß", "district": "borken", "tag": "", "section": ""})


@pytest.mark.django_db
def test_people_list_searches_and_pages(login, staff, django_assert_max_num_queries):
    for number in range(60):
        PersonFactory(first_name="Pia", last_name=f"Person{number:02d}", email=f"p{number}@example.org")
    PersonFactory(first_name="Otto", last_name="Zander", email="otto@firma.example")
    client = login(staff)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("contacts:person_list")).content.decode()
    assert "61 Personen" in page
    assert "Zander" not in page  # sorted by last name: on page 2
    page2 = client.get(reverse("contacts:person_list"), {"seite": 2}).content.decode()
    assert "Zander, Otto" in page2
    found = client.get(reverse("contacts:person_list"), {"q": "firma.example"}).content.decode()
    assert "1 Person" in found and "Zander, Otto" in found


@pytest.mark.django_db
def test_people_list_shows_the_rows_of_the_selector_and_changes_on_the_next_request(
    login, staff, django_assert_num_queries
):
    """The list's count and pages run compiled SQL (core.prepared.CompiledPages): same rows, same order as
    ``people_filtered``, and a new, renamed or anonymised person shows on the very next request."""
    from contacts.selectors import people_filtered

    for number in range(55):
        PersonFactory(first_name=f"Vor{number % 3}", last_name=f"Name{number % 20:02d}", phone=f"0251 {number}")
    client = login(staff)
    url = reverse("contacts:person_list")

    def rows(**params):
        return re.findall(
            r'<tr><td><a href="/kontakte/personen/(\d+)/">[^<]+</a></td>', client.get(url, params).content.decode()
        )

    expected = [str(person.pk) for person in people_filtered()]
    with django_assert_num_queries(4):  # session, user with roles, count, rows
        assert rows() == expected[:50]
    assert rows(seite=2) == expected[50:] and rows(seite=9) == expected[50:]  # past the end: the last page
    newcomer = PersonFactory(first_name="Anna", last_name="Aaberg", email="anna@example.org", phone="<0251>")
    page = client.get(url).content.decode()
    assert "56 Personen" in page and rows()[0] == str(newcomer.pk)
    assert (
        f'<a href="/kontakte/personen/{newcomer.pk}/">Aaberg, Anna</a></td><td>anna@example.org</td><td>&lt;0251&gt;</td>'
        in page
    )
    newcomer.last_name = "Zzyzx"
    newcomer.save()
    assert rows()[0] != str(newcomer.pk) and str(newcomer.pk) in rows(seite=2)
    type(newcomer).objects.filter(pk=newcomer.pk).update(anonymised_at=newcomer.created_at)
    assert "55 Personen" in client.get(url).content.decode() and str(newcomer.pk) not in rows(seite=2)


@pytest.mark.django_db
def test_htmx_gets_only_the_rows_and_caches_keep_the_two_answers_apart(login, staff):
    OrganisationFactory(name="Teilwerk")
    client = login(staff)
    partial = client.get(LIST, {"q": "teil"}, HTTP_HX_REQUEST="true")
    page = client.get(LIST, {"q": "teil"})
    assert _names(partial) == _names(page) == ["Teilwerk"]
    assert "<h1>" not in partial.content.decode() and "<h1>" in page.content.decode()
    assert "HX-Request" in partial["Vary"] and "HX-Request" in page["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-3", "²", "99999999999999999999", "zwei"])
def test_a_hostile_page_number_in_the_people_list_shows_a_page(login, staff, value):
    PersonFactory(last_name="Seitenmann")
    response = login(staff).get(reverse("contacts:person_list"), {"seite": value})
    assert response.status_code == 200 and "Seitenmann" in response.content.decode()


@pytest.mark.django_db
def test_the_filter_fields_follow_new_choices_and_the_chosen_values(login, staff):
    """The filter fields are a per-process fragment (core.fragments): a new or renamed district or tag
    and another chosen value show on the very next request."""
    client = login(staff)
    assert "Kreis Neuland" not in client.get(LIST).content.decode()
    district = DistrictFactory(name="Kreis Neuland")
    Tag.objects.create(name="Kreislaufwirtschaft")
    page = client.get(LIST).content.decode()
    assert '<option value="kreis-neuland">Kreis Neuland</option>' in page
    assert '<option value="Kreislaufwirtschaft">Kreislaufwirtschaft</option>' in page
    district.name = "Kreis Altland"
    district.save()
    page = client.get(LIST).content.decode()
    assert "Kreis Altland</option>" in page and "Kreis Neuland" not in page
    chosen = client.get(LIST, {"district": "kreis-neuland", "tag": "Kreislaufwirtschaft"}).content.decode()
    assert '<option value="kreis-neuland" selected>' in chosen
    assert '<option value="Kreislaufwirtschaft" selected>' in chosen
    assert '<option value="kreis-neuland" selected>' not in client.get(LIST).content.decode()


@pytest.mark.django_db
def test_rows_show_every_column_escaped(login, staff):
    """The rows are built in Python (core.rows): every value escaped, every column as before."""
    organisation = OrganisationFactory(
        name='<script>alert("x")</script> & Co', legal_form="GmbH & Co. KG", city="Ahaus", postcode="48683",
        district=DistrictFactory(name="Borken"), wz_code="24.10", employees=800, member_number="M<1>",
        energy_intensive=True,
    )  # fmt: skip
    person = PersonFactory(last_name="<b>Müller</b>", first_name="Anna")
    client = login(staff)
    page = client.get(LIST).content.decode()
    assert "<script>alert" not in page
    assert (
        f'<tr><td><a href="/kontakte/organisationen/{organisation.pk}/">&lt;script&gt;alert(&quot;x&quot;)'
        '&lt;/script&gt; &amp; Co</a> <span class="muted">GmbH &amp; Co. KG</span> '
        '<span class="badge">energieintensiv</span></td>\n'
        f"<td>48683 Ahaus</td><td>Borken</td><td>24.10</td><td>{organisation.get_size_class_display()}</td>"
        "<td>M&lt;1&gt;</td></tr>"
    ) in page
    people = client.get(reverse("contacts:person_list")).content.decode()
    assert f'<a href="/kontakte/personen/{person.pk}/">&lt;b&gt;Müller&lt;/b&gt;, Anna</a>' in people

"""Search as a school leaver uses it: German stemming, umlauts, filters, expiry, same results on both databases."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal import selectors
from portal.models import Offer
from portal.tests.factories import OfferFactory, ProfileFactory, SiteFactory
from portal.text import query_stems, stem_text
from testing.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "indexed"),
    [
        ("Mechatroniker", "Mechatronikerin"),
        ("Mechatronikerin", "Mechatroniker/-in"),
        ("Industriemechanik", "Industriemechaniker/-in"),
        ("Chemikantin", "Chemikant/-in"),
        ("Kauffrau", "Kaufmann/-frau für Büromanagement"),
        ("Munster", "Münster"),
        ("münster", "Muenster Münster"),
        ("Technologin", "Verfahrenstechnologe/-technologin Metall"),
    ],
)
def test_query_stems_are_prefixes_of_indexed_stems(query, indexed):
    terms = stem_text(indexed).split()
    for word in query_stems(query):
        assert any(term.startswith(word) for term in terms), (word, terms)


def test_filler_words_are_dropped():
    # (the stemmer also folds "oe" into "o": Coesfeld → cosfeld, Muenster → munst)
    assert query_stems("Ausbildung in Borken und Coesfeld für Mechatroniker") == [
        "ausbild",
        "bork",
        "cosfeld",
        "mechatron",
    ]


@pytest.fixture
def region(db):
    borken = DistrictFactory(name="Borken", slug="borken")
    muenster = DistrictFactory(name="Münster", slug="munster")
    a = ProfileFactory(
        organisation=OrganisationFactory(name="Terhechte Fördertechnik", district=borken, city="Bocholt")
    )
    b = ProfileFactory(organisation=OrganisationFactory(name="Hölscher Chemie", district=muenster, city="Münster"))
    today = timezone.localdate()
    offers = {
        "mech_borken": OfferFactory(profile=a, occupation_name="Mechatroniker/-in", start_date=today + datetime.timedelta(days=250)),
        "im_borken": OfferFactory(profile=a, occupation_name="Industriemechaniker/-in", start_date=today + datetime.timedelta(days=100)),
        "mech_ms": OfferFactory(profile=b, occupation_name="Mechatroniker/-in", start_date=today + datetime.timedelta(days=300)),
        "chem_ms": OfferFactory(profile=b, occupation_name="Chemikant/-in", start_date=today + datetime.timedelta(days=400),
                                kind=Offer.Kind.DUAL_STUDY, title="Duales Studium Chemieingenieurwesen"),
        "past": OfferFactory(profile=a, occupation_name="Mechatroniker/-in", start_date=today + datetime.timedelta(days=5)),
    }  # fmt: skip
    Offer.objects.filter(pk=offers["past"].pk).update(start_date=today - datetime.timedelta(days=1))
    return {"borken": borken, "muenster": muenster, "a": a, "b": b, **offers}


def _search(**filters):
    return [offer.pk for offer in selectors.offer_search(selectors.OfferFilters(**filters)).rows]


def test_mechatroniker_borken_finds_the_borken_offer_only(region):
    assert _search(q="Mechatroniker Borken") == [region["mech_borken"].pk]


def test_female_form_and_stem_find_the_same(region):
    expected = {region["mech_borken"].pk, region["mech_ms"].pk}
    assert set(_search(q="Mechatronikerin")) == expected
    assert set(_search(q="mechatroniker")) == expected
    assert _search(q="Industriemechanik") == [region["im_borken"].pk]


def test_umlauts_are_optional(region):
    assert set(_search(q="Munster")) == {region["mech_ms"].pk, region["chem_ms"].pk}
    assert set(_search(q="Münster")) == {region["mech_ms"].pk, region["chem_ms"].pk}
    assert set(_search(q="Fördertechnik")) == set(_search(q="Fordertechnik"))


def test_filters_and_sorting(region):
    assert _search(occupation="mechatroniker-in", district="borken") == [region["mech_borken"].pk]
    assert _search(kind=Offer.Kind.DUAL_STUDY) == [region["chem_ms"].pk]
    assert _search(sector=region["b"].sector, district="munster", sort="beginn") == [
        region["mech_ms"].pk,
        region["chem_ms"].pk,
    ]
    year = region["chem_ms"].start_date.year
    assert region["chem_ms"].pk in _search(year=year)
    # by start date: the earliest first; past offers never
    by_start = _search(sort="beginn")
    assert by_start[0] == region["im_borken"].pk and region["past"].pk not in by_start


def test_relevance_puts_title_matches_first(region):
    # "chemie" is in the company name of both Hölscher offers, but only the dual study's title says it
    assert _search(q="Chemie")[0] == region["chem_ms"].pk


def test_past_offers_leave_public_pages_and_sitemap(client, region):
    past = region["past"]
    assert client.get(reverse("portal:offer_detail", args=[past.slug])).status_code == 404
    assert past.slug not in client.get(reverse("core:sitemap")).content.decode()
    assert region["mech_borken"].slug in client.get(reverse("core:sitemap")).content.decode()
    company = client.get(reverse("portal:company_detail", args=[region["a"].slug])).content.decode()
    assert region["mech_borken"].slug in company and past.slug not in company


def test_unpublished_company_and_its_offers_are_hidden(client, region):
    from portal.services import profile_settings_save

    profile_settings_save(profile=region["a"], is_published=False, review_required=False, by=None)
    assert client.get(reverse("portal:company_detail", args=[region["a"].slug])).status_code == 404
    assert client.get(reverse("portal:offer_detail", args=[region["mech_borken"].slug])).status_code == 404
    assert region["mech_borken"].pk not in _search()


def test_search_page_and_occupation_overview(client, region):
    page = client.get(reverse("portal:search"), {"q": "Mechatroniker Borken"}).content.decode()
    assert "Terhechte Fördertechnik" in page and "Hölscher" not in page
    overview = client.get(reverse("portal:search"), {"q": "Mechatroniker", "ansicht": "berufe"}).content.decode()
    assert "Mechatroniker/-in" in overview
    groups = selectors.occupation_overview(selectors.OfferFilters(q="Mechatroniker"))
    assert groups == [
        {
            "occupation__slug": "mechatroniker-in",
            "occupation__name": "Mechatroniker/-in",
            "companies": 2,
            "offers": 2,
            "places": 4,
        }
    ]


def test_which_companies_train_an_occupation_in_a_district(client, region):
    region["a"].occupations.add(region["mech_borken"].occupation)
    region["b"].occupations.add(region["mech_borken"].occupation)
    response = client.get(reverse("portal:occupation_detail", args=["mechatroniker-in"]), {"kreis": "borken"})
    body = response.content.decode()
    assert "Terhechte Fördertechnik" in body and "Hölscher Chemie" not in body


def test_site_district_counts_for_the_offer(region):
    site = SiteFactory(profile=region["b"], name="Werk Bocholt", city="Bocholt", district=region["borken"])
    offer = OfferFactory(profile=region["b"], occupation_name="Chemikant/-in", site=site)
    assert offer.district == region["borken"]
    assert _search(q="Chemikant Borken") == [offer.pk]


def test_company_search(client, region):
    body = client.get(reverse("portal:company_list"), {"q": "Chemie"}).content.decode()
    assert "Hölscher Chemie" in body and "Terhechte" not in body
    body = client.get(reverse("portal:company_list"), {"kreis": "borken"}).content.decode()
    assert "Terhechte" in body and "Hölscher" not in body


def test_job_posting_json_ld(client, region):
    import json
    import re

    body = client.get(reverse("portal:offer_detail", args=[region["mech_borken"].slug])).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "JobPosting"
    assert data["hiringOrganization"]["name"] == "Terhechte Fördertechnik"
    assert data["validThrough"] == region["mech_borken"].start_date.isoformat()
    assert data["jobLocation"]["address"]["addressRegion"] == "Borken"


def test_query_count_does_not_grow_with_results(client, region):
    def count(url, params=None):
        with CaptureQueriesContext(connection) as context:
            assert client.get(url, params or {}).status_code == 200
        return len(context)

    urls = [
        (reverse("portal:search"), {"q": "Mechatroniker"}),
        (reverse("portal:search"), {}),
        (reverse("portal:search"), {"ansicht": "berufe"}),
        (reverse("portal:company_list"), {}),
        (reverse("portal:company_detail", args=[region["a"].slug]), {}),
        (reverse("core:sitemap"), {}),
    ]
    for url, params in urls:  # warm up: the first profile view of a month inserts its counter row
        count(url, params)
    before = [count(url, params) for url, params in urls]
    for _ in range(6):
        OfferFactory(profile=region["a"], occupation_name="Mechatroniker/-in")
        ProfileFactory(organisation=OrganisationFactory(district=region["borken"]))
    after = [count(url, params) for url, params in urls]
    assert before == after
    assert after[0] <= 3 and after[3] <= 3


@pytest.mark.parametrize("value", ["²", "0", "-3", "9" * 40, "١", "2.5"])
def test_hostile_page_and_year_parameters_give_a_page_not_an_error(client, login, staff, region, value):
    for name in ("portal:search", "portal:company_list"):
        response = client.get(reverse(name), {"seite": value})
        assert response.status_code == 200
    year = timezone.localdate().year
    response = login(staff).get(reverse("portal:staff_figures"), {"jahr": value})
    assert response.status_code == 200 and response.context["year"] == year

"""What the portal's selectors read, and in how many queries (pinned: a change that adds one fails here)."""

import datetime
import importlib
import json
import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from contacts.models import Consent
from portal import selectors, services
from portal.models import CompanyProfile, Offer
from portal.tests.factories import ContactFactory, OfferFactory, PhotoFactory, SiteFactory, change_request, occupation
from testing.factories import OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(portal_a, editor_a, media_root):
    site = SiteFactory(profile=portal_a)
    contact = ContactFactory(profile=portal_a, email="ina@firma-a.example")
    ContactFactory(profile=portal_a, consent=False, email="ohne@firma-a.example")
    offers = [OfferFactory(profile=portal_a, site=site, contact=contact) for _ in range(3)]
    PhotoFactory(profile=portal_a)
    portal_a.occupations.add(occupation())
    change_request(portal_a, editor_a)
    selectors.occupation_choices(), selectors.district_choices()  # the filter choices are cached per process
    return {"profile": portal_a, "offers": offers, "contact": contact}


def test_search_page_reads_two_queries(entry, django_assert_num_queries):
    filters = selectors.OfferFilters(q="Mechatroniker", occupation="mechatroniker-in")
    with django_assert_num_queries(2):
        page = selectors.offer_search(filters)
    assert len(page.rows) == 3 and page.rows[0].title_text == "Mechatroniker/-in"
    with django_assert_num_queries(1):
        assert selectors.occupation_overview(filters)[0]["offers"] == 3


def test_offer_page_reads_two_queries(entry, django_assert_num_queries):
    """The offer with everything its page shows (whether its contact consented, whether there are photos), then the photos."""
    slug = entry["offers"][0].slug
    with django_assert_num_queries(2):
        page = selectors.offer_page(slug)
    context = page.context()
    selectors.offer_job_posting(page.offer(), absolute_url=lambda path: "https://portal.example" + path)
    assert context["contact"].pk == entry["contact"].pk and len(context["photos"]) == 1
    assert page.title == "Mechatroniker/-in" and page.company_name == entry["profile"].name


def test_offer_page_without_photos_reads_one_query(entry, django_assert_num_queries):
    entry["profile"].photos.all().delete()
    with django_assert_num_queries(1):
        page = selectors.offer_page(entry["offers"][0].slug)
    assert page.context()["photos"] == []


def test_company_page_reads_seven_queries(entry, django_assert_num_queries):
    with django_assert_num_queries(7):
        profile = selectors.company_detail(entry["profile"].slug)
        contacts = selectors.published_contacts(profile.organisation_id)
        assert len(profile.public_offers) == 3 and len(profile.sites.all()) == 2 and len(profile.photos.all()) == 1
        assert [occupation.name for occupation in profile.occupations.all()] == ["Mechatroniker/-in"]
    assert contacts == [entry["contact"]]
    with django_assert_num_queries(1):
        assert len(selectors.company_search(selectors.CompanyFilters()).rows) == 1


def test_editor_dashboard_reads_seven_queries(entry, django_assert_num_queries):
    with django_assert_num_queries(7):
        dashboard = selectors.editor_dashboard(entry["profile"])
    assert len(dashboard["offers"]) == 3 and len(dashboard["pending"]) == 1
    assert sorted(published for _role, published in dashboard["contacts"]) == [False, True]


def test_staff_and_other_modules_read_a_fixed_number_of_queries(entry, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(selectors.latest_public_offers(limit=5)) == 3
    with django_assert_num_queries(1):
        assert selectors.public_offer(entry["offers"][0].pk) is not None
    with django_assert_num_queries(1):
        assert selectors.latest_published_companies(limit=5) == [entry["profile"]]
    with django_assert_num_queries(1):
        assert selectors.published_company(entry["profile"].pk) == entry["profile"]
    with django_assert_num_queries(3):  # changes, occupation names, the profile's occupations
        assert len(selectors.review_queue()) == 1
    with django_assert_num_queries(1):
        assert selectors.editor_emails() == ["redaktion-a@example.org"]
    with django_assert_num_queries(1):
        assert selectors.staff_profiles()[0].pending == 1
    with django_assert_num_queries(2):
        assert len(selectors.sitemap_entries()["offers"]) == 3
    mechatronics = occupation()
    with django_assert_num_queries(2):
        assert len(selectors.occupation_companies(mechatronics)[0].current_offers) == 3


def test_newsletter_is_offered_only_offers_the_public_sees_with_their_title(
    portal_a, portal_b, django_assert_num_queries
):
    today = timezone.localdate()
    shown = OfferFactory(profile=portal_a, title="")
    inactive = OfferFactory(profile=portal_a, is_active=False)
    past = OfferFactory(profile=portal_a)
    Offer.objects.filter(pk=past.pk).update(start_date=today - datetime.timedelta(days=1))
    unpublished = OfferFactory(profile=portal_b)
    services.profile_settings_save(profile=portal_b, is_published=False, review_required=False, by=None)
    # a company hidden without its offers' copy of the flag following: the company row still decides
    hidden = OfferFactory(profile=_profile(OrganisationFactory(name="Firma C")))
    CompanyProfile.objects.filter(pk=hidden.profile_id).update(is_published=False)

    with django_assert_num_queries(1):
        offers = selectors.latest_public_offers(limit=10)
        titles = [(offer.display_title, offer.profile.name) for offer in offers]
    assert titles == [("Mechatroniker/-in", portal_a.name)]
    assert selectors.public_offer(shown.pk) == shown
    for offer in (inactive, past, unpublished, hidden):
        assert selectors.public_offer(offer.pk) is None


def _profile(organisation):
    from portal.tests.factories import ProfileFactory

    return ProfileFactory(organisation=organisation)


def _json_ld(body: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))


def _empty_values(value, path="") -> list[str]:
    if value in (None, "", [], {}):
        return [path]
    if isinstance(value, dict):
        return [found for key, item in value.items() for found in _empty_values(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [found for index, item in enumerate(value) for found in _empty_values(item, f"{path}[{index}]")]
    return []


def test_search_engines_get_the_job_description_as_sanitised_html_without_empty_fields(client, db):
    from portal.tests.factories import ProfileFactory

    organisation = OrganisationFactory(name="Ohne Straße GmbH", street="", postcode="48143", city="Münster")
    profile = ProfileFactory(organisation=organisation, short_description="Wir bauen <b>Pumpen</b> & Ventile.")
    offer = OfferFactory(
        profile=profile, requirements='Fachoberschulreife\n<script>alert("x")</script><img src=x onerror=alert(1)>',
        how_to_apply="",
    )  # fmt: skip
    body = client.get(reverse("portal:offer_detail", args=[offer.slug])).content.decode()
    assert "<script>alert" not in body
    data = _json_ld(body)
    assert data["@type"] == "JobPosting" and _empty_values(data) == []
    description = data["description"]
    assert description.startswith("<p>Wir bauen &lt;b&gt;Pumpen&lt;/b&gt; &amp; Ventile.</p>")
    assert "<h3>Voraussetzungen</h3><p>Fachoberschulreife<br>&lt;script&gt;" in description
    assert "<script" not in description and "<img" not in description and "So bewerben" not in description
    assert "streetAddress" not in data["jobLocation"]["address"]
    assert data["jobLocation"]["address"]["addressLocality"] == "Münster"


def test_existing_portal_consents_are_given_the_company_they_were_recorded_for(portal_a, portal_b):
    migration = importlib.import_module("portal.migrations.0005_portal_consents_per_company")
    company_c = _profile(OrganisationFactory(name="Firma C"))

    def contact(profile, email, person=None):
        person = person or PersonFactory(email=email)
        OrganisationRoleFactory(person=person, organisation=profile.organisation, kind="training", email=email)
        return person

    def old_consent(email, source="Industrie-Portal", person=None):
        return Consent.objects.create(
            email=email, person=person, purpose=services.CONSENT_PURPOSE, wording="…", wording_version="1",
            source=source, given_at=timezone.now(),
        )  # fmt: skip

    only_a = old_consent("nur-a@example.org", person=contact(portal_a, "nur-a@example.org"))
    contact(portal_a, "beide@example.org")
    contact(portal_b, "beide@example.org")
    named_b = old_consent(
        "beide@example.org", source=f"Industrie-Portal, erfasst von x@example.org für {portal_b.name}"
    )
    unclear = old_consent("beide@example.org")
    person = contact(portal_a, "person@example.org")
    contact(company_c, "person@example.org")
    contact(company_c, "person@example.org", person=contact(portal_b, "anders@example.org"))
    by_person = old_consent("person@example.org", person=person)
    nowhere = old_consent("unbekannt@example.org")
    newsletter = Consent.objects.create(
        email="nur-a@example.org", purpose="newsletter.industrie", wording="…", wording_version="1", source="x",
        given_at=timezone.now(),
    )  # fmt: skip

    migration.assign_companies(apps, None)

    def company(consent):
        consent.refresh_from_db()
        return consent.organisation_id

    assert company(only_a) == portal_a.organisation_id
    assert company(named_b) == portal_b.organisation_id
    assert company(by_person) == portal_a.organisation_id
    assert company(unclear) is None and company(nowhere) is None and company(newsletter) is None


def test_previews_and_editor_helpers_read_a_fixed_number_of_queries(entry, django_assert_num_queries):
    profile = entry["profile"]
    offer = entry["offers"][0]
    mechatronics = occupation()
    data = {"short_description": "Neu", "description": "<p><b>Neu</b></p>", "occupations": [mechatronics.pk]}
    # profile with sites, photos, public offers; its occupations; the contacts and their consents
    with django_assert_num_queries(7):
        page = selectors.profile_preview(profile, data)
    assert page["profile"].short_description == "Neu" and len(page["offers"]) == 3 and len(page["contacts"]) == 1
    offer_data = {"occupation": offer.occupation_id, "start_date": offer.start_date.isoformat(), "title": "Neu",
                  "site": offer.site_id, "contact": entry["contact"].pk}  # fmt: skip
    # the offer; the company with its photos (2); occupation, site, contact; the contact's consent
    with django_assert_num_queries(7):
        preview = selectors.offer_preview(profile, offer.pk, offer_data)
    assert preview["offer"].display_title == "Neu" and preview["contact"] == entry["contact"]
    selectors.occupation_names()
    with django_assert_num_queries(0):  # the occupation list and the filter choices are cached
        assert selectors.occupation_matches("Mechatronikerin")[0][1] == "Mechatroniker/-in"
        assert selectors.occupation_resolve("mechatroniker/-in")[0] == mechatronics.pk
        assert "Kreis" not in selectors.filters_summary(selectors.OfferFilters(q="Mechatronik"))

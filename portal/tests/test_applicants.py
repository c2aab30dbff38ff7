"""What a pupil sees: offers nearest first with "Entfernung: ca. 12 km", logos and photos, an "apply" button."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal import selectors
from portal.models import Offer, Photo
from portal.places import place_lookup
from portal.tests.factories import OfferFactory, PhotoFactory, ProfileFactory, SiteFactory, png_upload
from testing.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns(db):
    """Four companies: in Coesfeld, Münster (a site in Hiltrup), Bocholt and one whose town nobody knows."""
    coesfeld = DistrictFactory(name="Coesfeld", slug="coesfeld")
    companies = {
        "coesfeld": ("Coesfelder Drahtwerk", "Coesfeld", "48653", coesfeld),
        "muenster": ("Hölscher Chemie", "Münster", "48143", DistrictFactory(name="Münster", slug="munster")),
        "bocholt": ("Terhechte Fördertechnik", "Bocholt", "46395", DistrictFactory(name="Borken", slug="borken")),
        "unknown": ("Irgendwo GmbH", "Nirgendwo", "99999", coesfeld),
    }
    offers = {}
    for key, (name, city, postcode, district) in companies.items():
        profile = ProfileFactory(
            organisation=OrganisationFactory(name=name, city=city, postcode=postcode, district=district)
        )
        offers[key] = OfferFactory(profile=profile)
    hiltrup = SiteFactory(
        profile=offers["muenster"].profile, name="Werk Hiltrup", city="Münster-Hiltrup", postcode="48165",
        district=offers["muenster"].district,
    )  # fmt: skip
    offers["hiltrup"] = OfferFactory(profile=offers["muenster"].profile, site=hiltrup)
    selectors.clear_caches()
    return offers


def _titles(response) -> list[str]:
    return re.findall(r'<p><span class="badge">[^<]*</span> bei <a href="[^"]*">([^<]*)</a>', response.content.decode())


def test_offers_are_ordered_by_distance_from_the_pupils_town(client, towns):
    """A pupil in Dülmen: Coesfeld (~10 km) before Hiltrup and Münster, Bocholt far, unknown places last."""
    response = client.get(reverse("portal:search"), {"ort": "Dülmen"})
    assert response.status_code == 200
    assert _titles(response) == [
        "Coesfelder Drahtwerk", "Hölscher Chemie", "Hölscher Chemie", "Terhechte Fördertechnik", "Irgendwo GmbH",
    ]  # fmt: skip
    body = response.content.decode()
    # each offer with a known place says how far it is; Hiltrup's site is nearer than Münster's centre
    distances = [int(km) for km in re.findall(r"Entfernung: ca\. (\d+) km", body)]
    assert len(distances) == 4 and distances == sorted(distances)
    assert 13 <= distances[0] <= 17  # Dülmen – Coesfeld
    page = selectors.offer_search(selectors.OfferFilters(place=place_lookup("Dülmen"), sort="entfernung"))
    by_pk = {row.pk: row for row in page.rows}
    assert by_pk[towns["hiltrup"].pk].distance_km < by_pk[towns["muenster"].pk].distance_km


def test_a_postcode_works_as_well_as_a_town_and_a_radius_filters(client, towns):
    near = client.get(reverse("portal:search"), {"ort": "48653", "umkreis": "25"})
    assert _titles(near) == ["Coesfelder Drahtwerk"]
    wider = client.get(reverse("portal:search"), {"ort": "48653", "umkreis": "50"})
    assert sorted(_titles(wider)) == [
        "Coesfelder Drahtwerk",
        "Hölscher Chemie",
        "Hölscher Chemie",
        "Terhechte Fördertechnik",
    ]


def test_an_unknown_town_is_explained_and_the_other_filters_still_apply(client, towns):
    response = client.get(reverse("portal:search"), {"ort": "Hintertupfingen", "q": "Mechatroniker"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "„Hintertupfingen“ kennen wir nicht" in body and 'aria-invalid="true"' in body
    assert len(_titles(response)) == 5 and "Entfernung:" not in body


def test_near_me_search_reads_two_queries(towns, django_assert_num_queries):
    selectors.occupation_choices(), selectors.district_choices()
    filters = selectors.OfferFilters(place=place_lookup("Rheine"), radius=None, sort="entfernung")
    with django_assert_num_queries(2):
        page = selectors.offer_search(filters)
    assert len(page.rows) == 5
    with django_assert_num_queries(2):
        assert len(selectors.offer_search(selectors.OfferFilters(place=place_lookup("Rheine"), radius=50)).rows) == 3


def test_moving_an_offer_to_another_site_moves_its_place(towns):
    offer = Offer.objects.get(pk=towns["coesfeld"].pk)
    rheine = place_lookup("Rheine")
    assert (offer.latitude, offer.longitude) == (place_lookup("Coesfeld").latitude, place_lookup("Coesfeld").longitude)
    site = SiteFactory(profile=offer.profile, name="Werk Rheine", city="Rheine", postcode="48431")
    from portal.services import profile_index

    Offer.objects.filter(pk=offer.pk).update(site=site)
    profile_index(offer.profile)
    offer.refresh_from_db()
    assert (offer.latitude, offer.longitude) == (rheine.latitude, rheine.longitude)
    assert Offer.objects.get(pk=towns["unknown"].pk).latitude is None


def test_apply_buttons_say_where_they_lead(client, towns):
    offer = towns["coesfeld"]
    Offer.objects.filter(pk=offer.pk).update(
        apply_email="bewerbung@drahtwerk.example", apply_url="https://karriere.drahtwerk.example/formular"
    )
    body = client.get(reverse("portal:offer_detail", args=[offer.slug])).content.decode()
    assert "Jetzt bewerben" in body
    assert (
        '<a class="button" href="https://karriere.drahtwerk.example/formular" rel="noopener nofollow">Online bewerben</a>'
        in body
    )
    assert "auf der Website von Coesfelder Drahtwerk" in body
    mailto = re.search(r'href="(mailto:bewerbung@drahtwerk\.example\?subject=[^"]+)">Per E-Mail bewerben</a>', body)
    assert mailto and "Bewerbung%3A%20Mechatroniker/-in%20%28Beginn%20" in mailto.group(1)
    assert "Adresse: bewerbung@drahtwerk.example" in body
    # an offer without either shows no apply box
    assert (
        "Jetzt bewerben"
        not in client.get(reverse("portal:offer_detail", args=[towns["bocholt"].slug])).content.decode()
    )


def test_editor_cannot_set_a_script_link_as_apply_address(login, editor_a, company_a):
    profile = ProfileFactory(organisation=company_a)
    offer = OfferFactory(profile=profile)
    response = login(editor_a).post(
        reverse("portal:offer_edit", args=[offer.pk]),
        {
            "kind": "ausbildung", "occupation": offer.occupation_id, "title": "", "start_date": offer.start_date.isoformat(),
            "places": 2, "apply_url": "javascript:alert(1)", "apply_email": "keine-adresse", "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "mit https:// oder http:// beginnt" in body and "gültige E-Mail-Adresse" in body
    offer.refresh_from_db()
    assert offer.apply_url == "" and offer.apply_email == ""


def test_logo_and_photos_show_on_profile_offer_and_results_with_alt_text(client, towns, media_root):
    from portal.services import _apply_profile, photo_add, store_upload
    from portal.validators import image_clean

    offer = towns["coesfeld"]
    profile = offer.profile
    _apply_profile(profile, {"logo": store_upload(image_clean(png_upload("logo.png")), "logos")}, None)
    big = image_clean(png_upload("halle.png", size=(1800, 1200)))
    photo_add(profile=profile, image=big, alt_text="Auszubildende an der Drehmaschine")
    photo = Photo.objects.get(profile=profile)
    assert (photo.width, photo.height) == (1600, 1067)  # scaled down on upload
    assert photo.small and photo.small_width == 640

    company = client.get(reverse("portal:company_detail", args=[profile.slug])).content.decode()
    assert 'alt="Logo von Coesfelder Drahtwerk"' in company and 'width="40" height="20"' in company
    assert f'srcset="{photo.small.url} 640w, {photo.image.url} 1600w"' in company
    assert 'alt="Auszubildende an der Drehmaschine"' in company and 'loading="lazy"' in company
    detail = client.get(reverse("portal:offer_detail", args=[offer.slug])).content.decode()
    assert 'alt="Logo von Coesfelder Drahtwerk"' in detail and "Einblicke bei Coesfelder Drahtwerk" in detail
    assert 'alt="Auszubildende an der Drehmaschine"' in detail
    # in the result list the logo stands beside the company's name: decorative, not read twice
    results = client.get(reverse("portal:search")).content.decode()
    assert re.search(r'<img class="company-logo" src="[^"]+" width="40" height="20" alt="">', results)


def test_plurals_are_german(client, towns):
    """ "in 1 Berufen" was on the occupation overview; durations and counts agree with their number."""
    body = client.get(reverse("portal:search"), {"ansicht": "berufe"}).content.decode()
    assert "in 1 Beruf</caption>" in body and "in 1 Berufen" not in body
    body = client.get(reverse("portal:occupation_list")).content.decode()
    assert "52 anerkannte Ausbildungsberufe" in body and "3,5 Jahre" in body and "1 Jahre" not in body
    occupation = towns["coesfeld"].occupation
    towns["coesfeld"].profile.occupations.add(occupation)
    body = client.get(reverse("portal:occupation_detail", args=[occupation.slug])).content.decode()
    assert "3,5 Jahre (42 Monate)" in body and "1 Unternehmen</p>" in body
    from portal.models import Occupation

    assert Occupation(duration_months=12).duration_text == "1 Jahr"
    assert Occupation(duration_months=24).duration_text == "2 Jahre"
    assert Occupation(duration_months=18).duration_text == "1,5 Jahre"


def test_search_page_query_count_stays_flat_with_a_town(client, towns):
    client.get(reverse("portal:search"), {"ort": "Dülmen"})  # fills the cached filter choices
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("portal:search"), {"ort": "Dülmen"})
    for _ in range(5):
        OfferFactory(profile=towns["bocholt"].profile)
    with CaptureQueriesContext(connection) as second:
        client.get(reverse("portal:search"), {"ort": "Dülmen"})
    assert len(second) == len(first)


def test_small_photo_is_kept_without_a_copy(towns, media_root):
    photo = PhotoFactory(profile=towns["coesfeld"].profile)
    assert not photo.small and (photo.width, photo.height) == (40, 20)

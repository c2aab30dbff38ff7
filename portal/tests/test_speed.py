"""What the speed work (issue 18) must not change in the portal: the search's result cards, the offer
page's body and JSON-LD and the alert sign-up form are rendered once per process for the same values
(``core.fragments``) and the pages' SQL is compiled once (``core.prepared``), yet an edited,
unpublished or withdrawn offer, company or contact shows so on the very next request."""

import datetime
import re

import pytest
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from contacts.models import OrganisationRole
from contacts.services import consent_withdraw
from portal import selectors, services
from portal.models import CONSENT_PURPOSE, ChangeRequest, CompanyProfile, Occupation, Offer, Photo, Site
from portal.tests.factories import ContactFactory, OfferFactory, PhotoFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(portal_a):
    site = SiteFactory(profile=portal_a, city="Bocholt")
    contact = ContactFactory(profile=portal_a, email="ina@firma-a.example")
    return OfferFactory(profile=portal_a, site=site, contact=contact, places=2)


def _search(client, **params) -> str:
    return client.get(reverse("portal:search"), params).content.decode()


def _cards(page: str) -> list[str]:
    return re.findall(r'<li class="card result">.*?</li>', page, re.S)


def _offer_page(client, offer):
    return client.get(reverse("portal:offer_detail", args=[offer.slug]))


def _edit(offer, editor, **changes) -> None:
    """An editor's change to the offer through the service (applied at once: no review for this company)."""
    offer = Offer.objects.get(pk=offer.pk)
    data = {
        "kind": offer.kind, "title": offer.title, "occupation": offer.occupation_id, "site": offer.site_id,
        "contact": offer.contact_id, "start_date": offer.start_date.isoformat(), "places": offer.places,
        "requirements": offer.requirements, "how_to_apply": offer.how_to_apply, "apply_email": offer.apply_email,
        "apply_url": offer.apply_url, "is_active": offer.is_active, **changes,
    }  # fmt: skip
    result = services.change_submit(
        profile=offer.profile, kind=ChangeRequest.Kind.OFFER, data=data, target_id=offer.pk, author=editor
    )
    assert result.applied


def test_an_edited_offer_shows_its_new_title_places_and_start_on_the_very_next_request(client, offer, editor_a):
    start = offer.start_date
    assert "2 Plätze" in _search(client) and "<h1>Mechatroniker/-in</h1>" in _offer_page(client, offer).content.decode()

    later = start + datetime.timedelta(days=30)
    _edit(offer, editor_a, title="Mechatroniker/-in im Werk Bocholt", places=3, start_date=later.isoformat())

    card = _cards(_search(client))[0]
    assert "Mechatroniker/-in im Werk Bocholt" in card and "3 Plätze" in card and later.strftime("%d.%m.%Y") in card
    page = _offer_page(client, offer).content.decode()
    assert "<h1>Mechatroniker/-in im Werk Bocholt</h1>" in page and "<title>Mechatroniker/-in im Werk Bocholt –" in page
    assert f'"jobStartDate":"{later.isoformat()}"' in page and '"totalJobOpenings":3' in page


def test_an_offer_changed_behind_the_services_back_shows_so_on_the_next_request(client, offer):
    """The cached parts are keyed by every value they show, not by ``updated_at``."""
    _offer_page(client, offer)
    Offer.objects.filter(pk=offer.pk).update(requirements="Abitur", apply_email="bewerbung@firma-a.example")
    page = _offer_page(client, offer).content.decode()
    assert "<p>Abitur</p>" in page and "mailto:bewerbung@firma-a.example" in page and "Fachoberschulreife" not in page


def test_a_renamed_company_shows_its_new_name_on_result_cards_and_the_offer_page(client, offer, portal_a):
    assert portal_a.name in _cards(_search(client))[0]
    _offer_page(client, offer)
    CompanyProfile.objects.filter(pk=portal_a.pk).update(name="Firma A Antriebstechnik")

    assert "Firma A Antriebstechnik</a>" in _cards(_search(client))[0]
    page = _offer_page(client, offer).content.decode()
    assert "Firma A Antriebstechnik</a>" in page and "– Firma A Antriebstechnik – Kammerwerk</title>" in page


def test_an_unpublished_company_leaves_the_search_and_its_offer_pages_on_the_very_next_request(client, offer, portal_a):
    assert len(_cards(_search(client))) == 1 and _offer_page(client, offer).status_code == 200

    services.profile_settings_save(profile=portal_a, is_published=False, review_required=False, by=None)
    assert _cards(_search(client)) == [] and _offer_page(client, offer).status_code == 404

    services.profile_settings_save(profile=portal_a, is_published=True, review_required=False, by=None)
    assert len(_cards(_search(client))) == 1 and _offer_page(client, offer).status_code == 200


def test_a_deactivated_offer_leaves_the_search_and_its_page_on_the_next_request(client, offer, editor_a):
    assert len(_cards(_search(client))) == 1 and _offer_page(client, offer).status_code == 200
    _edit(offer, editor_a, is_active=False)
    assert _cards(_search(client)) == [] and _offer_page(client, offer).status_code == 404


def test_the_home_page_counts_the_offers_the_public_sees_and_a_deactivated_one_drops_out_on_the_next_visit(
    client, offer, editor_a
):
    OfferFactory(profile=offer.profile, is_active=False)  # not counted
    home = reverse("core:home")
    assert "1 Angebot im Portal" in client.get(home).content.decode()
    OfferFactory(profile=offer.profile)
    assert "2 Angebote im Portal" in client.get(home).content.decode()
    _edit(offer, editor_a, is_active=False)
    assert "1 Angebot im Portal" in client.get(home).content.decode()


def test_a_withdrawn_consent_hides_the_contact_person_on_the_next_request(client, offer, portal_a):
    assert "ina@firma-a.example" in _offer_page(client, offer).content.decode()
    consent_withdraw(email="INA@firma-a.example", purpose=CONSENT_PURPOSE, organisation=portal_a.organisation)
    page = _offer_page(client, offer).content.decode()
    assert "ina@firma-a.example" not in page and "Die Kontakte finden Sie im" in page


def test_a_contact_with_a_new_phone_number_shows_it_on_the_next_request(client, offer):
    assert "Telefon 0251 1234" in _offer_page(client, offer).content.decode()
    OrganisationRole.objects.filter(pk=offer.contact_id).update(phone="02871 9876")
    assert "Telefon 02871 9876" in _offer_page(client, offer).content.decode()


def test_a_contact_who_left_the_company_is_no_longer_shown(client, offer):
    assert "Ausbildungsleitung" in _offer_page(client, offer).content.decode()
    OrganisationRole.objects.filter(pk=offer.contact_id).update(is_active=False)
    assert "Ausbildungsleitung" not in _offer_page(client, offer).content.decode()


def test_a_renamed_occupation_shows_on_cards_and_pages_of_offers_without_a_title_of_their_own(client, offer):
    _search(client), _offer_page(client, offer)
    Occupation.objects.filter(pk=offer.occupation_id).update(name="Mechatroniker/-in (neu)")
    assert "Mechatroniker/-in (neu)</a></h3>" in _cards(_search(client))[0]
    assert "<h1>Mechatroniker/-in (neu)</h1>" in _offer_page(client, offer).content.decode()
    Occupation.objects.filter(pk=offer.occupation_id).update(name="Mechatroniker/-in")


def test_a_site_moved_to_another_town_shows_on_the_card_and_the_offer_page(client, offer):
    assert " · Bocholt" in _cards(_search(client))[0]
    _offer_page(client, offer)
    Site.objects.filter(pk=offer.site_id).update(city="Rhede", postcode="46414")
    assert " · Rhede" in _cards(_search(client))[0]
    assert "46414 Rhede" in _offer_page(client, offer).content.decode()


def test_a_new_logo_shows_on_the_card_and_the_offer_page(client, offer, portal_a):
    _search(client), _offer_page(client, offer)
    CompanyProfile.objects.filter(pk=portal_a.pk).update(logo="portal/logos/a.png", logo_width=80, logo_height=40)
    assert 'src="/media/portal/logos/a.png" width="80" height="40" alt=""' in _cards(_search(client))[0]
    page = _offer_page(client, offer).content.decode()
    assert f'src="/media/portal/logos/a.png" width="80" height="40" alt="Logo von {portal_a.name}"' in page


def test_new_and_deleted_photos_show_on_the_offer_page_on_the_next_request(client, offer, portal_a, media_root):
    assert "Lehrwerkstatt" not in _offer_page(client, offer).content.decode()
    photo = PhotoFactory(profile=portal_a)
    assert 'alt="Lehrwerkstatt"' in _offer_page(client, offer).content.decode()
    Photo.objects.filter(pk=photo.pk).update(alt_text="Azubis an der Drehbank")
    assert 'alt="Azubis an der Drehbank"' in _offer_page(client, offer).content.decode()
    services.photo_delete(photo=Photo.objects.get(pk=photo.pk))
    assert "Einblicke bei" not in _offer_page(client, offer).content.decode()


def test_a_past_offer_leaves_the_search_and_its_page_the_day_it_starts(client, offer, time_machine):
    assert len(_cards(_search(client))) == 1 and _offer_page(client, offer).status_code == 200
    time_machine.move_to(timezone.now() + datetime.timedelta(days=201), tick=False)
    assert _cards(_search(client)) == [] and _offer_page(client, offer).status_code == 404


def test_english_visitors_get_english_cards(client, offer):
    assert '<span class="badge">Ausbildungsplatz</span> bei' in _cards(_search(client))[0]
    client.cookies["kammerwerk_language"] = "en"
    assert '<span class="badge">Apprenticeship</span> at' in _cards(_search(client))[0]


def test_a_search_with_an_error_still_says_so_after_the_same_search_without_it(client, offer):
    assert 'aria-invalid="true"' not in _search(client, q="Mechatroniker", ort="Coesfeld")
    page = _search(client, q="Mechatroniker", ort="Hintertupfingen")
    assert "„Hintertupfingen“ kennen wir nicht" in page and 'aria-invalid="true"' in page


def test_two_visitors_get_the_same_sign_up_form_each_with_their_own_csrf_token(client, offer):
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first, second = _search(client), _search(type(client)())
    box = [re.search(r'<section class="card alert-box".*?</section>', page, re.S).group(0) for page in (first, second)]
    assert token.search(box[0]).group(1) != token.search(box[1]).group(1)
    assert token.sub("", box[0]) == token.sub("", box[1]) and 'name="email"' in box[0]


def test_the_offer_page_and_its_card_show_what_the_full_offer_renders(client, offer, portal_a, media_root):
    """Every value the templates show is among the values read (a missing one would render empty)."""
    PhotoFactory(profile=portal_a)
    CompanyProfile.objects.filter(pk=portal_a.pk).update(logo="portal/logos/a.png", logo_width=80, logo_height=40)
    Offer.objects.filter(pk=offer.pk).update(
        title="Mechatroniker/-in (m/w/d)", apply_url="https://firma-a.example/jobs", apply_email="jobs@firma-a.example"
    )
    full = (
        Offer.objects.select_related(
            "profile__organisation", "occupation", "site__district", "district", "contact__person"
        )
        .prefetch_related(Prefetch("profile__photos", queryset=Photo.objects.order_by("created_at", "id")))
        .get(pk=offer.pk)
    )
    body = render_to_string(
        "portal/_offer_body.html",
        {"offer": full, "contact": selectors.offer_contact(full), "photos": list(full.profile.photos.all())},
    )
    page = _offer_page(client, offer).content.decode()
    assert body in page and "Jetzt bewerben" in body and "Einblicke bei" in body and "ina@firma-a.example" in body
    absolute = lambda path: "http://testserver" + path  # noqa: E731
    read = selectors.offer_page(offer.slug).offer()
    assert selectors.offer_job_posting(read, absolute_url=absolute) == selectors.offer_job_posting(
        full, absolute_url=absolute
    )

    [card] = _cards(_search(client))
    selectors._with_urls([full], url="portal:offer_detail", company_url="portal:company_detail")
    selectors._with_labels([full])
    full.distance_text = ""
    assert card == render_to_string("portal/_offer_card.html", {"offer": full})
    assert "Mechatroniker/-in (m/w/d)" in card and "logos/a.png" in card and full.site.city in card

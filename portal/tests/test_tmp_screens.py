import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_screens(page, login_page_as, staff, media_root):
    from portal.models import Offer
    from portal.services import _apply_profile, photo_add, store_upload
    from portal.tests.factories import OfferFactory, ProfileFactory, SiteFactory, occupation, png_upload
    from portal.validators import image_clean
    from testing.factories import DistrictFactory, OrganisationFactory, make_editor
    from portal.models import ChangeRequest

    district = DistrictFactory(name="Coesfeld", slug="coesfeld")
    profile = ProfileFactory(organisation=OrganisationFactory(name="Coesfelder Drahtwerk", city="Coesfeld", postcode="48653", district=district), review_required=True)
    _apply_profile(profile, {"logo": store_upload(image_clean(png_upload("logo.png", size=(300, 120))), "logos"), "description": "<p>Seit <b>1950</b>.</p>", "short_description": "Drähte aus Coesfeld"}, None)
    photo_add(profile=profile, image=image_clean(png_upload("halle.png", size=(1800, 1200))), alt_text="Halle")
    profile.occupations.add(occupation())
    offer = OfferFactory(profile=profile)
    Offer.objects.filter(pk=offer.pk).update(apply_email="jobs@drahtwerk.example", apply_url="https://drahtwerk.example/jobs")
    editor = make_editor(profile.organisation, "r@d.example")
    login_page_as(editor)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/portal/redaktion/{profile.pk}/profil/")
    page.get_by_role("textbox", name="Beschreibung:", exact=True).click()
    page.keyboard.type(" Mehr Text")
    page.get_by_label("Beruf hinzufügen").fill("Chemi")
    page.wait_for_selector(".suggestion")
    page.screenshot(path="test-results/screens/tmp-editor.png", full_page=True)
    page.get_by_role("button", name="Chemikant/-in hinzufügen").click()
    page.get_by_role("button", name="Zur Prüfung einreichen").click()
    page.wait_for_selector(".messages")
    login_page_as(staff)
    page.goto("/portal/verwaltung/pruefung/")
    page.screenshot(path="test-results/screens/tmp-review.png", full_page=True)
    page.context.clear_cookies()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/portal/ausbildung/{offer.slug}/")
    page.screenshot(path="test-results/screens/tmp-offer.png", full_page=True)
    page.goto(f"/portal/unternehmen/{profile.slug}/")
    page.screenshot(path="test-results/screens/tmp-company.png", full_page=True)

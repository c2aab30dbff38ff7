"""Acceptance in Chromium: a visitor finds a company; an editor changes it; staff approve."""

import pytest

from testing.axe import axe_violations, format_violations
from testing.factories import DistrictFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_search_editor_change_staff_approval(page, login_page_as, staff, media_root):
    from portal.selectors import clear_caches
    from portal.tests.factories import ContactFactory, OfferFactory, ProfileFactory, occupation
    from testing.factories import make_editor

    borken = DistrictFactory(name="Borken", slug="borken")
    organisation = OrganisationFactory(name="Terhechte Fördertechnik", district=borken, city="Bocholt")
    profile = ProfileFactory(organisation=organisation, short_description="Förderanlagen aus dem Westmünsterland.")
    profile.occupations.add(occupation())
    contact = ContactFactory(profile=profile, consent=True, email="ausbildung@terhechte.example")
    OfferFactory(profile=profile, occupation_name="Mechatroniker/-in", contact=contact)
    other = ProfileFactory(
        organisation=OrganisationFactory(
            name="Hölscher Chemie", district=DistrictFactory(name="Münster", slug="munster")
        )
    )
    OfferFactory(profile=other, occupation_name="Mechatroniker/-in")
    editor = make_editor(organisation, "redaktion@terhechte.example")
    profile.review_required = True
    profile.save()
    clear_caches()

    # a visitor searches, opens the company, sees its offers and contacts
    page.goto("/portal/")
    page.get_by_label("Suchbegriff").fill("Mechatroniker Borken")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url("**/portal/?q=Mechatroniker+Borken*")  # is_visible() does not wait for the results page
    results = page.locator(".result-list")
    assert results.get_by_role("link", name="Terhechte Fördertechnik").is_visible()
    assert "Hölscher" not in results.inner_text()
    assert not axe_violations(page), format_violations(axe_violations(page))
    results.get_by_role("link", name="Terhechte Fördertechnik").click()
    page.wait_for_url("**/portal/unternehmen/*/")
    assert page.get_by_role("heading", level=1).inner_text() == "Terhechte Fördertechnik"
    assert page.get_by_role("link", name="Mechatroniker/-in").first.is_visible()
    assert "ausbildung@terhechte.example" in page.locator("#contacts").locator("..").inner_text()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # the editor changes the profile; with review on it waits
    login_page_as(editor)
    page.goto(f"/portal/redaktion/{profile.pk}/profil/")
    page.get_by_label("Kurzbeschreibung").fill("Jetzt mit eigener Lehrwerkstatt!")
    page.get_by_role("button", name="Zur Prüfung einreichen").click()  # review is on: the button says so
    assert "zur Prüfung eingereicht" in page.locator(".messages").inner_text()
    page.context.clear_cookies()
    page.goto(f"/portal/unternehmen/{profile.slug}/")
    assert "Lehrwerkstatt" not in page.content()

    # staff approve it; it is live
    login_page_as(staff)
    page.goto("/portal/verwaltung/pruefung/")
    assert "Jetzt mit eigener Lehrwerkstatt!" in page.content()
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name="Freigeben").first.click()
    assert "freigegeben" in page.locator(".messages").inner_text()
    page.context.clear_cookies()
    page.goto(f"/portal/unternehmen/{profile.slug}/")
    assert "Jetzt mit eigener Lehrwerkstatt!" in page.content()

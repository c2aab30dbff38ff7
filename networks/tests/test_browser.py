"""Acceptance in Chromium: staff move a prospect to "joined" on the board; the network page, the company's timeline
and the figures show it. The public supporters page at 375 px."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks import services
from networks.models import Prospect
from networks.tests.factories import NetworkFactory, ProspectFactory, SupportFactory, png_bytes
from testing.axe import axe_violations, format_violations
from testing.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_violations(page, javascript=True):
    if not javascript:  # axe-core runs as a script
        return
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-javascript"])
def test_staff_move_a_prospect_to_joined_and_network_timeline_and_figures_show_it(
    chromium, live_server, staff, company_a, javascript
):
    network = NetworkFactory(name="Industrieverbund Münsterland")
    ProspectFactory(
        network=network, organisation=company_a, stage=Prospect.Stage.INTERESTED, responsible=staff,
        next_step="Beitrittserklärung abholen", next_step_due=timezone.localdate(),
    )  # fmt: skip
    context = chromium.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=javascript)
    from django.test import Client

    client = Client()
    client.force_login(staff, backend="accounts.backends.UserRolesBackend")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(reverse("networks:prospect_board"))
        _no_violations(page, javascript)
        card = page.get_by_role("article", name="Firma A Maschinenbau")
        assert "Beitrittserklärung abholen" in card.inner_text()
        # a step back without a reason is refused, with the reason it is not
        card.get_by_label("Phase").select_option(label="identifiziert")
        card.get_by_role("button", name="Verschieben").click()
        page.get_by_text("braucht eine Begründung").wait_for()
        card = page.get_by_role("article", name="Firma A Maschinenbau")
        if javascript:
            page.evaluate("window.kammerwerkMarker = 1")
        card.get_by_label("Phase").select_option(label="beigetreten")
        card.get_by_role("button", name="Verschieben").click()
        page.get_by_text("Firma A Maschinenbau: beigetreten.").wait_for()
        if javascript:  # htmx swapped the board in place: the page was not reloaded
            assert page.evaluate("window.kammerwerkMarker") == 1
        joined = page.get_by_role("region", name="beigetreten")
        assert joined.get_by_role("article", name="Firma A Maschinenbau").is_visible()
        _no_violations(page, javascript)

        page.goto(reverse("networks:network_detail", args=[network.pk]))
        members = page.get_by_role("table", name="1 Mitglied")
        assert members.get_by_role("link", name="Firma A Maschinenbau", exact=True).is_visible()
        _no_violations(page, javascript)

        page.goto(reverse("contacts:organisation_detail", args=[company_a.pk]))
        timeline = page.locator("ol.timeline").inner_text()
        assert "Mitglied im Industrieverbund Münsterland (Mitglied)" in timeline
        assert "Akquise für Industrieverbund Münsterland: interessiert → beigetreten" in timeline
        assert "Industrieverbund Münsterland: Mitglied seit" in page.locator("main").inner_text()

        page.goto(f"{reverse('core:figures')}?jahr={timezone.localdate().year}")
        # cells: previous year, this year, change
        row = page.get_by_role("row", name="neue Mitglieder in Industrieverbünden")
        assert row.get_by_role("cell").nth(1).inner_text().strip() == "1"
        row = page.get_by_role("row", name="durch Akquise gewonnene Unternehmen")
        assert row.get_by_role("cell").nth(1).inner_text().strip() == "1"
    finally:
        context.close()


def test_the_public_supporters_page_works_at_375_pixels(page, staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    for name, kind in (("Sendker Stahlbau GmbH & Co. KG", "sponsor"), ("Wigger Messtechnik", "member")):
        support = SupportFactory(
            organisation=OrganisationFactory(name=name), kind=kind,
            year=today.year, starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=10),
        )  # fmt: skip
        services.logo_save(
            organisation=support.organisation, image=SimpleUploadedFile("l.png", png_bytes()), public=True,
            consent_source="Vertrag", by=staff,
        )  # fmt: skip
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(reverse("networks:supporters"))
    assert page.get_by_role("heading", level=1).inner_text() == "Unterstützer der Industrie-Initiative"
    assert page.get_by_role("img", name="Logo von Sendker Stahlbau GmbH & Co. KG").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    _no_violations(page)

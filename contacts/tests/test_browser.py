"""The import in a real browser: upload, see the bad row, confirm, find the organisations in the list."""

import pytest

from contacts.models import Organisation
from contacts.tests.helpers import csv_bytes, organisation_row
from testing.axe import axe_violations, format_violations
from testing.factories import DistrictFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_import_through_the_ui(page, staff, login_page_as):
    DistrictFactory(name="Münster")
    rows = [
        organisation_row(1, Name="Browserwerk Nord"),
        organisation_row(2, Name="Kaputtwerk", PLZ="12"),
        organisation_row(3, Name="Browserwerk Süd"),
    ]
    login_page_as(staff)
    page.goto("/kontakte/organisationen/")
    page.get_by_role("link", name="Importieren").click()
    page.get_by_label("Datei (CSV oder XLSX)").set_input_files(
        {"name": "firmen.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Prüfen und Vorschau anzeigen").click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", name="Fehlerhafte Zeilen").is_visible()
    bad_row = page.locator("tr.row-error")
    assert bad_row.count() == 1
    assert bad_row.locator("th").inner_text() == "3"
    assert "Kaputtwerk" in bad_row.inner_text()
    assert "PLZ: Bitte eine fünfstellige deutsche Postleitzahl angeben (z. B. 48143)." in bad_row.inner_text()
    assert not Organisation.objects.exists()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="2 Organisationen anlegen").click()
    page.wait_for_load_state()
    assert "Import abgeschlossen: 2 Organisationen angelegt." in page.locator(".messages").inner_text()
    assert Organisation.objects.count() == 2
    violations = axe_violations(page)  # the summary page
    assert not violations, format_violations(violations)

    page.get_by_role("link", name="Zur Organisationsliste").click()
    page.get_by_label("Suche").fill("browserwerk")
    page.get_by_role("button", name="Filtern").click()
    page.wait_for_load_state()
    table = page.get_by_role("table")
    assert table.get_by_role("link", name="Browserwerk Nord").is_visible()
    assert table.get_by_role("link", name="Browserwerk Süd").is_visible()
    assert "Kaputtwerk" not in table.inner_text()


def _suggest(field, text):
    """Type into the organisation picker and wait for htmx's suggestion request to come back
    (so it never races the form's POST on the test's single SQLite database)."""
    with field.page.expect_response(lambda response: "/vorschlaege/" in response.url):
        field.fill(text)


def test_staff_invite_a_company_editor_with_the_organisation_picker(page, login_page_as, staff, company_a, company_b):
    from accounts.models import User
    from contacts.models import OrganisationEditor
    from core.models import OutgoingMail

    login_page_as(staff)
    page.goto(company_b.get_absolute_url())
    page.locator("#main").get_by_role("link", name="Firmenredaktion einladen").click()
    page.wait_for_load_state()
    organisation = page.locator("#id_organisation")
    assert organisation.input_value().startswith(company_b.name)  # preselected from the organisation's page

    # an ambiguous organisation: a clear error, the candidates offered in the field's list, no mail
    page.get_by_label("E-Mail-Adresse").fill("nina.neu@example.org")
    page.get_by_label("Name").fill("Nina Neu")
    _suggest(organisation, "Firma")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Mehrere Organisationen passen zu „Firma“").is_visible()
    assert page.locator("#id_organisation_options option").count() == 2
    assert not OutgoingMail.objects.exists()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # typing narrows the suggestions (htmx), picking one resolves it exactly
    _suggest(organisation, "kunststoff")
    page.wait_for_function("document.querySelectorAll('#id_organisation_options option').length === 1")
    label = page.locator("#id_organisation_options option").first.get_attribute("value")
    assert label.startswith(company_b.name)
    _suggest(organisation, label)
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text().startswith(company_b.name)
    assert page.get_by_text("Die Einladung an nina.neu@example.org ist unterwegs").is_visible()
    invited = User.objects.get(email="nina.neu@example.org")
    assert OrganisationEditor.objects.get(user=invited).organisation == company_b
    assert OutgoingMail.objects.filter(to_email="nina.neu@example.org", template="invitation").count() == 1


def test_staff_merge_two_duplicate_organisations_and_the_kept_one_lists_every_link(page, staff, login_page_as):
    from advisory.catalogue import load_catalogue
    from advisory.tests.factories import ConsultationFactory
    from contacts.picker import organisation_label
    from events.tests.factories import RegistrationFactory
    from networks.tests.factories import MembershipFactory
    from testing.factories import OrganisationFactory

    load_catalogue()  # an earlier transaction test flushed the topics the data migration filled
    kept = OrganisationFactory(name="Bröcker Anlagenbau", legal_form="GmbH", postcode="48143", city="Münster")
    duplicate = OrganisationFactory(name="Broecker Anlagenbau", legal_form="", postcode="48143", city="Münster")
    ConsultationFactory(organisation=duplicate, adviser=staff, outcome="Förderung besprochen")
    registration = RegistrationFactory(organisation=duplicate)
    membership = MembershipFactory(organisation=duplicate)
    login_page_as(staff)

    page.goto(duplicate.get_absolute_url())
    page.get_by_role("link", name="Mit Dublette zusammenführen").click()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.get_by_label("Dublette bzw. andere Organisation").fill(organisation_label(kept))
    page.get_by_label("der andere (die Dublette wird dieser Eintrag)").check()
    page.get_by_role("button", name="Vorschau zeigen").click()
    page.wait_for_load_state()

    preview = page.locator("table").inner_text()
    assert "Beratungsgespräche" in preview or "Beratung" in preview
    assert Organisation.objects.filter(pk=duplicate.pk).exists()  # nothing merged before confirming
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="Zusammenführen").click()
    page.wait_for_load_state()

    assert page.url.endswith(kept.get_absolute_url())
    body = page.locator("main").inner_text() if page.locator("main").count() else page.inner_text("body")
    assert "ist mit „Bröcker Anlagenbau" in body
    assert "Beratung" in body and "CE-Kennzeichnung" in body  # the consultation
    assert registration.event.title in body  # the event registration
    assert membership.network.name in body  # the network membership
    assert "zusammengeführt mit „Broecker Anlagenbau“" in body
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()


def test_staff_see_the_duplicate_warning_and_create_anyway(page, staff, login_page_as):
    from testing.factories import OrganisationFactory

    existing = OrganisationFactory(name="Bröcker Anlagenbau", legal_form="GmbH", postcode="48143", city="Münster")
    login_page_as(staff)
    page.goto("/kontakte/organisationen/neu/")
    page.get_by_label("Name").first.fill("BROECKER Anlagenbau GmbH & Co. KG")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()

    warning = page.get_by_role("alert").filter(has_text="Mögliche Dubletten")
    assert "gleicher Name" in warning.inner_text()
    assert warning.get_by_role("link", name="Bröcker Anlagenbau").get_attribute("href") == existing.get_absolute_url()
    assert Organisation.objects.count() == 1
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_role("button", name="Trotzdem anlegen").click()
    page.wait_for_load_state()
    assert Organisation.objects.count() == 2
    assert "ist gespeichert" in page.inner_text("body")


def test_wide_staff_tables_keep_their_key_column_in_view_at_1280_px(page, staff, login_page_as):
    from testing.factories import OrganisationFactory

    OrganisationFactory(name="Spaltenwerk")
    login_page_as(staff)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/kontakte/organisationen/")
    # a table wider than the window (as with long names and many columns) scrolls inside .table-wrap
    page.locator(".table-wrap > table").evaluate("table => { table.style.minWidth = '2400px'; }")
    page.locator(".table-wrap").evaluate("wrap => { wrap.scrollLeft = 600; }")
    name_cell = page.get_by_role("link", name="Spaltenwerk")
    wrap_left = page.locator(".table-wrap").bounding_box()["x"]
    assert page.locator(".table-wrap").evaluate("wrap => wrap.scrollLeft") == 600
    assert name_cell.bounding_box()["x"] >= wrap_left  # still in view, not scrolled off to the left
    assert name_cell.is_visible()

"""The invitation end to end in Chromium: staff invites, the person follows the mailed link."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from contacts.models import OrganisationEditor
from core.models import OutgoingMail
from testing.axe import axe_violations, format_violations

from .helpers import link_in


def suggest(field, text):
    """Type into the organisation picker and wait for htmx's suggestion request to come back
    (so it never races the form's POST on the test's single SQLite database)."""
    with field.page.expect_response(lambda response: "?organisation=" in response.url):
        field.fill(text)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_invites_a_company_editor_who_sets_a_password_in_the_browser(
    page, login_page_as, staff, company_a, company_b
):
    login_page_as(staff)
    page.goto(reverse("accounts:invite"))
    page.get_by_label("E-Mail-Adresse").fill("nina.neu@example.org")
    page.get_by_label("Name").fill("Nina Neu")
    page.get_by_role("checkbox", name="Firmenredaktion").check()

    # an ambiguous organisation: a clear error, the candidates offered in the field's list, no mail
    organisation = page.get_by_label("Organisation (für Firmenredaktion)")
    suggest(organisation, "Firma")
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Mehrere Organisationen passen zu „Firma“").is_visible()
    assert page.locator("#id_organisation_options option").count() == 2
    assert not OutgoingMail.objects.exists()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    # typing narrows the suggestions (htmx), picking one resolves it exactly
    suggest(organisation, "kunststoff")
    page.wait_for_function("document.querySelectorAll('#id_organisation_options option').length === 1")
    label = page.locator("#id_organisation_options option").first.get_attribute("value")
    assert label.startswith(company_b.name)
    suggest(organisation, label)
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Die Einladung an nina.neu@example.org ist unterwegs.").is_visible()

    invited = User.objects.get(email="nina.neu@example.org")
    assert OrganisationEditor.objects.get(user=invited).organisation == company_b
    link = link_in(OutgoingMail.objects.get(to_email="nina.neu@example.org", template="invitation"))

    # the invited person, in a browser without the staff session
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Einladung annehmen"
    page.get_by_label(re.compile(r"^Neues Passwort:?$")).fill("Kammer-Sommer-2026")
    page.get_by_label(re.compile(r"^Neues Passwort bestätigen:?$")).fill("Kammer-Sommer-2026")
    page.get_by_role("button", name="Passwort festlegen und anmelden").click()
    page.wait_for_url(re.compile(re.escape(reverse("core:start")) + "$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Nina"
    assert page.get_by_text("Ihr Passwort ist gesetzt. Willkommen bei Kammerwerk!").is_visible()
    assert page.get_by_role("button", name="Abmelden").is_visible()

"""The invitation end to end in Chromium: staff invites, the person follows the mailed link."""

import re

import pytest
from django.urls import reverse

from accounts.models import User
from core.models import OutgoingMail
from core.roles import Role
from testing.axe import axe_violations, format_violations

from .helpers import link_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_invites_an_expert_who_sets_a_password_in_the_browser(page, login_page_as, staff, expert):
    login_page_as(staff)
    page.goto(reverse("accounts:invite"))
    assert page.get_by_role("checkbox", name="Bereichsleitung").count() == 0  # staff cannot grant it

    # an address that already has an account: a clear refusal, its roles unchanged, no mail
    page.get_by_label("E-Mail-Adresse").fill(expert.email)
    page.get_by_label("Name").fill("Erika Expert")
    page.get_by_role("checkbox", name="Jurymitglied").check()
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Für {expert.email} gibt es schon ein Konto.").is_visible()
    assert User.objects.get(pk=expert.pk).roles == {Role.EXPERT}
    assert not OutgoingMail.objects.exists()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)

    page.get_by_label("E-Mail-Adresse").fill("nina.neu@example.org")
    page.get_by_label("Name").fill("Nina Neu")
    page.get_by_role("checkbox", name="Experte/Expertin").check()
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_text("Die Einladung an nina.neu@example.org ist unterwegs.").is_visible()
    link = link_in(OutgoingMail.objects.get(to_email="nina.neu@example.org", template="invitation"))

    # the invited person, in a browser without the staff session
    page.context.clear_cookies()
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Einladung annehmen"
    page.get_by_label(re.compile(r"^Neues Passwort:?$")).fill("Kammer-Sommer-2026")
    page.get_by_label(re.compile(r"^Neues Passwort bestätigen:?$")).fill("Kammer-Sommer-2026")
    page.get_by_role("button", name="Passwort festlegen und anmelden").click()
    page.wait_for_url(re.compile(re.escape(reverse("core:start")) + "$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Nina Neu"
    assert page.get_by_text("Ihr Passwort ist gesetzt. Willkommen bei Kammerwerk!").is_visible()
    assert page.get_by_role("button", name="Abmelden").is_visible()
    assert User.objects.get(email="nina.neu@example.org").roles == {Role.EXPERT, Role.JUROR}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_lead_confirms_a_role_change_for_an_existing_account_in_the_browser(page, login_page_as, lead, expert):
    login_page_as(lead)
    page.goto(reverse("accounts:invite"))
    page.get_by_label("E-Mail-Adresse").fill(expert.email)
    page.get_by_label("Name").fill("Erika Expert")
    page.get_by_role("checkbox", name="Jurymitglied").check()
    page.get_by_role("button", name="Einladung senden").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Rollen eines bestehenden Kontos ändern"
    assert "Experte/Expertin, Jurymitglied" in page.locator("dl.facts").inner_text()
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    assert User.objects.get(pk=expert.pk).roles == {Role.EXPERT}

    page.get_by_role("button", name="Rollen ändern").click()
    page.wait_for_load_state()
    assert page.get_by_text(f"Die Rollen von {expert.email} sind geändert.").is_visible()
    assert User.objects.get(pk=expert.pk).roles == {Role.EXPERT, Role.JUROR}
    assert not OutgoingMail.objects.exists()

"""Acceptance in Chromium: sign up, confirm from the delivered mail, receive a test issue,
unsubscribe with one click; the staff figures show each step."""

import re

import pytest

from newsletter.tests.factories import ItemFactory, NewsletterListFactory
from testing.axe import axe_violations, format_violations
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_sign_up_confirm_receive_unsubscribe(page, login_page_as, staff, smtp_server):
    newsletter_list = NewsletterListFactory()
    issue = ItemFactory(issue__newsletter_list=newsletter_list, title="Meet-the-Boss im Dezember").issue

    page.goto(f"/newsletter/{newsletter_list.slug}/")
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_label("E-Mail-Adresse").fill("lena@example.org")
    page.get_by_label("Ich willige ein").check()
    page.get_by_role("button", name="Anmelden").click()
    assert "Bitte bestätigen Sie Ihre Anmeldung" in page.get_by_role("heading", level=1).inner_text()

    deliver_queued_mail()
    confirmation = smtp_server.wait_for(1)[0]
    assert confirmation["To"] == "lena@example.org"
    link = re.search(
        r"https?://\S+/newsletter/bestaetigen/\S+/", confirmation.get_body(("plain",)).get_content()
    ).group(0)
    page.goto(_path(link))
    page.get_by_role("button", name="Anmeldung bestätigen").click()
    # the confirmation leads to the subscriber's own page: the first place their management link appears
    assert page.get_by_role("heading", level=1).inner_text() == "Ihre Newsletter-Einstellungen"
    assert "Anmeldung ist bestätigt" in page.get_by_role("status").inner_text()
    assert not axe_violations(page), format_violations(axe_violations(page))
    preferences = page.url
    deliver_queued_mail()
    welcome = smtp_server.wait_for(2)[1]  # issue 19: a welcome mail with the subscriber's own links
    assert welcome["Subject"] == "Willkommen bei „Industrie-Newsletter“"
    assert _path(preferences) in welcome.get_body(("plain",)).get_content()

    login_page_as(staff)
    page.goto(f"/newsletter/verwaltung/ausgaben/{issue.pk}/")
    page.get_by_label("Testadressen").fill("lena@example.org")
    page.get_by_role("button", name="Test senden").click()
    assert "Testausgabe" in page.get_by_role("status").inner_text()
    deliver_queued_mail()
    received = smtp_server.wait_for(3)[2]
    assert "Meet-the-Boss im Dezember" in received.get_body(("html",)).get_content()
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = received["List-Unsubscribe"].strip().strip("<>")

    page.context.clear_cookies()
    page.goto(_path(unsubscribe))
    page.get_by_role("button", name="Jetzt abmelden").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Abgemeldet"

    login_page_as(staff)
    page.goto(f"/newsletter/verwaltung/verteiler/{newsletter_list.pk}/zahlen/")
    assert not axe_violations(page), format_violations(axe_violations(page))
    today = page.locator("table").first.locator("tbody tr").last
    cells = today.locator("td").all_inner_texts()
    assert cells == ["1", "1", "1", "0", "0"]  # joined, confirmed, left, bounced, active at the end of the day

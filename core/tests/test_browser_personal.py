"""Acceptance in Chromium (issue 19): a pupil registers for an event, later opens the personal area,
downloads the calendar file there, cancels there and gets the calendar file that removes the date."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events.models import Registration
from events.tests.factories import event_with_audience
from testing.axe import axe_violations, format_violations
from testing.browser import download_calendar, register_for_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_pupil_registers_then_cancels_in_the_personal_area_and_downloads_the_ics(page, public_user, browser_login):
    event, _audience = event_with_audience(title="Meet the Future: Ausbildung in der Industrie", quota=20)
    page.set_viewport_size({"width": 375, "height": 800})
    browser_login(public_user)
    register_for_event(page, event, email=public_user.email)

    # later: the personal area, reached from the start page
    page.goto(reverse("core:start"))
    page.get_by_role("link", name="Meine Anmeldungen, Buchungen und Newsletter").click()
    page.wait_for_url(re.compile(re.escape(reverse("core:personal")) + "$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Willkommen, Sam Schüler"
    item = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=event.title))
    assert "bestätigt" in item.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not axe_violations(page), format_violations(axe_violations(page))

    calendar = download_calendar(page, item.get_by_role("link", name=re.compile(r"^Kalenderdatei \(\.ics\)")))
    (vevent,) = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH" and str(vevent["summary"]) == event.title

    item.get_by_role("button", name=re.compile(r"^Anmeldung stornieren")).click()
    page.wait_for_load_state()
    assert "Ihre Anmeldung ist storniert" in page.content()
    assert Registration.objects.get().status == Registration.Status.CANCELLED
    removal = download_calendar(page, page.get_by_role("link", name="Termin aus Ihrem Kalender entfernen (.ics)"))
    assert str(removal["method"]) == "CANCEL" and str(removal.walk("VEVENT")[0]["uid"]) == str(vevent["uid"])

    page.goto(reverse("core:personal"))
    item = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=event.title))
    assert "storniert" in item.inner_text()
    assert not item.get_by_role("button").count()


def test_someone_with_only_mail_links_asks_for_them_and_opens_the_overview(page):
    """No account needed: the form answers alike for every address, the mailed link opens the overview."""
    from accounts.tests.helpers import link_in, run_queued_tasks
    from core.models import OutgoingMail
    from core.tasks import personal_links_mail
    from events.tests.factories import RegistrationFactory

    event, audience = event_with_audience(title="Ausbildungsmesse Münsterland", quota=50)
    RegistrationFactory(audience=audience, email="eltern@example.org", first_name="Ella", last_name="Eltern")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(reverse("core:home"))
    page.get_by_role("link", name="Meine Links zusenden").click()
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name="Links zusenden").click()  # empty: a German message, nothing sent
    expect(page.locator("main")).to_contain_text("Dieses Feld ist zwingend erforderlich.")
    page.get_by_label("Ihre E-Mail-Adresse").fill("eltern@example.org")
    page.get_by_role("button", name="Links zusenden").click()
    assert page.get_by_role("status").inner_text().startswith("Danke.")
    assert not axe_violations(page), format_violations(axe_violations(page))

    run_queued_tasks(personal_links_mail)
    (mail,) = OutgoingMail.objects.filter(template="personal_links")
    page.goto(link_in(mail))
    assert page.get_by_role("heading", level=1).inner_text() == "Meine Anmeldungen, Buchungen und Newsletter"
    assert page.get_by_role("heading", name=event.title).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.goto(link_in(mail)[:-3] + "xx/")
    assert page.get_by_role("heading", level=1).inner_text() == "Dieser Link gilt nicht mehr"
    assert not axe_violations(page), format_violations(axe_violations(page))

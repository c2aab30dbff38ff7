"""Acceptance in Chromium (issue 19): a pupil registers, later finds the registration in their
personal area, downloads the calendar file from the registration page and cancels there."""

import pytest
from django.urls import reverse

from core.personal import personal_sections_for
from events.models import Registration
from events.tests.factories import event_with_audience
from testing.axe import axe_violations, format_violations
from testing.browser import download_calendar, register_for_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _events_section(email):
    return next(items for section, items in personal_sections_for(email) if section.key == "events")


def test_pupil_registers_finds_it_in_the_personal_area_downloads_the_ics_and_cancels(page, public_user, browser_login):
    event, _audience = event_with_audience(title="Meet the Future: Ausbildung in der Industrie", quota=20)
    page.set_viewport_size({"width": 375, "height": 800})
    browser_login(public_user)
    register_for_event(page, event, email=public_user.email)

    # later: the personal area lists the registration with what it allows
    (item,) = _events_section(public_user.email)
    assert item.title == event.title and item.status == "bestätigt"
    assert {action.label for action in item.actions} == {"Kalenderdatei (.ics)", "Anmeldung stornieren"}

    page.goto(item.url)
    assert not axe_violations(page), format_violations(axe_violations(page))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    calendar = download_calendar(page, page.get_by_role("link", name="Kalenderdatei (.ics) herunterladen"))
    (vevent,) = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "PUBLISH" and str(vevent["summary"]) == event.title

    page.get_by_role("button", name="Anmeldung stornieren").click()
    page.wait_for_load_state()
    assert "Ihre Anmeldung ist storniert" in page.content()
    assert Registration.objects.get().status == Registration.Status.CANCELLED
    (item,) = _events_section(public_user.email)
    assert item.status == "storniert" and item.actions == ()
    removal = download_calendar(page, page.get_by_role("link", name="Termin aus Ihrem Kalender entfernen (.ics)"))
    assert str(removal["method"]) == "CANCEL" and str(removal.walk("VEVENT")[0]["uid"]) == str(vevent["uid"])
    assert not page.get_by_role("button", name="Anmeldung stornieren").count()


def test_staff_see_meet_the_boss_settings_only_for_meet_the_boss(page, staff, login_page_as):
    login_page_as(staff)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(reverse("events:staff_create"))
    settings_part = page.get_by_role("group", name="Meet-the-Boss – nur für Meet-the-Boss-Veranstaltungen")
    assert not settings_part.is_visible()
    page.get_by_role("combobox", name="Art:", exact=True).select_option("meet_the_boss")
    assert settings_part.is_visible()
    assert page.get_by_label("Gesprächsrunden (Meet-the-Boss)").is_visible()
    page.get_by_role("combobox", name="Art:", exact=True).select_option("webinar")
    assert not settings_part.is_visible()
    assert not axe_violations(page), format_violations(axe_violations(page))


def test_the_home_and_start_page_blocks_have_no_axe_violations(page, staff, expert, live_server):
    """The blocks advisory, events and newsletter give core's home and start pages, put into a page
    the way core shows them (core builds the real pages), checked with axe-core."""
    import datetime

    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory
    from django.utils import timezone

    from advisory.tests.factories import ConsultationFactory, book, make_day
    from core.startpage import home_blocks_for, start_blocks_for
    from newsletter.models import SubscriberImport
    from newsletter.tests.factories import IssueFactory, NewsletterListFactory

    event, audience = event_with_audience(title="Kongress Industrie", quota=3)
    today, _today_audience = event_with_audience(title="Netzwerktreffen heute", starts_at=timezone.now(),
                                                 ends_at=timezone.now() + datetime.timedelta(hours=1))  # fmt: skip
    day = make_day(expert, count=3)
    book(day)
    ConsultationFactory(adviser=staff, follow_up_on=timezone.localdate())
    newsletter_list = NewsletterListFactory()
    IssueFactory(newsletter_list=newsletter_list, status="scheduled", scheduled_at=timezone.now())
    SubscriberImport.objects.create(newsletter_list=newsletter_list, filename="messe.csv", proof="Karten")

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    home = "".join(home_blocks_for(request))
    request.user = staff
    start = "".join(start_blocks_for(request))
    assert "Kongress Industrie" in home and "abonnieren" in home and day.series.name in home
    assert "Netzwerktreffen heute" in start and "Fällige Wiedervorlagen" in start and "messe.csv" in start
    for blocks in (home, start):
        page.goto("/impressum/")  # the site's layout and styles; the blocks replace the main content
        page.evaluate("html => { document.querySelector('main').innerHTML = '<h1>Start</h1>' + html; }", blocks)
        assert not axe_violations(page), format_violations(axe_violations(page))

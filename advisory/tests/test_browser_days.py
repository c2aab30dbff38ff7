"""Acceptance in Chromium (issue 19, item 11): staff move a consultation day and everyone booked gets
a mail with an updated calendar file; staff create every second Tuesday in one go; an expert sets up
the calendar feed of their own days."""

import datetime
import re

import icalendar
import pytest
from django.utils import timezone

from advisory.models import ConsultationDay
from advisory.tests.factories import book, make_day, series
from core.roles import Role
from testing.axe import axe_violations, format_violations
from testing.factories import UserFactory
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _calendar_of(message) -> icalendar.Calendar:
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return icalendar.Calendar.from_ical(part.get_content())


def test_staff_move_a_day_and_everyone_booked_gets_an_updated_calendar_file(page, staff, expert, login_page_as,
                                                                            smtp_server):  # fmt: skip
    day = make_day(expert, count=3)
    for email in ("bea@example.org", "ben@example.org"):
        book(day, email=email)
    login_page_as(staff)
    page.goto(f"/beratung/tage/{day.pk}/")
    page.get_by_role("link", name="Bearbeiten oder verschieben").click()
    page.wait_for_url(f"**/beratung/tage/{day.pk}/bearbeiten/")  # content() mid-navigation reads an empty page
    assert "erhalten 2 gebuchte oder wartende Personen eine E-Mail" in page.content()
    assert not axe_violations(page), format_violations(axe_violations(page))
    new_start = timezone.localtime(day.starts_at) + datetime.timedelta(days=7)
    page.get_by_label("Datum").fill(new_start.date().isoformat())
    page.get_by_label("Nachricht an die Gebuchten und Wartenden").fill("Die Expertin ist in dieser Woche verhindert.")
    page.get_by_role("button", name="Speichern").click()
    page.wait_for_load_state()
    assert "2 Personen werden benachrichtigt" in page.content()

    deliver_queued_mail()
    for email in ("bea@example.org", "ben@example.org"):
        confirmation, update = (m for m in smtp_server.messages if m["To"] == email)
        old, new = (_calendar_of(m).walk("VEVENT")[0] for m in (confirmation, update))
        assert "Geänderter Termin" in update["Subject"]
        assert str(new["uid"]) == str(old["uid"]) and int(new["sequence"]) > int(old["sequence"])
        assert new.decoded("dtstart") - old.decoded("dtstart") == datetime.timedelta(days=7)
        assert "verhindert" in update.get_body(preferencelist=("plain",)).get_content()


def test_staff_create_every_second_tuesday_in_one_go(page, staff, expert, login_page_as):
    today = timezone.localdate()
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7 + 7)  # a Tuesday, a week or more ahead
    inventors = series()  # the catalogue (a flushing test removed what the migration loaded)
    login_page_as(staff)
    page.goto("/beratung/tage/")
    page.get_by_role("link", name="Serie anlegen").click()
    page.get_by_label("Reihe").select_option(label=inventors.name)
    page.get_by_label("Erster Sprechtag").fill(first.isoformat())
    page.get_by_label("Beginn").fill("14:00")
    page.get_by_label("Rhythmus").select_option("weekly-2")
    page.get_by_label("Anzahl Sprechtage").fill("6")
    page.get_by_label("Experte/Expertin").select_option(label=expert.full_name)
    page.get_by_label("Ort").fill("IHK, Raum 3")
    page.get_by_role("button", name="Termine anzeigen").click()
    page.wait_for_load_state()
    expected = [first + datetime.timedelta(weeks=2 * n) for n in range(6)]
    listed = page.get_by_role("list").filter(has_text=expected[0].strftime("%d.%m.%Y")).inner_text()
    assert [d.strftime("%d.%m.%Y") for d in expected] == re.findall(r"\d\d\.\d\d\.\d{4}", listed)
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name="Alle anlegen").click()
    page.wait_for_load_state()
    assert "6 Sprechtage sind angelegt." in page.content()
    days = ConsultationDay.objects.order_by("starts_at")
    assert [timezone.localtime(d.starts_at).date() for d in days] == expected
    assert {timezone.localtime(d.starts_at).strftime("%a %H:%M") for d in days} == {"Tue 14:00"}


def test_an_expert_subscribes_to_the_feed_of_their_own_days(page, expert, login_page_as):
    other = UserFactory(email="otto@example.org", full_name="Otto Anders", roles=[Role.EXPERT])
    mine, theirs = make_day(expert, days_ahead=4), make_day(other, days_ahead=5)
    login_page_as(expert)
    page.goto("/beratung/experte/")
    page.get_by_role("button", name="Kalender-Adresse einrichten").click()
    page.wait_for_load_state()
    assert not axe_violations(page), format_violations(axe_violations(page))
    address = page.locator(".feed-url").inner_text().strip()
    page.context.clear_cookies()  # a calendar program has no session
    response = page.request.get(address)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(response.body()).walk("VEVENT")]
    assert uids == [f"advisory-day-{mine.pk}@kammerwerk.example"]
    assert f"advisory-day-{theirs.pk}@" not in response.text()

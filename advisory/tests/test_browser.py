"""Acceptance in Chromium: a visitor books, gets the mail with a valid .ics, cancels by the link,
and the first person on the waiting list is offered the slot."""

import re
from urllib.parse import urlparse

import icalendar
import pytest

from accounts.tests.helpers import run_queued_tasks
from advisory.models import Booking, WaitlistEntry
from advisory.tasks import send_booking_mail
from advisory.tests.factories import book, make_day
from testing.axe import axe_violations, format_violations
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def _book_the_first_free_time(page, *, company: str = ""):
    """On a day's page: Bea Besucher books its first free time, and the page says so."""
    page.get_by_role("radio", name=re.compile(r"\d\d:\d\d–\d\d:\d\d")).first.check()
    page.get_by_label(re.compile(r"^Name")).fill("Bea Besucher")
    page.get_by_label("E-Mail-Adresse").fill("bea@example.org")
    if company:
        page.get_by_label("Unternehmen (optional)").fill(company)
    page.get_by_label(re.compile("Ihr Anliegen")).fill("Ein neues Förderband-Gelenk")
    page.get_by_label(re.compile("Ich willige")).check()
    page.get_by_role("button", name="Verbindlich buchen").click()
    page.wait_for_load_state()
    assert "Ihr Termin ist gebucht" in page.content()


def test_visitor_books_cancels_and_waiting_list_is_offered(page, expert, smtp_server):
    day = make_day(expert, count=1, minutes=40)
    page.goto(f"/beratung/sprechtage/?reihe={day.series.slug}")
    page.get_by_role("link", name=re.compile("Termin buchen")).first.click()
    assert not axe_violations(page), format_violations(axe_violations(page))
    _book_the_first_free_time(page, company="Tüftel GmbH")
    booking = Booking.objects.get()

    # someone else finds the day full and joins the waiting list
    page.goto(f"/beratung/sprechtage/{day.pk}/")
    page.get_by_label(re.compile(r"^Name")).fill("Wanda Warte")
    page.get_by_label("E-Mail-Adresse").fill("wanda@example.org")
    page.get_by_label(re.compile("Ich willige")).check()
    page.get_by_role("button", name="Auf die Warteliste").click()
    page.wait_for_load_state()
    assert "Sie stehen auf der Warteliste" in page.content()

    assert run_queued_tasks(send_booking_mail) == [True]  # the confirmation the booking queued, as the worker runs it
    deliver_queued_mail()
    confirmation = next(m for m in smtp_server.messages if m["To"] == "bea@example.org")
    assert confirmation["Subject"].strip().startswith("Terminbestätigung")
    ics = next(part for part in confirmation.iter_attachments() if part.get_filename() == "termin.ics")
    event = icalendar.Calendar.from_ical(ics.get_content()).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booking.slot.starts_at
    assert (event.decoded("dtend") - event.decoded("dtstart")).total_seconds() == 40 * 60
    link = re.search(r"https?://\S+/beratung/buchung/\S+/", _text_part(confirmation)).group(0)

    # cancel by the link from the mail
    page.goto(urlparse(link).path)
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("button", name="Buchung stornieren").click()
    page.wait_for_load_state()
    assert "Ihre Buchung ist storniert" in page.content()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    # the waiting list's first person is offered the slot by mail and accepts it
    deliver_queued_mail()
    offer = next(m for m in smtp_server.messages if m["To"] == "wanda@example.org" and "frei geworden" in m["Subject"])
    offer_link = re.search(r"https?://\S+/beratung/buchung/\S+/", _text_part(offer)).group(0)
    assert WaitlistEntry.objects.get(email="wanda@example.org").status == WaitlistEntry.Status.OFFERED
    page.goto(urlparse(offer_link).path)
    page.get_by_role("button", name="Termin annehmen").click()
    page.wait_for_load_state()
    assert "fest gebucht" in page.content()
    assert Booking.objects.get(email="wanda@example.org").status == Booking.Status.CONFIRMED


def test_staff_picks_the_company_and_then_the_person_talked_to(page, login_page_as, staff, company_a):
    from advisory.catalogue import load_catalogue
    from advisory.models import Consultation
    from contacts.picker import organisation_label, person_label
    from testing.factories import OrganisationRoleFactory, PersonFactory

    load_catalogue()  # an earlier transaction test flushed the topics the data migration filled
    petra = PersonFactory(first_name="Petra", last_name="Pieper")
    OrganisationRoleFactory(person=petra, organisation=company_a)
    login_page_as(staff)
    page.goto("/beratung/gespraeche/neu/")
    company = page.locator("#id_organisation")
    company.fill(organisation_label(company_a))
    person = page.get_by_label("Gesprächspartner/-in aus dem Unternehmen")
    person.press_sequentially("Pet")  # the picker suggests the company's people while typing
    page.locator("#id_person_options option[value^='Petra Pieper']").wait_for(state="attached")
    person.fill(person_label(petra))
    page.locator("input[name=topics]").first.check()
    page.get_by_role("button", name="Speichern", exact=True).click()
    page.wait_for_load_state()
    assert "Das Gespräch ist gespeichert" in page.content()
    assert Consultation.objects.get().person == petra


def test_a_visitor_who_finds_a_day_full_books_another_day_of_the_series_from_its_page(page, expert):
    full = make_day(expert, days_ahead=3, count=1)
    book(full, email="a@example.org")
    other = make_day(expert, days_ahead=6, count=2)
    page.goto(f"/beratung/sprechtage/{full.pk}/")
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("region", name="Freie Termine an anderen Tagen").get_by_role("link").click()
    page.wait_for_url(f"**/beratung/sprechtage/{other.pk}/")
    _book_the_first_free_time(page)
    assert Booking.objects.get(email="bea@example.org").day_id == other.pk

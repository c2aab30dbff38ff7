"""Acceptance in Chromium: register, mail with .ics, cancel, promotion; staff cancel reaches everyone."""

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from events import services
from events.models import EventChange, Registration
from events.services import RegistrationInput
from events.tests.factories import QuestionFactory, event_with_audience, run_first_mails
from testing.axe import axe_violations, format_violations
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ics_of(message) -> str:
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            return part.get_content()
    raise AssertionError("no calendar file")


def _manage_link(message) -> str:
    text = message.get_body(preferencelist=("plain",)).get_content()
    return next(line.strip() for line in text.splitlines() if "/veranstaltungen/anmeldung/" in line)


def test_visitor_registers_cancels_and_the_waiting_list_moves_up(page, smtp_server, live_server):
    event, audience = event_with_audience(title="Netzwerktreffen Kunststoff", quota=1)
    QuestionFactory(event=event, text="Was möchten Sie fragen?")
    page.goto(reverse("events:calendar"))
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("link", name="Netzwerktreffen Kunststoff").click()
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_label("Vorname").fill("Vera")
    page.get_by_label("Nachname").fill("Visitor")
    page.get_by_label("E-Mail-Adresse").fill("vera@example.org")
    page.get_by_label("Was möchten Sie fragen?").fill("<b>Gibt es Parkplätze?</b>")
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url("**/anmeldung/**")
    assert "Sie sind angemeldet" in page.content()
    assert not axe_violations(page), format_violations(axe_violations(page))

    waiting = services.registration_create(
        event=event, data=RegistrationInput(audience_id=audience.pk, email="wim@example.org", first_name="Wim", last_name="Warte")
    )  # fmt: skip
    assert waiting.status == Registration.Status.WAITING
    assert run_first_mails() == 2  # the jobs the two registrations queued, as the worker runs them
    deliver_queued_mail()
    confirmation = next(m for m in smtp_server.messages if m["To"] == "vera@example.org")
    assert "Anmeldung bestätigt" in confirmation["Subject"]
    assert confirmation.get_body(preferencelist=("html",)) is not None
    ics = _ics_of(confirmation)
    assert "BEGIN:VEVENT" in ics and "METHOD:REQUEST" in ics

    link = _manage_link(confirmation)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    page.get_by_role("button", name="Anmeldung stornieren").click()
    page.wait_for_load_state()
    assert "storniert" in page.content()
    deliver_queued_mail()
    offer = next(m for m in smtp_server.messages if m["To"] == "wim@example.org" and "frei geworden" in m["Subject"])
    assert "bestätigen" in offer.get_body(preferencelist=("plain",)).get_content()
    cancel_mail = [m for m in smtp_server.messages if m["To"] == "vera@example.org"][-1]
    assert "METHOD:CANCEL" in _ics_of(cancel_mail)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    page.goto(waiting.get_manage_url())
    page.get_by_role("button", name="Platz annehmen").click()
    page.wait_for_load_state()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED


def test_staff_cancel_reaches_jsonld_feed_and_every_mail(page, login_page_as, staff, smtp_server):
    event, audience = event_with_audience(title="Industriekongress", quota=10)
    for number in range(3):
        services.registration_create(
            event=event, data=RegistrationInput(audience_id=audience.pk, email=f"gast{number}@example.org", first_name="G", last_name=str(number))
        )  # fmt: skip
    run_first_mails()
    deliver_queued_mail()
    login_page_as(staff)
    page.goto(reverse("events:staff_detail", args=[event.pk]))
    assert not axe_violations(page), format_violations(axe_violations(page))
    page.get_by_role("link", name="Absagen").click()
    page.get_by_label("Nachricht an die Angemeldeten").fill("Wegen der Pandemie findet der Kongress nicht statt.")
    page.get_by_label("Ja, die Veranstaltung absagen").check()
    page.get_by_role("button", name="Absagen").click()
    page.wait_for_load_state()
    assert "3 Angemeldete werden benachrichtigt" in page.content()

    services.change_notices_send(change_id=EventChange.objects.get(event=event).pk)  # what the worker runs
    deliver_queued_mail()
    notices = [m for m in smtp_server.messages if m["Subject"].startswith("Abgesagt")]
    assert sorted(m["To"] for m in notices) == ["gast0@example.org", "gast1@example.org", "gast2@example.org"]
    assert all("METHOD:CANCEL" in _ics_of(m) for m in notices)
    assert "Pandemie" in notices[0].get_body(preferencelist=("plain",)).get_content()

    page.context.clear_cookies()
    page.goto(reverse("events:detail", args=[event.slug]))
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert page.get_by_text("Diese Veranstaltung ist abgesagt.").is_visible()
    feed = page.request.get(reverse("events:feed")).text()
    assert "Industriekongress" in feed and "STATUS:CANCELLED" in feed


def test_staff_pages_are_accessible(page, login_page_as, staff):
    from events.tests.factories import RegistrationFactory, meet_the_boss

    event, bosses, students = meet_the_boss(boss_quota=3, student_quota=5)
    for number in range(2):
        RegistrationFactory(audience=bosses, sectors=["metall"], email=f"boss{number}@example.org")
    for number in range(3):
        RegistrationFactory(audience=students, sectors=["metall"], email=f"stud{number}@example.org")
    services.meeting_plan_generate(event=event)
    login_page_as(staff)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone at the door
    for name in ("staff_checkin", "staff_matching", "staff_participants"):
        page.goto(reverse(f"events:{name}", args=[event.pk]))
        violations = axe_violations(page)
        assert not violations, f"{name}: {format_violations(violations)}"
    page.goto(reverse("events:staff_checkin", args=[event.pk]))
    page.get_by_role("button", name="einlassen").first.click()
    # htmx swaps the row: wait for the button that says the person is in, not for a fixed time
    expect(page.get_by_role("button", name=re.compile("eingelassen .* rückgängig"))).to_have_count(1)
    assert Registration.objects.filter(checked_in_at__isnull=False).count() == 1


def test_remaining_pages_have_no_axe_violations(page, login_page_as, staff, company_b):
    from events.tests.factories import RegistrationFactory, meet_the_boss

    event, bosses, _students = meet_the_boss(partner=company_b)
    RegistrationFactory(audience=bosses)
    page.goto(reverse("events:detail", args=[event.slug]))  # audiences, checkbox groups, partner list
    assert not axe_violations(page), format_violations(axe_violations(page))
    login_page_as(staff)
    pages = ["staff_list", "staff_figures", "staff_create"] + [
        (name, event.pk) for name in ("staff_edit", "staff_invite", "staff_cancel", "staff_move_online")
    ]
    for entry in pages:
        name, args = (entry, []) if isinstance(entry, str) else (entry[0], [entry[1]])
        page.goto(reverse(f"events:{name}", args=args))
        violations = axe_violations(page)
        assert not violations, f"{name}: {format_violations(violations)}"

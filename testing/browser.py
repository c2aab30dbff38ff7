"""Steps that several browser tests take the same way."""

import icalendar
from django.urls import reverse


def register_for_event(page, event, *, email: str, first_name: str = "Sam", last_name: str = "Schüler") -> None:
    """Fill the event page's registration form and send it; returns on the registration's own page."""
    page.goto(reverse("events:detail", args=[event.slug]))
    page.get_by_label("Vorname").fill(first_name)
    page.get_by_label("Nachname").fill(last_name)
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_role("button", name="Verbindlich anmelden").click()
    page.wait_for_url("**/anmeldung/**")


def download_calendar(page, link) -> icalendar.Calendar:
    """Click a download link (a locator) and parse the calendar file it delivers."""
    with page.expect_download() as download:
        link.click()
    return icalendar.Calendar.from_ical(download.value.path().read_bytes())

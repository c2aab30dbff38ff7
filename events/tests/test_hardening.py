"""Regression tests for what the outside review noticed (issue 12: items 11, 15, 16 and the check-in
redirect), each named after what a user or attacker saw."""

import base64
import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import OutgoingMail
from events import services
from events.models import Registration
from events.selectors import event_jsonld
from events.services import RegistrationInput, RegistrationRefused
from events.tests.factories import EventFactory, RegistrationFactory, event_with_audience, run_first_mails

pytestmark = pytest.mark.django_db
S = Registration.Status


def register(event, audience, email="anna@example.org"):
    data = RegistrationInput(audience_id=audience.pk, email=email, first_name="Anna", last_name="Adler")
    return services.registration_create(event=event, data=data)


def calendar_of(mail: OutgoingMail) -> Calendar:
    (attachment,) = mail.attachments
    assert attachment["mimetype"] == "text/calendar"
    return Calendar.from_ical(base64.b64decode(attachment["content_b64"]))


def vevent_of(calendar: Calendar):
    (vevent,) = calendar.walk("VEVENT")
    return vevent


def move_to_the_past(event, days=1):
    event.starts_at = timezone.now() - datetime.timedelta(days=days)
    event.ends_at = event.starts_at + datetime.timedelta(hours=2)
    event.save()


# --- item 11: no cancellation after the event ----------------------------------------------


def test_registrant_cannot_cancel_by_link_after_the_event_took_place(client):
    event, audience = event_with_audience()
    registration = register(event, audience)
    move_to_the_past(event)
    mails = OutgoingMail.objects.count()
    response = client.post(reverse("events:registration_cancel", args=[registration.token]), follow=True)
    page = response.content.decode()
    assert "kann nicht mehr storniert werden" in page
    assert "Anmeldung stornieren" not in page  # no button offering it either
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED and registration.cancelled_at is None
    assert OutgoingMail.objects.count() == mails  # no cancellation .ics went out


def test_checked_in_guest_cannot_cancel_even_before_the_end():
    event, audience = event_with_audience()
    registration = register(event, audience)
    services.registration_check_in(registration=registration)
    with pytest.raises(RegistrationRefused) as refusal:
        services.registration_cancel(registration=registration)
    assert refusal.value.code == "event_over"
    registration.refresh_from_db()
    assert registration.status == S.CONFIRMED
    assert not OutgoingMail.objects.filter(subject__icontains="storniert").exists()


def test_held_event_refuses_cancellation_of_a_waiting_registration():
    event, audience = event_with_audience(status="held")
    waiting = RegistrationFactory(audience=audience, status=S.WAITING)
    with pytest.raises(RegistrationRefused, match="stattgefunden"):
        services.registration_cancel(registration=waiting)
    waiting.refresh_from_db()
    assert waiting.status == S.WAITING


# --- item 15: calendar files ---------------------------------------------------------------


def test_mailed_calendar_entry_names_organizer_and_attendee():
    event, audience = event_with_audience(mode="hybrid")
    registration = register(event, audience, email="anna@example.org")
    run_first_mails()  # the worker's job
    calendar = calendar_of(OutgoingMail.objects.get(reference=f"events.registration:{registration.pk}"))
    assert calendar["METHOD"] == "REQUEST"
    vevent = vevent_of(calendar)
    assert str(vevent["ORGANIZER"]).startswith("mailto:") and vevent["ORGANIZER"].params["CN"]
    attendee = vevent["ATTENDEE"]
    assert str(attendee) == "mailto:anna@example.org" and attendee.params["CN"] == "Anna Adler"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert "https://meet.example/raum-1" in str(vevent["DESCRIPTION"])  # the seat holder gets the link


def test_cancellation_calendar_entry_names_the_attendee_it_removes():
    event, audience = event_with_audience()
    registration = register(event, audience)
    services.registration_cancel(registration=registration)
    cancel_mail = OutgoingMail.objects.filter(to_email="anna@example.org").latest("pk")
    calendar = calendar_of(cancel_mail)
    vevent = vevent_of(calendar)
    assert calendar["METHOD"] == "CANCEL" and vevent["STATUS"] == "CANCELLED"
    assert str(vevent["ATTENDEE"]) == "mailto:anna@example.org" and str(vevent["ORGANIZER"]).startswith("mailto:")


def test_public_add_to_calendar_download_is_publish_without_attendee_or_link(client):
    event, _audience = event_with_audience(mode="hybrid")
    response = client.get(reverse("events:event_ics", args=[event.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    vevent = vevent_of(calendar)
    assert calendar["METHOD"] == "PUBLISH" and "ATTENDEE" not in vevent
    assert "meet.example" not in response.content.decode()


def test_waiting_list_gets_no_calendar_entry_for_a_seat_it_does_not_hold():
    event, audience = event_with_audience(quota=1)
    register(event, audience, email="seat@example.org")
    waiting = register(event, audience, email="wait@example.org")
    run_first_mails()
    assert OutgoingMail.objects.get(reference=f"events.registration:{waiting.pk}").attachments == []
    change = services.event_cancel(event=event, message="Leider.")
    services.change_notices_send(change_id=change.pk)
    notice = OutgoingMail.objects.get(template="event_changed", to_email="wait@example.org")
    assert notice.attachments == [] and "Kalendereintrag" not in notice.body_text
    seated = OutgoingMail.objects.get(template="event_changed", to_email="seat@example.org")
    assert calendar_of(seated)["METHOD"] == "CANCEL"


def test_waiting_person_who_cancels_gets_no_cancellation_calendar_file():
    event, audience = event_with_audience(quota=1)
    register(event, audience, email="seat@example.org")
    waiting = register(event, audience, email="wait@example.org")
    services.registration_cancel(registration=waiting)
    mail = OutgoingMail.objects.filter(to_email="wait@example.org").latest("pk")
    assert "storniert" in mail.body_text and mail.attachments == []


# --- item 16: JSON-LD ------------------------------------------------------------------------


def _jsonld(client, event) -> dict:
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def test_search_engines_see_the_venue_as_place_with_postal_address(client):
    event = EventFactory(venue_name="IHK Nord Westfalen", summary="Treffen der Industrie")
    data = _jsonld(client, event)
    assert data["location"] == {
        "@type": "Place",
        "name": "IHK Nord Westfalen",
        "address": {
            "@type": "PostalAddress", "streetAddress": "Sentmaringer Weg 61", "postalCode": "48151",
            "addressLocality": "Münster", "addressCountry": "DE",
        },
    }  # fmt: skip


def test_hybrid_event_has_place_and_virtual_location():
    event = EventFactory(mode="hybrid")
    places = event_jsonld(event)["location"]
    assert [place["@type"] for place in places] == ["Place", "VirtualLocation"]
    assert places[0]["address"]["@type"] == "PostalAddress"


def test_event_without_text_has_no_empty_description(client):
    event = EventFactory(summary="", description="   ")
    assert "description" not in _jsonld(client, event)
    described = EventFactory(summary="", description="Ein Abend über Wasserstoff.")
    assert _jsonld(client, described)["description"] == "Ein Abend über Wasserstoff."


def test_title_cannot_close_the_jsonld_script(client):
    event = EventFactory(title="</script><script>alert(1)</script> & Co")
    page = client.get(reverse("events:detail", args=[event.slug])).content.decode()
    assert "</script><script>alert(1)" not in page
    assert _jsonld(client, event)["name"] == "</script><script>alert(1)</script> & Co"


def test_old_one_line_venue_addresses_are_split_by_the_migration():
    import importlib

    migration = importlib.import_module("events.migrations.0002_venue_fields_partners_invitations")
    match = migration.ADDRESS_RE.match("Sentmaringer Weg 61, 48151 Münster")
    assert match.group("street", "postcode", "city") == ("Sentmaringer Weg 61", "48151", "Münster")
    assert migration.ADDRESS_RE.match("48151 Münster").group("postcode") == "48151"
    assert migration.ADDRESS_RE.match("Halle 4, Messegelände") is None  # stays in the street field


# --- also found: the check-in redirect ------------------------------------------------------


def test_check_in_without_javascript_keeps_a_search_for_mueller_und_soehne(login, staff):
    event, audience = event_with_audience()
    registration = RegistrationFactory(audience=audience, last_name="Müller", organisation_name="Müller & Söhne")
    client = login(staff)
    response = client.post(reverse("events:staff_checkin_toggle", args=[registration.pk]), {"q": "Müller & Söhne"})
    assert response.status_code == 302
    assert response["Location"].endswith("?q=M%C3%BCller+%26+S%C3%B6hne")
    page = client.get(response["Location"]).content.decode()
    assert 'value="Müller &amp; Söhne"' in page and "Müller, Tina" in page
    registration.refresh_from_db()
    assert registration.checked_in_at is not None

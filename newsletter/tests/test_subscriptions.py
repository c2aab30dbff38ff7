"""Double opt-in, the throttle, links that expire or are forged, one-click unsubscribe, preferences, export."""

import datetime
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from contacts.models import Consent
from core.models import OutgoingMail
from newsletter import services
from newsletter.models import Subscriber, SubscriptionEvent
from newsletter.tests.factories import NewsletterListFactory, SubscriberFactory
from testing.factories import OrganisationRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsletter_list():
    return NewsletterListFactory()


def _confirm_value(mail: OutgoingMail) -> str:
    return mail.body_text.split("/newsletter/bestaetigen/", 1)[1].split("/", 1)[0]


def test_sign_up_sends_one_confirmation_and_the_consent_is_stored_on_confirmation(client, newsletter_list):
    response = client.post(
        "/newsletter/industrie/", {"email": " Lea@Example.ORG ", "name": "Lea", "language": "de", "consent": "on"}
    )
    assert response.status_code == 302 and response["Location"] == "/newsletter/industrie/danke/"
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "lea@example.org" and subscriber.status == "pending"
    assert subscriber.consent_ip is None  # no IP unless configured
    mail = OutgoingMail.objects.get(reference=f"newsletter.subscriber:{subscriber.pk}")
    assert mail.to_email == "lea@example.org" and "bestätigen" in mail.subject
    assert not Consent.objects.exists()

    value = _confirm_value(mail)
    assert client.get(f"/newsletter/bestaetigen/{value}/").status_code == 200  # a link scanner confirms nothing
    assert Subscriber.objects.get().status == "pending"
    response = client.post(f"/newsletter/bestaetigen/{value}/")
    assert response.status_code == 200 and "bestätigt" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == "active" and subscriber.confirmed_at
    consent = Consent.objects.get()
    assert consent.purpose == "newsletter.industrie"
    assert consent.wording == newsletter_list.consent_wording and consent.wording_version == "2020-09"
    assert "Anmeldeformular" in consent.source and consent.ip_address is None
    assert list(subscriber.events.values_list("kind", flat=True)) == ["join", "confirm"]


def test_ip_is_stored_only_when_configured(client, newsletter_list, settings):
    settings.NEWSLETTER_STORE_IP = True
    client.post("/newsletter/industrie/", {"email": "ip@example.org", "language": "de", "consent": "on"})
    assert Subscriber.objects.get().consent_ip == "127.0.0.1"


def test_no_mail_bomb_and_the_answer_does_not_reveal_the_address(client, newsletter_list):
    data = {"email": "bombe@example.org", "language": "de", "consent": "on"}
    first = client.post("/newsletter/industrie/", data)
    second = client.post("/newsletter/industrie/", data)
    assert first["Location"] == second["Location"]
    assert OutgoingMail.objects.count() == 1
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        client.post("/newsletter/industrie/", data)
    assert OutgoingMail.objects.count() == 2
    SubscriberFactory(newsletter_list=newsletter_list, email="dabei@example.org")
    third = client.post("/newsletter/industrie/", {**data, "email": "dabei@example.org"})
    assert third["Location"] == first["Location"]
    assert OutgoingMail.objects.count() == 2  # already subscribed: no mail, same answer


def test_an_address_that_is_not_one_gets_a_clear_message(client, newsletter_list):
    response = client.post("/newsletter/industrie/", {"email": "kein-at-zeichen", "language": "de", "consent": "on"})
    assert response.status_code == 400
    assert "gültige E-Mail-Adresse" in response.content.decode()
    response = client.post("/newsletter/industrie/", {"email": "ok@example.org", "language": "de"})
    assert "Einwilligung" in response.content.decode()
    assert not Subscriber.objects.exists() and not OutgoingMail.objects.exists()
    with pytest.raises(ValidationError):
        services.subscriber_signup(newsletter_list=newsletter_list, email="a@@b")


def test_expired_and_forged_confirmation_links(client, newsletter_list):
    services.subscriber_signup(newsletter_list=newsletter_list, email="spaet@example.org")
    value = _confirm_value(OutgoingMail.objects.get())
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        response = client.post(f"/newsletter/bestaetigen/{value}/")
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    forged = value[:-3] + ("aaa" if not value.endswith("aaa") else "bbb")
    response = client.post(f"/newsletter/bestaetigen/{forged}/")
    assert response.status_code == 404 and "ungültig" in response.content.decode()
    assert Subscriber.objects.get().status == "pending" and not Consent.objects.exists()


def test_one_click_unsubscribe_rfc_8058_and_forged_token(client, newsletter_list):
    subscriber = SubscriberFactory(newsletter_list=newsletter_list)
    services.consent_record(
        email=subscriber.email, purpose="newsletter.industrie", wording="x", wording_version="1", source="t"
    )
    response = client.post(f"/newsletter/abmelden/{subscriber.token}/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at
    assert Consent.objects.get().withdrawn_at is not None
    assert SubscriptionEvent.objects.filter(kind="leave").count() == 1
    client.post(f"/newsletter/abmelden/{subscriber.token}/", {"List-Unsubscribe": "One-Click"})
    assert SubscriptionEvent.objects.filter(kind="leave").count() == 1  # twice is once
    response = client.post("/newsletter/abmelden/gefaelscht123/", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404 and "ungültig" in response.content.decode()


def test_preferences_and_own_data_export(client, newsletter_list):
    subscriber = SubscriberFactory(newsletter_list=newsletter_list, name="Alt")
    response = client.post(f"/newsletter/einstellungen/{subscriber.token}/", {"name": "Neu", "language": "en"})
    assert response.status_code == 302
    subscriber.refresh_from_db()
    assert (subscriber.name, subscriber.language) == ("Neu", "en")
    response = client.get(f"/newsletter/einstellungen/{subscriber.token}/daten.json")
    data = json.loads(response.content)
    assert data["subscriptions"][0]["email"] == subscriber.email
    assert client.get("/newsletter/einstellungen/falsch/").status_code == 404


def test_resubscribing_after_leaving_needs_a_new_confirmation(newsletter_list):
    subscriber = SubscriberFactory(newsletter_list=newsletter_list, email="zurueck@example.org")
    services.subscriber_unsubscribe(subscriber=subscriber)
    assert services.subscriber_signup(newsletter_list=newsletter_list, email="zurueck@example.org")
    assert Subscriber.objects.get().status == "pending"


def test_subscriber_links_to_the_contact_and_shows_on_the_timeline(newsletter_list):
    from core.timeline import timeline_for_organisation

    role = OrganisationRoleFactory(person__email="chefin@firma.example")
    services.subscriber_signup(newsletter_list=newsletter_list, email="Chefin@Firma.example")
    subscriber = services.subscriber_confirm(value=_confirm_value(OutgoingMail.objects.get()))
    assert subscriber.person == role.person
    entries = [e for e in timeline_for_organisation(role.organisation) if e.kind == "Newsletter"]
    assert entries and "chefin@firma.example" in entries[0].title


def test_privacy_export_and_erase(newsletter_list):
    from core.privacy import DataSubject, personal_data_erase, personal_data_export

    subscriber = SubscriberFactory(newsletter_list=newsletter_list, email="weg@example.org")
    SubscriptionEvent.objects.create(
        newsletter_list=newsletter_list, subscriber=subscriber, kind="confirm", at=timezone.now()
    )
    assert personal_data_export(DataSubject(email="weg@example.org"))["newsletter"]["subscriptions"]
    personal_data_erase(DataSubject(email="weg@example.org"))
    assert not Subscriber.objects.exists()
    assert SubscriptionEvent.objects.get().subscriber is None  # the figure keeps counting, without the address

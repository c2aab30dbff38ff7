"""Double opt-in, the throttle, links that expire or are forged, one-click unsubscribe, preferences, export."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from contacts.models import Consent
from contacts.services import consent_record
from core.errors import ServiceError
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
    response = client.post(f"/newsletter/bestaetigen/{value}/", follow=True)
    assert response.redirect_chain[-1][0] == f"/newsletter/einstellungen/{subscriber.token}/"
    assert "Anmeldung ist bestätigt" in response.content.decode()
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
    with pytest.raises(ServiceError):
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
    consent_record(email=subscriber.email, purpose="newsletter.industrie", wording="x", wording_version="1", source="t")
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


# --- the confirmation link and the management token are separate (issue 12, item 17) ----------


def _signed_up(client, email="lea@example.org") -> tuple[Subscriber, OutgoingMail]:
    client.post("/newsletter/industrie/", {"email": email, "language": "de", "consent": "on"})
    subscriber = Subscriber.objects.get(email=email)
    return subscriber, OutgoingMail.objects.get(reference=f"newsletter.subscriber:{subscriber.pk}")


def test_the_confirmation_mail_does_not_carry_the_token_that_opens_preferences_and_export(client, newsletter_list):
    subscriber, mail = _signed_up(client)
    assert subscriber.token not in mail.body_text and subscriber.token not in mail.body_html
    value = _confirm_value(mail)
    for part in [value, *value.replace(":", ".").split(".")]:
        assert client.get(f"/newsletter/einstellungen/{part}/daten.json").status_code == 404
        assert client.get(f"/newsletter/einstellungen/{part}/").status_code == 404


def test_an_expired_confirmation_link_opens_neither_the_subscription_nor_the_data_export(client, newsletter_list):
    subscriber, mail = _signed_up(client)
    value = _confirm_value(mail)
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=49)):
        for response in (
            client.get(f"/newsletter/bestaetigen/{value}/"),
            client.post(f"/newsletter/bestaetigen/{value}/"),
        ):
            assert response.status_code == 410
            assert subscriber.token not in response.content.decode() and "Location" not in response
    assert Subscriber.objects.get().status == "pending"


def test_a_used_confirmation_link_cannot_be_used_again_and_shows_no_personal_link(client, newsletter_list):
    subscriber, mail = _signed_up(client)
    value = _confirm_value(mail)
    first = client.post(f"/newsletter/bestaetigen/{value}/")
    assert first.status_code == 302 and first["Location"] == f"/newsletter/einstellungen/{subscriber.token}/"
    for again in (client.get(f"/newsletter/bestaetigen/{value}/"), client.post(f"/newsletter/bestaetigen/{value}/")):
        assert again.status_code == 404 and "schon verwendet" in again.content.decode()
        assert subscriber.token not in again.content.decode() and "Location" not in again
    assert Consent.objects.count() == 1 and SubscriptionEvent.objects.filter(kind="confirm").count() == 1


def test_after_leaving_and_signing_up_again_the_old_confirmation_link_is_void(client, newsletter_list):
    subscriber, mail = _signed_up(client)
    old = _confirm_value(mail)
    services.subscriber_unsubscribe(subscriber=subscriber)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=61)):
        client.post("/newsletter/industrie/", {"email": "lea@example.org", "language": "de", "consent": "on"})
    assert client.post(f"/newsletter/bestaetigen/{old}/").status_code == 404
    new = _confirm_value(OutgoingMail.objects.order_by("pk").last())
    assert client.post(f"/newsletter/bestaetigen/{new}/").status_code == 302


def test_the_migration_replaces_tokens_that_old_confirmation_links_exposed(newsletter_list):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("newsletter.migrations.0002_confirmation_key")
    pending = SubscriberFactory(newsletter_list=newsletter_list, status="pending", confirmed_at=None,
                                confirmation_sent_at=timezone.now())  # fmt: skip
    left_unconfirmed = SubscriberFactory(newsletter_list=newsletter_list, status="unsubscribed", confirmed_at=None)
    active = SubscriberFactory(newsletter_list=newsletter_list)
    before = {s.pk: s.token for s in Subscriber.objects.all()}
    migration.separate_tokens(apps, None)
    pending.refresh_from_db(), left_unconfirmed.refresh_from_db(), active.refresh_from_db()
    assert pending.token != before[pending.pk] and pending.confirm_key and pending.confirmation_sent_at is None
    assert left_unconfirmed.token != before[left_unconfirmed.pk] and not left_unconfirmed.confirm_key
    assert active.token == before[active.pk]  # the unsubscribe links in the issues they received keep working


def test_pages_opened_by_a_personal_link_are_not_cached(client, newsletter_list):
    subscriber = SubscriberFactory(newsletter_list=newsletter_list)
    _pending, mail = _signed_up(client, "neu@example.org")
    for url in (
        f"/newsletter/einstellungen/{subscriber.token}/",
        f"/newsletter/einstellungen/{subscriber.token}/daten.json",
        f"/newsletter/abmelden/{subscriber.token}/",
        f"/newsletter/bestaetigen/{_confirm_value(mail)}/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_behind_the_proxy_the_consent_stores_the_visitors_address_not_the_proxys(client, newsletter_list, settings):
    settings.NEWSLETTER_STORE_IP = True
    settings.BEHIND_TLS_PROXY = True
    client.post(
        "/newsletter/industrie/", {"email": "proxy@example.org", "language": "de", "consent": "on"},
        REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7",
    )  # fmt: skip
    assert Subscriber.objects.get().consent_ip == "203.0.113.7"
    settings.BEHIND_TLS_PROXY = False
    client.post(
        "/newsletter/industrie/", {"email": "direkt@example.org", "language": "de", "consent": "on"},
        REMOTE_ADDR="192.0.2.9", HTTP_X_FORWARDED_FOR="203.0.113.7",
    )  # fmt: skip
    assert Subscriber.objects.get(email="direkt@example.org").consent_ip == "192.0.2.9"

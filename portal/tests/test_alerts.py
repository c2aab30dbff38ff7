"""Saved searches: double opt-in, new offers by mail (each once), one-click unsubscribe, GDPR."""

import datetime
import re
import time

import pytest
from django.core import signing
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from contacts.models import Consent
from core.models import OutgoingMail
from core.privacy import DataSubject
from portal import privacy, selectors, services
from portal.models import ALERT_CONSENT_PURPOSE, SearchAlert, SearchAlertOffer
from portal.tests.factories import OfferFactory, ProfileFactory, alert_factory, confirm_value
from testing.factories import DistrictFactory, OrganisationFactory
from testing.mail import deliver_queued_mail

pytestmark = pytest.mark.django_db

SEARCH = {"q": "Mechatroniker", "ort": "Dülmen", "umkreis": "25"}


@pytest.fixture
def coesfeld(db):
    district = DistrictFactory(name="Coesfeld", slug="coesfeld")
    near = ProfileFactory(
        organisation=OrganisationFactory(
            name="Coesfelder Drahtwerk", city="Coesfeld", postcode="48653", district=district
        )
    )
    far = ProfileFactory(
        organisation=OrganisationFactory(name="Rheiner Maschinen", city="Rheine", postcode="48431", district=district)
    )
    selectors.clear_caches()
    return {"near": near, "far": far}


def _sign_up(client, email="Pia.Schmidt@Example.org", **search):
    return client.post(reverse("portal:alert_signup"), {"email": email, "consent": "on", **(search or SEARCH)})


def _confirm_link(alert) -> str:
    mail = OutgoingMail.objects.filter(reference=f"portal.alert:{alert.pk}", template="portal_alert_confirm").latest(
        "pk"
    )
    return re.search(r"http://\S+/suchauftrag/bestaetigen/\S+/", mail.body_text).group(0)


def test_signing_up_mails_a_confirmation_link_and_sends_nothing_else(client, coesfeld):
    response = _sign_up(client)
    assert response.status_code == 302 and response.url == reverse("portal:alert_pending")
    alert = SearchAlert.objects.get()
    assert alert.email == "pia.schmidt@example.org" and alert.status == SearchAlert.Status.PENDING
    assert alert.filters == SEARCH and alert.language == "de"
    mail = OutgoingMail.objects.get(reference=f"portal.alert:{alert.pk}")
    assert mail.to_email == "pia.schmidt@example.org" and "bestätigen" in mail.subject
    assert "„Mechatroniker“ · bis 25 km um Dülmen" in mail.body_text and "48 Stunden" in mail.body_text
    assert alert.consent_wording in mail.body_text and "Suchauftrag bestätigen" in mail.body_html
    assert not Consent.objects.filter(purpose=ALERT_CONSENT_PURPOSE).exists()
    # no offers go to an unconfirmed alert
    OfferFactory(profile=coesfeld["near"])
    assert services.alerts_send() == 0


def test_signing_up_without_consent_or_address_changes_nothing(client, coesfeld):
    response = client.post(reverse("portal:alert_signup"), {"email": "kein-at-zeichen", **SEARCH})
    assert response.status_code == 400
    body = response.content.decode()
    assert "gültige E-Mail-Adresse" in body and "Bitte stimmen Sie zu" in body
    assert not SearchAlert.objects.exists() and not OutgoingMail.objects.exists()


def test_the_same_answer_and_no_mail_bombing_for_repeated_sign_ups(client, coesfeld):
    for _ in range(3):
        assert _sign_up(client).url == reverse("portal:alert_pending")
    assert SearchAlert.objects.count() == 1 and OutgoingMail.objects.count() == 1
    # another search of the same address is a second alert
    _sign_up(client, **{"beruf": "mechatroniker-in"})
    assert SearchAlert.objects.count() == 2 and OutgoingMail.objects.count() == 2


def test_opening_the_link_shows_a_button_and_confirming_stores_the_consent(client, coesfeld):
    _sign_up(client)
    alert = SearchAlert.objects.get()
    link = _confirm_link(alert).replace("http://127.0.0.1:8000", "")
    page = client.get(link)
    assert page.status_code == 200 and "Suchauftrag bestätigen" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    alert.refresh_from_db()
    assert alert.status == SearchAlert.Status.PENDING  # a mail scanner opening the link confirms nothing
    done = client.post(link)
    assert done.status_code == 200 and "Ihr Suchauftrag ist aktiv" in done.content.decode()
    alert.refresh_from_db()
    assert alert.status == SearchAlert.Status.ACTIVE and alert.confirmed_at is not None
    consent = Consent.objects.get(purpose=ALERT_CONSENT_PURPOSE)
    assert consent.email == "pia.schmidt@example.org" and consent.wording == alert.consent_wording
    assert "höchstens eine E-Mail am Tag" in consent.wording and consent.given_at == alert.confirmed_at
    assert "Double-Opt-in" in consent.source and consent.withdrawn_at is None
    assert client.post(link).status_code == 200  # twice is fine
    assert Consent.objects.filter(purpose=ALERT_CONSENT_PURPOSE).count() == 1


def test_an_expired_or_forged_confirmation_link_confirms_nothing(client, monkeypatch, coesfeld):
    alert = alert_factory(filters=SEARCH)
    past = time.time() - 49 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: past)
    expired = confirm_value(alert)
    monkeypatch.undo()
    response = client.post(reverse("portal:alert_confirm", args=[expired]))
    assert response.status_code == 410 and "abgelaufen" in response.content.decode()
    forged = signing.TimestampSigner(salt="falsch").sign(f"{alert.pk}.{alert.token}")
    assert client.get(reverse("portal:alert_confirm", args=[forged])).status_code == 404
    alert.refresh_from_db()
    assert alert.status == SearchAlert.Status.PENDING


def test_new_matching_offers_are_mailed_once_each(coesfeld, mailoutbox):
    old = OfferFactory(profile=coesfeld["near"])
    alert = alert_factory(email="pia@example.org", filters=SEARCH, confirmed=True)
    now = timezone.now()
    fresh = OfferFactory(profile=coesfeld["near"], title="Mechatroniker/-in mit Zusatzqualifikation")
    OfferFactory(profile=coesfeld["far"])  # Rheine: about 50 km from Dülmen, outside the 25 km
    OfferFactory(profile=coesfeld["near"], occupation_name="Industriekaufmann/-frau")  # another occupation

    assert services.alerts_send(now=now) == 1
    mail = OutgoingMail.objects.get(template="portal_alert_offers")
    assert mail.subject == "1 neues Angebot: „Mechatroniker“ · bis 25 km um Dülmen"
    assert fresh.display_title in mail.body_text and old.slug not in mail.body_text
    assert f"http://127.0.0.1:8000{fresh.get_absolute_url()}" in mail.body_text
    assert re.search(r"Entfernung: ca\. 1[3-7] km", mail.body_text)
    assert list(SearchAlertOffer.objects.values_list("offer_id", flat=True)) == [fresh.pk]

    # the next run the same day, and the next day, do not mail it again
    assert services.alerts_send(now=now + datetime.timedelta(hours=1)) == 0
    assert services.alerts_send(now=now + datetime.timedelta(days=1, hours=1)) == 0
    later = OfferFactory(profile=coesfeld["near"])
    assert services.alerts_send(now=now + datetime.timedelta(hours=2)) == 0  # at most one mail a day
    assert services.alerts_send(now=now + datetime.timedelta(days=1, hours=2)) == 1
    second = OutgoingMail.objects.filter(template="portal_alert_offers").latest("pk")
    assert later.slug in second.body_text and fresh.slug not in second.body_text

    deliver_queued_mail()
    message = mailoutbox[-1]
    unsubscribe = services.alert_unsubscribe_link(alert)
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body and "Suchauftrag beenden" in message.alternatives[0][0]


def test_an_offer_cannot_be_recorded_twice_for_an_alert(coesfeld):
    alert = alert_factory(filters={}, confirmed=True)
    offer = OfferFactory(profile=coesfeld["near"])
    SearchAlertOffer.objects.create(alert=alert, offer=offer)
    with pytest.raises(IntegrityError):
        SearchAlertOffer.objects.create(alert=alert, offer=offer)


def test_one_click_unsubscribe_ends_the_alert_and_withdraws_the_consent(coesfeld):
    alert = alert_factory(email="pia@example.org", filters=SEARCH, confirmed=True)
    url = reverse("portal:alert_unsubscribe", args=[alert.token])
    browser = Client(enforce_csrf_checks=True)  # a mail client's POST carries no CSRF token
    page = browser.get(url)
    assert page.status_code == 200 and "Suchauftrag beenden" in page.content.decode()
    assert "„Mechatroniker“ · bis 25 km um Dülmen" in page.content.decode()
    response = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    alert.refresh_from_db()
    assert alert.status == SearchAlert.Status.ENDED and alert.ended_at is not None
    assert Consent.objects.get(purpose=ALERT_CONSENT_PURPOSE).withdrawn_at is not None
    OfferFactory(profile=coesfeld["near"])
    assert services.alerts_send() == 0
    assert "ist beendet" in browser.get(url).content.decode()
    assert browser.get(reverse("portal:alert_unsubscribe", args=["unbekannt"])).status_code == 404


def test_ending_one_alert_keeps_the_consent_of_another(coesfeld):
    first = alert_factory(email="pia@example.org", filters=SEARCH, confirmed=True)
    alert_factory(email="pia@example.org", filters={"q": "Chemie"}, confirmed=True)
    services.alert_end(alert=first)
    assert Consent.objects.filter(purpose=ALERT_CONSENT_PURPOSE, withdrawn_at__isnull=True).exists()


def test_export_and_erasure_of_an_address(coesfeld):
    alert = alert_factory(email="pia@example.org", filters=SEARCH, confirmed=True)
    SearchAlertOffer.objects.create(alert=alert, offer=OfferFactory(profile=coesfeld["near"]))
    exported = privacy.export(DataSubject(email="Pia@example.org"))["search_alerts"]
    assert exported[0]["search"] == "„Mechatroniker“ · bis 25 km um Dülmen"
    assert exported[0]["offers_mailed"] == 1 and exported[0]["status"] == "active"
    assert privacy.erase(DataSubject(email="pia@example.org")) >= 1
    assert not SearchAlert.objects.exists() and not SearchAlertOffer.objects.exists()


def test_unconfirmed_and_long_ended_alerts_are_deleted(coesfeld):
    now = timezone.now()
    stale = alert_factory(email="alt@example.org")
    SearchAlert.objects.filter(pk=stale.pk).update(created_at=now - datetime.timedelta(days=8))
    fresh = alert_factory(email="neu@example.org")
    ended = alert_factory(email="weg@example.org", confirmed=True)
    services.alert_end(alert=ended, now=now - datetime.timedelta(days=31))
    active = alert_factory(email="aktiv@example.org", confirmed=True)
    services.alerts_tidy(now=now)
    assert set(SearchAlert.objects.values_list("pk", flat=True)) == {fresh.pk, active.pk}


def test_new_offers_of_an_alert_read_one_query(coesfeld, django_assert_num_queries):
    alert = alert_factory(filters=SEARCH, confirmed=True)
    OfferFactory(profile=coesfeld["near"])
    OfferFactory(profile=coesfeld["near"])
    selectors.occupation_choices(), selectors.district_choices()
    with django_assert_num_queries(1):
        offers = selectors.alert_new_offers(alert)
        assert [offer.profile.organisation.city for offer in offers] == ["Coesfeld", "Coesfeld"]
    with django_assert_num_queries(1):
        assert selectors.alerts_for_email(alert.email)[0].offers_mailed == 0
    with django_assert_num_queries(1):
        assert selectors.alert_by_token(alert.token) == alert

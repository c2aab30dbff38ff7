"""The staff pages: endpoints (secret shown once, rotation, deactivation), the delivery log, replay."""

import pytest
from django.urls import reverse

from webhooks.models import Delivery, Endpoint
from webhooks.tests.factories import EndpointFactory

FORM = {"name": "CRM der Kammer", "event_types": ["registration.created", "booking.created"], "is_active": "on"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "Link-lokale Adressen und Metadaten-Dienste"),
        ("http://[fe80::1]/hooks", "Link-lokale Adressen"),
        ("ftp://crm.example.org/hooks", "mit https:// (oder http://) beginnt"),
        ("javascript:alert(1)", "mit https:// (oder http://) beginnt"),
        ("https://user:pw@crm.example.org/hooks", "keinen Benutzernamen"),
        ("http://127.0.0.1:8000/hooks", "Interne Adressen"),
        ("http://10.1.2.3/hooks", "Interne Adressen"),
        ("http://[::ffff:169.254.169.254]/", "Link-lokale Adressen"),
        ("https://gibt-es-nicht.invalid/hooks", "ist nicht bekannt"),
    ],
)
def test_staff_see_why_an_endpoint_address_is_refused(login, staff, url, message):
    response = login(staff).post(reverse("webhooks:endpoint_create"), {**FORM, "url": url})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Endpoint.objects.exists()


def test_metadata_addresses_stay_refused_when_private_addresses_are_allowed(login, staff, allow_private):
    client = login(staff)
    response = client.post(reverse("webhooks:endpoint_create"), {**FORM, "url": "http://169.254.169.254/"})
    assert "Link-lokale Adressen" in response.content.decode()
    response = client.post(reverse("webhooks:endpoint_create"), {**FORM, "url": "http://127.0.0.1:8000/hooks"})
    assert response.status_code == 302
    assert Endpoint.objects.get().url == "http://127.0.0.1:8000/hooks"


def test_the_secret_is_shown_once_after_creating_and_after_rotating(login, staff, allow_private):
    client = login(staff)
    response = client.post(reverse("webhooks:endpoint_create"), {**FORM, "url": "http://127.0.0.1:8000/hooks"})
    endpoint = Endpoint.objects.get()
    assert endpoint.created_by == staff and endpoint.event_types == ["registration.created", "booking.created"]
    page = client.get(response["Location"]).content.decode()
    assert endpoint.secret in page
    assert endpoint.secret not in client.get(response["Location"]).content.decode()  # reload: masked

    old = endpoint.secret
    client.post(reverse("webhooks:endpoint_rotate", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    page = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret in page and old not in page


def test_staff_deactivate_and_edit_an_endpoint(login, staff):
    endpoint = EndpointFactory()
    client = login(staff)
    client.post(reverse("webhooks:endpoint_toggle", args=[endpoint.pk]), {"aktiv": "0"})
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert "deaktiviert" in client.get(reverse("webhooks:endpoint_list")).content.decode()

    response = client.post(
        reverse("webhooks:endpoint_edit", args=[endpoint.pk]),
        {"name": "Neu", "url": "https://93.184.216.34/hooks", "event_types": ["offer.changed"], "is_active": "on"},
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert (endpoint.name, endpoint.event_types, endpoint.is_active) == ("Neu", ["offer.changed"], True)


def test_an_endpoint_without_events_is_refused(login, staff, allow_private):
    response = login(staff).post(
        reverse("webhooks:endpoint_create"), {"name": "x", "url": "http://127.0.0.1/", "event_types": ["nope"]}
    )
    assert "Bitte wählen Sie mindestens ein Ereignis aus der Liste." in response.content.decode()
    assert not Endpoint.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_staff_read_the_log_and_replay_a_delivery_with_the_same_id(login, staff, receiver, run_worker):
    from django.db import transaction

    from core.hooks import emit

    endpoint = EndpointFactory(url=receiver.url)
    with transaction.atomic():
        emit("booking.created", {"booking_id": 4})
    run_worker()
    delivery = Delivery.objects.get()
    client = login(staff)
    log = client.get(reverse("webhooks:endpoint_detail", args=[endpoint.pk])).content.decode()
    assert "booking.created" in log and "zugestellt" in log

    response = client.post(reverse("webhooks:delivery_replay", args=[delivery.pk]))
    assert response.status_code == 302
    run_worker()
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 2
    assert receiver.ids == [str(delivery.event_id)] * 2
    page = client.get(reverse("webhooks:delivery_detail", args=[delivery.pk])).content.decode()
    assert page.count("HTTP 200") == 2


def test_a_replay_to_a_deactivated_endpoint_is_refused(login, staff):
    from django.utils import timezone

    endpoint = EndpointFactory(is_active=False)
    delivery = Delivery.objects.create(
        endpoint=endpoint, event_type="offer.changed", occurred_at=timezone.now(), status="failed", attempts=6
    )
    client = login(staff)
    response = client.post(reverse("webhooks:delivery_replay", args=[delivery.pk]), follow=True)
    assert "Der Endpunkt ist deaktiviert." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.status == "failed"

"""Domain events become signed POSTs to a real local HTTP server, with retries, lease and replay."""

import json
import uuid
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from core.hooks import emit
from events import services as event_services
from events.services import RegistrationInput
from events.tests.factories import event_with_audience
from webhooks import services
from webhooks.models import Attempt, Delivery
from webhooks.signing import verify
from webhooks.tests.factories import EndpointFactory
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def _emit(name="registration.created", payload=None):
    with transaction.atomic():
        return emit(name, payload or {"registration_id": 1, "event_id": 2, "status": "confirmed"})


def test_a_registration_reaches_the_receiver_signed(receiver, run_worker):
    endpoint = services.endpoint_save(name="CRM", url=receiver.url, event_types=["registration.created"])
    event, audience = event_with_audience(quota=1)

    registration = event_services.registration_create(
        event=event, data=RegistrationInput(audience_id=audience.pk, email="ida@example.org", first_name="Ida",
                                            last_name="Industrie"),
    )  # fmt: skip
    waiting = event_services.registration_create(
        event=event, data=RegistrationInput(audience_id=audience.pk, email="wim@example.org", first_name="Wim",
                                            last_name="Warte"),
    )  # fmt: skip
    run_worker()

    assert len(receiver.requests) == 2
    by_registration = {r.document["data"]["registration_id"]: r for r in receiver.requests}
    first = by_registration[registration.pk]
    assert verify(endpoint.secret, first.headers, first.body) == first.document["id"]
    assert first.headers["Content-Type"] == "application/json; charset=utf-8"
    assert first.document["type"] == "registration.created"
    assert first.document["data"] == {
        "registration_id": registration.pk, "event_id": event.pk, "audience_id": audience.pk, "status": "confirmed"
    }  # fmt: skip
    assert by_registration[waiting.pk].document["data"]["status"] == "waiting"
    assert "ida@example.org" not in first.body.decode()  # no personal data in the payload
    assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_cancellation_goes_only_to_endpoints_that_subscribed_to_it(receiver, run_worker):
    services.endpoint_save(name="Alles", url=receiver.url, event_types=["registration.cancelled"])
    EndpointFactory(url=receiver.url, event_types=["registration.created"])
    EndpointFactory(url=receiver.url, is_active=False)
    event, audience = event_with_audience()
    registration = event_services.registration_create(
        event=event,
        data=RegistrationInput(audience_id=audience.pk, email="c@example.org", first_name="C", last_name="D"),
    )
    event_services.registration_cancel(registration=registration)
    run_worker()

    types = sorted(r.document["type"] for r in receiver.requests)
    assert types == ["registration.cancelled", "registration.created"]  # the inactive endpoint got nothing


def test_a_change_that_rolls_back_sends_nothing(receiver):
    EndpointFactory(url=receiver.url)
    with pytest.raises(RuntimeError), transaction.atomic():
        emit("registration.created", {"registration_id": 1})
        raise RuntimeError
    assert not Delivery.objects.exists()


def test_a_500_is_retried_after_one_then_five_minutes_with_the_same_id(allow_private):
    with Receiver(answers=[500, 503, 200]) as receiver:
        endpoint = EndpointFactory(url=receiver.url)
        _emit()
        delivery = Delivery.objects.get(endpoint=endpoint)
        start = timezone.now()

        assert services.delivery_attempt(delivery.pk, now=start) == "pending"
        delivery.refresh_from_db()
        assert delivery.last_status_code == 500
        assert delivery.next_attempt_at - start >= timedelta(minutes=1)
        assert delivery.next_attempt_at - start < timedelta(minutes=2)

        # not due yet: nothing is sent
        assert services.delivery_attempt(delivery.pk, now=start + timedelta(seconds=30)) == services.NOT_CLAIMED
        assert len(receiver.requests) == 1

        assert services.delivery_attempt(delivery.pk, now=delivery.next_attempt_at) == "pending"
        delivery.refresh_from_db()
        assert delivery.next_attempt_at - timezone.now() > timedelta(minutes=4)  # five minutes after the 2nd

        assert services.delivery_attempt(delivery.pk, now=delivery.next_attempt_at) == "delivered"
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and delivery.attempts == 3
    assert len(set(receiver.ids)) == 1 and receiver.ids[0] == str(delivery.event_id)
    assert all(verify(endpoint.secret, r.headers, r.body) for r in receiver.requests)
    assert list(Attempt.objects.values_list("status_code", flat=True)) == [500, 503, 200]


def test_a_delivery_fails_after_six_attempts(allow_private):
    with Receiver(answers=[500]) as receiver:
        endpoint = EndpointFactory(url=receiver.url)
        _emit()
        delivery = Delivery.objects.get(endpoint=endpoint)
        now = timezone.now()
        waits = []
        for _ in range(services.MAX_ATTEMPTS):
            services.delivery_attempt(delivery.pk, now=now)
            delivery.refresh_from_db()
            if delivery.next_attempt_at:
                waits.append(delivery.next_attempt_at - timezone.now())
                now = delivery.next_attempt_at
    assert delivery.status == "failed" and delivery.attempts == 6
    assert [round(wait.total_seconds() / 60) for wait in waits] == [1, 5, 30, 120, 720]
    assert len(receiver.requests) == 6


def test_an_unreachable_receiver_is_retried(allow_private):
    endpoint = EndpointFactory(url="http://127.0.0.1:9/hooks")  # discard port: connection refused
    _emit()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert services.delivery_attempt(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.last_status_code is None and "Connection refused" in delivery.last_error


def test_a_worker_that_dies_after_posting_leaves_the_delivery_to_be_sent_again_with_the_same_id(receiver):
    """The in-process version of the crash test (test_crash.py kills a real worker process)."""
    endpoint = EndpointFactory(url=receiver.url)
    _emit()
    delivery = Delivery.objects.get(endpoint=endpoint)
    real_post = services._post

    def post_then_die(*args):
        real_post(*args)
        raise SystemExit("killed")  # between the POST and recording its result

    with mock.patch.object(services, "_post", post_then_die), pytest.raises(SystemExit):
        services.delivery_attempt(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.claimed_until is not None

    # while the lease runs, a second task (or worker) leaves it alone: no duplicate
    assert services.delivery_attempt(delivery.pk) == services.NOT_CLAIMED
    assert services.deliveries_requeue() == 0
    # the lease runs out: the recurring job releases and queues it; it is sent again
    assert services.deliveries_requeue(now=timezone.now() + services.LEASE + timedelta(seconds=1)) == 1
    assert services.delivery_attempt(delivery.pk) == "delivered"

    assert receiver.ids == [str(delivery.event_id)] * 2  # same Webhook-Id: the receiver dedupes
    assert Delivery.objects.count() == 1
    attempts = list(Attempt.objects.filter(delivery=delivery).values_list("finished_at", "status_code"))
    assert attempts[0] == (None, None) and attempts[1][1] == 200  # the cut-off attempt stays in the log


def test_the_same_event_twice_makes_one_delivery(receiver):
    endpoint = EndpointFactory(url=receiver.url)
    event = _emit()
    from webhooks.services import event_received

    with transaction.atomic():
        assert event_received(event) == []
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_a_deactivated_endpoint_gets_nothing_more(receiver):
    endpoint = EndpointFactory(url=receiver.url)
    _emit()
    delivery = Delivery.objects.get()
    services.endpoint_set_active(endpoint=endpoint, active=False)
    assert services.delivery_attempt(delivery.pk) == "failed"
    assert receiver.requests == []
    _emit()
    assert Delivery.objects.count() == 1


def test_the_body_is_the_documented_envelope(receiver):
    EndpointFactory(url=receiver.url)
    event = _emit("offer.published", {"offer_id": 7, "title": "Ausbildung Mechatroniker/in (m/w/d)"})
    services.delivery_attempt(Delivery.objects.get().pk)
    document = json.loads(receiver.requests[0].body)
    assert document == {
        "id": str(event.id), "type": "offer.published", "occurred_at": event.occurred_at.isoformat(),
        "data": {"offer_id": 7, "title": "Ausbildung Mechatroniker/in (m/w/d)"},
    }  # fmt: skip
    assert uuid.UUID(receiver.requests[0].headers["Webhook-Id"]) == event.id


def test_finished_deliveries_leave_the_log_after_90_days(receiver):
    EndpointFactory(url=receiver.url)
    _emit()
    _emit()
    delivered, pending = Delivery.objects.order_by("pk")
    services.delivery_attempt(delivered.pk)
    later = timezone.now() + timedelta(days=91)
    assert services.deliveries_tidy(now=later) == 2  # the delivery and its attempt
    assert list(Delivery.objects.values_list("pk", flat=True)) == [pending.pk]  # still to be sent: kept


def test_endpoints_are_read_anew_for_every_event():
    """The endpoint list's SQL is compiled once per process; the rows never are kept: an endpoint
    added, re-subscribed or switched off after an event counts from the very next one."""
    _emit()  # compiles the statement with no endpoint there
    first = EndpointFactory(url="https://crm.example.org/hook", event_types=["registration.created"])
    _emit()
    assert Delivery.objects.filter(endpoint=first).count() == 1

    second = EndpointFactory(url="https://erp.example.org/hook", event_types=["booking.created"])
    _emit()
    assert not Delivery.objects.filter(endpoint=second).exists()  # not subscribed to registrations
    assert Delivery.objects.filter(endpoint=first).count() == 2
    second.event_types = ["booking.created", "registration.created"]
    second.save()
    services.endpoint_set_active(endpoint=first, active=False)
    _emit()
    assert Delivery.objects.filter(endpoint=first).count() == 2  # switched off: nothing new
    assert Delivery.objects.filter(endpoint=second).count() == 1

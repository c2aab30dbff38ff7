"""A connected system's whole round trip: it registers someone through the API and hears back through its
webhook, delivered by the real worker to a real HTTP server and signed with the endpoint's secret."""

import pytest

from api.tests.test_api import post_json
from events.tests.factories import event_with_audience
from webhooks import services as webhook_services
from webhooks.signing import verify
from webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def receiver(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    with Receiver() as server:
        yield server


def _run_worker():
    from django.core.management import call_command

    call_command("worker", "--batch", "--queues", "default", "--no-scheduler", verbosity=0)


def test_a_registration_made_through_the_api_comes_back_as_a_signed_webhook(client, staff, bearer, receiver):
    endpoint = webhook_services.endpoint_save(
        name="Kammer-CRM", url=receiver.url, event_types=["registration.created", "registration.cancelled"]
    )
    event, audience = event_with_audience(quota=5)
    auth = bearer(staff, ["events:read", "events:write"])

    created = post_json(client, f"/api/v1/events/{event.pk}/registrations", {
        "audience_id": audience.pk, "email": "ada@example.org", "first_name": "Ada", "last_name": "Lovelace",
    }, **auth)  # fmt: skip
    assert created.status_code == 201, created.content
    registration_id = created.json()["id"]
    assert client.post(f"/api/v1/registrations/{registration_id}/cancel", **auth).status_code == 200
    _run_worker()

    kinds = {request.document["type"]: request for request in receiver.requests}
    assert set(kinds) == {"registration.created", "registration.cancelled"}
    for request in receiver.requests:
        assert verify(endpoint.secret, request.headers, request.body) == request.document["id"]
        assert request.document["data"]["registration_id"] == registration_id
        assert request.document["data"]["event_id"] == event.pk
    assert kinds["registration.created"].document["data"]["status"] == "confirmed"
    assert len(receiver.requests) == 2  # once each, no duplicate

    _run_worker()  # a second worker run finds nothing left to send
    assert len(receiver.requests) == 2

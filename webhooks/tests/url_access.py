from core.roles import Role
from testing.access import Access

STAFF = Role.STAFF

URL_ACCESS = {
    "webhooks:endpoint_list": Access(STAFF),
    "webhooks:endpoint_create": Access(STAFF),
    "webhooks:endpoint_detail": Access(STAFF, kwargs=lambda w: {"pk": w.wh_endpoint.pk}),
    "webhooks:endpoint_edit": Access(STAFF, kwargs=lambda w: {"pk": w.wh_endpoint.pk}),
    "webhooks:endpoint_rotate": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.wh_endpoint.pk}),
    "webhooks:endpoint_toggle": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.wh_endpoint.pk}),
    "webhooks:delivery_detail": Access(STAFF, kwargs=lambda w: {"pk": w.wh_delivery.pk}),
    "webhooks:delivery_replay": Access(STAFF, method="post", kwargs=lambda w: {"pk": w.wh_delivery.pk}),
}


def build(world):
    from django.utils import timezone

    from webhooks.models import Attempt, Delivery
    from webhooks.tests.factories import EndpointFactory

    world.wh_endpoint = EndpointFactory(name="Matrix-CRM")
    now = timezone.now()
    world.wh_delivery = Delivery.objects.create(
        endpoint=world.wh_endpoint, event_type="registration.created", occurred_at=now,
        payload={"registration_id": 1, "event_id": 2, "status": "confirmed"}, status=Delivery.Status.FAILED,
        attempts=1, last_status_code=500, last_error="HTTP 500 Internal Server Error",
    )  # fmt: skip
    Attempt.objects.create(
        delivery=world.wh_delivery, number=1, started_at=now, finished_at=now, status_code=500, error="HTTP 500"
    )

"""Reads for the staff pages."""

from django.db.models import Count, Q

from webhooks.events import EVENT_TYPES
from webhooks.models import Delivery, Endpoint


def endpoints_with_counts():
    S = Delivery.Status
    return Endpoint.objects.annotate(
        pending=Count("deliveries", filter=Q(deliveries__status=S.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=S.FAILED)),
        delivered=Count("deliveries", filter=Q(deliveries__status=S.DELIVERED)),
    ).order_by("name", "pk")


def deliveries_for_endpoint(endpoint: Endpoint, *, status: str = ""):
    deliveries = Delivery.objects.filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-pk")


def event_type_labels(names: list[str]) -> list[str]:
    labels = dict(EVENT_TYPES)
    return [str(labels.get(name, name)) for name in names]


def masked_secret(secret: str) -> str:
    return f"whsec_…{secret[-4:]}"

"""Staff only: every endpoint and delivery is visible to staff; others get 403 from the view's decorator."""

from django.shortcuts import get_object_or_404

from webhooks.models import Delivery, Endpoint


def endpoint_for_staff(user, pk) -> Endpoint:
    return get_object_or_404(Endpoint, pk=pk)


def delivery_for_staff(user, pk) -> Delivery:
    return get_object_or_404(Delivery.objects.select_related("endpoint"), pk=pk)

"""Thin tasks of the webhooks app (the worker runs them; the rules are in services.py)."""

from django_tasks import task

from webhooks.models import Delivery
from webhooks.services import deliveries_requeue, deliveries_tidy, delivery_attempt


@task()
def deliver_webhook(delivery_id: int) -> str:
    status = delivery_attempt(delivery_id)
    if status == Delivery.Status.PENDING:  # failed, retried after the back-off
        next_attempt_at = Delivery.objects.values_list("next_attempt_at", flat=True).get(pk=delivery_id)
        if next_attempt_at:
            deliver_webhook.using(run_after=next_attempt_at).enqueue(delivery_id)
    return status


@task()
def requeue_stuck_webhooks() -> int:
    return deliveries_requeue()


@task()
def tidy_webhook_log() -> int:
    return deliveries_tidy()

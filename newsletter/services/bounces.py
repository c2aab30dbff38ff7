"""Bounce reports: mark the delivery and suppress the address (hard at once, soft after a few in a row)."""

from django.db import transaction

from newsletter.dsn import BounceReport
from newsletter.models import Delivery, Subscriber
from newsletter.services.subscriptions import subscriber_mark_bounced


@transaction.atomic
def bounce_apply(report: BounceReport) -> str:
    """Act on one parsed report. Returns what happened: ``hard``, ``soft``, ``ignored`` or ``unknown``.

    The delivery is found by the Message-ID in the returned headers, else the subscriber by the
    final recipient.
    """
    if not (report.hard or report.soft):
        return "ignored"
    delivery = Delivery.objects.filter(message_id=report.message_id).first() if report.message_id else None
    if delivery is not None and delivery.subscriber_id:
        subscribers = [delivery.subscriber_id]
    else:
        subscribers = list(
            Subscriber.objects.filter(email__iexact=report.recipient, status=Subscriber.Status.ACTIVE).values_list(
                "pk", flat=True
            )
        )
    if not subscribers:
        return "unknown"
    reason = f"DSN {report.status} {report.diagnostic}"
    if delivery is not None and report.hard:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.BOUNCED, last_error=reason[:300])
    for subscriber_id in subscribers:
        subscriber_mark_bounced(subscriber_id=subscriber_id, reason=reason, hard=report.hard)
    return "hard" if report.hard else "soft"

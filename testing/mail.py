"""Deliver queued mail inside a test, the way the worker would."""

from core.mail import mail_deliver
from core.models import OutgoingMail


def deliver_queued_mail() -> list[OutgoingMail]:
    """Send every queued row through the configured backend; return the rows sent."""
    sent = []
    for mail_id in (
        OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).order_by("pk").values_list("pk", flat=True)
    ):
        mail_deliver(mail_id)
        sent.append(mail_id)
    return list(OutgoingMail.objects.filter(pk__in=sent))

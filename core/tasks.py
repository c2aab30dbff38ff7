"""Background tasks of the core: thin wrappers that take ids and call services."""

from django.utils import timezone
from django_tasks import task

from core.mail import mail_deliver
from core.models import OutgoingMail


@task(queue_name="mail")
def deliver_mail(mail_id: int) -> str:
    status = mail_deliver(mail_id)
    if status == OutgoingMail.Status.QUEUED:  # a temporary failure: try again after the back-off
        next_attempt_at = OutgoingMail.objects.values_list("next_attempt_at", flat=True).get(pk=mail_id)
        deliver_mail.using(run_after=next_attempt_at).enqueue(mail_id)
    return status


@task()
def requeue_stuck_mail() -> int:
    """Recurring: queue again what a dead worker left behind (see STALE_CLAIM_AFTER).

    A row in ``sending`` whose claim is stale, and a queued row whose next attempt is overdue by as
    much (its task was lost); a row waiting out its back-off is left alone.
    """
    from core.mail import STALE_CLAIM_AFTER

    cutoff = timezone.now() - STALE_CLAIM_AFTER
    stuck = OutgoingMail.objects.filter(status=OutgoingMail.Status.SENDING, claimed_at__lt=cutoff)
    queued_without_job = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lt=cutoff)
    ids = list(stuck.values_list("pk", flat=True)) + list(queued_without_job.values_list("pk", flat=True))
    for mail_id in ids:
        deliver_mail.enqueue(mail_id)
    return len(ids)


@task(queue_name="mail")
def personal_links_mail(email: str, language: str = "de") -> str:
    """Look the address up and mail its overview link (or nothing); the web request only enqueued this."""
    from core.personal import personal_links_send

    return personal_links_send(email=email, language=language)

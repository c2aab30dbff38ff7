"""Background tasks of events: thin wrappers that take ids and call services."""

from django_tasks import task

from events import services


@task(queue_name="mail")
def send_registration_mail(registration_id: int) -> bool:
    """The first mail of a new registration (queued by registration_create on commit); safe to run again."""
    return services.registration_mail_send(registration_id=registration_id)


@task(queue_name="bulk", priority=10)
def send_change_notices(change_id: int) -> int:
    """Queue the notice mails of one change; safe to run again (it skips what is done)."""
    return services.change_notices_send(change_id=change_id)


@task()
def send_reminders() -> int:
    return services.reminders_send()


@task()
def expire_offers() -> int:
    return services.offers_expire()


@task()
def resume_change_notices() -> int:
    """Recurring: pick up the notices of changes whose task died with the worker."""
    from datetime import timedelta

    from django.utils import timezone

    from events.models import ChangeNotice

    cutoff = timezone.now() - timedelta(minutes=10)
    change_ids = set(
        ChangeNotice.objects.filter(queued_at__isnull=True, change__created_at__lt=cutoff).values_list(
            "change_id", flat=True
        )
    )
    return sum(services.change_notices_send(change_id=change_id) for change_id in sorted(change_ids))


@task()
def resume_registration_mails() -> int:
    """Recurring: the first mail of registrations whose request died between the seat and the mail."""
    from datetime import timedelta

    registrations = services.registrations_without_mail(older_than=timedelta(minutes=5), within=timedelta(days=2))
    return sum(
        services.registration_first_mail(registration=registration, event=registration.event)
        for registration in registrations
    )

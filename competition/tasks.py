"""Thin background tasks: call a service."""

from django_tasks import task

from competition import services


@task()
def send_reminders() -> int:
    return services.reminders_due()


@task()
def erase_after_retention() -> int:
    return services.retention_erase()

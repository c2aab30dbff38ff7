"""Thin background tasks: call a service."""

from django_tasks import task

from advisory import services


@task()
def send_reminders() -> int:
    return services.reminders_send()


@task()
def expire_offers() -> int:
    return services.offers_expire()


@task()
def erase_descriptions() -> int:
    return services.descriptions_erase()

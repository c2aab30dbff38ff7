"""Thin tasks for networks: they take no arguments and call a service."""

from django_tasks import task


@task()
def flag_dormant_networks() -> tuple[int, int]:
    """Recurring: flag networks without a meeting for twelve months (and clear the flag of those that met)."""
    from networks.services import networks_flag_dormant

    return networks_flag_dormant()


@task()
def remind_due_prospects() -> int:
    """Recurring: mail each responsible person the acquisition steps that are due."""
    from networks.services import prospects_remind_due

    return prospects_remind_due()

"""Thin tasks for the portal."""

from django_tasks import task


@task()
def remind_stale_editors() -> int:
    """Recurring: remind editors whose entry has not been touched for six months."""
    from portal.services import editors_remind_stale

    return editors_remind_stale()


@task()
def send_search_alerts() -> int:
    """Recurring: mail saved searches their new offers (each alert at most once a day, each offer once)."""
    from portal.services import alerts_send

    return alerts_send()


@task()
def tidy_search_alerts() -> int:
    """Recurring: delete unconfirmed and long-ended saved searches with their address."""
    from portal.services import alerts_tidy

    return alerts_tidy()

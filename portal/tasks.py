"""Thin tasks for the portal."""

from django_tasks import task


@task()
def remind_stale_editors() -> int:
    """Recurring: remind editors whose entry has not been touched for six months."""
    from portal.services import editors_remind_stale

    return editors_remind_stale()

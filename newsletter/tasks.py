"""Background tasks of the newsletter: thin, taking ids, calling the services."""

from django_tasks import task

from newsletter import services


@task(queue_name="bulk")
def deliver_issue(issue_id: int) -> dict:
    """Send what is queued for an issue; queues itself again for retries (``services.issue_deliver``)."""
    return services.issue_deliver(issue_id)


@task()
def newsletter_tick() -> dict:
    """Recurring: start issues whose time has come, resume what a dead worker left behind."""
    return {"started": services.issues_send_due(), **services.deliveries_resume()}

"""Background tasks of the newsletter: thin, taking ids."""

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task(queue_name="bulk")
def deliver_issue(issue_id: int) -> dict:
    from newsletter.sending import issue_deliver

    return issue_deliver(issue_id)


@task()
def newsletter_tick() -> dict:
    """Recurring: start issues whose time has come, resume what a dead worker left behind."""
    from newsletter.sending import deliveries_resume
    from newsletter.services import issues_send_due

    return {"started": issues_send_due(), **deliveries_resume()}


def enqueue_deliver(issue_id: int, *, run_after=None) -> bool:
    """Queue ``deliver_issue`` unless a run for this issue is already waiting."""
    try:
        from django_tasks_db.models import DBTaskResult

        waiting = DBTaskResult.objects.filter(status="READY", task_path=deliver_issue.module_path)
        if any(row.args_kwargs.get("args") == [issue_id] for row in waiting.only("args_kwargs")):
            return False
    except Exception:  # another backend: no table to look in
        logger.debug("newsletter: no database task table to check", exc_info=True)
    (deliver_issue.using(run_after=run_after) if run_after else deliver_issue).enqueue(issue_id)
    return True

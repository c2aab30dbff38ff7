"""Small helpers shared by the accounts tests."""

import re

from django.conf import settings

from core.models import OutgoingMail

LINK_RE = re.compile(r"https?://\S+")


def link_in(mail: OutgoingMail) -> str:
    """The site-relative path of the (only) link of our site in a queued mail's text."""
    links = [link for link in LINK_RE.findall(mail.body_text) if link.startswith(settings.SITE_URL + "/")]
    assert len(set(links)) == 1, links
    path = links[0][len(settings.SITE_URL) :]
    assert path in mail.body_html  # the HTML part carries the same link
    return path


def queued_tasks(task) -> list[dict]:
    """The arguments of every queued (not yet run) job of ``task`` in the database queue, oldest first."""
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path=task.module_path, status="READY").order_by("enqueued_at")
    return [row.args_kwargs for row in rows]


def run_queued_tasks(task) -> list:
    """Run the queued jobs of ``task`` in this thread, as the worker would; their return values."""
    from django_tasks_db.models import DBTaskResult

    results = []
    for row in DBTaskResult.objects.filter(task_path=task.module_path, status="READY").order_by("enqueued_at"):
        results.append(task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"]))
        DBTaskResult.objects.filter(pk=row.pk).update(status="SUCCESSFUL")
    return results

"""Helpers for queueing background tasks."""

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone


def enqueue_on_commit(task, *args, delay: datetime.timedelta | None = None, **kwargs) -> None:
    """Queue ``task`` once the surrounding transaction has committed.

    A job queued before commit could run against rows that do not exist yet
    (or never will, if the transaction rolls back).
    """
    if delay:
        task = task.using(run_after=timezone.now() + delay)
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))

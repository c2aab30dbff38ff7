"""Recurring jobs, run by the worker process (``manage.py worker``).

Apps register jobs in their ``schedule.py``::

    register_recurring("advisory.reminders", every=timedelta(minutes=15), task=send_reminders)

The scheduler thread enqueues a job when its interval has passed. The claim is
a conditional UPDATE on ``ScheduledJobRun``, so several workers never enqueue
the same run twice.
"""

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, close_old_connections
from django.utils import timezone

from core.models import ScheduledJobRun, WorkerHeartbeat
from core.registry import discover

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RecurringJob:
    name: str
    every: timedelta
    task: object  # a django_tasks Task without arguments


_JOBS: dict[str, RecurringJob] = {}


def register_recurring(name: str, *, every: timedelta, task) -> None:
    _JOBS[name] = RecurringJob(name=name, every=every, task=task)


def recurring_jobs() -> list[RecurringJob]:
    discover()
    return [_JOBS[name] for name in sorted(_JOBS)]


def _claim_run(job: RecurringJob, now) -> bool:
    due_before = now - job.every
    if ScheduledJobRun.objects.filter(name=job.name, last_run_at__lte=due_before).update(last_run_at=now):
        return True
    if ScheduledJobRun.objects.filter(name=job.name).exists():
        return False
    try:
        ScheduledJobRun.objects.create(name=job.name, last_run_at=now)
    except IntegrityError:
        return False
    return True


def enqueue_due_jobs(now=None) -> list[str]:
    now = now or timezone.now()
    started = []
    for job in recurring_jobs():
        if _claim_run(job, now):
            job.task.enqueue()
            started.append(job.name)
    return started


def beat(worker_id: str, started_at) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id, defaults={"seen_at": timezone.now(), "started_at": started_at}
    )


class SchedulerThread(threading.Thread):
    """Writes the worker heartbeat and enqueues due recurring jobs."""

    def __init__(self, worker_id: str, interval: float = 20.0):
        super().__init__(name="kammerwerk-scheduler", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            close_old_connections()
            try:
                beat(self.worker_id, self.started_at)
                enqueue_due_jobs()
            except Exception:  # keep the scheduler alive; the next beat retries
                logger.exception("Scheduler tick failed")
            self.stopped.wait(self.interval)
        close_old_connections()

"""The background worker: django-tasks-db's worker plus our scheduler thread.

The scheduler thread writes the heartbeat /healthz reads and enqueues the
recurring jobs apps register in ``schedule.py``.
"""

from django.core.management.base import BaseCommand
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from core.scheduler import SchedulerThread


class Command(BaseCommand):
    help = "Run the background worker with the recurring-job scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--queues", default="*", help="Comma-separated queue names, '*' for all.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls when idle.")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")
        parser.add_argument("--no-scheduler", action="store_true", help="Do not run recurring jobs here.")

    def handle(self, *args, queues, interval, batch, no_scheduler, **options):
        worker_id = get_random_string(24)
        scheduler = None
        if not no_scheduler and not batch:
            scheduler = SchedulerThread(worker_id)
            scheduler.start()
        worker = Worker(
            queue_names=queues.split(","),
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()
        try:
            worker.run()
        finally:
            if scheduler:
                scheduler.stopped.set()

"""Cancellation notice to 5,000 registrants through a local SMTP sink, with the worker killed half-way.

How to run (PostgreSQL 15 on 127.0.0.1; ~2–5 minutes on 2 cores):

    .venv/bin/python benchmarks/events_notices.py [--people 5000] [--workers 2]

Steps: a fresh database ``kw_events_notices``; one event with ``--people``
confirmed registrants; an SMTP sink (aiosmtpd) in this process that records the
recipient and Message-ID of every message; staff cancel the event (the service
creates one notice per registrant and queues the task); ``--workers`` background
workers (``manage.py worker``) send. The workers are killed with SIGKILL twice:
once when half of the notices are queued as mails, once when half of the mails
have reached the sink. After each kill they are restarted; after the first the
task is run again (it skips what is done). At the end the rows a dead worker
left in ``sending`` are handed back as the recurring ``requeue_stuck_mail`` job
does after 15 minutes (simulated by moving their claim time back). Then it
checks that every registrant has exactly one notice row and one mail row, and
counts the messages per recipient at the sink.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "kw_events_notices"
PY = str(ROOT / ".venv" / "bin" / "python")

os.environ.update(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}", KAMMERWERK_INSECURE_DEV_KEY="1",
    KAMMERWERK_PLAIN_STATIC="1", DJANGO_SETTINGS_MODULE="kammerwerk.settings", LOG_LEVEL="WARNING",
)  # fmt: skip
sys.path.insert(0, str(ROOT))


class Sink:
    """Counts what arrives: recipient and Message-ID of each message (no MIME parsing)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.received: list[tuple[float, str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 – aiosmtpd's hook name
        match = re.search(rb"^Message-ID:\s*(\S+)", envelope.content, re.M | re.I)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((time.monotonic(), rcpt, match.group(1).decode() if match else ""))
        return "250 OK"


def prepare():
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True
    )
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DB}"], check=True)
    for app in ("events", "django_tasks_database", "core"):
        subprocess.run([PY, "manage.py", "migrate", app, "-v0"], cwd=ROOT, check=True)


def start_workers(count, port):
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port)}
    return [
        subprocess.Popen([PY, "manage.py", "worker", "--no-scheduler", "--interval", "0.05"], cwd=ROOT, env=env)
        for _ in range(count)
    ]


def kill(workers):
    for worker in workers:
        worker.send_signal(signal.SIGKILL)
    for worker in workers:
        worker.wait()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    prepare()

    import datetime

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from core.models import OutgoingMail
    from core.tasks import requeue_stuck_mail
    from events import services
    from events.models import Audience, ChangeNotice, Event, Registration
    from events.tasks import send_change_notices
    from testing.smtp import free_port

    start = timezone.now() + datetime.timedelta(days=20)
    event = Event.objects.create(
        title="Industriekongress (Benchmark)", slug="kongress-bench", kind="congress", status="published",
        mode="in_person", starts_at=start, ends_at=start + datetime.timedelta(hours=8), venue_name="Halle Münsterland",
    )  # fmt: skip
    audience = Audience.objects.create(event=event, name="Teilnehmende")
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                audience=audience,
                email=f"gast{n}@example.org",
                first_name="Gast",
                last_name=f"Nummer {n}",
                status="confirmed",
                token=f"bench-token-{n}",
            )
            for n in range(args.people)
        ],  # fmt: skip
        batch_size=1000,
    )
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()

    began = time.monotonic()
    change = services.event_cancel(event=event, message="Der Kongress fällt aus.")  # queues the task on commit
    print(f"cancelled: {change.notices.count()} notices created in {time.monotonic() - began:.2f} s")
    connection.close()

    def queued():
        return ChangeNotice.objects.filter(change=change, queued_at__isnull=False).count()

    workers = start_workers(args.workers, port)
    t0 = time.monotonic()
    while queued() < args.people // 2:
        time.sleep(0.05)
    kill(workers)
    first = queued()
    rate_queue = first / (time.monotonic() - t0)
    print(f"kill 1 while queuing notices: {first} of {args.people} queued ({rate_queue:.0f} notices/s incl. start-up)")

    workers = start_workers(args.workers, port)
    send_change_notices.enqueue(change.pk)  # the operator (or the recurring resume job) runs it again
    while len(sink.received) < args.people // 2:
        time.sleep(0.05)
    kill(workers)
    print(f"kill 2 while sending: {len(sink.received)} messages at the sink, queued notices {queued()}")

    workers = start_workers(args.workers, port)
    send_change_notices.enqueue(change.pk)  # again: the task may have died with the worker
    t_last, n_last = time.monotonic(), len(sink.received)
    idle_since = None
    while True:
        time.sleep(0.5)
        # idle: every notice queued as a mail and no task left to run (rows whose task died with
        # a worker are picked up below, as the recurring requeue job would)
        ready = DBTaskResult.objects.filter(status="READY").count()
        if ready == 0 and queued() == args.people:
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > 3:
                break
        else:
            idle_since = None
    delivered_after = len(sink.received) - n_last
    rate_send = delivered_after / (idle_since - t_last)
    stuck = list(OutgoingMail.objects.filter(status__in=["sending", "queued"]).values_list("pk", flat=True))
    print(f"after restart: {delivered_after} messages in {idle_since - t_last:.1f} s = {rate_send:.0f} mails/s; "
          f"rows left by the dead worker: {len(stuck)}")  # fmt: skip
    if stuck:
        past = timezone.now() - datetime.timedelta(minutes=16)
        OutgoingMail.objects.filter(pk__in=stuck).update(claimed_at=past, created_at=past)
        requeue_stuck_mail.call()
        deadline = time.monotonic() + 60
        while OutgoingMail.objects.filter(pk__in=stuck, status__in=["sending", "queued"]).exists():
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
    time.sleep(1)
    kill(workers)
    controller.stop()

    notices = Counter(ChangeNotice.objects.filter(change=change).values_list("registration_id", flat=True))
    mails = Counter(OutgoingMail.objects.filter(template="event_changed").values_list("to_email", flat=True))
    at_sink = Counter(rcpt for _, rcpt, _ in sink.received)
    ids_per_rcpt: dict[str, set] = {}
    for _, rcpt, mid in sink.received:
        ids_per_rcpt.setdefault(rcpt, set()).add(mid)
    duplicates = {rcpt: n for rcpt, n in at_sink.items() if n > 1}
    sent = OutgoingMail.objects.filter(template="event_changed", status="sent").count()
    print(f"notice rows: {len(notices)} registrants, max per registrant {max(notices.values())}")
    print(f"mail rows: {len(mails)} recipients, max per recipient {max(mails.values())}, sent {sent}")
    print(f"at the sink: {len(at_sink)} recipients, {len(sink.received)} messages, "
          f"{len(duplicates)} recipients with more than one message, "
          f"{sum(1 for r in duplicates if len(ids_per_rcpt[r]) > 1)} of them with different Message-IDs")  # fmt: skip
    ok = (
        len(notices) == args.people and max(notices.values()) == 1 and len(mails) == args.people
        and max(mails.values()) == 1 and len(at_sink) == args.people
    )  # fmt: skip
    print("OK: every registrant has exactly one notice" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

"""Newsletter benchmark: one issue to N subscribers through a local SMTP sink, then a crash test.

How to run (from the project root; the machine should be otherwise idle):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_newsletter_bench \
        .venv/bin/python benchmarks/newsletter_send.py --subscribers 100000
    # or SQLite (a file of its own):
    DATABASE_URL=sqlite:////tmp/kw_newsletter_bench.sqlite3 .venv/bin/python benchmarks/newsletter_send.py

What it measures:
1. raw ceiling: Django's SMTP backend, messages pre-rendered (templates done), one connection,
   ``send_messages`` in batches of 100, to the sink (``--raw`` messages, default 20,000);
2. the pipeline: ``issue_send`` (queue one row per subscriber) + ``manage.py worker --batch``
   (claim, render once, personalise, send, record) until the worker exits, for N subscribers;
3. crash: a second issue to N subscribers, the worker is SIGKILLed at about half, then
   ``newsletter_resume`` + a new worker; duplicates and losses are counted at the sink.
The sink (benchmarks/newsletter_sink.py) runs in its own process and records recipient and Message-ID.
"""

import argparse
import collections
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--raw", type=int, default=20_000)
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (and SMTP connections) for the issue")
    args = parser.parse_args()

    port = free_port()
    record = Path(tempfile.mkdtemp()) / "sink.tsv"
    record.touch()
    env = {**os.environ, "NEWSLETTER_PARALLEL": str(args.workers), "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port),
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}  # fmt: skip
    os.environ.update(env)
    sink = subprocess.Popen([sys.executable, str(ROOT / "benchmarks/newsletter_sink.py"), str(port), str(record)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert sink.stdout.readline().strip() == "ready"
    try:
        run(args, env, record)
    finally:
        sink.send_signal(signal.SIGINT)
        sink.wait(timeout=10)


def run(args, env, record):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from newsletter.models import Delivery, Issue, Item, NewsletterList, Subscriber
    from newsletter.rendering import IssueRenderer, build_message, issue_render
    from newsletter.services import issue_send

    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    call_command("migrate", verbosity=0, interactive=False)
    newsletter_list, _ = NewsletterList.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmark", "consent_wording": "Ja."}
    )
    have = Subscriber.objects.filter(newsletter_list=newsletter_list).count()
    if have < args.subscribers:
        now = timezone.now()
        started = time.perf_counter()
        Subscriber.objects.bulk_create(
            [Subscriber(newsletter_list=newsletter_list, email=f"leser{n}@bench.example", status="active",
                        created_at=now, confirmed_at=now) for n in range(have, args.subscribers)],
            batch_size=5000,
        )  # fmt: skip
        print(f"created {args.subscribers - have} subscribers in {time.perf_counter() - started:.1f} s")

    def new_issue(subject):
        number = (Issue.objects.filter(newsletter_list=newsletter_list).order_by("-number").values_list("number", flat=True).first() or 0) + 1  # fmt: skip
        issue = Issue.objects.create(newsletter_list=newsletter_list, number=number, subject=subject)
        for position in (1, 2, 3):
            Item.objects.create(
                issue=issue, position=position, title=f"Meldung {position}: Meet-the-Boss – Unternehmer treffen Studierende",
                teaser="Vier Termine mit der FH Münster und der Westfälischen Hochschule Gelsenkirchen.",
                text="Die Industrie-Initiative lädt ein. " * 25, link="https://www.industrie-initiative.example/",
                source="Industrie-Initiative",
            )  # fmt: skip
        return issue

    # 1. raw ceiling
    from django.core.mail import get_connection

    issue = new_issue("Rohdurchsatz")
    subject, text, html = issue_render(issue, token="x" * 32)
    messages = [
        build_message(issue, to=f"raw{n}@bench.example", message_id=f"<raw.{n}@bench.example>", subject=subject,
                      text=text, html=html, unsubscribe_url="http://127.0.0.1:8000/newsletter/abmelden/x/")
        for n in range(args.raw)
    ]  # fmt: skip
    size = len(messages[0].message().as_bytes())
    smtp = get_connection("django.core.mail.backends.smtp.EmailBackend")
    smtp.open()
    started = time.perf_counter()
    for offset in range(0, len(messages), 100):
        smtp.send_messages(messages[offset : offset + 100])
    raw_seconds = time.perf_counter() - started
    smtp.close()
    raw_rate = args.raw / raw_seconds
    print(f"raw ceiling: {args.raw} messages of {size} bytes in {raw_seconds:.1f} s = {raw_rate:.0f} msgs/s")
    personal = IssueRenderer(issue)
    started = time.perf_counter()
    for n in range(5000):
        personal.personalise(
            email=f"p{n}@bench.example", message_id=f"<p{n}@b>", token="t" * 32, delivery_id=n, language="de"
        )
    print(f"personalising a pre-rendered message: {(time.perf_counter() - started) / 5000 * 1e6:.0f} µs")

    # 2. the pipeline
    issue = new_issue("Pipeline")
    worker = [sys.executable, "manage.py", "worker", "--batch", "--queues", "bulk", "--no-scheduler"]
    started = time.perf_counter()
    with transaction.atomic():
        queued = issue_send(issue=issue)
    queue_seconds = time.perf_counter() - started
    processes = [subprocess.Popen(worker, cwd=ROOT, env=env) for _ in range(args.workers)]
    for process in processes:
        assert process.wait() == 0
    total = time.perf_counter() - started
    sent = Delivery.objects.filter(issue=issue, status="sent").count()
    rate = sent / total
    print(f"pipeline ({args.workers} worker process(es)): queued {queued} in {queue_seconds:.1f} s; {sent} sent in {total:.1f} s = {rate:.0f} msgs/s "
          f"({rate / raw_rate:.0%} of the raw ceiling)")  # fmt: skip

    if args.skip_crash:
        return
    # 3. crash at about half, resume
    issue = new_issue("Absturz")
    prefix = f"<nl.{issue.pk}."
    before = lines(record)
    with transaction.atomic():
        queued = issue_send(issue=issue)
    process = subprocess.Popen(
        [*worker[:3], "--queues", "bulk", "--no-scheduler", "--interval", "0.2"], cwd=ROOT, env=env
    )
    while lines(record) - before < queued // 2 + min(137, queued // 7):  # about half, not at a batch boundary
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.5)
    at_kill = lines(record) - before
    states = dict(collections.Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True)))
    print(f"crash: killed after {at_kill} messages at the sink; rows then: {states}")
    subprocess.run(
        [sys.executable, "manage.py", "newsletter_resume", "--stale-after", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(worker, cwd=ROOT, env=env, check=True)
    received = collections.Counter()
    with open(record) as handle:
        for line in handle:
            rcpt, message_id = line.rstrip("\n").split("\t")
            if message_id.startswith(prefix):
                received[rcpt] += 1
    duplicates = sum(count - 1 for count in received.values() if count > 1)
    losses = queued - len(received)
    rows = dict(collections.Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True)))
    print(f"crash: {len(received)} recipients reached, duplicates {duplicates}, losses {losses}; rows: {rows}")


if __name__ == "__main__":
    main()

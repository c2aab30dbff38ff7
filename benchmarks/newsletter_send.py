"""Newsletter benchmark: Kammerwerk's pipeline beside plain smtplib, same messages, same sink, same run.

How to run (from the project root; the machine should be otherwise idle):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_newsletter_bench \
        .venv/bin/python benchmarks/newsletter_send.py --subscribers 100000 --connections 1,4

For each number of SMTP connections C (``--connections``, default 1 and 4), one after the other:

1. plain smtplib: the messages of an issue to the N subscribers, personalised beforehand with the
   pipeline's own renderer (rendering not timed), sent with ``smtplib.SMTP.sendmail`` over C
   connections (one thread each, recipients dealt round-robin), to the sink;
2. Kammerwerk: ``issue_send`` (one row per subscriber) and a running ``manage.py worker`` process
   with ``NEWSLETTER_CONNECTIONS=C`` (claim, render once, personalise, send, record) until the
   issue is ``sent``; the worker is started and warmed up on a one-recipient issue beforehand,
   so Django's start-up is not counted (a worker is a long-running process);
3. the ratio Kammerwerk / plain smtplib beside the target (≥ 70 %).

Then (unless ``--skip-crash``) a crash test: a third issue, the worker SIGKILLed at about half,
``newsletter_resume`` + a new worker; duplicates and losses are counted at the sink.

``--profile benchmarks/profiles/newsletter-LABEL.txt`` instead runs ``issue_deliver`` in this process
under cProfile (C = the first of ``--connections``) and plain smtplib over the same messages, and
writes CPU µs per message (``time.process_time``: this process only, so it holds on a shared
machine) and the top functions.

The sink (benchmarks/newsletter_sink.py, aiosmtpd) runs in its own process and records the
recipient and Message-ID of every accepted message.
"""

import argparse
import collections
import cProfile
import io
import os
import pstats
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")
TARGET = 0.70


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def backend_cpu() -> float | None:
    """CPU seconds of this connection's PostgreSQL backend process (None unless PostgreSQL on this host)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) of another process on this host, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_waits(pid: int) -> int:
    """Voluntary context switches of all threads of a process: how often it found nothing to do."""
    total = 0
    for status in Path(f"/proc/{pid}/task").glob("*/status"):
        for line in status.read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def lines(path: Path) -> int:
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=100_000)
    parser.add_argument("--connections", default="1,4", help="comma-separated numbers of SMTP connections")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--profile", metavar="PATH", help="profile in this process and write the result to PATH")
    args = parser.parse_args()
    args.connections = [int(n) for n in args.connections.split(",")]

    port = free_port()
    record = Path(tempfile.mkdtemp()) / "sink.tsv"
    record.touch()
    env = {**os.environ, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "NEWSLETTER_PARALLEL": "1",
           "NEWSLETTER_CONNECTIONS": str(args.connections[0]), "NEWSLETTER_MAX_PER_SECOND": "0",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}  # fmt: skip
    os.environ.update(env)
    sink = subprocess.Popen([sys.executable, str(ROOT / "benchmarks/newsletter_sink.py"), str(port), str(record)],
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert sink.stdout.readline().strip() == "ready"
    try:
        Bench(args, env, port, record, sink.pid).run()
    finally:
        sink.send_signal(signal.SIGINT)
        sink.wait(timeout=10)


class Bench:
    def __init__(self, args, env, port, record, sink_pid=None):
        import django

        django.setup()
        self.args, self.env, self.port, self.record, self.sink_pid = args, env, port, record, sink_pid

    # --- data -------------------------------------------------------------------------

    def prepare(self):
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from newsletter.models import NewsletterList, Subscriber

        print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
        call_command("migrate", verbosity=0, interactive=False)
        self.sender = settings.NEWSLETTER_BOUNCE_ADDRESS
        now = timezone.now()
        for slug, count in ((f"bench{self.args.subscribers}", self.args.subscribers), ("bench-warmup", 1)):
            newsletter_list, _ = NewsletterList.objects.get_or_create(
                slug=slug, defaults={"name": "Benchmark", "consent_wording": "Ja."}
            )
            have = Subscriber.objects.filter(newsletter_list=newsletter_list).count()
            if have < count:
                started = time.perf_counter()
                Subscriber.objects.bulk_create(
                    [Subscriber(newsletter_list=newsletter_list, email=f"leser{n}.{slug}@bench.example",
                                status="active", created_at=now, confirmed_at=now) for n in range(have, count)],
                    batch_size=5000,
                )  # fmt: skip
                print(f"created {count - have} subscribers in {time.perf_counter() - started:.1f} s")
            if slug == "bench-warmup":
                self.warmup_list = newsletter_list
            else:
                self.newsletter_list = newsletter_list

    def new_issue(self, subject, newsletter_list=None):
        from newsletter.models import Issue, Item

        newsletter_list = newsletter_list or self.newsletter_list
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

    def send_issue(self, issue) -> int:
        from django.db import transaction

        from newsletter.services import issue_send

        with transaction.atomic():
            return issue_send(issue=issue)

    def plain_messages(self) -> list[tuple[str, bytes]]:
        """The messages the pipeline sends for an issue, as plain smtplib takes them (not dot-stuffed)."""
        from newsletter.models import Issue, Subscriber
        from newsletter.rendering import IssueRenderer, mail_domain

        issue = self.new_issue("smtplib")
        issue = Issue.objects.select_related("newsletter_list").get(pk=issue.pk)
        renderer = IssueRenderer(issue)
        rows = Subscriber.objects.filter(newsletter_list=self.newsletter_list, status="active").order_by("pk")
        messages = []
        for pk, email, token, language in rows.values_list("pk", "email", "token", "language"):
            data = renderer.personalise(
                email=email, message_id=f"<plain.{issue.pk}.{pk}@{mail_domain()}>", token=token,
                delivery_id=pk, language=language or "de",
            )  # fmt: skip
            messages.append((email, data.replace(b"\r\n..", b"\r\n.")))
        return messages

    # --- the two senders ----------------------------------------------------------------

    def plain(self, messages, connections: int) -> float:
        """Seconds for plain smtplib to send ``messages`` over ``connections`` connections."""
        errors = []

        def send(share):
            try:
                smtp = smtplib.SMTP("127.0.0.1", self.port)
                for recipient, data in share:
                    smtp.sendmail(self.sender, [recipient], data)
                smtp.quit()
            except Exception as error:  # noqa: BLE001 – reported below
                errors.append(error)

        threads = [threading.Thread(target=send, args=(messages[n::connections],)) for n in range(connections)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        assert not errors, errors
        return seconds

    def start_worker(self, connections: int, interval: str = "0.05"):
        env = {**self.env, "NEWSLETTER_CONNECTIONS": str(connections)}
        command = [sys.executable, "manage.py", "worker", "--queues", "bulk", "--no-scheduler", "--interval", interval]
        return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603

    def wait_sent(self, issue, timeout=3600):
        from newsletter.models import Issue

        deadline = time.monotonic() + timeout
        while Issue.objects.filter(pk=issue.pk).values_list("status", flat=True).get() != Issue.Status.SENT:
            assert time.monotonic() < deadline, "the issue was not sent in time"
            time.sleep(0.02)

    def pipeline(self, connections: int) -> tuple[int, int, float]:
        """(queued, sent, seconds) of Kammerwerk sending an issue over ``connections`` connections."""
        from newsletter.models import Delivery

        worker = self.start_worker(connections)
        try:
            warmup = self.new_issue("Aufwärmen", self.warmup_list)
            self.send_issue(warmup)
            self.wait_sent(warmup, timeout=120)
            time.sleep(0.5)
            issue = self.new_issue(f"Pipeline {connections}")
            started = time.perf_counter()
            queued = self.send_issue(issue)
            self.queue_seconds = time.perf_counter() - started
            self.wait_sent(issue)
            seconds = time.perf_counter() - started
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=60)
        return queued, Delivery.objects.filter(issue=issue, status="sent").count(), seconds

    # --- runs ---------------------------------------------------------------------------

    def run(self):
        self.prepare()
        if self.args.profile:
            self.profile(Path(self.args.profile))
            return
        messages = self.plain_messages()
        size = len(messages[0][1])
        print(f"{len(messages)} messages of {size} bytes (3 items, text + HTML), sink on 127.0.0.1")
        rows = []
        for connections in self.args.connections:
            plain_seconds = self.plain(messages, connections)
            plain_rate = len(messages) / plain_seconds
            print(
                f"plain smtplib, {connections} connection(s): {len(messages)} in {plain_seconds:.1f} s = {plain_rate:.0f} msgs/s"
            )
            queued, sent, seconds = self.pipeline(connections)
            rate = sent / seconds
            assert queued == sent == len(messages), (queued, sent)
            print(f"Kammerwerk, {connections} connection(s): queued and sent {sent} in {seconds:.1f} s "
                  f"(queueing {self.queue_seconds:.1f} s of it) = {rate:.0f} msgs/s "
                  f"= {rate / plain_rate:.0%} of plain smtplib (target ≥ {TARGET:.0%})")  # fmt: skip
            rows.append((connections, plain_rate, rate))
        print()
        print("| connections | plain smtplib msgs/s | Kammerwerk msgs/s | ratio | target ≥ 70 % |")
        print("|---:|---:|---:|---:|---|")
        for connections, plain_rate, rate in rows:
            ratio = rate / plain_rate
            print(
                f"| {connections} | {plain_rate:.0f} | {rate:.0f} | {ratio:.0%} | {'met' if ratio >= TARGET else 'NOT met'} |"
            )
        if not self.args.skip_crash:
            self.crash(self.args.connections[-1])

    def crash(self, connections: int):
        from newsletter.models import Delivery

        issue = self.new_issue("Absturz")
        prefix = f"<nl.{issue.pk}."
        before = lines(self.record)
        queued = self.send_issue(issue)
        worker = self.start_worker(connections, interval="0.2")
        while lines(self.record) - before < queued // 2 + min(137, queued // 7):  # about half, not at a batch boundary
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        time.sleep(0.5)
        at_kill = lines(self.record) - before
        states = dict(collections.Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True)))
        print(f"crash ({connections} connection(s)): killed after {at_kill} messages at the sink; rows then: {states}")
        env = {**self.env, "NEWSLETTER_CONNECTIONS": str(connections)}
        subprocess.run([sys.executable, "manage.py", "newsletter_resume", "--stale-after", "0"], cwd=ROOT, env=env, check=True)  # fmt: skip # noqa: S603
        subprocess.run([sys.executable, "manage.py", "worker", "--batch", "--queues", "bulk", "--no-scheduler"],
                       cwd=ROOT, env=env, check=True)  # fmt: skip # noqa: S603
        received = collections.Counter()
        with open(self.record) as handle:
            for line in handle:
                rcpt, message_id = line.rstrip("\n").split("\t")
                if message_id.startswith(prefix):
                    received[rcpt] += 1
        duplicates = sum(count - 1 for count in received.values() if count > 1)
        losses = queued - len(received)
        rows = dict(collections.Counter(Delivery.objects.filter(issue=issue).values_list("status", flat=True)))
        print(f"crash: {len(received)} recipients reached, duplicates {duplicates}, losses {losses}; rows: {rows}")

    def profile(self, path: Path):
        from django.conf import settings

        from newsletter.services import issue_deliver

        connections = settings.NEWSLETTER_CONNECTIONS if hasattr(settings, "NEWSLETTER_CONNECTIONS") else 1
        messages = self.plain_messages()
        count = len(messages)
        cpu, wall, sink = time.process_time(), time.perf_counter(), process_cpu(self.sink_pid)
        waits = process_waits(self.sink_pid)
        self.plain(messages, connections)
        plain_cpu, plain_wall = time.process_time() - cpu, time.perf_counter() - wall
        plain_sink, plain_waits = process_cpu(self.sink_pid) - sink, process_waits(self.sink_pid) - waits
        issue = self.new_issue("Profil")
        queued = self.send_issue(issue)
        profiler = cProfile.Profile(time.process_time)  # CPU time: holds on a shared machine
        cpu, wall = time.process_time(), time.perf_counter()
        profiler.enable()
        counts = issue_deliver(issue.pk)
        profiler.disable()
        pipe_cpu, pipe_wall = time.process_time() - cpu, time.perf_counter() - wall
        assert counts["sent"] == queued == count, (counts, queued, count)
        # the same once more without the profiler, for CPU per message (and the database server's)
        issue = self.new_issue("Profil ohne Profiler")
        self.send_issue(issue)
        cpu, server, wall, sink = time.process_time(), backend_cpu(), time.perf_counter(), process_cpu(self.sink_pid)
        waits = process_waits(self.sink_pid)
        issue_deliver(issue.pk)
        bare_cpu, server = time.process_time() - cpu, (backend_cpu() - server) if server is not None else None
        bare_wall, bare_sink = time.perf_counter() - wall, process_cpu(self.sink_pid) - sink
        bare_waits = process_waits(self.sink_pid) - waits
        server_line = (
            f"database server:          {server / count * 1e6:6.0f} µs CPU per message (this connection's backend)\n"
            if server is not None
            else ""
        )
        out = io.StringIO()
        out.write(
            f"newsletter pipeline, in-process CPU on a shared machine: {count} messages, {connections} connection(s)\n"
            f"plain smtplib:            {plain_cpu / count * 1e6:6.0f} µs CPU per message (wall {plain_wall:.1f} s; "
            f"sink {plain_sink / count * 1e6:.0f} µs CPU and {plain_waits / count:.2f} idle waits per message)\n"
            f"issue_deliver:            {bare_cpu / count * 1e6:6.0f} µs CPU per message (without the profiler; "
            f"wall {bare_wall:.1f} s; sink {bare_sink / count * 1e6:.0f} µs CPU and {bare_waits / count:.2f} idle waits "
            "per message)\n"
            f"{server_line}"
            f"issue_deliver (profiled): {pipe_cpu / count * 1e6:6.0f} µs CPU per message (wall {pipe_wall:.1f} s)\n"
            "CPU of this process, all its threads (and of its PostgreSQL backend and the sink, where shown); the profile\n"
            "below counts CPU time too (cProfile with time.process_time), so waiting for replies is not in it; with\n"
            "several connections it covers the task's thread only (the connections have threads of their own).\n"
            "Idle waits: the sink's voluntary context switches (all its threads), i.e. how often it had nothing to do.\n\n"
        )
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("tottime").print_stats(30)
        stats.sort_stats("cumulative").print_stats(40)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(out.getvalue())
        print(out.getvalue().split("\n\n", 1)[0])
        print(f"written to {path}")


if __name__ == "__main__":
    main()

"""1,000 concurrent registrations over HTTP for an event with two audience quotas of 50.

How to run (PostgreSQL 15 on 127.0.0.1, a database of its own; ~1 minute):

    .venv/bin/python benchmarks/events_register.py [--clients 50] [--people 1000] [--workers 2] [--threads 8]

``--threads 0`` runs gunicorn's sync workers (the pretix comparison's setting) instead of gthread.

It creates (or empties) the database ``kw_events_bench``, migrates what the
events module needs, creates one Meet-the-Boss event with two audiences (quota
50 each, no partner restriction), starts gunicorn on 127.0.0.1:8097 and lets
``--clients`` threads register ``--people`` different people (each: GET the page
for the CSRF cookie, POST the form), alternating audiences. It then checks the
database: exactly 100 seats taken, everyone else on the waiting list, no e-mail
twice. Prints registrations/s and POST latency percentiles.
"""

import argparse
import http.client
import os
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "kw_events_bench"
PORT = 8097
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "KAMMERWERK_INSECURE_DEV_KEY": "1",
    "KAMMERWERK_PLAIN_STATIC": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "kammerwerk.settings",
    "LOG_LEVEL": "WARNING",
    "CONN_MAX_AGE": "600",
}
PY = str(ROOT / ".venv" / "bin" / "python")


def prepare():
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}"], check=True
    )
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"CREATE DATABASE {DB}"], check=True)
    for app in (
        "events",
        "webhooks",
        "sessions",
        "django_tasks_database",
        "axes",
        "core",
    ):  # webhooks: every registration emits
        subprocess.run([PY, "manage.py", "migrate", app, "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([PY, "manage.py", "createcachetable", "-v0"], cwd=ROOT, env=ENV, check=True)
    code = """
import datetime
from django.utils import timezone
from events.models import Audience, Event
start = timezone.now() + datetime.timedelta(days=30)
event = Event.objects.create(title="Meet-the-Boss Benchmark", slug="mtb-bench", kind="meet_the_boss", status="published",
    mode="in_person", starts_at=start, ends_at=start + datetime.timedelta(hours=3), venue_name="IHK")
Audience.objects.create(event=event, name="Unternehmer", role="boss", quota=50)
Audience.objects.create(event=event, name="Studierende", role="student", quota=50, position=1)
print(",".join(str(a.pk) for a in event.audiences.order_by("position")))
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    )
    return [int(pk) for pk in out.stdout.strip().splitlines()[-1].split(",")]


def register(number: int, audiences: list[int]) -> tuple[int, float]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    conn.request("GET", "/veranstaltungen/mtb-bench/")
    response = conn.getresponse()
    body = response.read().decode()
    cookie = response.getheader("Set-Cookie", "")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = {
        "csrfmiddlewaretoken": token, "audience": audiences[number % 2], "first_name": "Bench",
        "last_name": f"Person {number}", "email": f"person{number}@example.org", "join_waiting_list": "on",
    }  # fmt: skip
    started = time.perf_counter()
    conn.request(
        "POST", "/veranstaltungen/mtb-bench/", body=urllib.parse.urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}",
                 "Referer": f"http://127.0.0.1:{PORT}/veranstaltungen/mtb-bench/"},
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status, time.perf_counter() - started


def _load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def _settle(target: float = 0.7, limit: float = 180) -> float:
    """Wait (at most ``limit`` seconds) until the 1-minute load has fallen to ``target``; the load then."""
    deadline = time.monotonic() + limit
    while _load1() > target and time.monotonic() < deadline:
        time.sleep(2)
    return _load1()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="0: sync workers (one request at a time each)")
    args = parser.parse_args()
    audiences = prepare()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "kammerwerk.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(args.workers),
         *(["-k", "sync"] if args.threads == 0 else ["-k", "gthread", "--threads", str(args.threads)]),
         "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", PORT, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        time.sleep(1)
        load_before = _settle()  # the migrations' load must not count against the figure
        lock = threading.Lock()
        results = []
        started = time.perf_counter()

        def one(number):
            outcome = register(number, audiences)
            with lock:
                results.append(outcome)

        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(one, range(args.people)))
        elapsed = time.perf_counter() - started
        load_after = _load1()
    finally:
        server.terminate()
        server.wait()
    statuses = {}
    for status, _ in results:
        statuses[status] = statuses.get(status, 0) + 1
    latencies = sorted(latency for _, latency in results)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000

    check = """
from events.models import Registration as R
seated = R.objects.filter(status__in=R.SEATED)
print(seated.filter(audience__role="boss").count(), seated.filter(audience__role="student").count(),
      R.objects.filter(status="waiting").count(), R.objects.count(), R.objects.values("email").distinct().count())
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", check], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    )
    bosses, students, waiting, total, distinct = (int(x) for x in out.stdout.strip().splitlines()[-1].split())
    kind = f"{args.workers} sync" if args.threads == 0 else f"{args.workers}x{args.threads} gthread"
    print(f"clients={args.clients} people={args.people} gunicorn {kind}, PostgreSQL")
    print(f"HTTP statuses of the POSTs: {statuses}")
    print(f"1-minute load before → after the run: {load_before:.2f} → {load_after:.2f} (not quoted above 1.5)")
    print(
        f"{args.people} registrations (GET+POST each) in {elapsed:.1f} s = {args.people / elapsed:.0f} registrations/s"
    )
    print(
        f"POST latency ms: p50 {pct(0.5):.0f}  p90 {pct(0.9):.0f}  p99 {pct(0.99):.0f}  max {latencies[-1] * 1000:.0f}"
    )
    print(
        f"seats taken: bosses {bosses}/50, students {students}/50; waiting {waiting}; rows {total}; e-mails {distinct}"
    )
    ok = bosses == 50 and students == 50 and waiting == args.people - 100 and total == distinct == args.people
    print("OK: exactly 100 seats taken, the rest waiting" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

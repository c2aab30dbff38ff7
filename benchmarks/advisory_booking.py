"""200 concurrent clients over HTTP book the 60 slots of 20 consultation days (PostgreSQL).

How to run (PostgreSQL 15 on 127.0.0.1, a database of its own; about a minute):

    .venv/bin/python benchmarks/advisory_booking.py [--clients 200] [--workers 2] [--threads 8] [--no-ceiling] [--cold]

It drops and creates the database ``kw_advisory_bench``, migrates what the advisory module
needs, creates one expert and 20 inventor days with 3 slots each (60 slots) and 4 more for the
warm-up, and starts gunicorn on 127.0.0.1:8098 (``benchmarks.bench_settings``, so ``/bench/ok/`` —
the stack's ceiling — is mounted too). Before the measured rush, 40 clients do the same on the 4
days of their own (12 bookings, 28 on waiting lists, left out of every count), so that each worker
has made its database connection and served every kind of request once, as on a server that has
been up all morning; ``--cold`` skips that (two day pages only, as before 4 December 2026: the
workers then paid for their first requests during the rush). Then ``--clients`` threads start
together; each is a different person who

1. GETs the page of a day (its own: client number mod 20) for the CSRF cookie and the free slots,
2. POSTs a booking for a random free slot,
3. on "slot taken in between" picks again from the page that says so (it lists the slots free
   now, with a fresh form: what a person does; ``--reload`` reloads the day first, as this script
   did before 3 December 2026); when the day is full, tries the next day (at most 3 days), then
   POSTs to that day's waiting list.

Afterwards it checks the database: exactly 60 confirmed bookings, no slot held twice, every
other client on a waiting list, nobody twice. Prints bookings/s (60 / time until the last
booking), the latency of every POST (p50/p90/p99/max) and, with wrk, the ceiling (`/bench/ok/`).
It also says what the server had to answer before the last slot went (requests by kind, when the
15th, 30th, 45th and 60th booking came) and where the two cores went until then: the CPU of this
client, of gunicorn and of PostgreSQL (``CpuSampler``), beside the two cores' capacity.

``--threads 0`` runs gunicorn's sync workers (the pretix comparison's setting) instead of gthread.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "kw_advisory_bench"
PORT = 8098
DAYS, SLOTS = 20, 3
WARM_DAYS, WARM_CLIENTS = 4, 40  # the warm-up's own days and people, left out of every count
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "KAMMERWERK_INSECURE_DEV_KEY": "1",
    "KAMMERWERK_PLAIN_STATIC": "1",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
    "LOG_LEVEL": "WARNING",
    "CONN_MAX_AGE": "600",
}
PY = str(ROOT / ".venv" / "bin" / "python")


def psql(sql):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)


def prepare() -> tuple[list[int], list[int]]:
    """A fresh database with the rush's days and, after them, the warm-up's (``(rush, warm)``)."""
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    # every app: a booking now reaches contacts, webhooks and tasks, and a partial schema broke the seed
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=ENV, check=True)
    subprocess.run([PY, "manage.py", "createcachetable", "-v0"], cwd=ROOT, env=ENV, check=True)
    code = f"""
import datetime
from django.utils import timezone
from accounts.models import User, RoleAssignment
from advisory.models import ConsultationSeries
from advisory.services import day_create
expert = User.objects.create_user("bench-expert@example.org", full_name="Bench Expert")
RoleAssignment.objects.get_or_create(user=expert, role="expert")
series = ConsultationSeries.objects.get(kind="inventor")
start = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0) + datetime.timedelta(days=7)
ids = [day_create(series=series, starts_at=start + datetime.timedelta(days=i), expert=expert, place="IHK",
                  slot_minutes=40, slot_count={SLOTS}).pk for i in range({DAYS + WARM_DAYS})]
print(",".join(map(str, ids)))
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    )
    ids = [int(pk) for pk in out.stdout.strip().splitlines()[-1].split(",")]
    return ids[:DAYS], ids[DAYS:]


class Client:
    def __init__(self, number: int):
        self.number = number
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        self.cookie = ""
        self.posts: list[tuple[str, float]] = []
        self.requests: list[tuple[str, float]] = []  # (kind, when it started): what the server had to answer

    def get(self, path):
        self.requests.append(("GET", time.perf_counter()))
        self.conn.request("GET", path, headers={"Cookie": self.cookie} if self.cookie else {})
        response = self.conn.getresponse()
        body = response.read().decode()
        found = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "") or "")
        if found:
            self.cookie = f"csrftoken={found.group(1)}"
        return body

    def post(self, path, form, kind):
        started = time.perf_counter()
        self.requests.append((kind, started))
        self.conn.request(
            "POST", path, body=urllib.parse.urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": self.cookie,
                     "Referer": f"http://127.0.0.1:{PORT}{path}"},
        )  # fmt: skip
        response = self.conn.getresponse()
        body = response.read().decode()
        self.posts.append((kind, time.perf_counter() - started))
        return response.status, response.getheader("Location", ""), body

    def person(self, prefix):
        return {
            f"{prefix}-name": f"Bench Person {self.number}", f"{prefix}-email": f"person{self.number}@example.org",
            f"{prefix}-company_name": "", f"{prefix}-description": "Benchmark", f"{prefix}-consent": "on",
        }  # fmt: skip

    def run(self, day_ids, reload_after_refusal=False) -> tuple[str, float]:
        rng = random.Random(self.number)
        first = self.number % len(day_ids)
        tried = 0
        day_id = day_ids[first]
        path = f"/beratung/sprechtage/{day_id}/"
        body = self.get(path)
        while True:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
            slots = re.findall(r'name="b-slot" value="(\d+)"', body)
            if slots:
                form = {"csrfmiddlewaretoken": token, "b-slot": rng.choice(slots), **self.person("b")}
                status, location, body = self.post(path, form, "book")
                if status == 302 and "/buchung/" in location:
                    return "booked", time.perf_counter()
                if reload_after_refusal:
                    body = self.get(path)
                continue  # taken in between (400): the answer shows the day again, with the slots free now
            tried += 1
            if tried < 3:
                day_id = day_ids[(first + tried) % len(day_ids)]
                path = f"/beratung/sprechtage/{day_id}/"
                body = self.get(path)
                continue
            form = {"csrfmiddlewaretoken": token, **self.person("w")}
            status, location, body = self.post(f"{path}warteliste/", form, "waitlist")
            if status == 302 and "/warteliste/" in location:
                return "waitlisted", time.perf_counter()
            if status == 400:  # a slot came free meanwhile (not in this benchmark): the answer offers it
                continue
            return f"failed {status}", time.perf_counter()


TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far; 0 once it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


class CpuSampler(threading.Thread):
    """Where the machine's two cores went during the rush: every 50 ms the CPU used so far by this
    client (all its threads), by gunicorn (master and workers) and by PostgreSQL (every ``postgres``
    process: the backends of gunicorn's connections are new ones), so the split can be read off at the
    moment of the last booking. A scan of /proc costs about a millisecond."""

    def __init__(self, server_pid: int):
        super().__init__(daemon=True)
        self.server_pid = server_pid
        self.samples: list[tuple[float, float, float, float]] = []  # (when, client, gunicorn, postgres)
        self.stopped = threading.Event()
        self._sample()  # the baseline, taken before the rush starts

    def _sample(self):
        workers = Path(f"/proc/{self.server_pid}/task/{self.server_pid}/children").read_text().split()
        gunicorn = sum(_cpu_of(pid) for pid in [self.server_pid, *map(int, workers)])
        postgres = 0.0
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if (entry / "comm").read_text().strip() == "postgres":
                        postgres += _cpu_of(int(entry.name))
                except OSError:
                    pass
        self.samples.append((time.perf_counter(), time.process_time(), gunicorn, postgres))

    def run(self):
        while not self.stopped.is_set():
            self._sample()
            self.stopped.wait(0.05)
        self._sample()

    def used_until(self, moment: float) -> tuple[float, float, float]:
        """CPU seconds of client, gunicorn and PostgreSQL from the first sample to the first one at or
        after ``moment`` (a backend that ended in between takes its CPU with it: none do here)."""
        first = self.samples[0]
        last = next((sample for sample in self.samples if sample[0] >= moment), self.samples[-1])
        return last[1] - first[1], last[2] - first[2], last[3] - first[3]


def run_together(clients: list[Client], day_ids: list[int], reload_after_refusal: bool) -> list[tuple[str, float]]:
    """Every client's visit, all threads let go at once; each one's outcome and when it came."""
    outcomes = [None] * len(clients)
    barrier = threading.Barrier(len(clients))

    def one(index, client):
        barrier.wait()
        outcomes[index] = client.run(day_ids, reload_after_refusal)

    threads = [threading.Thread(target=one, args=pair) for pair in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def warm_up(day_ids: list[int], reload_after_refusal: bool) -> dict:
    """The rush in small on days of its own, before the measured one: every kind of request (day page,
    booking, refused booking, full day, waiting list) reaches both workers once, as on a server that
    has been up all morning, so the rush does not pay for imports and first template compiles."""
    clients = [Client(10_000 + n) for n in range(WARM_CLIENTS)]
    return dict(Counter(kind for kind, _ in run_together(clients, day_ids, reload_after_refusal)))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def wrk_ceiling() -> str:
    if not shutil.which("wrk"):
        return "wrk not installed"
    out = subprocess.run(
        ["wrk", "-t2", "-c16", "-d8s", "--latency", f"http://127.0.0.1:{PORT}/bench/ok/"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", out).group(1)
    return f"{float(rps):.0f} req/s, p99 {p99} (wrk -t2 -c16 -d8s /bench/ok/)"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="0: sync workers (one request at a time each)")
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--reload", action="store_true", help="reload the day after a refusal (before 3 Dec 2026)")
    parser.add_argument("--cold", action="store_true", help="no warm-up rush: two day pages only (before 4 Dec 2026)")
    args = parser.parse_args()
    day_ids, warm_day_ids = prepare()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "kammerwerk.wsgi", "-b", f"127.0.0.1:{PORT}", "-w", str(args.workers),
         *(["-k", "sync"] if args.threads == 0 else ["-k", "gthread", "--threads", str(args.threads)]),
         "--log-level", "warning"],
        cwd=ROOT, env=ENV,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
                conn.request("GET", "/bench/ok/")
                conn.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        if args.cold:
            for day_id in day_ids[:2]:
                Client(-1).get(f"/beratung/sprechtage/{day_id}/")
            warmed = "cold (two day pages)"
        else:
            warmed = f"{WARM_CLIENTS} clients on {WARM_DAYS} days of their own: {warm_up(warm_day_ids, args.reload)}"
        clients = [Client(n) for n in range(args.clients)]
        settle_until = time.monotonic() + 180  # the migrations' load must not count against the figure
        while os.getloadavg()[0] > 0.7 and time.monotonic() < settle_until:
            time.sleep(2)
        load_before = os.getloadavg()[0]
        sampler = CpuSampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        outcomes = run_together(clients, day_ids, args.reload)
        elapsed = time.perf_counter() - started
        sampler.stopped.set()
        sampler.join()
        load_after = os.getloadavg()[0]
        ceiling = "" if args.no_ceiling else wrk_ceiling()
    finally:
        server.terminate()
        server.wait()
    booked_at = [t - started for kind, t in outcomes if kind == "booked"]
    kinds = {}
    for kind, _ in outcomes:
        kinds[kind] = kinds.get(kind, 0) + 1
    posts = [latency for c in clients for _, latency in c.posts]
    book_posts = [latency for c in clients for kind, latency in c.posts if kind == "book"]
    check = f"""
from advisory.models import Booking, WaitlistEntry
bookings = Booking.objects.exclude(day_id__in={warm_day_ids})  # the warm-up's days are not counted
waitlist = WaitlistEntry.objects.exclude(day_id__in={warm_day_ids})
held = list(bookings.filter(status__in=["offered", "confirmed"]).values_list("slot_id", flat=True))
emails = list(bookings.values_list("email", flat=True)) + list(waitlist.values_list("email", flat=True))
print(len(held), len(set(held)), waitlist.filter(status="waiting").count(), len(emails), len(set(emails)))
"""
    out = subprocess.run(
        [PY, "manage.py", "shell", "-c", check], cwd=ROOT, env=ENV, check=True, capture_output=True, text=True
    )
    held, distinct_slots, waiting, people, distinct_people = (
        int(x) for x in out.stdout.strip().splitlines()[-1].split()
    )
    total = DAYS * SLOTS
    workers = f"{args.workers} sync" if args.threads == 0 else f"{args.workers}x{args.threads} gthread"
    print(f"clients={args.clients}, {DAYS} days x {SLOTS} slots = {total}; gunicorn {workers}, PostgreSQL")
    print(f"warm-up: {warmed}")
    print(f"outcomes: {kinds}; POSTs: {len(posts)} ({len(book_posts)} booking attempts)")
    print(f"all {args.clients} clients done in {elapsed:.2f} s; last booking after {max(booked_at):.2f} s "
          f"= {len(booked_at) / max(booked_at):.1f} bookings/s")  # fmt: skip
    print(
        f"POST latency ms (all): p50 {pct(posts, 0.5):.0f}  p90 {pct(posts, 0.9):.0f}  p99 {pct(posts, 0.99):.0f}  max {max(posts) * 1000:.0f}"
    )
    print(f"booking POST latency ms: p50 {pct(book_posts, 0.5):.0f}  p99 {pct(book_posts, 0.99):.0f}")
    last = max(booked_at)
    before_last = dict(Counter(kind for c in clients for kind, when in c.requests if when - started <= last))
    quarter = sorted(booked_at)
    print(f"requests sent before the last booking: {before_last}; bookings done after "
          + ", ".join(f"{n}: {quarter[n - 1]:.2f} s" for n in (15, 30, 45, 60)))  # fmt: skip
    client_cpu, server_cpu, postgres_cpu = sampler.used_until(started + last)
    answered = sum(before_last.values())
    print(f"CPU until the last booking (two cores give {2 * last:.2f} s): client {client_cpu:.2f} s, "
          f"gunicorn {server_cpu:.2f} s ({server_cpu / answered * 1000:.1f} ms per request sent), "
          f"PostgreSQL {postgres_cpu:.2f} s")  # fmt: skip
    print(f"load average: {load_before:.2f} before, {load_after:.2f} after")
    if ceiling:
        print(f"ceiling: {ceiling}")
    print(
        f"database: {held} slots held ({distinct_slots} distinct), {waiting} waiting, {people} people ({distinct_people} distinct)"
    )
    ok = (
        held == distinct_slots == total
        and waiting == args.clients - total
        and people == distinct_people == args.clients
    )
    print(f"OK: exactly {total} bookings, no slot twice, the rest on waiting lists" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

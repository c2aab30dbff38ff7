"""Where a booking's time goes: CPU ms and SQL per request of the advisory booking flow, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_booking \
        SECRET_KEY=speed-benchmark-only-secret-key-0123456789abcdef DEBUG=0 KAMMERWERK_PLAIN_STATIC=1 \
        ALLOWED_HOSTS=testserver DJANGO_SETTINGS_MODULE=benchmarks.bench_settings \
        .venv/bin/python benchmarks/advisory_booking_profile.py [--bookings 90] [--profile] [--out benchmarks/profiles/advisory-before]

No HTTP, no load tool, one process: Django's test client drives the whole middleware stack, as a
client of ``benchmarks/advisory_booking.py`` does over HTTP: forms posted urlencoded, the CSRF check
on, one middleware chain for all visitors as in a worker (figures before 2026-12-02 evening were
taken with multipart bodies, no CSRF check and the middleware loaded again for every visitor). ``time.process_time`` counts only this
process's CPU, so the figures hold on a shared machine (wall times and req/s would not).

It creates days of 3 slots in the public inventor series (note ``profile-run``, removed again at the
end, with their bookings, waiting-list entries and mails) and measures, per new visitor:

- ``day GET``: the page of a day with free slots (the visitor's first request: CSRF cookie),
- ``booking POST``: booking a free slot of it (302 to the booking's page),
- ``taken POST``: a POST for a slot someone else holds (400, the page again with the message),
- ``full GET``: the page of a full day (waiting-list form),
- ``waitlist POST``: joining the waiting list of a full day.

For the booking POST it also reports the time from the day's row lock (``SELECT … FOR UPDATE``) to
the commit that releases it (wall and CPU, the stretch other bookings of the day wait for) and the
SQL inside it. ``--profile`` adds cProfile (CPU clock) of the booking POST, the day GET, the taken
POST and the waitlist POST to ``<out>-booking-post.txt``, ``<out>-day-get.txt``,
``<out>-taken-post.txt``, ``<out>-waitlist-post.txt``, the SQL of each request to ``<out>-sql.txt``.
"""

import argparse
import cProfile
import datetime
import io
import itertools
import logging
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.client import ClientHandler  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from advisory.models import Booking, ConsultationDay, ConsultationSeries, Slot, WaitlistEntry  # noqa: E402
from advisory.services import day_create  # noqa: E402
from core.models import OutgoingMail  # noqa: E402

NOTE = "profile-run"
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SLOT_RE = re.compile(r'name="b-slot" value="(\d+)"')
_people = itertools.count(int(time.time() * 1000) % 10**9 * 1000)  # new addresses each run
# One middleware chain for every visitor, as in a worker process (a Client of its own would load the
# middleware again on its first request), and the CSRF check on, as in production.
_HANDLER = ClientHandler(enforce_csrf_checks=True)
FORM = "application/x-www-form-urlencoded"  # what browsers and advisory_booking.py send


def visitor() -> Client:
    client = Client()
    client.handler = _HANDLER
    return client


def post(client: Client, path: str, data: dict):
    return client.post(path, urlencode(data), content_type=FORM)


class LockWatch:
    """Wall and CPU time from the day's ``FOR UPDATE`` to the commit after it, and the SQL in between."""

    def __init__(self):
        self.spans: list[tuple[float, float, int]] = []
        self._start = None
        self._queries = 0

    def __call__(self, execute, sql, params, many, context):
        if self._start is None and "FOR UPDATE" in sql and "advisory_consultationday" in sql:
            self._start = (time.perf_counter(), time.process_time())
            self._queries = 0
        if self._start is not None:
            self._queries += 1
        return execute(sql, params, many, context)

    def committed(self):
        if self._start is not None:
            wall, cpu = self._start
            self.spans.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, self._queries))
            self._start = None


def person(prefix: str) -> dict:
    n = next(_people)
    return {
        f"{prefix}-name": f"Profile Person {n}", f"{prefix}-email": f"profile{n}@example.org",
        f"{prefix}-company_name": "", f"{prefix}-description": "Profil", f"{prefix}-consent": "on",
    }  # fmt: skip


def new_days(count: int) -> list[int]:
    series = ConsultationSeries.objects.get(kind="inventor")
    expert = User.objects.filter(email="profile-expert@example.org").first() or User.objects.create_user(
        "profile-expert@example.org", full_name="Profile Expert"
    )
    first = timezone.now().replace(hour=14, minute=0, second=0, microsecond=0) + datetime.timedelta(days=400)
    taken = ConsultationDay.objects.filter(note=NOTE).count()
    return [
        day_create(series=series, starts_at=first + datetime.timedelta(days=taken + i), expert=expert, place="IHK",
                   slot_minutes=40, slot_count=3, note=NOTE).pk
        for i in range(count)
    ]  # fmt: skip


def cleanup() -> None:
    days = ConsultationDay.objects.filter(note=NOTE)
    bookings = Booking.objects.filter(day__in=days)
    references = [f"advisory.booking:{pk}" for pk in bookings.values_list("pk", flat=True)]
    references += [
        f"advisory.waitlist:{pk}" for pk in WaitlistEntry.objects.filter(day__in=days).values_list("pk", flat=True)
    ]
    OutgoingMail.objects.filter(reference__in=references).delete()
    WaitlistEntry.objects.filter(day__in=days).delete()
    bookings.delete()
    Slot.objects.filter(day__in=days).delete()
    days.delete()


class Flow:
    """One visitor after another: GET a day, book one of its free slots."""

    def __init__(self, watch: LockWatch):
        self.days = iter(())
        self.watch = watch
        self.day = None
        self.free: list[str] = []

    def next_day(self) -> int:
        day = next(self.days, None)
        if day is None:
            self.days = iter(new_days(30))
            day = next(self.days)
        return day

    def visit(self) -> tuple[Client, str, str]:
        """A new visitor GETs a day with a free slot (not measured): client, path, token."""
        if not self.free:
            self.day = self.next_day()
        client = visitor()
        path = f"/beratung/sprechtage/{self.day}/"
        body = client.get(path).content.decode()
        self.free = SLOT_RE.findall(body)
        return client, path, CSRF_RE.search(body).group(1)

    def visit_again(self) -> tuple[Client, str, str]:
        """Another new visitor of the current day (not measured): client, path, token."""
        client = visitor()
        path = f"/beratung/sprechtage/{self.day}/"
        return client, path, CSRF_RE.search(client.get(path).content.decode()).group(1)

    def day_get(self) -> int:
        if not self.free:
            self.day = self.next_day()
        response = visitor().get(f"/beratung/sprechtage/{self.day}/")
        self.free = SLOT_RE.findall(response.content.decode())
        return response.status_code

    def booking_post(self, measure) -> int:
        client, path, token = self.visit()
        slot = self.free.pop(0)
        data = {"csrfmiddlewaretoken": token, "b-slot": slot, **person("b")}
        response = measure(lambda: post(client, path, data))
        assert response.status_code == 302 and "/buchung/" in response["Location"], response.status_code
        return response.status_code

    def taken_post(self, measure) -> int:
        client, path, token = self.visit()
        slot = self.free[0]
        other, _path, other_token = self.visit_again()  # someone else books it first
        post(other, path, {"csrfmiddlewaretoken": other_token, "b-slot": slot, **person("b")})
        data = {"csrfmiddlewaretoken": token, "b-slot": slot, **person("b")}
        response = measure(lambda: post(client, path, data))
        assert response.status_code == 400, response.status_code
        self.free.pop(0)
        return response.status_code

    def full_day(self) -> int:
        while self.free:  # fill the current day
            self.booking_post(lambda run: run())
        return self.day

    def waitlist_post(self, measure) -> int:
        day = self.full_day()
        client = visitor()
        path = f"/beratung/sprechtage/{day}/"
        token = CSRF_RE.search(client.get(path).content.decode()).group(1)
        data = {"csrfmiddlewaretoken": token, **person("w")}
        response = measure(lambda: post(client, f"{path}warteliste/", data))
        assert response.status_code == 302, response.status_code
        self.free = []  # next time a fresh day
        return response.status_code


def timed(times: list, profiler=None, queries: list | None = None):
    """Measure one request: its CPU ms into ``times``, its SQL into ``queries`` (not the setup around it)."""

    def measure(run):
        with CaptureQueriesContext(connection) as ctx:
            started = time.process_time()
            if profiler:
                profiler.enable()
            result = run()
            if profiler:
                profiler.disable()
            times.append((time.process_time() - started) * 1000)
        if queries is not None:
            queries.extend(query["sql"] for query in ctx.captured_queries)
        return result

    return measure


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bookings", type=int, default=90, help="measured requests of each kind")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", default="benchmarks/profiles/advisory")
    args = parser.parse_args()
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 400s of "taken" are expected
    request_started.disconnect(reset_queries)  # else every request empties CaptureQueriesContext's log
    cleanup()
    watch = LockWatch()
    connection.ensure_connection()
    plain_commit = connection.commit

    def commit():
        plain_commit()
        watch.committed()

    connection.commit = commit
    flow = Flow(watch)
    sql_dump = io.StringIO()
    rows = []
    kinds = {
        "day GET": lambda measure: measure(flow.day_get),
        "booking POST": flow.booking_post,
        "taken POST": flow.taken_post,
        "full GET": lambda measure: _full_get(flow, measure),
        "waitlist POST": flow.waitlist_post,
    }
    try:
        with connection.execute_wrapper(watch):
            for label, run in kinds.items():
                for _ in range(5):  # warm templates, connections, fragments
                    run(lambda r: r())
                queries: list[str] = []
                status = run(timed([], queries=queries))
                sql_dump.write(f"## {label} ({len(queries)} statements)\n")
                for sql in queries:
                    sql_dump.write(f"    {sql[:400]}\n")
                watch.spans.clear()
                times: list[float] = []
                for _ in range(args.bookings):
                    run(timed(times))
                spans = list(watch.spans) if label == "booking POST" else []
                rows.append((label, status, len(queries), times, spans))
                if args.profile and label in ("booking POST", "day GET", "taken POST", "waitlist POST"):
                    profiler = cProfile.Profile(time.process_time)
                    for _ in range(args.bookings):
                        run(timed([], profiler))
                    out = io.StringIO()
                    out.write(f"# {label}: {args.bookings} requests under cProfile (CPU clock)\n")
                    stats = pstats.Stats(profiler, stream=out).strip_dirs()
                    stats.sort_stats("cumulative").print_stats(50)
                    stats.sort_stats("tottime").print_stats(35)
                    Path(f"{args.out}-{label.lower().replace(' ', '-')}.txt").write_text(out.getvalue())
    finally:
        connection.commit = plain_commit
        cleanup()
    if args.profile:
        Path(f"{args.out}-sql.txt").write_text(sql_dump.getvalue())
    print("| request | status | SQL | CPU ms median | mean | min |\n|---|---:|---:|---:|---:|---:|")
    for label, status, queries, times, _spans in rows:
        print(
            f"| {label} | {status} | {queries} | {statistics.median(times):.2f} | {statistics.fmean(times):.2f} | {min(times):.2f} |"
        )
    for label, _status, _queries, _times, spans in rows:
        if spans:
            walls, cpus, sqls = zip(*spans, strict=True)
            print(
                f"\n{label}: day lock held (FOR UPDATE → commit) wall ms median {statistics.median(walls):.2f}, "
                f"CPU ms median {statistics.median(cpus):.2f}, SQL inside {statistics.median(sqls):.0f}"
            )


def _full_get(flow: Flow, measure) -> int:
    day = flow.full_day()
    client = visitor()
    status = measure(lambda: client.get(f"/beratung/sprechtage/{day}/").status_code)
    flow.free = []
    return status


if __name__ == "__main__":
    main()

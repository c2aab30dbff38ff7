"""Where the time of the issue-18 pages goes: CPU ms per request and SQL per request, in-process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_speed SECRET_KEY=x DEBUG=0 \
        KAMMERWERK_PLAIN_STATIC=1 ALLOWED_HOSTS=testserver \
        .venv/bin/python benchmarks/speed_profile.py [--requests 100] [--profile LABEL] [--out benchmarks/profiles/x]

No HTTP and no load tool: Django's test client drives the whole middleware stack in this process;
``time.process_time`` counts only this process's CPU, so the figure holds on a shared machine
(req/s do not). 2 sync workers on 2 cores serve at most ~2,000 / (CPU ms + PostgreSQL's share) req/s.

Pages: the public event page of ``speed-bench`` (benchmarks/speed_seed.py), the events calendar,
the portal search and an offer page, a CO2 result, the start page, and the registration flow
(POST the form as a new visitor, then the confirmation page it redirects to).
The registration is posted as a browser posts the form (``application/x-www-form-urlencoded``, like
speed_race.py and speed_flow_load.py); ``--multipart`` posts it as the test client's default
multipart body instead (the figures before 2 December 2026 were taken that way: parsing multipart
cost the POST about 0.3 ms more).
``--profile LABEL`` writes cProfile's top functions (cumulative and internal time) for that page
to ``<out>-<label>.txt``.
"""

import argparse
import cProfile
import io
import itertools
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils.http import urlencode  # noqa: E402

from events.models import Event  # noqa: E402

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_numbers = itertools.count(int(time.time() * 1000) % 10**9 * 1000)  # new e-mail addresses each run


def pages() -> dict[str, str]:
    from portal.models import Offer

    offer = (
        Offer.objects.filter(is_active=True, profile_published=True)
        .order_by("pk")
        .values_list("slug", flat=True)
        .first()
    )
    return {
        "event": "/veranstaltungen/speed-bench/",
        "calendar": "/veranstaltungen/",
        "portal-search": "/portal/?q=Mechatroniker",
        "portal-offer": f"/portal/ausbildung/{offer}/",
        "co2-result": "/klima/?natural_gas=500000&heating_oil=20000&berechnen=1",
        "start": "/",
    }


def register(client: Client, audiences: list[int]) -> tuple:
    """One new visitor's POST (returns the response); the client holds the CSRF cookie of a GET."""
    page = "/veranstaltungen/speed-bench/"
    n = next(_numbers)
    body = client.get(page).content.decode()
    token = CSRF_RE.search(body).group(1)
    return page, {
        "csrfmiddlewaretoken": token, "audience": audiences[n % len(audiences)], "first_name": "Bench",
        "last_name": f"Person {n}", "email": f"speed{n}@example.org", "join_waiting_list": "on",
    }  # fmt: skip


def measure(label: str, run, requests: int, profile_to: str | None) -> dict:
    for _ in range(5):  # warm caches, templates, connections
        run()
    with CaptureQueriesContext(connection) as ctx:
        status = run()
    queries = len(ctx)
    times = []
    for _ in range(requests):
        started = time.process_time()
        run()
        times.append((time.process_time() - started) * 1000)
    if profile_to:  # a separate pass: cProfile roughly doubles the time
        profiler = cProfile.Profile(time.process_time)
        for _ in range(requests):
            profiler.enable()
            run()
            profiler.disable()
        out = io.StringIO()
        out.write(f"# {label}: {requests} requests under cProfile\n")
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
        Path(profile_to).write_text(out.getvalue())
    return {"label": label, "status": status, "queries": queries, "median": statistics.median(times),
            "mean": statistics.fmean(times), "min": min(times)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--only", default="", help="comma-separated labels")
    parser.add_argument("--profile", default="", help="comma-separated labels to profile")
    parser.add_argument("--out", default="benchmarks/profiles/speed")
    parser.add_argument("--sql", action="store_true", help="print the SQL of each page")
    parser.add_argument("--multipart", action="store_true", help="post the registration as multipart")
    parser.add_argument(
        "--plans", action="store_true", help="at the end, list the statements PostgreSQL plans again on every run"
    )
    args = parser.parse_args()
    event = Event.objects.get(slug="speed-bench")
    audiences = list(event.audiences.order_by("position").values_list("pk", flat=True))
    only = {x for x in args.only.split(",") if x}
    profiled = {x for x in args.profile.split(",") if x}

    client = Client()
    runs = {}
    for label, url in pages().items():
        runs[label] = lambda url=url: client.get(url).status_code
    visitor = Client()

    def post_registration():
        page, data = register(visitor, audiences)
        started = time.process_time()
        response = visitor.post(page, data)
        post_registration.cpu = time.process_time() - started
        post_registration.location = response.get("Location", "")
        return response.status_code

    def post_only():
        # the POST alone (the GET that fetched the token is not counted)
        page, data = register(visitor, audiences)
        profiler = post_only.profiler
        started = time.process_time()
        if profiler:
            profiler.enable()
        if args.multipart:
            response = visitor.post(page, data)
        else:
            response = visitor.post(page, urlencode(data), content_type="application/x-www-form-urlencoded")
        if profiler:
            profiler.disable()
        post_only.times.append((time.process_time() - started) * 1000)
        post_registration.location = response.get("Location", "")
        return response.status_code

    runs["registration-post"] = post_only
    runs["confirmation"] = lambda: visitor.get(post_registration.location).status_code

    print("| page | status | SQL | CPU ms median | CPU ms mean | CPU ms min |\n|---|---:|---:|---:|---:|---:|")
    for label, run in runs.items():
        if only and label not in only:
            continue
        if label == "confirmation" and not getattr(post_registration, "location", ""):
            post_only.times, post_only.profiler = [], None
            post_only()
        profile_to = f"{args.out}-{label}.txt" if label in profiled else None
        if label == "registration-post":
            # time only the POST (not the GET for the token)
            post_only.times, post_only.profiler = [], None
            for _ in range(5):
                post_only()
            with CaptureQueriesContext(connection) as ctx:
                status = post_only()
            queries = len(ctx) - _get_queries(visitor)
            post_only.times = []
            for _ in range(args.requests):
                post_only()
            times = post_only.times
            post_only.profiler = cProfile.Profile(time.process_time) if profile_to else None
            if post_only.profiler:  # a separate pass: cProfile roughly doubles the time
                for _ in range(args.requests):
                    post_only()
                out = io.StringIO()
                out.write(f"# {label}: {args.requests} POSTs under cProfile\n")
                stats = pstats.Stats(post_only.profiler, stream=out).strip_dirs()
                stats.sort_stats("cumulative").print_stats(45)
                stats.sort_stats("tottime").print_stats(35)
                Path(profile_to).write_text(out.getvalue())
            row = {"label": label, "status": status, "queries": queries,
                   "median": statistics.median(times), "mean": statistics.fmean(times), "min": min(times)}  # fmt: skip
        else:
            row = measure(label, run, args.requests, profile_to)
        print(
            f"| {row['label']} | {row['status']} | {row['queries']} | {row['median']:.2f} | {row['mean']:.2f} | {row['min']:.2f} |"
        )
        if args.sql:
            with CaptureQueriesContext(connection) as ctx:
                run()
            for q in ctx.captured_queries:
                print("    ", q["sql"][:300])
    if args.plans:
        print_replanned()


def print_replanned() -> None:
    """The server-side prepared statements of this connection that PostgreSQL planned anew on every
    execution (a custom plan each time: its generic plan looked worse, typically a partial index the
    generic plan cannot use because a value of the index's condition arrives as a parameter)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans, statement FROM pg_prepared_statements"
            " WHERE custom_plans > generic_plans ORDER BY custom_plans DESC"
        )
        rows = cursor.fetchall()
    print(f"\nstatements planned anew on every run: {len(rows)}")
    for generic, custom, statement in rows:
        print(f"  generic {generic:>5}  custom {custom:>5}  {' '.join(statement.split())[:400]}")


def _get_queries(client: Client) -> int:
    """SQL of the GET that fetches the CSRF token (subtracted from the POST's count)."""
    with CaptureQueriesContext(connection) as ctx:
        client.get("/veranstaltungen/speed-bench/")
    return len(ctx)


if __name__ == "__main__":
    main()

"""The database's CPU per page beside Django's: what `speed_profile.py` (this process only) does not see.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_speed SECRET_KEY=x DEBUG=0 \
        KAMMERWERK_PLAIN_STATIC=1 ALLOWED_HOSTS=testserver \
        .venv/bin/python benchmarks/page_db_cpu.py [--requests 1000] [PATH ...]

Django's test client requests each page (default: the issue-18 pages of ``speed_vs_pretix.py``
but the offer page) ``--requests`` times after a warm-up, as an anonymous visitor, and prints the
CPU per request of this process and of the PostgreSQL backend serving its connection, read from
``/proc/<pid>/stat`` (so PostgreSQL must run on this machine). The backend's figure includes what
``EXPLAIN ANALYZE`` with literal values hides: the statements run as the application binds and
prepares them, so a plan PostgreSQL makes afresh on every run is counted (see ARCHITECTURE.md,
"A prepared statement is not always a planned one"). CPU time, not wall time: the figures hold on a
machine that is not quiet, but the clock ticks are 10 ms, so use a thousand requests or more.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = [
    "/veranstaltungen/speed-bench/",
    "/veranstaltungen/",
    "/portal/?q=Mechatroniker",
    "/klima/?natural_gas=500000&heating_oil=20000&berechnen=1",
    "/",
]


def process_cpu_seconds(pid: int) -> float:
    """utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=PAGES)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL on this machine (DATABASE_URL)")
    client = Client()
    print("| page | status | Django CPU ms/request | PostgreSQL CPU ms/request |")
    print("|---|---:|---:|---:|")
    for path in args.paths:
        for _ in range(10):  # compiled queries, prepared statements, cached fragments
            response = client.get(path)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        database_before, own_before = process_cpu_seconds(backend), time.process_time()
        for _ in range(args.requests):
            client.get(path)
        database = (process_cpu_seconds(backend) - database_before) * 1000 / args.requests
        own = (time.process_time() - own_before) * 1000 / args.requests
        print(f"| `{path}` | {response.status_code} | {own:.3f} | {database:.3f} |")


if __name__ == "__main__":
    main()

"""What reading dates and times costs with Django's ``timestamptz`` loader and with ours (``core.database``).

How to run (PostgreSQL 15 on 127.0.0.1, a database of its own; under a minute):

    .venv/bin/python benchmarks/timestamp_loader.py [--rounds 8]

It drops and creates the database ``kw_timestamp_bench``, migrates, and stores 25 mails in the
outbox (``core.OutgoingMail``: four date-and-time columns each, as on the staff's mail log). Then,
in one process and one connection, it switches between the two loaders every round and measures CPU
(``time.process_time``), so a busy or slower machine shifts both alike:

- ``values``: ``SELECT`` of 150 ``timestamptz`` values, µs per value (query included, spread over them);
- ``list``: the 25 mails read through the ORM (``list(OutgoingMail.objects.order_by("pk")[:25])``),
  µs per list.

Prints the median of each and the ratio; checks that both loaders return the same values.
"""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB = "kw_timestamp_bench"
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DB}"
os.environ.update(SECRET_KEY="benchmark-only-secret-key-not-for-production-0123456789", DEBUG="0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")
PY = str(ROOT / ".venv" / "bin" / "python")
VALUES_SQL = "SELECT now() + g * interval '1 hour 3 min 7.123456 s' FROM generate_series(1, 150) g"


def prepare() -> None:
    for sql in (f"DROP DATABASE IF EXISTS {DB}", f"CREATE DATABASE {DB}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=ROOT, env=os.environ, check=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=400, help="reads per round and kind")
    args = parser.parse_args()
    prepare()

    import django

    django.setup()
    from django.db import connection
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from django.utils import timezone

    from core.database import TIMESTAMPTZ_OID, UtcTimestampLoader
    from core.models import OutgoingMail

    now = timezone.now()
    OutgoingMail.objects.bulk_create(
        OutgoingMail(to_email=f"p{n}@example.org", from_email="kammer@example.org", subject="Test", body_text="-",
                     template="bench", message_id=f"<bench-{n}@example.org>", claimed_at=now, sent_at=now)
        for n in range(25)
    )  # fmt: skip
    connection.ensure_connection()
    adapters = connection.connection.adapters

    def use(kind: str) -> None:
        if kind == "ours":
            adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestampLoader)
        else:
            register_tzloader(datetime.UTC, connection.connection)  # what Django registers

    def read_values():
        with connection.cursor() as cursor:
            cursor.execute(VALUES_SQL)
            return cursor.fetchall()

    def read_list():
        return list(OutgoingMail.objects.order_by("pk")[:25])

    results = {kind: {"values": [], "list": []} for kind in ("django", "ours")}
    seen = {}
    for round_ in range(args.rounds):
        for kind in ("django", "ours") if round_ % 2 else ("ours", "django"):
            use(kind)
            for name, read, per in (("values", read_values, 150), ("list", read_list, 1)):
                read()
                started = time.process_time()
                for _ in range(args.repeat):
                    rows = read()
                results[kind][name].append((time.process_time() - started) / args.repeat / per * 1e6)
                if name == "list":
                    seen[kind] = [(m.created_at, m.claimed_at, m.sent_at, m.next_attempt_at) for m in rows]
    assert seen["django"] == seen["ours"], "the two loaders read different values"
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print(f"rounds: {args.rounds} x {args.repeat} reads each, alternating; 1-minute load after: {load}")
    for name, unit in (("values", "µs per value"), ("list", "µs per list of 25 mails")):
        django_, ours = (statistics.median(results[kind][name]) for kind in ("django", "ours"))
        print(f"{name}: Django's loader {django_:.1f}, ours {ours:.1f} {unit} ({ours / django_:.0%})")
    print("same values from both: OK")


if __name__ == "__main__":
    main()

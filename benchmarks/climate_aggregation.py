"""Benchmark: the regional hydrogen-demand aggregation over 100,000 survey submissions.

How to run (its own database, never the development one):

    # SQLite (a file under /tmp):
    DEBUG=1 DATABASE_URL=sqlite:////tmp/kw_climate_bench.sqlite3 .venv/bin/python benchmarks/climate_aggregation.py
    # PostgreSQL (database kw_climate_bench is created if missing):
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_climate_bench .venv/bin/python benchmarks/climate_aggregation.py

It migrates, creates 100,000 organisations in 8 districts with one current submission each
(plus 10,000 superseded ones), then times ``climate.selectors.regional_demand()`` (unfiltered and
filtered by district), the CSV export and the staff page, and reports the peak Python heap.
"""

import os
import random
import statistics
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("DEBUG", "1")
N = int(os.environ.get("BENCH_SUBMISSIONS", "100000"))


def _ensure_postgres_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


_ensure_postgres_database()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from climate.exports import survey_table  # noqa: E402
from climate.models import SurveySubmission  # noqa: E402
from climate.selectors import regional_demand  # noqa: E402
from contacts.models import District, Organisation  # noqa: E402
from core.tables import csv_stream  # noqa: E402

DISTRICTS = ["Münster", "Borken", "Coesfeld", "Steinfurt", "Warendorf", "Gelsenkirchen", "Bottrop", "Recklinghausen"]
WZ = ["24.10", "23.61", "20.16", "17.21", "22.29", "28.22", "10.51", "13.92", "25.62", "35.11"]


def prepare():
    call_command("migrate", verbosity=0)
    if SurveySubmission.objects.count() >= N:
        return
    rng = random.Random(7)
    districts = [District.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0] for name in DISTRICTS]
    started = time.perf_counter()
    organisations = [
        Organisation(
            name=f"Bench {i}",
            district=rng.choice(districts),
            wz_code=(code := rng.choice(WZ)),
            wz_section="D" if code.startswith("35") else "C",
        )  # fmt: skip
        for i in range(N)
    ]
    Organisation.objects.bulk_create(organisations, batch_size=5000)
    organisations = list(Organisation.objects.filter(name__startswith="Bench ").only("id", "district_id", "wz_section"))
    rows = []
    for index, organisation in enumerate(organisations):
        for current in [False, True] if index % 10 == 0 else [True]:
            rows.append(SurveySubmission(
                organisation_id=organisation.pk, district_id=organisation.district_id,
                wz_section=organisation.wz_section, contact_name="Bench", contact_email=f"b{index}@example.org",
                natural_gas_kwh=Decimal(rng.randint(100, 50_000) * 1000), switch_year=rng.randint(2026, 2045),
                switch_share=rng.choice([25, 50, 100]), h2_demand_t=Decimal(rng.randint(1, 2_000_000)) / 1000,
                can_host=rng.random() < 0.2, needs_connection=rng.random() < 0.7, is_current=current,
            ))  # fmt: skip
    SurveySubmission.objects.bulk_create(rows, batch_size=5000)
    print(f"prepared {len(rows):,} submissions in {time.perf_counter() - started:.1f} s")


def timed(function, repeat=5):
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return result, statistics.median(times), min(times)


def main():
    prepare()
    with connection.cursor() as cursor:  # fresh statistics, as autovacuum would have them in production
        cursor.execute("ANALYZE climate_surveysubmission" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"database: {connection.vendor}; current submissions: "
          f"{SurveySubmission.objects.filter(is_current=True).count():,} of {SurveySubmission.objects.count():,}")  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        demand = regional_demand()
    print(f"queries per aggregation: {len(queries)}; years: {len(demand.years)}; districts: {len(demand.districts)}; "
          f"sectors: {len(demand.sectors)}; total: {demand.total.full_t:,.1f} t")  # fmt: skip
    _r, median, best = timed(regional_demand)
    print(f"regional_demand(): median {median * 1000:.0f} ms, best {best * 1000:.0f} ms")
    district = District.objects.get(name="Borken").pk
    _r, median, best = timed(lambda: regional_demand(district_id=district))
    print(f"regional_demand(district=Borken): median {median * 1000:.0f} ms, best {best * 1000:.0f} ms")
    _r, median, best = timed(lambda: "".join(csv_stream(*survey_table(regional_demand()))))
    print(f"aggregation + CSV export: median {median * 1000:.0f} ms")
    from core.roles import Role
    from testing.factories import UserFactory

    staff = UserFactory(email="bench-staff@example.org", roles=[Role.STAFF])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(staff, backend="accounts.backends.UserRolesBackend")
    response = client.get("/klima/verwaltung/umfrage/")
    assert response.status_code == 200, response.status_code
    _r, median, best = timed(lambda: client.get("/klima/verwaltung/umfrage/"))
    print(f"staff page /klima/verwaltung/umfrage/ (test client): median {median * 1000:.0f} ms")
    tracemalloc.start()
    regional_demand()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak Python heap of one aggregation: {peak / 1024:.0f} kB")


if __name__ == "__main__":
    main()

"""Jugend forscht at state-level size: the jury and ranking pages at 5,000 projects and 500 jurors.

How to run (PostgreSQL 15 on 127.0.0.1; a database of its own; seeding 5,000 projects takes about a minute):

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE kw_competition_bench"
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_competition_bench \
        .venv/bin/python benchmarks/competition_bench.py --migrate --projects 5000 --jurors 500 --requests 50

    # a tiny smoke run on a throw-away SQLite file (what the helper ran; no figures):
    DATABASE_URL=sqlite:////tmp/kw_competition_bench.sqlite3 \
        .venv/bin/python benchmarks/competition_bench.py --migrate --projects 60 --jurors 20 --requests 3

It migrates (``--migrate``), seeds one round with ``manage.py competition_seed_scale`` (idempotent per year),
then requests each page in-process through the whole middleware stack with Django's test client (logged in
as the persona the page is for), counts its queries and times ``--requests`` requests: p50 / p95 / max in ms.
Prints a Markdown table for ``benchmarks/RESULTS-competition.md`` (add the machine, the date and the load).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("KAMMERWERK_INSECURE_DEV_KEY", "1")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("KAMMERWERK_PLAIN_STATIC", "1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--jurors", type=int, default=500)
    parser.add_argument("--scores", type=int, default=5)
    parser.add_argument("--year", type=int, default=2090)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--migrate", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from competition.models import Edition, Jury, JuryMember, Project
    from core.roles import Role

    if args.migrate:
        call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command(
        "competition_seed_scale", projects=args.projects, jurors=args.jurors, scores=args.scores, year=args.year
    )
    seeded = time.perf_counter() - started
    edition = Edition.objects.get(year=args.year)
    jury = Jury.objects.filter(edition=edition).order_by("pk").first()
    member = JuryMember.objects.filter(jury=jury, is_chair=True).select_related("user").first()
    staff, _ = User.objects.get_or_create(email="bench-staff@kammerwerk.example", defaults={"full_name": "Bench Staff"})
    staff.role_assignments.get_or_create(role=Role.STAFF)
    project = Project.objects.filter(jury=jury).order_by("number").first()

    juror_client, staff_client = Client(), Client()
    juror_client.force_login(member.user, backend="accounts.backends.UserRolesBackend")
    staff_client.force_login(staff, backend="accounts.backends.UserRolesBackend")
    pages = [
        ("Jury: meine Projekte (Jurorin)", juror_client, reverse("competition:jury_home")),
        ("Projekt mit Bewertungsbogen (Jurorin)", juror_client, reverse("competition:jury_project", args=[project.pk])),
        ("Rangliste der Jury (Jurorin)", juror_client, reverse("competition:jury_ranking", args=[jury.pk])),
        ("Rangliste der Jury (Geschäftsstelle)", staff_client, reverse("competition:jury_ranking", args=[jury.pk])),
        ("Ergebnisse der Runde (Geschäftsstelle)", staff_client, reverse("competition:results", args=[edition.pk])),
        ("Jurys der Runde (Geschäftsstelle)", staff_client, reverse("competition:jury_list", args=[edition.pk])),
        ("Vollständigkeit, 500 Zeilen (Geschäftsstelle)", staff_client, reverse("competition:edition_detail", args=[edition.pk])),
    ]  # fmt: skip
    projects_in_jury = Project.objects.filter(jury=jury).count()
    print(
        f"\nRound {edition.number} ({edition.year}): {Project.objects.filter(edition=edition).count()} projects, "
        f"{JuryMember.objects.filter(jury__edition=edition).count()} jurors, {projects_in_jury} projects in the measured "
        f"jury; seeding/lookup {seeded:.1f} s; database {connection.vendor}\n"
    )
    print("| page | queries | p50 ms | p95 ms | max ms | bytes |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, client, url in pages:
        executed = []

        def count(execute, sql, params, many, context, executed=executed):
            executed.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(args.requests):
            begin = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - begin) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
        print(
            f"| {label} | {len(executed)} | {statistics.median(timings):.1f} | {p95:.1f} | "
            f"{timings[-1]:.1f} | {len(response.content)} |"
        )


if __name__ == "__main__":
    main()

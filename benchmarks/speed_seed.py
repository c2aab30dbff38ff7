"""The events the speed benchmark (issue 18) measures, on a database that already holds the demo.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_speed SECRET_KEY=x \
        .venv/bin/python benchmarks/speed_seed.py          # prints SPEED_EVENT=… SPEED_AUDIENCES=… for eval

Idempotent. ``speed-bench`` is a Meet-the-Boss evening 60 days ahead (like pretix's seeded event)
with two audiences whose quotas (100,000 each) never run out during a run, so every registration of
the flow gets a seat, as every pretix add-to-cart gets a ticket. ``--reset-registrations`` removes
the registrations (and their mails) of that event before a repetition.
"""

import argparse
import datetime
import os
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from core.models import OutgoingMail  # noqa: E402
from events.models import Audience, Event, Registration  # noqa: E402
from events.tasks import send_registration_mail  # noqa: E402

SLUG = "speed-bench"
RACE_SLUG = "speed-race"  # 20 seats, for the 200-clients race


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reset-registrations", action="store_true")
    parser.add_argument("--count-race", action="store_true", help="print seats taken, rows and mails of the race event")
    args = parser.parse_args()
    start = (timezone.now() + datetime.timedelta(days=60)).replace(hour=17, minute=0, second=0, microsecond=0)
    event, _created = Event.objects.get_or_create(
        slug=SLUG,
        defaults={
            "title": "Meet-the-Boss: Benchmark-Abend", "kind": Event.Kind.MEET_THE_BOSS,
            "status": Event.Status.PUBLISHED, "mode": Event.Mode.IN_PERSON, "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=3), "venue_name": "IHK-Haus", "venue_street": "Sentmaringer Weg 61",
            "venue_postcode": "48151", "venue_city": "Münster",
            "summary": "Studierende treffen Unternehmerinnen und Unternehmer zu kurzen Gesprächen.",
            "description": "Vier Gesprächsrunden zu je 15 Minuten, danach Imbiss und Gespräche.",
        },
    )  # fmt: skip
    if event.starts_at < timezone.now() + datetime.timedelta(days=7):
        Event.objects.filter(pk=event.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    for position, (name, role) in enumerate([("Unternehmer/-innen", "boss"), ("Studierende", "student")]):
        Audience.objects.get_or_create(
            event=event, name=name, defaults={"role": role, "quota": 100_000, "position": position}
        )
    race, _created = Event.objects.get_or_create(
        slug=RACE_SLUG,
        defaults={
            "title": "Expertentag: 20 Plätze", "kind": event.kind, "status": Event.Status.PUBLISHED,
            "mode": Event.Mode.IN_PERSON, "starts_at": start, "ends_at": start + datetime.timedelta(hours=3),
            "venue_name": "IHK-Haus",
        },
    )  # fmt: skip
    if race.starts_at < timezone.now() + datetime.timedelta(days=7):
        Event.objects.filter(pk=race.pk).update(starts_at=start, ends_at=start + datetime.timedelta(hours=3))
    Audience.objects.get_or_create(event=race, name="Teilnehmende", defaults={"quota": 20})
    if args.reset_registrations:
        for one in (event, race):
            ids = list(Registration.objects.filter(event=one).values_list("pk", flat=True))
            OutgoingMail.objects.filter(reference__in=[f"events.registration:{pk}" for pk in ids]).delete()
            Registration.objects.filter(event=one).delete()
        # the first-mail jobs of the removed registrations (the benchmark runs no worker)
        DBTaskResult.objects.filter(task_path=send_registration_mail.module_path, status="READY").delete()
    audiences = list(event.audiences.order_by("position").values_list("pk", flat=True))
    print(f"SPEED_EVENT={shlex.quote(SLUG)}")
    print(f"SPEED_AUDIENCES={','.join(str(pk) for pk in audiences)}")
    print(f"SPEED_RACE_AUDIENCE={race.audiences.get().pk}")
    if args.count_race:
        ids = list(Registration.objects.filter(event=race).values_list("pk", flat=True))
        seated = Registration.objects.filter(event=race, status__in=Registration.SEATED).count()
        # The first mails are the worker's: run the jobs the race queued, as the worker would.
        jobs = DBTaskResult.objects.filter(task_path=send_registration_mail.module_path, status="READY")
        jobs = [job for job in jobs if job.args_kwargs["args"][0] in set(ids)]
        for job in jobs:
            send_registration_mail.call(*job.args_kwargs["args"])
        DBTaskResult.objects.filter(pk__in=[job.pk for job in jobs]).update(status="SUCCESSFUL")
        print(f"SPEED_RACE_JOBS={len(jobs)}")
        mails = OutgoingMail.objects.filter(reference__in=[f"events.registration:{pk}" for pk in ids]).count()
        print(f"SPEED_RACE_SEATED={seated}")
        print(f"SPEED_RACE_ROWS={len(ids)}")
        print(f"SPEED_RACE_MAILS={mails}")  # one first mail per registration: as many as rows
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # statistics for the freshly seeded rows, or the planner guesses them tenfold off; and the visibility
            # map a database autovacuum has visited has, or the home page counts its offers from the table, not
            # from their index (0.44 against 0.04 ms)
            cursor.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    main()

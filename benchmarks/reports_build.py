"""Benchmark: the annual report for a year of one million records, built in seconds.

How to run (its own database, never the development one):

    # PostgreSQL (the database is created if missing); 1,000,000 rows, seeded once (idempotent):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_bench_reports .venv/bin/python benchmarks/reports_build.py
    # a tiny run to see that it works (SQLite file under /tmp):
    DATABASE_URL=sqlite:////tmp/kw_reports_bench.sqlite3 .venv/bin/python benchmarks/reports_build.py --rows 4000
    # options: --rows N (default 1,000,000), --year Y (default 2025), --runs R (default 3), --reset

Seed step: the rows of one year, a quarter each in the four big tables the report counts –
consultations (each with a topic), consultation-day bookings (on days of five slots), event
registrations (events of 100, a third checked in) and newsletter deliveries (10 issues to a
tenth of the rows as subscribers) – bulk-inserted and marked (user ``bench-reports@…``, list
``bench-reports``, event slugs ``bench-reports-…``) so ``--reset`` removes exactly them.

Then, ``--runs`` times each: every registered figure of the year and the year before
(``figures_for_year``), the 2020 demo template's document for that year (live figures, charts,
the comparison of every figure), the frozen snapshot, the PDF and the Word file. Prints a
Markdown table with wall time, CPU time and queries, and the load average (read it before
believing a figure: the machine is shared).
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("DEBUG", "1")
MARK = "bench-reports"


def _ensure_postgres_database():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[-1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _day(rng: random.Random, year: int) -> datetime.date:
    return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))


def _batched(model, rows, size=5000):
    done = []
    for start in range(0, len(rows), size):
        done += model.objects.bulk_create(rows[start : start + size], batch_size=size)
    return done


def seed(rows: int, year: int) -> None:
    from accounts.models import User
    from advisory.catalogue import load_catalogue
    from advisory.models import Booking, Consultation, ConsultationDay, ConsultationSeries, Slot, Topic
    from events.models import Audience, Event, Registration
    from newsletter.models import Delivery, Issue, NewsletterList, Subscriber

    if NewsletterList.objects.filter(slug=MARK).exists():
        print(f"already seeded ({MARK}); --reset to start again")
        return
    rng = random.Random(20201231)
    quarter = rows // 4
    started = time.perf_counter()
    load_catalogue()
    user, _ = User.objects.get_or_create(email=f"{MARK}@kammerwerk.example", defaults={"full_name": "Benchmark"})

    # consultations, one topic each
    topics = list(Topic.objects.filter(parent__isnull=False))
    talks = _batched(
        Consultation,
        [Consultation(adviser=user, date=_day(rng, year), contact_name="Bench", outcome=MARK) for _ in range(quarter)],
    )
    through = Consultation.topics.through
    _batched(through, [through(consultation_id=talk.pk, topic_id=rng.choice(topics).pk) for talk in talks])
    print(f"consultations: {len(talks):,} ({time.perf_counter() - started:.0f} s)")

    # consultation days of five slots, every slot booked
    series = list(ConsultationSeries.objects.all())
    days = _batched(
        ConsultationDay,
        [ConsultationDay(series=rng.choice(series), starts_at=_aware(_day(rng, year), 9), expert=user,
                         place=MARK, slot_count=5, slot_minutes=30) for _ in range(max(quarter // 5, 1))],
    )  # fmt: skip
    slots = _batched(
        Slot,
        [Slot(day=day, number=n, starts_at=day.starts_at + datetime.timedelta(minutes=30 * n),
              ends_at=day.starts_at + datetime.timedelta(minutes=30 * (n + 1))) for day in days for n in range(1, 6)],
    )  # fmt: skip
    day_series = {day.pk: day.series_id for day in days}
    _batched(
        Booking,
        [Booking(slot=slot, day_id=slot.day_id, series_id=day_series[slot.day_id], name="Bench",
                 email=f"b{slot.pk}@{MARK}.example", status=Booking.Status.CONFIRMED,
                 attendance=rng.choice(["attended", "attended", "no_show", ""])) for slot in slots[:quarter]],
    )  # fmt: skip
    print(f"bookings: {min(len(slots), quarter):,} ({time.perf_counter() - started:.0f} s)")

    # events of 100 registrations, a third let in
    kinds = list(Event.Kind.values)
    events = _batched(
        Event,
        [Event(slug=f"{MARK}-{n}", title=f"Benchmark {n}", kind=rng.choice(kinds), status=Event.Status.PUBLISHED,
               starts_at=start, ends_at=start + datetime.timedelta(hours=2))
         for n, start in enumerate(_aware(_day(rng, year), 17) for _ in range(max(quarter // 100, 1)))],
    )  # fmt: skip
    audiences = _batched(Audience, [Audience(event=event, name="Teilnehmende") for event in events])
    registrations = []
    for event, audience in zip(events, audiences, strict=True):
        for n in range(100):
            registrations.append(
                Registration(event=event, audience=audience, email=f"r{n}.{event.pk}@{MARK}.example", first_name="B",
                             last_name="Bench", status=Registration.Status.CONFIRMED,
                             checked_in_at=event.starts_at if n % 3 == 0 else None)
            )  # fmt: skip
    _batched(Registration, registrations[:quarter])
    print(f"registrations: {min(len(registrations), quarter):,} ({time.perf_counter() - started:.0f} s)")

    # ten issues to a tenth of the rows as subscribers
    newsletter_list = NewsletterList.objects.create(slug=MARK, name="Benchmark")
    subscribers = _batched(
        Subscriber,
        [Subscriber(newsletter_list=newsletter_list, email=f"s{n}@{MARK}.example", status=Subscriber.Status.ACTIVE,
                    created_at=_aware(datetime.date(year, 1, 1)), confirmed_at=_aware(datetime.date(year, 1, 1)),
                    token=f"{MARK}-{n}")
         for n in range(max(quarter // 10, 1))],
    )  # fmt: skip
    issues = [
        Issue.objects.create(newsletter_list=newsletter_list, number=n, subject=f"Bench {n}", status=Issue.Status.SENT,
                             sent_at=_aware(datetime.date(year, n + 1, 5)))
        for n in range(10)
    ]  # fmt: skip
    _batched(
        Delivery,
        [Delivery(issue=issue, subscriber=s, email=s.email, status=Delivery.Status.SENT, sent_at=issue.sent_at,
                  message_id=f"<{issue.pk}.{s.pk}@{MARK}>") for issue in issues for s in subscribers][:quarter],
    )  # fmt: skip
    print(f"deliveries: {min(len(issues) * len(subscribers), quarter):,} ({time.perf_counter() - started:.0f} s)")
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"seeded {rows:,} rows in {time.perf_counter() - started:.0f} s")


def reset() -> None:
    """Remove exactly the benchmark's rows (bulk deletes: the big tables have no signals to honour here)."""
    from accounts.models import User
    from advisory.models import Booking, Consultation, ConsultationDay, Slot
    from events.models import Audience, Event, Registration
    from newsletter.models import Delivery, Issue, NewsletterList, Subscriber

    def gone(queryset) -> None:
        queryset._raw_delete(queryset.db)  # noqa: SLF001 – the benchmark's own rows, no cascades needed

    mark_list = NewsletterList.objects.filter(slug=MARK)
    gone(Delivery.objects.filter(issue__newsletter_list__in=mark_list))
    gone(Issue.objects.filter(newsletter_list__in=mark_list))
    gone(Subscriber.objects.filter(newsletter_list__in=mark_list))
    mark_list.delete()
    events = Event.objects.filter(slug__startswith=f"{MARK}-")
    gone(Registration.objects.filter(event__in=events))
    gone(Audience.objects.filter(event__in=events))
    gone(events)
    days = ConsultationDay.objects.filter(place=MARK)
    gone(Booking.objects.filter(day__in=days))
    gone(Slot.objects.filter(day__in=days))
    gone(days)
    talks = Consultation.objects.filter(outcome=MARK)
    gone(Consultation.topics.through.objects.filter(consultation__in=talks))
    gone(talks)
    User.objects.filter(email=f"{MARK}@kammerwerk.example").delete()
    print("benchmark rows removed")


def _timed(function, runs: int):
    from django.db import connection, reset_queries

    walls, cpus, queries = [], [], 0
    for _ in range(runs):
        reset_queries()
        wall, cpu = time.perf_counter(), time.process_time()
        result = function()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        queries = len(connection.queries)
    return result, statistics.median(walls), statistics.median(cpus), queries


def measure(year: int, runs: int) -> None:
    from django.db import connection

    from core.figures import figures_for_year
    from reports.demo import SECTIONS
    from reports.models import Report, Section, Version
    from reports.pdf import document_pdf
    from reports.selectors import render_document
    from reports.source import LiveFigures
    from reports.word import document_docx

    connection.force_debug_cursor = True  # count queries
    report = Report(title=f"Jahresbericht {year}", year=year)
    version = Version(report=report, number=1)
    sections = [Section(version=version, position=i, title=t, body=b) for i, (t, b) in enumerate(SECTIONS, 1)]

    def figures():
        return figures_for_year(year), figures_for_year(year - 1)

    def document():
        return render_document(version, sections, LiveFigures())

    def snapshot():
        source = LiveFigures()
        render_document(version, sections, source)
        return source.snapshot(year)

    (values, _), *figure_times = _timed(figures, runs)
    doc, *document_times = _timed(document, runs)
    _snapshot, *snapshot_times = _timed(snapshot, runs)
    pdf, *pdf_times = _timed(lambda: document_pdf(doc), runs)
    docx, *docx_times = _timed(lambda: document_docx(doc), runs)
    load = os.getloadavg()
    print(f"\n{connection.vendor}, year {year}, {runs} runs (medians), load average {load[0]:.1f} {load[1]:.1f}")
    print(f"advisory.talks={values.get('advisory.talks')}, events.registrations={values.get('events.registrations')}, "
          f"newsletter.mails_sent={values.get('newsletter.mails_sent')}, slots booked={values.get('advisory.slots_booked')}")  # fmt: skip
    print("\n| step | wall | CPU | queries |\n|---|---|---|---|")
    for name, (wall, cpu, queries) in [
        (f"all {len(values)} figures, year and year before", figure_times),
        ("the report document (live figures, charts, comparison)", document_times),
        ("freezing: the snapshot of every figure the report shows", snapshot_times),
        (f"PDF ({len(pdf) // 1024} KiB)", pdf_times),
        (f"Word ({len(docx) // 1024} KiB)", docx_times),
    ]:
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {queries} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2025)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reset", action="store_true", help="remove the benchmark's rows and stop")
    args = parser.parse_args()
    _ensure_postgres_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.reset:
        reset()
        return
    from django.db import transaction

    with transaction.atomic():  # all or nothing: a failed seed leaves no half data set behind
        seed(args.rows, args.year)
    measure(args.year, args.runs)


if __name__ == "__main__":
    main()

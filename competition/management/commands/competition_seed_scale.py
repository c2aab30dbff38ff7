"""A state-level round for the benchmark: ``manage.py competition_seed_scale --projects 5000 --jurors 500``.

Creates one round (year ``--year``, default 2090, so it never meets the demo), schools, projects with teams
of one to three, one jury per subject area and division with the jurors spread over them, and after-interview
(and before-interview) score sheets from ``--scores`` jurors per project. Bulk inserts; idempotent per year
(an existing round of that year is left alone). Prints the ids the benchmark needs.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from accounts.models import RoleAssignment, User
from competition import services
from competition.models import (
    AREA_CODES,
    Division,
    Edition,
    Gender,
    Jury,
    JuryMember,
    Participant,
    Project,
    School,
    ScoreSheet,
    SubjectArea,
    TeamMember,
)
from core.roles import Role

BATCH = 2000


class Command(BaseCommand):
    help = "Seed a large Jugend forscht round (benchmarks)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=5000)
        parser.add_argument("--jurors", type=int, default=500)
        parser.add_argument("--scores", type=int, default=5, help="jurors scoring each project")
        parser.add_argument("--year", type=int, default=2090)
        parser.add_argument("--seed", type=int, default=14)

    def handle(self, *args, projects, jurors, scores, year, seed, **options):
        rng = random.Random(seed)
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            with transaction.atomic():
                edition = self._seed(rng, projects=projects, jurors=jurors, scores=scores, year=year)
            if connection.vendor == "postgresql":
                # statistics for the planner: without them it takes the bulk-inserted tables for empty and
                # scans the participants once per listed project (0.45 s instead of 6 ms for 500 rows)
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
        jury = Jury.objects.filter(edition=edition).order_by("pk").first()
        juror = JuryMember.objects.filter(jury=jury).order_by("pk").first()
        self.stdout.write(
            f"edition={edition.pk} jury={jury.pk} juror={juror.user.email} "
            f"projects={Project.objects.filter(edition=edition).count()} "
            f"jurors={JuryMember.objects.filter(jury__edition=edition).values('user').distinct().count()} "
            f"sheets={ScoreSheet.objects.filter(jury__edition=edition).count()}"
        )

    def _seed(self, rng, *, projects, jurors, scores, year) -> Edition:
        dates = services.default_dates(year)
        edition = services.edition_save(
            data=services.EditionData(number=year - 1986, year=year, venue="Landeswettbewerb (Benchmark)", **dates)
        )
        schools = School.objects.bulk_create(
            School(name=f"Schule {n}", city=f"Ort {n % 50}", key=f"schule {n}|ort {n % 50}|{year}") for n in range(300)
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(email=f"bench-juror-{year}-{n}@kammerwerk.example", full_name=f"Jurorin {n}", password=password)
            for n in range(jurors)
        )
        RoleAssignment.objects.bulk_create(RoleAssignment(user=user, role=Role.JUROR) for user in users)
        groups = [(area, division) for area in SubjectArea.values for division in Division.values]
        juries = {
            group: Jury.objects.create(edition=edition, subject_area=group[0], division=group[1]) for group in groups
        }
        members: dict[tuple, list[int]] = {group: [] for group in groups}
        JuryMember.objects.bulk_create(
            JuryMember(jury=juries[groups[n % len(groups)]], user=user, is_chair=n < len(groups))
            for n, user in enumerate(users)
        )
        for n, user in enumerate(users):
            members[groups[n % len(groups)]].append(user.pk)
        counters: dict[tuple, int] = {}
        project_rows, people, links = [], [], []
        for n in range(projects):
            group = groups[n % len(groups)]
            counters[group] = counters.get(group, 0) + 1
            prefix = f"{AREA_CODES[group[0]]}-{'J' if group[1] == Division.JUNIOR else 'S'}-"
            project_rows.append(
                Project(
                    edition=edition,
                    number=f"{prefix}{counters[group]:04d}",
                    title=f"Projekt {n}",
                    abstract="Benchmark-Projekt.",
                    subject_area=group[0],
                    division=group[1],
                    school=schools[n % len(schools)],
                    teacher_name="Lehrkraft",
                    teacher_email=f"lehrkraft{n % 900}@example.org",
                    status=Project.Status.REGISTERED,
                    jury=juries[group],
                )  # fmt: skip
            )
        created = []
        for start in range(0, len(project_rows), BATCH):
            created += Project.objects.bulk_create(project_rows[start : start + BATCH])
        age = {Division.JUNIOR: 12, Division.SENIOR: 17}
        for project in created:
            for position in range(1, rng.choice((1, 2, 2, 3)) + 1):
                people.append(
                    Participant(
                        edition=edition,
                        first_name=f"P{project.pk}",
                        last_name=f"M{position}",
                        birth_date=datetime.date(year - 1 - age[project.division], 5, 5),
                        gender=rng.choice((Gender.FEMALE, Gender.MALE)),
                        school_id=project.school_id,
                        consent_status=Participant.Consent.GIVEN,
                        key=f"{project.pk}|{position}",
                    )  # fmt: skip
                )
                links.append((project.pk, position))
        saved = []
        for start in range(0, len(people), BATCH):
            saved += Participant.objects.bulk_create(people[start : start + BATCH])
        TeamMember.objects.bulk_create(
            (TeamMember(project_id=pk, participant=p, position=pos) for (pk, pos), p in zip(links, saved, strict=True)),
            batch_size=BATCH,
        )
        sheets = []
        for project in created:
            jury_members = members[(project.subject_area, project.division)]
            for juror_id in rng.sample(jury_members, min(scores, len(jury_members))):
                for phase in (ScoreSheet.Phase.BEFORE, ScoreSheet.Phase.AFTER):
                    total = Decimal(rng.randint(3000, 9500)) / 100
                    sheets.append(
                        ScoreSheet(
                            project=project, jury_id=project.jury_id, juror_id=juror_id, phase=phase, total=total
                        )
                    )
        ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
        return edition

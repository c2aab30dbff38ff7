"""Test data for the competition: rounds relative to today, schools, projects with teams, juries, scores."""

import datetime
import io
from decimal import Decimal
from itertools import count

from django.utils import timezone

from competition import services
from competition.models import (
    Division,
    Edition,
    Gender,
    Jury,
    JuryMember,
    Participant,
    Project,
    School,
    ScorePoint,
    ScoreSheet,
    SubjectArea,
    TeamMember,
)

_numbers = count(1)


def today() -> datetime.date:
    return timezone.localdate()


def make_edition(*, stage: str = "registration", year: int | None = None, **overrides) -> Edition:
    """A round whose dates put today in ``stage``: "registration" (registration open), "written" (registration
    closed, written work still open), "contest" (today is the contest day), "published" (over and published)."""
    t = today()
    offsets = {
        "registration": dict(registration=10, written=30, prescore=50, contest=60),
        "written": dict(registration=-5, written=10, prescore=20, contest=30),
        "contest": dict(registration=-60, written=-30, prescore=-2, contest=0),
        "published": dict(registration=-400, written=-370, prescore=-350, contest=-340),
    }[stage]
    contest = t + datetime.timedelta(days=offsets["contest"])
    data = services.EditionData(
        number=overrides.pop("number", 100 + next(_numbers)),
        year=year or contest.year,
        venue=overrides.pop("venue", "IHK Nord Westfalen, Münster"),
        registration_deadline=t + datetime.timedelta(days=offsets["registration"]),
        written_work_deadline=t + datetime.timedelta(days=offsets["written"]),
        prescore_deadline=t + datetime.timedelta(days=offsets["prescore"]),
        contest_date=contest,
        retention_until=overrides.pop("retention_until", contest + datetime.timedelta(days=300)),
        **overrides,
    )
    if data.year != contest.year:  # a second round in the same year: move the whole calendar by years
        shift = data.year - contest.year
        for name in (
            "registration_deadline",
            "written_work_deadline",
            "prescore_deadline",
            "contest_date",
            "retention_until",
        ):
            value = getattr(data, name)
            setattr(data, name, value.replace(year=value.year + shift))
    edition = services.edition_save(data=data)
    if stage == "published":
        Edition.objects.filter(pk=edition.pk).update(results_published_at=timezone.now())
        edition.refresh_from_db()
    return edition


def make_school(name: str = "Gymnasium Paulinum", city: str = "Münster", district=None) -> School:
    school, _ = School.objects.get_or_create(
        key=f"{name.casefold()}|{city.casefold()}", defaults={"name": name, "city": city, "district": district}
    )
    return school


def birth_for_age(edition: Edition, age: int) -> datetime.date:
    """A birth date that makes the person ``age`` on 31 December of the registration year."""
    return datetime.date(edition.registration_year - age, 6, 15)


def make_project(
    edition: Edition,
    *,
    area: str = SubjectArea.BIOLOGY,
    division: str = Division.SENIOR,
    school: School | None = None,
    teacher=None,
    members: list[tuple[str, str]] | None = None,
    title: str | None = None,
    status: str = Project.Status.REGISTERED,
    jury: Jury | None = None,
    gender: str = Gender.FEMALE,
) -> Project:
    """A project with its team written directly (no mails); members are (first, last) names."""
    school = school or make_school()
    number = next(_numbers)
    prefix = f"{area[:2].upper()}-{'J' if division == Division.JUNIOR else 'S'}-"
    project = Project.objects.create(
        edition=edition, number=f"{prefix}{number:02d}", title=title or f"Projekt {number}",
        abstract="Wir untersuchen, wie schnell Kresse unter LED-Licht wächst.", subject_area=area, division=division,
        school=school, teacher_name=str(teacher) if teacher else "Frau Lehrer",
        teacher_email=teacher.email if teacher else "lehrerin@example.org", registered_by=teacher, status=status,
        jury=jury, stand_confirmed_at=timezone.now(),
    )  # fmt: skip
    age = 16 if division == Division.SENIOR else 12
    for position, (first, last) in enumerate(members or [("Mia", f"Muster{number}")], start=1):
        participant = Participant.objects.create(
            edition=edition, first_name=first, last_name=last, birth_date=birth_for_age(edition, age), gender=gender,
            school=school, parent_email=f"eltern.{last.lower()}@example.org",
            consent_status=Participant.Consent.GIVEN, key=f"{last}|{first}|{number}".casefold(),
        )  # fmt: skip
        TeamMember.objects.create(project=project, participant=participant, position=position)
    return project


def make_jury(edition: Edition, area: str = SubjectArea.BIOLOGY, division: str = Division.SENIOR, *jurors, chair=None):
    jury, _ = Jury.objects.get_or_create(edition=edition, subject_area=area, division=division)
    for user in jurors:
        JuryMember.objects.get_or_create(jury=jury, user=user, defaults={"is_chair": user == chair})
    return jury


def give_score(project: Project, juror, total, *, phase: str = ScoreSheet.Phase.AFTER) -> ScoreSheet:
    """A sheet with a given weighted total (points are left out: the ranking reads totals)."""
    sheet, _ = ScoreSheet.objects.update_or_create(
        project=project, juror=juror, phase=phase, defaults={"jury": project.jury, "total": Decimal(str(total))}
    )
    return sheet


def full_points(edition: Edition, value: int | None = None) -> dict[int, int]:
    return {c.id: c.max_points if value is None else value for c in edition.criteria.all()}


def pdf_bytes(pages: int = 3, text: str = "Schriftliche Arbeit") -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number in range(pages):
        canvas.drawString(100, 700, f"{text}, Seite {number + 1}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def add_points(sheet: ScoreSheet, edition: Edition, value: int = 5) -> None:
    ScorePoint.objects.bulk_create(ScorePoint(sheet=sheet, criterion=c, points=value) for c in edition.criteria.all())

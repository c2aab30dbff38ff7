"""Reads of the competition, each in a fixed number of queries whatever the number of projects or jurors
(pinned in tests/test_queries.py)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from competition import rules
from competition.models import (
    Conflict,
    Division,
    Edition,
    Gender,
    Interview,
    Jury,
    JuryMember,
    ParentalConsent,
    Participant,
    Project,
    ScorePoint,
    ScoreSheet,
    SpecialPrize,
    SubjectArea,
    TeamMember,
)

ACTIVE = ~Q(status=Project.Status.WITHDRAWN)
BLOCKING_CONSENTS = [Participant.Consent.PENDING, Participant.Consent.DECLINED]


def _count_of(queryset, pointing: str):
    """How many rows of ``queryset`` point at the outer row through ``pointing``, as a subquery. Two such
    counts on one row cost two small index scans; two ``Count`` joins would multiply the rows they join
    (a jury's projects times its members)."""
    counted = queryset.filter(**{pointing: OuterRef("pk")}).order_by().values(pointing).annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), 0)


def _jury_counts():
    return {
        "member_count": _count_of(JuryMember.objects.all(), "jury"),
        "project_count": _count_of(Project.objects.filter(status=Project.Status.REGISTERED), "jury"),
    }


def current_edition() -> Edition | None:
    """The newest round (the one registration, jury and staff pages start from)."""
    return Edition.objects.order_by("-year").first()


def editions_with_counts():
    return Edition.objects.annotate(
        project_count=Count("projects", filter=Q(projects__status=Project.Status.REGISTERED), distinct=True),
        pending_count=Count("projects", filter=Q(projects__status=Project.Status.PENDING), distinct=True),
    ).order_by("-year")


def published_editions():
    return Edition.objects.filter(results_published_at__isnull=False).order_by("-year")


# --- what is missing ------------------------------------------------------------------------------------------------


def _members_by_project(project_ids) -> dict[int, list[TeamMember]]:
    members = defaultdict(list)
    for member in (
        TeamMember.objects.filter(project_id__in=project_ids)
        .select_related("participant")
        .order_by("project_id", "position")
    ):
        members[member.project_id].append(member)
    return members


def missing_items(projects, *, today: datetime.date | None = None) -> dict[int, list[str]]:
    """What each project still lacks, in words for the teacher (one query for all projects)."""
    today = today or timezone.localdate()
    members = _members_by_project([p.pk for p in projects])
    result = {}
    for project in projects:
        items = []
        for member in members.get(project.pk, []):
            participant = member.participant
            if participant.consent_status == Participant.Consent.PENDING:
                items.append(_("Einwilligung der Eltern von %(name)s") % {"name": participant.first_name})
            elif participant.consent_status == Participant.Consent.DECLINED:
                items.append(
                    _("Die Eltern von %(name)s haben die Einwilligung abgelehnt") % {"name": participant.first_name}
                )
        if not project.written_work:
            deadline = formats.date_format(project.edition.written_work_deadline, "d.m.Y")
            items.append(_("Schriftliche Arbeit (PDF) bis %(date)s") % {"date": deadline})
        if project.stand_confirmed_at is None:
            items.append(_("Angaben zum Stand (Strom, Tisch, Wasser)"))
        result[project.pk] = items
    return result


# --- teachers and pupils ----------------------------------------------------------------------------------------------


def owned_projects_q(user) -> Q:
    return Q(registered_by=user) | Q(teacher_email__iexact=user.email)


def teacher_projects(user) -> list[Project]:
    """The projects a teacher (or pupil) registered or supervises, newest round first, with their teams and
    what is missing (3 queries)."""
    projects = list(
        Project.objects.filter(owned_projects_q(user))
        .select_related("edition", "school")
        .order_by("-edition__year", "number")
    )
    missing = missing_items(projects)
    members = _members_by_project([p.pk for p in projects])
    for project in projects:
        project.missing = missing[project.pk]
        project.team = members.get(project.pk, [])
    return projects


def project_team(project: Project) -> list[TeamMember]:
    """The team with each member's latest consent request (2 queries)."""
    latest = ParentalConsent.objects.order_by("-requested_at", "-id")
    members = list(
        project.members.select_related("participant").prefetch_related(
            Prefetch("participant__consents", queryset=latest, to_attr="consent_list")
        )
    )
    for member in members:
        member.consent = member.participant.consent_list[0] if member.participant.consent_list else None
    return members


# --- staff lists ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    area: str = ""
    division: str = ""
    status: str = ""
    q: str = ""
    incomplete: bool = False


def staff_projects(edition: Edition, filters: ProjectFilters):
    """The round's projects with the counts the completeness overview needs (one query)."""
    queryset = (
        Project.objects.filter(edition=edition)
        .select_related("school", "jury__edition")
        .annotate(
            team_size=_count_of(TeamMember.objects.all(), "project"),
            consents_missing=_count_of(
                TeamMember.objects.filter(participant__consent_status__in=BLOCKING_CONSENTS), "project"
            ),
        )
        .order_by("number")
    )
    if filters.area in SubjectArea.values:
        queryset = queryset.filter(subject_area=filters.area)
    if filters.division in Division.values:
        queryset = queryset.filter(division=filters.division)
    if filters.status in Project.Status.values:
        queryset = queryset.filter(status=filters.status)
    if filters.q:
        queryset = queryset.filter(
            Q(title__icontains=filters.q) | Q(number__icontains=filters.q) | Q(school__name__icontains=filters.q)
        )
    if filters.incomplete:
        queryset = queryset.filter(ACTIVE).filter(
            Q(consents_missing__gt=0) | Q(written_work="") | Q(stand_confirmed_at__isnull=True)
        )
    return queryset


def completeness_summary(edition: Edition) -> dict[str, int]:
    """Counts for the staff overview (one query)."""
    return Project.objects.filter(edition=edition).aggregate(
        registered=Count("pk", filter=Q(status=Project.Status.REGISTERED)),
        pending=Count("pk", filter=Q(status=Project.Status.PENDING)),
        withdrawn=Count("pk", filter=Q(status=Project.Status.WITHDRAWN)),
        without_work=Count("pk", filter=ACTIVE & Q(written_work="")),
        without_stand=Count("pk", filter=ACTIVE & Q(stand_confirmed_at__isnull=True)),
        without_jury=Count("pk", filter=ACTIVE & Q(jury__isnull=True)),
    )


def export_rows(edition: Edition, filters: ProjectFilters):
    """Rows of the staff export: one per project, team members in one cell (two queries, streamed)."""
    projects = staff_projects(edition, filters).prefetch_related(
        Prefetch("members", queryset=TeamMember.objects.select_related("participant").order_by("position"))
    )
    for p in projects.iterator(chunk_size=500):
        yield [
            p.number, p.title, p.get_subject_area_display(), edition.division_label(p.division), p.get_status_display(),
            ", ".join(m.participant.full_name for m in p.members.all()), p.school.name, p.school.city,
            p.teacher_name, p.teacher_email, p.consents_missing, "ja" if p.written_work else "nein",
            p.written_work_pages or "", "ja" if p.needs_power else "nein", "ja" if p.needs_table else "nein",
            "ja" if p.needs_water else "nein", p.stand_note, p.stand_number or "", str(p.jury) if p.jury else "",
            p.get_place_display() if p.place else "", "ja" if p.forwarded else "nein",
        ]  # fmt: skip


EXPORT_HEADER = [
    "Nummer", "Titel", "Fachgebiet", "Sparte", "Status", "Team", "Schule", "Ort", "Lehrkraft", "E-Mail Lehrkraft",
    "fehlende Einwilligungen", "Arbeit hochgeladen", "Seiten", "Strom", "Tisch", "Wasser", "Standwünsche", "Stand",
    "Jury", "Platzierung", "weitergeleitet",
]  # fmt: skip


# --- juries -----------------------------------------------------------------------------------------------------------


def juries_with_counts(edition: Edition) -> list[Jury]:
    """The round's juries with member and project counts and their members (2 queries)."""
    return list(
        Jury.objects.filter(edition=edition)
        .select_related("edition")
        .annotate(**_jury_counts())
        .prefetch_related(Prefetch("members", queryset=JuryMember.objects.select_related("user", "school")))
        .order_by("subject_area", "-division")
    )


def jury_projects_with_conflicts(jury: Jury) -> list[Project]:
    """A jury's projects for staff, each with its declared conflicts (2 queries)."""
    return list(
        jury.projects.filter(ACTIVE)
        .select_related("school")
        .prefetch_related(Prefetch("conflicts", queryset=Conflict.objects.select_related("user")))
        .order_by("number")
    )


@dataclass
class JurorAssignment:
    membership: JuryMember
    projects: list[Project]

    @property
    def before_done(self) -> int:
        return sum(1 for p in self.projects if p.scored_before)

    @property
    def after_done(self) -> int:
        return sum(1 for p in self.projects if p.scored_after)


def juror_assignments(user, *, edition: Edition | None = None) -> list[JurorAssignment]:
    """A juror's juries (of the newest round they sit in, or of ``edition``) and the projects assigned to them:
    their jury's projects minus declared conflicts, each with whether they scored it yet (2 queries)."""
    memberships = (
        JuryMember.objects.filter(user=user)
        .select_related("jury__edition")
        .order_by("-jury__edition__year", "jury__subject_area")
    )
    if edition is not None:
        memberships = memberships.filter(jury__edition=edition)
    memberships = list(memberships)
    if not memberships:
        return []
    newest = edition or memberships[0].jury.edition
    memberships = [m for m in memberships if m.jury.edition_id == newest.pk]
    own = ScoreSheet.objects.filter(project=OuterRef("pk"), juror=user)
    projects = (
        Project.objects.filter(jury__in=[m.jury_id for m in memberships], status=Project.Status.REGISTERED)
        .exclude(Exists(Conflict.objects.filter(project=OuterRef("pk"), user=user)))
        .select_related("school")
        .annotate(
            scored_before=Exists(own.filter(phase=ScoreSheet.Phase.BEFORE)),
            scored_after=Exists(own.filter(phase=ScoreSheet.Phase.AFTER)),
        )
        .order_by("number")
    )
    by_jury = defaultdict(list)
    for project in projects:
        by_jury[project.jury_id].append(project)
    return [JurorAssignment(membership=m, projects=by_jury.get(m.jury_id, [])) for m in memberships]


def juror_sheets(project: Project, juror) -> dict[str, dict]:
    """A juror's own sheets of one project, by phase: {"total", "comment", "points": {criterion: points}} (2 queries)."""
    sheets = {}
    for sheet in ScoreSheet.objects.filter(project=project, juror=juror).prefetch_related("points"):
        sheets[sheet.phase] = {
            "total": sheet.total,
            "comment": sheet.comment,
            "points": {point.criterion_id: point.points for point in sheet.points.all()},
        }
    return sheets


@dataclass
class RankingRow:
    project: Project
    raw_mean: float | None
    z_mean: float | None
    before_mean: float | None
    jurors: int
    rank: rules.Rank
    raw_rank: rules.Rank
    departs: bool = False


@dataclass
class JurorColumn:
    user_id: int
    name: str
    mean: float | None
    sd: float | None
    count: int


@dataclass
class JuryRanking:
    jury: Jury
    rows: list[RankingRow]
    jurors: list[JurorColumn] = field(default_factory=list)

    @property
    def raw_and_normalised_differ(self) -> bool:
        return any(row.rank.position != row.raw_rank.position for row in self.rows)


def jury_ranking(jury: Jury) -> JuryRanking:
    """The jury's projects ranked by normalised score (mean z-score per juror, after the interview), with
    raw averages, the rank the raw averages would give, ties, and whether the recorded places depart from
    the ranking (3 queries, whatever the number of projects and jurors)."""
    projects = list(jury.projects.filter(status=Project.Status.REGISTERED).select_related("school").order_by("number"))
    after, before = [], defaultdict(list)
    for project_id, juror_id, phase, total in ScoreSheet.objects.filter(jury=jury).values_list(
        "project_id", "juror_id", "phase", "total"
    ):
        if phase == ScoreSheet.Phase.AFTER:
            after.append((project_id, juror_id, total))
        else:
            before[project_id].append(float(total))
    ids = [p.pk for p in projects]
    active = set(ids)
    after = [score for score in after if score[0] in active]
    normalised = rules.normalise(after, ids)
    ranks = rules.ranking({pk: n.z_mean for pk, n in normalised.items()})
    raw_ranks = rules.ranking({pk: n.raw_mean for pk, n in normalised.items()})
    departing = rules.departures(ranks, {p.pk: p.place for p in projects})
    rows = [
        RankingRow(
            project=p,
            raw_mean=normalised[p.pk].raw_mean,
            z_mean=normalised[p.pk].z_mean,
            before_mean=sum(before[p.pk]) / len(before[p.pk]) if before[p.pk] else None,
            jurors=normalised[p.pk].jurors,
            rank=ranks[p.pk],
            raw_rank=raw_ranks[p.pk],
            departs=p.pk in departing,
        )  # fmt: skip
        for p in projects
    ]
    rows.sort(key=lambda r: (r.rank.position is None, r.rank.position or 0, r.project.number))
    stats = rules.juror_stats(after)
    members = JuryMember.objects.filter(jury=jury).select_related("user")
    jurors = [
        JurorColumn(
            user_id=m.user_id,
            name=str(m.user),
            mean=stats[m.user_id][0] if m.user_id in stats else None,
            sd=stats[m.user_id][1] if m.user_id in stats else None,
            count=stats[m.user_id][2] if m.user_id in stats else 0,
        )  # fmt: skip
        for m in members
    ]
    return JuryRanking(jury=jury, rows=rows, jurors=jurors)


def project_sheets_for_staff(project: Project) -> list[ScoreSheet]:
    """Every sheet of one project with its juror and points (2 queries)."""
    return list(
        ScoreSheet.objects.filter(project=project)
        .select_related("juror")
        .prefetch_related(Prefetch("points", queryset=ScorePoint.objects.select_related("criterion")))
        .order_by("phase", "juror__full_name")
    )


# --- results --------------------------------------------------------------------------------------------------------


def results_overview(edition: Edition) -> dict:
    """Juries with their decision state, the placed projects and the special prizes (3 queries)."""
    juries = list(
        Jury.objects.filter(edition=edition)
        .select_related("edition")
        .annotate(**_jury_counts())
        .order_by("subject_area", "-division")
    )
    placed = list(
        Project.objects.filter(edition=edition, status=Project.Status.REGISTERED, place__isnull=False)
        .select_related("school")
        .order_by("subject_area", "-division", "place", "number")
    )
    prizes = list(SpecialPrize.objects.filter(edition=edition).select_related("project"))
    return {"juries": juries, "placed": placed, "prizes": prizes}


def public_results(edition: Edition) -> dict:
    """What the public sees once published: places and prizes by title and school, no names (2 queries)."""
    placed = list(
        Project.objects.filter(edition=edition, status=Project.Status.REGISTERED, place__isnull=False)
        .select_related("school")
        .only("number", "title", "subject_area", "division", "place", "forwarded", "school__name", "school__city")
        .order_by("subject_area", "-division", "place", "number")
    )
    groups: dict[tuple[str, str], list[Project]] = {}
    for project in placed:
        groups.setdefault((project.get_subject_area_display(), edition.division_label(project.division)), []).append(
            project
        )
    prizes = list(SpecialPrize.objects.filter(edition=edition, project__isnull=False).select_related("project__school"))
    return {"groups": groups, "prizes": prizes, "forwarded": [p for p in placed if p.forwarded]}


# --- the contest day ------------------------------------------------------------------------------------------------


def contest_day(edition: Edition) -> dict:
    """Stands with their needs, interviews per jury, check-in (2 queries)."""
    projects = list(
        Project.objects.filter(edition=edition, status=Project.Status.REGISTERED)
        .select_related("school", "jury", "interview")
        .annotate(team_size=Count("members"))
        .order_by("stand_number", "number")
    )
    interviews = list(
        Interview.objects.filter(jury__edition=edition)
        .select_related("project", "jury__edition")
        .order_by("jury__subject_area", "-jury__division", "starts_at")
    )
    by_jury: dict[Jury, list[Interview]] = {}
    for interview in interviews:
        by_jury.setdefault(interview.jury, []).append(interview)
    needs = {
        "power": sum(p.needs_power for p in projects),
        "table": sum(p.needs_table for p in projects),
        "water": sum(p.needs_water for p in projects),
        "arrived": sum(1 for p in projects if p.checked_in_at),
    }
    return {"projects": projects, "schedule": by_jury, "needs": needs}


# --- documents --------------------------------------------------------------------------------------------------------


def certificate_members(edition: Edition, *, project: Project | None = None, member_id: int | None = None):
    """Team members of registered projects with participant, project, school and prizes (2 queries)."""
    members = (
        TeamMember.objects.filter(project__edition=edition, project__status=Project.Status.REGISTERED)
        .select_related("participant", "project__school", "project__edition")
        .prefetch_related(Prefetch("project__prizes", queryset=SpecialPrize.objects.order_by("name")))
        .order_by("project__number", "position")
    )
    if project is not None:
        members = members.filter(project=project)
    if member_id is not None:
        members = members.filter(pk=member_id)
    return list(members)


def booklet_projects(edition: Edition) -> list[Project]:
    """Every registered project with its team, by subject area and division (2 queries)."""
    return list(
        Project.objects.filter(edition=edition, status=Project.Status.REGISTERED)
        .select_related("school")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.select_related("participant").order_by("position"))
        )
        .order_by("subject_area", "-division", "number")
    )


def jury_sheet_projects(jury: Jury) -> list[Project]:
    return list(
        jury.projects.filter(status=Project.Status.REGISTERED).select_related("school", "interview").order_by("number")
    )


def badge_people(edition: Edition) -> list[tuple[str, str, str]]:
    """(name, role, detail) for every participant and juror of the round (3 queries)."""
    people = [
        (m.participant.full_name, _("Teilnehmer/-in"), f"{m.project.number} · " + _("Stand %(n)s") % {"n": m.project.stand_number or "–"})
        for m in certificate_members(edition)
    ]  # fmt: skip
    jurors = JuryMember.objects.filter(jury__edition=edition).select_related("user", "jury__edition")
    people += [(str(m.user), _("Jury"), str(m.jury)) for m in jurors.order_by("jury__subject_area", "user__full_name")]
    return people


# --- figures ----------------------------------------------------------------------------------------------------------


def edition_for_year(year: int) -> Edition | None:
    return Edition.objects.filter(year=year).first()


def _taking_part(year: int):
    """Registered projects of the round held in ``year`` (withdrawn and still pending ones do not count)."""
    return Project.objects.filter(edition__year=year, status=Project.Status.REGISTERED)


def edition_number(year: int) -> int | None:
    """The number of the round held in ``year`` (the 34th in 2020), or None."""
    return Edition.objects.filter(year=year).values_list("number", flat=True).first()


def projects_count(year: int, **filters) -> int:
    return _taking_part(year).filter(**filters).count()


def participants_count(year: int, **filters) -> int:
    return Participant.objects.filter(memberships__project__in=_taking_part(year).filter(**filters)).distinct().count()


def girls_count(year: int) -> int:
    return (
        Participant.objects.filter(memberships__project__in=_taking_part(year), gender=Gender.FEMALE).distinct().count()
    )


def schools_count(year: int) -> int:
    return _taking_part(year).values("school").distinct().count()


def districts_count(year: int) -> int:
    return _taking_part(year).exclude(school__district=None).values("school__district").distinct().count()


def prizes_count(year: int, place: int | None = None) -> int:
    placed = _taking_part(year).filter(place__isnull=False)
    return placed.filter(place=place).count() if place else placed.count()


def special_prizes_count(year: int) -> int:
    return SpecialPrize.objects.filter(edition__year=year, project__isnull=False).count()


def edition_figures(edition: Edition) -> dict:
    """The breakdowns of the staff figures page: by subject area × division, by school, by district (4 queries)."""
    base = Project.objects.filter(edition=edition, status=Project.Status.REGISTERED)
    cells = defaultdict(lambda: {"projects": 0, "participants": 0})
    for area, division, projects, participants in (
        base.values("subject_area", "division")
        .annotate(n=Count("pk", distinct=True), people=Count("members", distinct=True))
        .values_list("subject_area", "division", "n", "people")
    ):
        cells[(area, division)] = {"projects": projects, "participants": participants}
    areas = [
        {
            "label": label,
            "junior": cells[(value, Division.JUNIOR)],
            "senior": cells[(value, Division.SENIOR)],
            "projects": cells[(value, Division.JUNIOR)]["projects"] + cells[(value, Division.SENIOR)]["projects"],
        }  # fmt: skip
        for value, label in SubjectArea.choices
    ]
    schools = list(
        base.values("school__name", "school__city", "school__district__name")
        .annotate(projects=Count("pk", distinct=True), participants=Count("members", distinct=True))
        .order_by("-projects", "school__name")
    )
    districts = list(
        base.values("school__district__name")
        .annotate(projects=Count("pk", distinct=True), participants=Count("members", distinct=True))
        .order_by("school__district__name")
    )
    genders = dict(
        Participant.objects.filter(memberships__project__in=base)
        .values("gender")
        .annotate(n=Count("pk", distinct=True))
        .values_list("gender", "n")
    )
    total = sum(genders.values())
    return {
        "areas": areas, "schools": schools, "districts": districts, "genders": genders, "participants": total,
        "girls_share": round(100 * genders.get(Gender.FEMALE, 0) / total, 1) if total else None,
    }  # fmt: skip

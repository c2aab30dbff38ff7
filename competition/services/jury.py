"""Juries: set them up, add jurors, respect conflicts of interest, score on the rubric, decide the places."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.services import user_invite, user_set_roles
from competition import rules
from competition.models import Conflict, Edition, Jury, JuryMember, Project, School, ScorePoint, ScoreSheet
from competition.services.base import CompetitionRefused, ScoringRefused, lock_edition, refuse_if_published
from core.errors import NotAllowed, StateConflict
from core.roles import Role

MIN_JURORS = 2
OWN_SCHOOL = "eigene Schule"


def _sync_school_conflicts(jury: Jury) -> int:
    """A juror's own school is a conflict of interest for every project of that school in the jury;
    scores they gave such a project before are removed."""
    schools: dict[int, list[int]] = {}
    for user_id, school_id in jury.members.exclude(school=None).values_list("user_id", "school_id"):
        schools.setdefault(school_id, []).append(user_id)
    if not schools:
        return 0
    pairs = [
        (project_id, user_id)
        for project_id, school_id in Project.objects.filter(jury=jury, school_id__in=schools).values_list(
            "pk", "school_id"
        )
        for user_id in schools[school_id]
    ]
    if not pairs:
        return 0
    Conflict.objects.bulk_create(
        [Conflict(project_id=p, user_id=u, reason=OWN_SCHOOL) for p, u in pairs], ignore_conflicts=True
    )
    stale = Q()
    for project_id, user_id in pairs:
        stale |= Q(project_id=project_id, juror_id=user_id)
    ScoreSheet.objects.filter(stale).delete()
    return len(pairs)


def juries_create(*, edition) -> tuple[int, int]:
    """One jury for each subject area and division that has projects; projects without a jury go to theirs.
    Returns (juries created, projects assigned)."""
    refuse_if_published(edition)
    with transaction.atomic():
        edition = lock_edition(edition)
        groups = (
            Project.objects.filter(edition=edition)
            .exclude(status=Project.Status.WITHDRAWN)
            .values_list("subject_area", "division")
            .distinct()
        )
        created = 0
        assigned = 0
        for area, division in sorted(set(groups)):
            jury, was_created = Jury.objects.get_or_create(edition=edition, subject_area=area, division=division)
            created += was_created
            assigned += (
                Project.objects.filter(edition=edition, subject_area=area, division=division, jury__isnull=True)
                .exclude(status=Project.Status.WITHDRAWN)
                .update(jury=jury)
            )
            _sync_school_conflicts(jury)
    return created, assigned


def project_assign_jury(*, project: Project, jury: Jury | None) -> Project:
    """Staff move a project to another jury (an interdisciplinary project, say); its scores stay with the old one."""
    refuse_if_published(project.edition)
    if jury is not None and jury.edition_id != project.edition_id:
        raise CompetitionRefused(_("Diese Jury gehört zu einer anderen Runde."), field="jury")
    with transaction.atomic():
        Project.objects.filter(pk=project.pk).update(jury=jury)
        project.jury = jury
        if jury is not None:
            _sync_school_conflicts(jury)
    return project


def juror_add(
    *,
    jury: Jury,
    email: str,
    full_name: str,
    invited_by,
    affiliation: str = "",
    school: School | None = None,
    is_chair: bool = False,
) -> JuryMember:
    """Add a juror; a new person gets an account with the juror role and an invitation to set a password."""
    refuse_if_published(jury.edition)
    email = (email or "").strip().lower()
    full_name = " ".join((full_name or "").split())
    if not email or "@" not in email:
        raise CompetitionRefused(_("Bitte geben Sie eine gültige E-Mail-Adresse an."), field="email")
    if not full_name:
        raise CompetitionRefused(_("Bitte geben Sie den Namen an."), field="full_name")
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = user_invite(email=email, full_name=full_name, roles=[Role.JUROR], invited_by=invited_by)
        elif not user.has_role(Role.JUROR):
            existing = set(user.role_assignments.values_list("role", flat=True))
            user_set_roles(user=user, roles=sorted(existing | {Role.JUROR}))
        if JuryMember.objects.filter(jury=jury, user=user).exists():
            raise CompetitionRefused(_("%(name)s gehört schon zu dieser Jury.") % {"name": user}, field="email")
        if is_chair:
            JuryMember.objects.filter(jury=jury).update(is_chair=False)
        member = JuryMember.objects.create(
            jury=jury, user=user, is_chair=is_chair, affiliation=(affiliation or "").strip()[:200], school=school
        )
        _sync_school_conflicts(jury)
    return member


def juror_remove(*, member: JuryMember) -> None:
    refuse_if_published(member.jury.edition)
    with transaction.atomic():
        ScoreSheet.objects.filter(jury=member.jury, juror=member.user).delete()
        member.delete()


def conflict_declare(*, project: Project, user, reason: str) -> Conflict:
    """The juror will neither see nor score the project; scores already given by them are removed."""
    refuse_if_published(project.edition)
    reason = " ".join((reason or "").split())
    if not reason:
        raise CompetitionRefused(_("Bitte nennen Sie kurz den Grund (z. B. „Nachbarskind“)."), field="reason")
    with transaction.atomic():
        try:
            with transaction.atomic():
                conflict = Conflict.objects.create(project=project, user=user, reason=reason[:200])
        except IntegrityError:
            raise CompetitionRefused(_("Diese Befangenheit ist schon erklärt.")) from None
        ScoreSheet.objects.filter(project=project, juror=user).delete()
    return conflict


def _assigned(juror, project: Project) -> bool:
    return (
        project.jury_id is not None
        and JuryMember.objects.filter(jury_id=project.jury_id, user=juror).exists()
        and not Conflict.objects.filter(project=project, user=juror).exists()
    )


def score_save(
    *,
    juror,
    project: Project,
    phase: str,
    points: dict[int, int | None],
    comment: str = "",
    today: datetime.date | None = None,
) -> ScoreSheet:
    """A juror's rubric for one project, before or after the interview. Refused for a project not assigned
    to them, after the results are published, or with points outside a criterion's range."""
    today = today or timezone.localdate()
    edition = project.edition
    if Edition.objects.filter(pk=edition.pk, results_published_at__isnull=False).exists():
        raise StateConflict(_("Die Ergebnisse sind veröffentlicht; Bewertungen lassen sich nicht mehr ändern."))
    if not _assigned(juror, project):
        raise NotAllowed(_("Dieses Projekt ist Ihnen nicht zur Bewertung zugeordnet."))
    if project.status != Project.Status.REGISTERED:
        raise ScoringRefused(_("Das Projekt ist nicht (mehr) vollständig angemeldet und wird nicht bewertet."))
    if phase not in ScoreSheet.Phase.values:
        raise ScoringRefused(_("Bitte wählen Sie, ob Sie vor oder nach dem Jurygespräch bewerten."), field="phase")
    if phase == ScoreSheet.Phase.AFTER and today < edition.contest_date:
        raise ScoringRefused(
            _("Die Bewertung nach dem Jurygespräch ist erst ab dem Wettbewerbstag möglich."), field="phase"
        )
    criteria = list(edition.criteria.all())
    for criterion in criteria:
        value = points.get(criterion.id)
        if value is None or not 0 <= value <= criterion.max_points:
            raise ScoringRefused(
                _("„%(name)s“: bitte eine ganze Zahl von 0 bis %(max)s.")
                % {"name": criterion.name, "max": criterion.max_points},
                field=f"k{criterion.id}",
            )
    comment = (comment or "").strip()
    if len(comment) > 2000:
        raise ScoringRefused(_("Die Notiz ist zu lang (höchstens 2.000 Zeichen)."), field="comment")
    total = rules.weighted_total({c.id: points[c.id] for c in criteria}, criteria)
    with transaction.atomic():
        sheet = (
            ScoreSheet.objects.select_for_update().filter(project=project, juror=juror, phase=phase).first()
        ) or ScoreSheet(project=project, juror=juror, phase=phase)
        sheet.jury_id, sheet.total, sheet.comment = project.jury_id, total, comment
        sheet.save()
        ScorePoint.objects.filter(sheet=sheet).delete()
        ScorePoint.objects.bulk_create(ScorePoint(sheet=sheet, criterion=c, points=points[c.id]) for c in criteria)
    return sheet


def jury_decide(*, jury: Jury, decided_by, placements: dict[int, tuple[int | None, str]]) -> int:
    """Record the jury's final places (1–3, any number of each). A placing that breaks the order of the
    normalised ranking needs a reason. Returns the number of projects placed."""
    from competition.selectors import jury_ranking

    edition = jury.edition
    refuse_if_published(edition)
    if jury.members.count() < MIN_JURORS:
        raise CompetitionRefused(_("Eine Jury braucht mindestens zwei Mitglieder, bevor sie entscheidet."))
    ranking = jury_ranking(jury)
    rows = {row.project.pk: row for row in ranking.rows}
    unknown = set(placements) - set(rows)
    if unknown:
        raise NotAllowed(_("Es sind Projekte dabei, die nicht zu dieser Jury gehören."))
    places = {}
    for pk, (place, _reason) in placements.items():
        if place not in (None, 1, 2, 3):
            raise CompetitionRefused(_("Platzierungen sind 1., 2. oder 3. Preis."), field=f"place_{pk}")
        places[pk] = place
    ranks = {pk: row.rank for pk, row in rows.items()}
    for pk in rules.departures(ranks, places):
        reason = (placements.get(pk, (None, ""))[1] or "").strip()
        if not reason:
            raise CompetitionRefused(
                _("Die Entscheidung zu %(number)s weicht von der Rangfolge ab: bitte begründen Sie sie.")
                % {"number": rows[pk].project.number},
                field=f"reason_{pk}",
                code="reason_missing",
            )
    with transaction.atomic():
        lock_edition(edition)
        projects = list(Project.objects.filter(pk__in=rows))
        for project in projects:
            place, reason = placements.get(project.pk, (None, ""))
            project.place = place
            project.decision_reason = (reason or "").strip()[:2000]
            if place != 1:
                project.forwarded = False
        Project.objects.bulk_update(projects, ["place", "decision_reason", "forwarded"])
        Jury.objects.filter(pk=jury.pk).update(decided_at=timezone.now(), decided_by=decided_by)
    return sum(1 for place in places.values() if place)

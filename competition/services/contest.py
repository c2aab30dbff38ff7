"""The contest day: stands, the interview schedule, check-in; and the patent advice offered before it."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from advisory import selectors as advisory_selectors
from competition import rules
from competition.models import Conflict, Edition, Interview, Jury, PatentOffer, Project
from competition.services.base import CompetitionRefused, link, lock_edition
from core.mail import mail_queue


def stands_assign(*, edition: Edition) -> int:
    """Number the stands: by subject area, division and project number, so a jury walks one row."""
    with transaction.atomic():
        edition = lock_edition(edition)
        projects = list(
            Project.objects.filter(edition=edition, status=Project.Status.REGISTERED).order_by(
                "subject_area", "-division", "number"
            )
        )
        Project.objects.filter(edition=edition).update(stand_number=None)
        for number, project in enumerate(projects, start=1):
            project.stand_number = number
        Project.objects.bulk_update(projects, ["stand_number"])
    return len(projects)


def interviews_plan(*, edition: Edition) -> int:
    """(Re)plan every jury's interviews on the contest day: no juror and no project in two places at once."""
    with transaction.atomic():
        edition = lock_edition(edition)
        juries = list(
            Jury.objects.filter(edition=edition).prefetch_related("members").order_by("subject_area", "-division")
        )
        projects: dict[int, list[int]] = {jury.pk: [] for jury in juries}
        for pk, jury_id in (
            Project.objects.filter(edition=edition, status=Project.Status.REGISTERED, jury__isnull=False)
            .order_by("stand_number", "number")
            .values_list("pk", "jury_id")
        ):
            projects[jury_id].append(pk)
        conflicts = frozenset(Conflict.objects.filter(project__edition=edition).values_list("project_id", "user_id"))
        plans = [
            rules.JuryPlan(
                jury_id=jury.pk,
                members=tuple(m.user_id for m in jury.members.all()),
                projects=tuple(projects[jury.pk]),
                conflicts=conflicts,
            )  # fmt: skip
            for jury in juries
            if projects[jury.pk]
        ]
        start = timezone.make_aware(datetime.datetime.combine(edition.contest_date, edition.interviews_start))
        slots = rules.schedule_interviews(
            plans, start=start, minutes=edition.interview_minutes, gap=edition.interview_gap_minutes
        )
        Interview.objects.filter(jury__edition=edition).delete()
        Interview.objects.bulk_create(
            Interview(jury_id=s.jury_id, project_id=s.project_id, starts_at=s.starts_at, ends_at=s.ends_at)
            for s in slots
        )
    return len(slots)


def checkin_set(*, project: Project, arrived: bool) -> Project:
    Project.objects.filter(pk=project.pk).update(checked_in_at=timezone.now() if arrived else None)
    project.refresh_from_db(fields=["checked_in_at"])
    return project


def patent_days_offer(*, edition: Edition, day_id: int) -> int:
    """Offer a patent attorney's consultation day (advisory) to every registered team: one mail per teacher
    address with the booking link. Returns the mails queued."""
    day = advisory_selectors.pupil_patent_day(day_id)
    if day is None:
        raise CompetitionRefused(_("Diesen Sprechtag zur Patentberatung gibt es nicht (mehr) oder er ist vorbei."))
    with transaction.atomic():
        edition = lock_edition(edition)
        if PatentOffer.objects.filter(edition=edition, day_id=day.pk).exists():
            raise CompetitionRefused(_("Dieser Sprechtag ist den Teams schon angeboten worden."))
        by_teacher: dict[str, list[Project]] = {}
        for project in (
            Project.objects.filter(edition=edition).exclude(status=Project.Status.WITHDRAWN).order_by("number")
        ):
            by_teacher.setdefault(project.teacher_email, []).append(project)
        if not by_teacher:
            raise CompetitionRefused(_("Es sind noch keine Teams angemeldet."))
        booking_url = link(reverse("advisory:day_public", args=[day.pk]))
        for email, projects in by_teacher.items():
            mail_queue(
                to=email,
                template="competition_patent_offer",
                context={"edition": edition, "day": day, "projects": projects, "booking_url": booking_url},
                reference=f"competition.patent:{edition.pk}:{day.pk}",
            )
        PatentOffer.objects.create(edition=edition, day_id=day.pk, recipients=len(by_teacher))
    return len(by_teacher)

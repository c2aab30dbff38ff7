"""Special prizes, forwarding to the state round, publishing the results."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from competition.models import Edition, Jury, Project, SpecialPrize
from competition.services.base import CompetitionRefused, link, lock_edition, refuse_if_published
from core.errors import StateConflict
from core.mail import mail_queue


def special_prize_save(
    *,
    edition: Edition,
    prize: SpecialPrize | None = None,
    name: str,
    sponsor: str = "",
    topic: str = "",
    project: Project | None = None,
    reason: str = "",
) -> SpecialPrize:
    refuse_if_published(edition)
    name = " ".join((name or "").split())
    if not name:
        raise CompetitionRefused(_("Bitte geben Sie den Namen des Preises an."), field="name")
    if project is not None and (project.edition_id != edition.pk or project.status != Project.Status.REGISTERED):
        raise CompetitionRefused(
            _("Nur angemeldete Projekte dieser Runde können einen Preis erhalten."), field="project"
        )
    prize = prize or SpecialPrize(edition=edition)
    prize.name, prize.sponsor, prize.topic = name[:150], (sponsor or "").strip()[:150], (topic or "").strip()[:150]
    prize.project, prize.reason = project, (reason or "").strip()[:400]
    prize.save()
    return prize


def forwarding_set(*, edition: Edition, project_ids: set[int]) -> int:
    """The projects forwarded to the state round: only first places of this round."""
    refuse_if_published(edition)
    with transaction.atomic():
        edition = lock_edition(edition)
        chosen = Project.objects.filter(edition=edition, pk__in=project_ids)
        not_first = [p.number for p in chosen if p.place != Project.Place.FIRST]
        if not_first or chosen.count() != len(project_ids):
            raise CompetitionRefused(
                _("Weitergeleitet werden nur Projekte mit einem 1. Preis (nicht: %(numbers)s).")
                % {"numbers": ", ".join(not_first) or "?"}
            )
        Project.objects.filter(edition=edition).update(forwarded=False)
        return Project.objects.filter(edition=edition, pk__in=project_ids).update(forwarded=True)


def results_publish(*, edition: Edition) -> Edition:
    """Publish the results: every jury must have decided. Teachers are told by mail; from now on nothing
    about scores or places changes."""
    with transaction.atomic():
        edition = lock_edition(edition)
        if edition.results_published_at is not None:
            raise StateConflict(_("Die Ergebnisse sind schon veröffentlicht."))
        active = Project.objects.filter(edition=edition, status=Project.Status.REGISTERED)
        if not active.exists():
            raise CompetitionRefused(_("Diese Runde hat keine angemeldeten Projekte."))
        if active.filter(jury__isnull=True).exists():
            raise CompetitionRefused(_("Es gibt noch Projekte ohne Jury."))
        open_juries = (
            Jury.objects.filter(edition=edition)
            .annotate(active=Count("projects", filter=Q(projects__status=Project.Status.REGISTERED)))
            .filter(active__gt=0, decided_at__isnull=True)
        )
        names = [str(jury) for jury in open_juries.select_related("edition")]
        if names:
            raise CompetitionRefused(
                _("Diese Jurys haben noch nicht entschieden: %(juries)s.") % {"juries": "; ".join(names)}
            )
        edition.results_published_at = timezone.now()
        edition.save(update_fields=["results_published_at"])
        by_teacher: dict[str, list[Project]] = {}
        for project in active.order_by("number"):
            by_teacher.setdefault(project.teacher_email, []).append(project)
        for email, projects in by_teacher.items():
            mail_queue(
                to=email,
                template="competition_results",
                context={
                    "edition": edition,
                    "projects": projects,
                    "links": [link(p.get_absolute_url()) for p in projects],
                },
                reference=f"competition.results:{edition.pk}",
            )
    return edition

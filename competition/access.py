"""One access helper per guarded object: not visible → 404, not changeable → 403 (ARCHITECTURE.md)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import get_object_or_404

from competition.models import Conflict, Edition, Jury, JuryMember, ParentalConsent, Project
from competition.selectors import owned_projects_q
from core.roles import Role


def edition_for_staff(pk: int) -> Edition:
    return get_object_or_404(Edition, pk=pk)


def project_for_staff(pk: int) -> Project:
    return get_object_or_404(Project.objects.select_related("edition", "school", "jury", "registered_by"), pk=pk)


def project_for_owner(user, pk: int) -> Project:
    """The teacher (or pupil) who registered the project, or its supervising teacher; 404 for anyone else."""
    return get_object_or_404(
        Project.objects.filter(owned_projects_q(user)).select_related("edition", "school", "jury"), pk=pk
    )


def project_for_juror(user, pk: int) -> Project:
    """A project of a jury the user sits on, unless they declared a conflict of interest; 404 otherwise.
    Other juries' projects (and their minors' names) stay invisible."""
    member = JuryMember.objects.filter(jury=OuterRef("jury"), user=user)
    conflict = Conflict.objects.filter(project=OuterRef("pk"), user=user)
    queryset = (
        Project.objects.filter(status=Project.Status.REGISTERED)
        .filter(Exists(member))
        .exclude(Exists(conflict))
        .select_related("edition", "school", "jury")
    )
    return get_object_or_404(queryset, pk=pk)


def project_for_reader(user, pk: int) -> Project:
    """Who may read the written work: staff, the project's owners, its jury (no conflict)."""
    if user.has_role(Role.STAFF):
        return project_for_staff(pk)
    owned = Project.objects.filter(owned_projects_q(user), pk=pk).select_related("edition").first()
    if owned is not None:
        return owned
    if user.has_role(Role.JUROR):
        return project_for_juror(user, pk)
    raise Http404


def jury_for_user(user, pk: int) -> Jury:
    """Staff see every jury; a juror only their own (404 for another jury: its scores stay hidden)."""
    queryset = Jury.objects.select_related("edition")
    if user.has_role(Role.STAFF):
        return get_object_or_404(queryset, pk=pk)
    return get_object_or_404(queryset.filter(members__user=user), pk=pk)


def jury_for_decision(user, jury: Jury) -> Jury:
    """Only staff and the jury's chair record the decision."""
    if user.has_role(Role.STAFF) or JuryMember.objects.filter(jury=jury, user=user, is_chair=True).exists():
        return jury
    raise PermissionDenied


def consent_by_token(token: str) -> ParentalConsent:
    return get_object_or_404(
        ParentalConsent.objects.select_related("participant__edition", "participant__school"), token=token
    )

"""Start-page blocks: the juror's assignments, the teacher's projects, the staff's round at a glance."""

from competition import selectors
from core.roles import Role
from core.startpage import register_start_block


@register_start_block("competition.juror", template="competition/_start_juror.html", order=30)
def juror(user):
    if not user.has_role(Role.JUROR):
        return None
    assignments = selectors.juror_assignments(user)
    return {"assignments": assignments, "edition": assignments[0].membership.jury.edition if assignments else None}


@register_start_block("competition.teacher", template="competition/_start_teacher.html", order=31)
def teacher(user):
    projects = [p for p in selectors.teacher_projects(user) if not p.edition.retention_done_at]
    if not projects:
        return None
    return {"projects": projects[:10]}


@register_start_block("competition.staff", template="competition/_start_staff.html", order=32)
def staff(user):
    if not user.has_role(Role.STAFF):
        return None
    edition = selectors.current_edition()
    if edition is None:
        return None
    return {"edition": edition, "summary": selectors.completeness_summary(edition)}

"""The competition's part of a person's data export and erasure (GDPR Art. 15 and 17).

A person is found by e-mail as a participant (their own address), a parent (the consent), a teacher
(supervising or registering a project) or a juror (their account). Erasure anonymises participants
(the figures keep gender, school and division), the parent's address on a consent (wording and time stay
as proof), the teacher on projects; a juror leaves the juries of rounds not yet published (with their
scores there); in published rounds the scores stay, tied to the account that accounts anonymises.
"""

from django.db.models import Q

from competition.models import Conflict, JuryMember, ParentalConsent, Participant, Project, ScoreSheet
from competition.services import participant_anonymise
from core.privacy import ANONYMISED, DataSubject, register_privacy


def _participants(email: str):
    return Participant.objects.filter(email__iexact=email, anonymised_at__isnull=True)


def _consents(email: str):
    return ParentalConsent.objects.filter(parent_email__iexact=email)


def _taught(email: str):
    return Project.objects.filter(Q(teacher_email__iexact=email) | Q(registered_by__email__iexact=email))


def export(subject: DataSubject) -> dict:
    email = subject.normalised_email
    if not email:
        return {}
    participants = _participants(email).select_related("edition", "school").prefetch_related("memberships__project")
    return {
        "participants": [
            {
                "round": str(p.edition),
                "first_name": p.first_name,
                "last_name": p.last_name,
                "birth_date": p.birth_date,
                "gender": p.get_gender_display(),
                "email": p.email,
                "school": str(p.school),
                "parent_email": p.parent_email,
                "consent": p.get_consent_status_display(),
                "keep_data": p.keep_data,
                "projects": [m.project.title for m in p.memberships.all()],
            }  # fmt: skip
            for p in participants
        ],
        "parental_consents": [
            {
                "child": c.participant.full_name,
                "round": str(c.participant.edition),
                "parent_name": c.parent_name,
                "status": c.get_status_display(),
                "wording": c.wording,
                "version": c.version,
                "requested_at": c.requested_at,
                "answered_at": c.answered_at,
                "answered_from": c.answered_from,
            }  # fmt: skip
            for c in _consents(email).select_related("participant__edition")
        ],
        "projects_supervised": [
            {
                "round": str(p.edition),
                "number": p.number,
                "title": p.title,
                "teacher_name": p.teacher_name,
                "teacher_email": p.teacher_email,
            }  # fmt: skip
            for p in _taught(email).select_related("edition")
        ],
        "jury_memberships": [
            {"jury": str(m.jury), "chair": m.is_chair, "affiliation": m.affiliation}
            for m in JuryMember.objects.filter(user__email__iexact=email).select_related("jury__edition")
        ],
        "scores_given": [
            {"project": s.project.number, "phase": s.get_phase_display(), "total": s.total, "comment": s.comment}
            for s in ScoreSheet.objects.filter(juror__email__iexact=email).select_related("project")
        ],
        "conflicts_declared": [
            {"project": c.project.number, "reason": c.reason}
            for c in Conflict.objects.filter(user__email__iexact=email).select_related("project")
        ],
    }


def erase(subject: DataSubject) -> int:
    email = subject.normalised_email
    if not email:
        return 0
    count = 0
    for participant in _participants(email):
        participant_anonymise(participant)
        count += 1
    for consent in _consents(email):
        ParentalConsent.objects.filter(pk=consent.pk).update(
            parent_email=f"anonymisiert-{consent.pk}@invalid.example", parent_name="", answered_from=None
        )
        Participant.objects.filter(pk=consent.participant_id, parent_email__iexact=email).update(parent_email="")
        count += 1
    for project in _taught(email).filter(teacher_email__iexact=email):
        Project.objects.filter(pk=project.pk).update(
            teacher_name=ANONYMISED, teacher_email=f"anonymisiert-{project.pk}@invalid.example"
        )
        count += 1
    open_memberships = JuryMember.objects.filter(user__email__iexact=email, jury__edition__results_published_at=None)
    for member in open_memberships.select_related("jury"):
        count += ScoreSheet.objects.filter(jury=member.jury, juror_id=member.user_id).delete()[0]
    count += open_memberships.delete()[0]
    count += ScoreSheet.objects.filter(juror__email__iexact=email).exclude(comment="").update(comment="")
    return count


register_privacy("competition", export=export, erase=erase)

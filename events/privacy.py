"""Events' part of a person's data export and erasure: registrations and invitations by e-mail.

Erasure anonymises the registration (the annual figures count it) and deletes
answers, interests, Meet-the-Boss meetings and invitations.
"""

from django.db.models import Q
from django.utils import timezone

from core.privacy import ANONYMISED, DataSubject, register_privacy
from events.models import Answer, EventInvitation, Meeting, Registration


def _registrations(subject: DataSubject):
    if not subject.normalised_email:
        return Registration.objects.none()
    return Registration.objects.filter(email__iexact=subject.normalised_email)


def _invitations(subject: DataSubject):
    if not subject.normalised_email:
        return EventInvitation.objects.none()
    return EventInvitation.objects.filter(email__iexact=subject.normalised_email)


def export(subject: DataSubject) -> list[dict]:
    registrations = _registrations(subject).select_related("event", "audience").prefetch_related("answers__question")
    invitations = [
        {"invitation_to": i.event.title, "starts_at": i.event.starts_at, "email": i.email, "invited_at": i.created_at,
         "message": i.message}
        for i in _invitations(subject).select_related("event")
    ]  # fmt: skip
    return [
        {
            "event": r.event.title,
            "starts_at": r.event.starts_at,
            "audience": r.audience.name,
            "status": r.get_status_display(),
            "email": r.email,
            "first_name": r.first_name,
            "last_name": r.last_name,
            "organisation": r.organisation_name,
            "sectors": r.sectors,
            "occupation_fields": r.occupation_fields,
            "registered_at": r.created_at,
            "checked_in_at": r.checked_in_at,
            "answers": [{"question": a.question.text, "answer": a.value} for a in r.answers.all()],
        }
        for r in registrations
    ] + invitations


def erase(subject: DataSubject) -> int:
    _invitations(subject).delete()
    ids = list(_registrations(subject).values_list("pk", flat=True))
    Answer.objects.filter(registration_id__in=ids).delete()
    Meeting.objects.filter(Q(boss_id__in=ids) | Q(student_id__in=ids)).delete()
    now = timezone.now()
    for pk in ids:
        Registration.objects.filter(pk=pk).update(
            email=f"anonymisiert-{pk}@invalid.example", first_name=ANONYMISED, last_name=ANONYMISED,
            organisation_name="", sectors=[], occupation_fields=[], anonymised_at=now,
        )  # fmt: skip
    return len(ids)


register_privacy("events", export=export, erase=erase)

"""The advisory module's part of a person's export and erasure.

Bookings and waiting-list entries are found by e-mail. Erasure anonymises them
(name, e-mail, company, description) and keeps status and attendance, so the
yearly counts do not change.
"""

from django.db.models import Q
from django.utils import timezone

from advisory.models import Booking, Consultation, WaitlistEntry
from core.privacy import ANONYMISED, DataSubject, register_privacy


def _bookings(subject: DataSubject):
    if not subject.normalised_email:
        return Booking.objects.none()
    return Booking.objects.filter(email__iexact=subject.normalised_email)


def _waitlist(subject: DataSubject):
    if not subject.normalised_email:
        return WaitlistEntry.objects.none()
    return WaitlistEntry.objects.filter(email__iexact=subject.normalised_email)


def _consultations(subject: DataSubject):
    if subject.person is None:
        return Consultation.objects.none()
    return Consultation.objects.filter(Q(person=subject.person))


def export(subject: DataSubject) -> dict:
    return {
        "bookings": [
            {
                "series": b.day.series.name, "starts_at": b.slot.starts_at, "name": b.name, "email": b.email,
                "company": b.company_name, "description": b.description, "status": b.status,
                "attendance": b.attendance, "consent_wording": b.consent_wording, "consented_at": b.consented_at,
                "created_at": b.created_at,
            }
            for b in _bookings(subject).select_related("day__series", "slot")
        ],
        "waitlist": [
            {"series": w.day.series.name, "day": w.day.starts_at, "name": w.name, "email": w.email,
             "company": w.company_name, "description": w.description, "status": w.status, "created_at": w.created_at}
            for w in _waitlist(subject).select_related("day__series")
        ],
        "consultations": [
            {"date": c.date, "contact_name": c.contact_name, "channel": c.channel, "outcome": c.outcome}
            for c in _consultations(subject)
        ],
    }  # fmt: skip


def erase(subject: DataSubject) -> int:
    now = timezone.now()
    anonymous = {"name": ANONYMISED, "email": "anonymisiert@invalid.example", "company_name": "", "description": ""}
    count = _bookings(subject).update(**anonymous, organisation=None, anonymised_at=now)
    count += _waitlist(subject).update(**anonymous, anonymised_at=now)
    count += _consultations(subject).update(person=None, contact_name=ANONYMISED)
    return count


register_privacy("advisory", export=export, erase=erase)

"""The advisory module's part of a person's export and erasure.

- Bookings and waiting-list entries are found by e-mail. Erasure anonymises them (name, e-mail,
  company, description) and keeps status and attendance, so the yearly counts do not change.
- Talks of the consultation log are found by the linked contacts person, by the e-mail typed for a
  person not in the contacts, and by the free-text name: a talk linked to nobody whose typed name is
  one of the names the person is known by (their contacts record, the names they gave when booking)
  counts as theirs. Erasure removes the link, the name, the e-mail and the outcome (free text about
  the talk) and keeps date, company, topics, channel and duration for the statistics.
"""

from django.db.models import Q
from django.utils import timezone

from advisory.models import Booking, Consultation, WaitlistEntry
from advisory.selectors import name_variants
from contacts.selectors import person_for_email
from core.privacy import ANONYMISED, DataSubject, register_privacy

ANONYMOUS_EMAIL = "anonymisiert@invalid.example"


def _bookings(subject: DataSubject):
    if not subject.normalised_email:
        return Booking.objects.none()
    return Booking.objects.filter(email__iexact=subject.normalised_email)


def _waitlist(subject: DataSubject):
    if not subject.normalised_email:
        return WaitlistEntry.objects.none()
    return WaitlistEntry.objects.filter(email__iexact=subject.normalised_email)


def _people(subject: DataSubject) -> list:
    people = [subject.person] if subject.person is not None else []
    by_email = person_for_email(subject.normalised_email)
    if by_email is not None and all(by_email.pk != p.pk for p in people):
        people.append(by_email)
    return people


def _names(subject: DataSubject, people: list) -> set[str]:
    """Every way the person's name may have been typed into the log."""
    names: set[str] = set()
    for person in people:
        names |= name_variants(first_name=person.first_name, last_name=person.last_name, title=person.title)
    for queryset in (_bookings(subject), _waitlist(subject)):
        for name in queryset.filter(anonymised_at__isnull=True).values_list("name", flat=True).distinct():
            first, _space, last = name.strip().rpartition(" ")
            names |= name_variants(first_name=first, last_name=last)
    return names


def _consultations(subject: DataSubject):
    people = _people(subject)
    query = Q(pk__in=[])
    if people:
        query |= Q(person__in=people)
    if subject.normalised_email:
        query |= Q(contact_email__iexact=subject.normalised_email)
    names = _names(subject, people)
    if names:
        by_name = Q(pk__in=[])
        for name in names:
            by_name |= Q(contact_name__iexact=name)
        query |= Q(person__isnull=True) & by_name
    return Consultation.objects.filter(query)


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
            {"date": c.date, "organisation": c.organisation.name if c.organisation else "",
             "contact_name": c.contact_label, "contact_email": c.contact_email, "channel": c.get_channel_display(),
             "duration_minutes": c.duration_minutes, "topics": [str(t) for t in c.topics.all()],
             "outcome": c.outcome, "follow_up_on": c.follow_up_on, "adviser": str(c.adviser)}
            for c in _consultations(subject)
            .select_related("organisation", "person", "adviser")
            .prefetch_related("topics__parent")
            .order_by("date", "pk")
        ],
    }  # fmt: skip


def erase(subject: DataSubject) -> int:
    now = timezone.now()
    # the talks first: their names are found through the bookings' names, which go next
    count = _consultations(subject).update(person=None, contact_name=ANONYMISED, contact_email="", outcome="")
    anonymous = {"name": ANONYMISED, "email": ANONYMOUS_EMAIL, "company_name": "", "description": ""}
    count += _bookings(subject).update(**anonymous, organisation=None, anonymised_at=now)
    count += _waitlist(subject).update(**anonymous, anonymised_at=now)
    return count


register_privacy("advisory", export=export, erase=erase)

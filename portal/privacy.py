"""The portal's part of a person's data export and erasure.

Contacts shown on the portal live in ``contacts`` (functions and consents) and
are handled there. The portal itself stores who submitted or decided a change.
"""

from core.privacy import DataSubject, register_privacy
from portal.models import ChangeRequest


def _changes(subject: DataSubject):
    return ChangeRequest.objects.filter(author__email__iexact=subject.normalised_email)


def export(subject: DataSubject) -> dict:
    return {
        "submitted_changes": [
            {
                "company": change.profile.name,
                "summary": change.summary,
                "status": change.status,
                "created_at": change.created_at,
            }
            for change in _changes(subject).select_related("profile")
        ]
    }


def erase(subject: DataSubject) -> int:
    """The changes stay (they are the company's content); the link to the person goes."""
    count = _changes(subject).update(author=None)
    count += ChangeRequest.objects.filter(decided_by__email__iexact=subject.normalised_email).update(decided_by=None)
    return count


register_privacy("portal", export=export, erase=erase)

"""The portal's part of a person's data export and erasure.

Contacts shown on the portal live in ``contacts`` (functions and consents) and
are handled there. The portal itself stores who submitted or decided a change,
and saved searches (an address, the search, which offers were mailed).
"""

from core.privacy import DataSubject, register_privacy
from portal.models import ChangeRequest, SearchAlert
from portal.selectors import OfferFilters, alerts_for_email, filters_summary


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
        ],
        "search_alerts": [
            {
                "email": alert.email,
                "search": filters_summary(OfferFilters.from_params(alert.filters)),
                "parameters": alert.filters,
                "status": alert.status,
                "language": alert.language,
                "consent_wording": alert.consent_wording,
                "consent_ip": alert.consent_ip,
                "created_at": alert.created_at,
                "confirmed_at": alert.confirmed_at,
                "last_mailed_at": alert.last_mailed_at,
                "ended_at": alert.ended_at,
                "offers_mailed": alert.offers_mailed,
            }
            for alert in alerts_for_email(subject.normalised_email)
        ],
    }


def erase(subject: DataSubject) -> int:
    """The changes stay (they are the company's content); the link to the person goes. Saved searches go."""
    count = _changes(subject).update(author=None)
    count += ChangeRequest.objects.filter(decided_by__email__iexact=subject.normalised_email).update(decided_by=None)
    deleted, _by_model = SearchAlert.objects.filter(email__iexact=subject.normalised_email).delete()
    return count + deleted


register_privacy("portal", export=export, erase=erase)

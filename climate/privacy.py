"""Survey answers and invitations hold a contact's name and e-mail address."""

from django.db.models import Q

from climate.models import SurveyInvitation, SurveySubmission
from core.privacy import ANONYMISED, DataSubject, register_privacy


def _submissions(subject: DataSubject):
    query = Q(contact_email__iexact=subject.normalised_email) if subject.normalised_email else Q(pk__in=[])
    if subject.person is not None and getattr(subject.person, "user_id", None):
        query |= Q(submitted_by_id=subject.person.user_id)
    return SurveySubmission.objects.filter(query)


def export(subject: DataSubject) -> dict:
    invitations = (
        SurveyInvitation.objects.filter(email__iexact=subject.normalised_email) if subject.normalised_email else []
    )
    return {
        "hydrogen_survey": [
            {
                "organisation": s.organisation.name,
                "contact_name": s.contact_name,
                "contact_email": s.contact_email,
                "natural_gas_kwh": s.natural_gas_kwh,
                "heating_oil_l": s.heating_oil_l,
                "switch_year": s.switch_year,
                "switch_share": s.switch_share,
                "can_host": s.can_host,
                "needs_connection": s.needs_connection,
                "note": s.note,
                "submitted_at": s.created_at,
            }  # fmt: skip
            for s in _submissions(subject).select_related("organisation")
        ],
        "survey_invitations": [
            {"organisation_id": i.organisation_id, "email": i.email, "name": i.name, "sent_at": i.created_at}
            for i in invitations
        ],
    }


def erase(subject: DataSubject) -> int:
    """The figures of the answer stay (the regional picture needs them); name, e-mail and note go."""
    count = _submissions(subject).update(contact_name=ANONYMISED, contact_email="", note="", submitted_by=None)
    if subject.normalised_email:
        count += SurveyInvitation.objects.filter(email__iexact=subject.normalised_email).delete()[0]
    return count


register_privacy("climate", export=export, erase=erase)

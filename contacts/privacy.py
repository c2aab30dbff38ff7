"""Contacts' part of a person's data export and erasure: the person records (every record with the
address, not only the one :func:`~contacts.selectors.person_for_email` picks), their functions and
consents, and the organisations an account edits. The account itself is accounts' part."""

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from accounts.signals import account_closing
from contacts.models import Consent, MergeRecord, OrganisationEditor, OrganisationRole, Person
from core.privacy import ANONYMISED, DataSubject, register_privacy


def _people(subject: DataSubject):
    query = Q(email__iexact=subject.normalised_email) if subject.normalised_email else Q(pk__in=[])
    if subject.person is not None:
        query |= Q(pk=subject.person.pk)
    return Person.objects.filter(query)


def _editor_links(subject: DataSubject):
    query = Q(user__email__iexact=subject.normalised_email) if subject.normalised_email else Q(pk__in=[])
    person_user_id = getattr(subject.person, "user_id", None)
    if person_user_id:
        query |= Q(user_id=person_user_id)
    return OrganisationEditor.objects.filter(query)


def export(subject: DataSubject) -> dict:
    people = list(_people(subject).prefetch_related("roles__organisation", "tags"))
    edited = _editor_links(subject).select_related("organisation").order_by("organisation__name")
    consents = Consent.objects.filter(Q(email__iexact=subject.normalised_email) | Q(person__in=people))
    return {
        "people": [
            {
                "salutation": p.salutation,
                "title": p.title,
                "first_name": p.first_name,
                "last_name": p.last_name,
                "email": p.email,
                "phone": p.phone,
                "language": p.language,
                "notes": p.notes,
                "tags": [t.name for t in p.tags.all()],
                "created_at": p.created_at,
                "roles": [
                    {
                        "organisation": r.organisation.name,
                        "function": r.get_kind_display(),
                        "job_title": r.job_title,
                        "email": r.email,
                        "phone": r.phone,
                    }
                    for r in p.roles.all()
                ],
            }
            for p in people
        ],  # fmt: skip
        "edits_organisations": [link.organisation.name for link in edited],
        # duplicates merged into the person: their data as it was before the merge
        "merged_duplicates": [
            {"merged_at": m.merged_at, "data": m.merged_data}
            for m in MergeRecord.objects.filter(person__in=people).order_by("merged_at")
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "wording": c.wording,
                "version": c.wording_version,
                "source": c.source,
                "given_at": c.given_at,
                "withdrawn_at": c.withdrawn_at,
            }
            for c in consents
        ],  # fmt: skip
    }


def erase(subject: DataSubject) -> int:
    """Anonymise the person (the row stays so counts of past talks hold), drop roles,
    consents and every historical version that still holds the old data."""
    people = list(_people(subject))
    person_ids = [p.pk for p in people]
    consents = Consent.objects.filter(Q(email__iexact=subject.normalised_email) | Q(person_id__in=person_ids))
    consent_ids = list(consents.values_list("pk", flat=True))
    consents.delete()
    # after the delete: deleting writes one more version (with the data) to the trail
    Consent.history.filter(id__in=consent_ids).delete()
    role_ids = list(OrganisationRole.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))
    OrganisationRole.objects.filter(pk__in=role_ids).delete()
    OrganisationRole.history.filter(id__in=role_ids).delete()
    for person in people:
        person.salutation = ""
        person.title = ""
        person.first_name = ANONYMISED
        person.last_name = ANONYMISED
        person.email = ""
        person.phone = ""
        person.notes = ""
        person.anonymised_at = timezone.now()
        person.save()
        person.tags.clear()
    Person.history.filter(id__in=person_ids).delete()
    # duplicates merged into the person: their stored data and the versions of their former records
    merges = MergeRecord.objects.filter(person_id__in=person_ids)
    merged_ids = list(merges.values_list("merged_id", flat=True))
    merge_count, _ = merges.delete()
    Person.history.filter(id__in=merged_ids).delete()
    return len(people) + len(consent_ids) + len(role_ids) + merge_count


def _drop_editor_links(sender, *, user: User, **kwargs) -> int:
    """Erasure closes an account (accounts' part, found by address or person): its editor links go.
    Accounts runs before us and anonymises the address, so we cannot match the links by address."""
    return OrganisationEditor.objects.filter(user=user).delete()[0]


account_closing.connect(_drop_editor_links, dispatch_uid="contacts.privacy.drop_editor_links")
register_privacy("contacts", export=export, erase=erase)

"""Writes for contacts. Views call these; they hold the rules."""

from django.db import transaction
from django.utils import timezone

from contacts.models import Consent, Organisation, OrganisationRole, Person, Tag
from contacts.selectors import person_for_email


def _set_tags(instance, names: list[str]) -> None:
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    instance.tags.set(tags)


@transaction.atomic
def organisation_save(*, organisation: Organisation, tag_names: list[str] | None = None) -> Organisation:
    organisation.full_clean()
    organisation.save()
    if tag_names is not None:
        _set_tags(organisation, tag_names)
    return organisation


@transaction.atomic
def person_add_to_organisation(
    *, organisation: Organisation, first_name: str, last_name: str, email: str, kind: str, job_title: str = "",
    link_existing: bool = False,
) -> OrganisationRole:  # fmt: skip
    """Link a person to an organisation.

    ``link_existing`` (staff only, who see every person anyway) reuses the person the e-mail
    belongs to; otherwise a new person is created, so nobody can attach or reveal a stranger
    of the CRM by typing their address.
    """
    person = person_for_email(email) if (link_existing and email) else None
    if person is None:
        person = Person.objects.create(first_name=first_name, last_name=last_name, email=email)
    role, _ = OrganisationRole.objects.get_or_create(
        person=person, organisation=organisation, kind=kind, defaults={"job_title": job_title, "email": email}
    )
    return role


def consent_record(
    *, email: str, purpose: str, wording: str, wording_version: str, source: str, person: Person | None = None,
    organisation: Organisation | None = None, ip_address: str | None = None, given_at=None,
) -> Consent:  # fmt: skip
    """Store a consent exactly as it was given (wording and time), for one company if ``organisation``."""
    if person is None:
        person = person_for_email(email)
    return Consent.objects.create(
        email=email.strip().lower(), person=person, organisation=organisation, purpose=purpose, wording=wording,
        wording_version=wording_version, source=source, ip_address=ip_address, given_at=given_at or timezone.now(),
    )  # fmt: skip


def consent_withdraw(*, email: str, purpose: str, organisation: Organisation | None = None) -> int:
    """Withdraw the consent for ``purpose`` (for that company only, if ``organisation``)."""
    consents = Consent.objects.filter(email__iexact=email, purpose=purpose, withdrawn_at__isnull=True)
    if organisation is not None:
        consents = consents.filter(organisation=organisation)
    return consents.update(withdrawn_at=timezone.now())

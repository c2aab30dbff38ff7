"""Consent to appear on the portal belongs to (person, company): give the existing ones their company.

Before, a portal consent was stored per e-mail only. A consent is assigned to a company when that can
be told: the company has a portal entry and an HR or training function with the consent's address
(and, if the consent names its person, of that person); if several companies qualify, the one the
recorded source names ("… für <Firma>"). A consent that still fits several companies, or none, stays
without a company and publishes nothing: the editor records it again for the right company.
"""

from collections import defaultdict

from django.db import migrations

PURPOSE = "portal.publish_contact"
CONTACT_KINDS = ["hr", "training"]


def _company_for(consent, by_email, by_person, names) -> int | None:
    candidates = set(by_email.get(consent.email.strip().lower(), set()))
    if consent.person_id and candidates & by_person.get(consent.person_id, set()):
        candidates &= by_person[consent.person_id]
    if len(candidates) > 1:
        named = {pk for pk in candidates if names[pk] and f"für {names[pk]}" in consent.source}
        candidates = named or candidates
    return candidates.pop() if len(candidates) == 1 else None


def assign_companies(apps, schema_editor):
    Consent = apps.get_model("contacts", "Consent")
    OrganisationRole = apps.get_model("contacts", "OrganisationRole")
    CompanyProfile = apps.get_model("portal", "CompanyProfile")

    names = dict(CompanyProfile.objects.values_list("organisation_id", "name"))
    by_email, by_person = defaultdict(set), defaultdict(set)
    roles = OrganisationRole.objects.filter(kind__in=CONTACT_KINDS, organisation_id__in=list(names))
    for organisation_id, person_id, role_email, person_email in roles.values_list(
        "organisation_id", "person_id", "email", "person__email"
    ):
        email = (role_email or person_email or "").strip().lower()
        if email:
            by_email[email].add(organisation_id)
        by_person[person_id].add(organisation_id)

    for consent in Consent.objects.filter(purpose=PURPOSE, organisation__isnull=True).only(
        "pk", "email", "person_id", "source"
    ):
        organisation_id = _company_for(consent, by_email, by_person, names)
        if organisation_id is not None:
            Consent.objects.filter(pk=consent.pk).update(organisation_id=organisation_id)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0004_delete_eventinvitation"),
        ("contacts", "0004_consent_organisation"),
    ]

    operations = [migrations.RunPython(assign_companies, migrations.RunPython.noop)]

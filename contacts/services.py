"""Writes for contacts. Views call these; they hold the rules."""

from typing import NamedTuple

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import user_for_email
from accounts.services import roles_grantable_by, user_invite
from contacts import merging
from contacts.models import Consent, MergeRecord, Organisation, OrganisationEditor, OrganisationRole, Person, Tag
from contacts.selectors import person_for_email
from core.errors import NotAllowed, ServiceError, StateConflict
from core.roles import Role


class EditorInviteRefused(ServiceError):
    """The address cannot become an editor of the organisation (the message says why)."""

    default_code = "editor_refused"


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
def person_save(*, person: Person) -> Person:
    person.full_clean()
    person.save()
    return person


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


# --- company editors ---------------------------------------------------------------------------------------------


class EditorInvitation(NamedTuple):
    user: User
    invited: bool  # True: a new account and an invitation mail; False: an existing editor got one more company


@transaction.atomic
def organisation_editor_invite(
    *, organisation: Organisation, email: str, full_name: str, language: str, invited_by: User
) -> EditorInvitation:
    """Make ``email`` a company editor of ``organisation``.

    A new address gets an account with the editor role and the invitation mail (accounts'
    ``user_invite``, which names the organisation). An existing, active editor account is tied to
    one more organisation, without a mail. Any other existing account is refused: an invitation
    never changes an account's roles (the lead adds the editor role on "Person einladen" first).
    """
    if Role.EDITOR not in roles_grantable_by(invited_by):
        raise NotAllowed(_("Firmenredaktion dürfen Sie nicht einladen."))
    existing = user_for_email(email)
    if existing is None:
        user = user_invite(
            email=email, full_name=full_name, roles=[Role.EDITOR], invited_by=invited_by, language=language,
            mail_context={"organisation": organisation},
        )  # fmt: skip
        invited = True
    elif not (existing.is_active and existing.has_role(Role.EDITOR)):
        raise EditorInviteRefused(
            _(
                "%(email)s hat schon ein Konto, aber ohne die Rolle Firmenredaktion. Eine Einladung ändert "
                "keine Rollen: Die Bereichsleitung kann die Rolle unter „Person einladen“ ergänzen, danach "
                "ordnen Sie hier die Organisation zu."
            )
            % {"email": existing.email},
            field="email",
        )
    elif OrganisationEditor.objects.filter(user=existing, organisation=organisation).exists():
        raise EditorInviteRefused(
            _("%(email)s pflegt den Eintrag von %(organisation)s schon.")
            % {"email": existing.email, "organisation": organisation.name},
            field="email",
            code="already_editor",
        )
    else:
        user, invited = existing, False
    link = OrganisationEditor(user=user, organisation=organisation)
    link._history_user = invited_by
    link.save()
    return EditorInvitation(user=user, invited=invited)


# --- merging duplicates ------------------------------------------------------------------------------------------


class MergeRefused(ServiceError):
    default_code = "merge_refused"


def _merge_pair(model, *, kept_id, merged_id):
    """Both records, locked (in id order, so two merges of the same pair cannot deadlock), or a refusal."""
    noun = _("Organisation") if model is Organisation else _("Person")
    try:
        kept_id, merged_id = int(kept_id), int(merged_id)
    except (TypeError, ValueError):
        raise MergeRefused(_("Bitte wählen Sie zwei Einträge aus."), code="merge_missing") from None
    if kept_id == merged_id:
        raise MergeRefused(
            _("Ein Eintrag kann nicht mit sich selbst zusammengeführt werden. Bitte wählen Sie die Dublette aus."),
            code="merge_self",
        )
    rows = {row.pk: row for row in model.objects.select_for_update().filter(pk__in=[kept_id, merged_id]).order_by("pk")}
    missing = [pk for pk in (kept_id, merged_id) if pk not in rows]
    if missing:
        raise StateConflict(
            _(
                "%(noun)s Nr. %(id)s gibt es nicht mehr (vielleicht wurde sie schon zusammengeführt oder gelöscht). "
                "Es wurde nichts geändert."
            )
            % {"noun": noun, "id": missing[0]},
            code="merge_gone",
        )
    kept, merged = rows[kept_id], rows[merged_id]
    if model is Person and (kept.anonymised_at or merged.anonymised_at):
        raise MergeRefused(
            _("Anonymisierte Personen werden nicht zusammengeführt. Es wurde nichts geändert."),
            code="merge_anonymised",
        )
    return kept, merged


@transaction.atomic
def organisation_merge(*, kept_id: int, merged_id: int, user: User) -> MergeRecord:
    """Merge organisation ``merged_id`` into ``kept_id``: every link moves, the duplicate is deleted."""
    kept, merged = _merge_pair(Organisation, kept_id=kept_id, merged_id=merged_id)
    return merging.merge_records(MergeRecord.Kind.ORGANISATION, kept=kept, merged=merged, user=user)


@transaction.atomic
def person_merge(*, kept_id: int, merged_id: int, user: User) -> MergeRecord:
    """Merge person ``merged_id`` into ``kept_id``: every link moves, the duplicate is deleted."""
    kept, merged = _merge_pair(Person, kept_id=kept_id, merged_id=merged_id)
    return merging.merge_records(MergeRecord.Kind.PERSON, kept=kept, merged=merged, user=user)

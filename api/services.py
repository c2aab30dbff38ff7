"""Writes for API tokens: create (the secret is returned once), revoke, note the last use."""

import secrets
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import EDITOR_SCOPES, SCOPES, ApiToken
from api.selectors import hash_secret
from contacts.models import Organisation
from core.errors import NotAllowed, ServiceError
from core.roles import Role

SECRET_PREFIX = "kw_"  # noqa: S105 – a prefix, not a secret


class CreatedToken(NamedTuple):
    token: ApiToken
    secret: str  # shown once, never stored


def token_create(
    *, user, name: str, scopes: list[str], expires_at=None, organisation: Organisation | None = None
) -> CreatedToken:
    """A new token for ``user``. Staff tokens act for the whole office; a company editor's token
    is bound to their own company and may only carry the modules of :data:`EDITOR_SCOPES`."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ServiceError(_("Bitte geben Sie eine Bezeichnung an (höchstens 100 Zeichen)."), field="name")
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= set(SCOPES):
        raise ServiceError(_("Bitte wählen Sie mindestens eine gültige Berechtigung."), field="scopes")
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError(_("Das Ablaufdatum muss in der Zukunft liegen."), field="expires_at")
    if not user.has_role(Role.STAFF):
        if not user.has_role(Role.EDITOR) or organisation is None:
            raise NotAllowed(_("Nur die Geschäftsstelle und Firmenredaktionen dürfen Tokens anlegen."))
        if not organisation.editors.filter(user=user).exists():
            raise NotAllowed(_("Sie dürfen Tokens nur für Ihr eigenes Unternehmen anlegen."))
        if not set(scopes) <= set(EDITOR_SCOPES):
            raise ServiceError(
                _("Tokens der Firmenredaktion dürfen nur die eigenen Firmendaten lesen und das Ausbildungsportal "
                  "lesen oder schreiben."),
                field="scopes",
            )  # fmt: skip
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, prefix=secret[:10], key_hash=hash_secret(secret), user=user, organisation=organisation,
        scopes=scopes, expires_at=expires_at,
    )  # fmt: skip
    return CreatedToken(token=token, secret=secret)


def token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_touch(*, token: ApiToken, now=None) -> None:
    """Note the last use, at most once a minute (one UPDATE, not one per request)."""
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now

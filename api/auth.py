"""Who calls the API: a token (``Authorization: Bearer kw_…``) or a logged-in session.

The caller is an :class:`Actor`: the user, the token (if any), the scopes it holds and, for a
company editor, the organisations it may see. The rules are the pages' rules: staff reach every
module; a company editor reaches only their own company (another company's rows answer 404).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from api.models import EDITOR_SCOPES, SCOPES, ApiToken
from api.selectors import token_for_secret
from api.services import token_touch
from contacts.models import Organisation
from core.http import client_ip
from core.roles import Role


class ApiError(Exception):
    """An answer other than 2xx, as JSON: ``{"code": …, "message": …}``."""

    def __init__(self, status: int, code: str, message: str, *, headers: dict | None = None, **extra):
        super().__init__(message)
        self.status, self.code, self.message, self.headers, self.extra = status, code, str(message), headers, extra


@dataclass
class Actor:
    user: object
    token: ApiToken | None
    scopes: frozenset[str]
    organisation_ids: frozenset[int] | None  # None: every organisation (staff)

    @property
    def is_staff(self) -> bool:
        return self.organisation_ids is None

    def require(self, module: str, *, write: bool = False) -> None:
        scope = f"{module}:{'write' if write else 'read'}"
        if scope in self.scopes:
            return
        if self.token is None:
            raise ApiError(403, "not_allowed", _("Ihre Rolle erlaubt diesen Zugriff nicht."))
        raise ApiError(403, "scope_missing", _("Diesem Token fehlt die Berechtigung „%(scope)s“.") % {"scope": scope})


def _session_scopes(user) -> tuple[frozenset[str], frozenset[int] | None]:
    if user.has_role(Role.STAFF):
        return frozenset(SCOPES), None
    if user.has_role(Role.EDITOR):
        ids = frozenset(Organisation.objects.filter(editors__user=user).values_list("pk", flat=True))
        return frozenset(EDITOR_SCOPES), ids
    return frozenset(), frozenset()


def actor_for_token(token: ApiToken) -> Actor:
    user = token.user
    if not user.is_active:
        raise ApiError(401, "token_invalid", _("Das Konto zu diesem Token ist gesperrt."))
    session_scopes, organisation_ids = _session_scopes(user)
    if token.organisation_id is not None:
        # an editor's token: bound to its company, and only while the user still edits it
        if organisation_ids is not None and token.organisation_id not in organisation_ids:
            raise ApiError(
                401, "token_invalid", _("Dieses Token gehört zu einem Unternehmen, das Sie nicht mehr bearbeiten.")
            )
        organisation_ids = frozenset({token.organisation_id})
    return Actor(
        user=user, token=token, scopes=frozenset(token.scopes) & session_scopes, organisation_ids=organisation_ids
    )


def rate_limit(key: str) -> None:
    """A fixed window per token (or address): ``API_RATE_LIMIT`` requests per ``API_RATE_WINDOW`` seconds."""
    limit, window = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW
    if not limit:
        return
    import time

    now = int(time.time())
    slot = now // window
    cache_key = f"api-rate:{key}:{slot}"
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 5)
        count = 1
    if count > limit:
        retry_after = (slot + 1) * window - now
        raise ApiError(
            429, "rate_limited", _("Zu viele Anfragen. Bitte versuchen Sie es in %(n)s Sekunden erneut.") % {"n": retry_after},
            headers={"Retry-After": str(max(retry_after, 1))},
        )  # fmt: skip


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; an unknown, expired or revoked token answers 401, a token
    without the operation's scope 403 (before the body is read)."""

    def __init__(self, module: str | None = None, write: bool = False):
        super().__init__()
        self.module, self.write = module, write

    def authenticate(self, request, token):
        found = token_for_secret(token)
        if found is None:
            raise ApiError(401, "token_invalid", _("Dieses Token ist unbekannt."))
        if found.revoked_at is not None:
            raise ApiError(401, "token_revoked", _("Dieses Token wurde widerrufen."))
        if not found.is_active:
            raise ApiError(401, "token_expired", _("Dieses Token ist abgelaufen."))
        rate_limit(f"token:{found.pk}")
        actor = actor_for_token(found)
        token_touch(token=found)
        if self.module:
            actor.require(self.module, write=self.write)
        return actor


class SessionActorAuth(APIKeyCookie):
    """A logged-in user of the pages (the browsable docs, the permission matrix); CSRF checked on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, module: str | None = None, write: bool = False, csrf: bool = True):
        super().__init__(csrf=csrf)
        self.module, self.write = module, write

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        rate_limit(f"user:{user.pk}")
        scopes, organisation_ids = _session_scopes(user)
        actor = Actor(user=user, token=None, scopes=scopes, organisation_ids=organisation_ids)
        if self.module:
            actor.require(self.module, write=self.write)
        return actor


def scoped(module: str, *, write: bool = False) -> list:
    """The auth of an operation that needs ``module``'s read (or write) scope: a token, or a session."""
    return [TokenAuth(module, write), SessionActorAuth(module, write)]


def public_actor(request) -> Actor:
    """For public reads (no auth required): the token or session if given, else anonymous, rate-limited by address."""
    for handler in (TokenAuth(), SessionActorAuth(csrf=False)):
        found = handler(request)
        if found:
            return found
    rate_limit(f"ip:{client_ip(request)}")
    return Actor(user=None, token=None, scopes=frozenset(), organisation_ids=frozenset())


def actor(request) -> Actor:
    return request.auth

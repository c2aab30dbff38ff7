"""Reads for the API: tokens by secret and for the staff page."""

import hashlib

from django.db.models import QuerySet

from api.models import ApiToken
from core.roles import Role


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret this is (active or not), with its user; ``None`` for an unknown secret."""
    if not secret or len(secret) > 200:
        return None
    return ApiToken.objects.select_related("user").filter(key_hash=hash_secret(secret)).first()


def tokens_for_user(user) -> QuerySet[ApiToken]:
    """Staff see every token; a company editor only the tokens of their own companies."""
    queryset = ApiToken.objects.select_related("user", "organisation").order_by("-created_at", "-pk")
    if user.has_role(Role.STAFF):
        return queryset
    return queryset.filter(organisation__editors__user=user).distinct()

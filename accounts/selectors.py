"""Reads for the accounts pages and for contacts (which may use accounts, never the other way round)."""

from accounts.models import User
from core.roles import Role, expand_roles


def user_for_email(email: str) -> User | None:
    """The account of an address (case and surrounding spaces ignored), active or not; one query."""
    email = (email or "").strip()
    if not email:
        return None
    return User.objects.filter(email__iexact=email).first()


def role_change_preview(user: User, roles: list[str]) -> tuple[list[str], list[str]]:
    """The labels of ``user``'s roles now and after adding ``roles`` (implied roles included); one query."""
    before = user.roles
    after = expand_roles(set(before) | set(roles))
    return _labels(before), _labels(after)


def _labels(roles) -> list[str]:
    return [str(label) for value, label in Role.choices if value in roles]

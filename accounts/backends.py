"""The session's user loaded with their roles in one query.

Django's ``ModelBackend.get_user`` reads the user, and the first role check (every staff page asks)
reads ``RoleAssignment`` again: two queries, each built and compiled by the ORM on every request.
``UserRolesBackend`` reads the user's row joined to their role assignments (one row per role) with
SQL compiled once per process (``core.prepared``), and sets ``user.roles`` from those rows. Nothing
is kept between requests: a role taken away (or an account deactivated) counts on the very next
request. Logging in (``authenticate``) and permissions are ``ModelBackend``'s.
"""

from asgiref.sync import sync_to_async
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from core.prepared import PreparedQuery, RowModel
from core.roles import expand_roles

from .models import User

_ROLE = "role_assignments__role"
_USER = RowModel(User)
_USER_WITH_ROLES = PreparedQuery(
    lambda pk: User.objects.filter(pk=pk).values(*_USER.names, _ROLE),
    pk=-1,  # no account has it
)


def user_with_roles(pk: int) -> User | None:
    """The account ``pk`` with ``roles`` already set (no further query), or None."""
    rows = _USER_WITH_ROLES.rows(pk=pk)
    if not rows:
        return None
    roles = {row.pop(_ROLE) for row in rows}
    roles.discard(None)  # no role at all: one row, joined to nothing
    user = _USER.instance(rows[0])
    user.__dict__["roles"] = expand_roles(roles)  # the cached_property User.roles
    return user


class UserRolesBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = user_with_roles(pk)
        return user if user is not None and self.user_can_authenticate(user) else None

    async def aget_user(self, user_id):
        return await sync_to_async(self.get_user)(user_id)

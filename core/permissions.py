"""Role checks, declared on the view: logged out → login, missing role → 403."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.roles import Role


def _check(request, roles):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if roles and not request.user.has_role(*roles):
        raise PermissionDenied
    return None


def role_required(*roles: str):
    """``@role_required(Role.STAFF)``; with no roles, any logged-in user."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            return _check(request, roles) or view(request, *args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


staff_required = role_required(Role.STAFF)
lead_required = role_required(Role.LEAD)


class RoleRequiredMixin:
    required_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        return _check(request, self.required_roles) or super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(RoleRequiredMixin):
    required_roles = (Role.STAFF,)

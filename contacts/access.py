"""Access helpers: fetch a guarded object for a user or fail the right way.

Not visible to the user → 404 (we do not reveal that it exists);
visible but not changeable → 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from contacts.models import ImportBatch, Organisation
from core.roles import Role


def organisation_for_user(user, pk: int, *, for_change: bool = False) -> Organisation:
    """Staff see and change every organisation; a company editor only their own."""
    if not user.is_authenticated:
        raise Http404
    try:
        organisation = Organisation.objects.get(pk=pk)
    except (Organisation.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if user.has_role(Role.STAFF):
        return organisation
    if user.has_role(Role.EDITOR) and organisation.editors.filter(user=user).exists():
        return organisation
    # Another company's record: do not reveal that it exists, whether to read or to change.
    raise Http404


def organisations_edited_by(user):
    return Organisation.objects.filter(editors__user=user)


def import_batch_for_user(user, pk: int) -> ImportBatch:
    """An import batch; the views are staff-only and every staff member may finish a colleague's import."""
    if not (user.is_authenticated and user.has_role(Role.STAFF)):
        raise PermissionDenied
    try:
        return ImportBatch.objects.get(pk=pk, kind="organisations")
    except (ImportBatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None

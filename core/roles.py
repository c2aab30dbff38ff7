"""The roles of the brief, declared once.

Views name the roles they need with :func:`core.permissions.role_required` or
``RoleRequiredMixin``; nothing else checks role names.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Geschäftsstelle")
    LEAD = "lead", _("Bereichsleitung")
    EDITOR = "editor", _("Firmenredaktion")
    EXPERT = "expert", _("Experte/Expertin")
    JUROR = "juror", _("Jurymitglied")
    PUBLIC = "public", _("Registrierte Person")


# A role grants the roles listed here as well.
IMPLIED_ROLES: dict[str, set[str]] = {
    Role.LEAD: {Role.STAFF},
}


def expand_roles(roles: set[str]) -> frozenset[str]:
    expanded = set(roles)
    for role in roles:
        expanded |= IMPLIED_ROLES.get(role, set())
    return frozenset(expanded)

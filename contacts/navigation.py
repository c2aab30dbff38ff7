from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Organisationen"), "contacts:organisation_list", area="staff", roles=(Role.STAFF,), order=10)
register_nav(_("Personen"), "contacts:person_list", area="staff", roles=(Role.STAFF,), order=11)
register_nav(_("Änderungsprotokoll"), "contacts:audit_log", area="staff", roles=(Role.STAFF,), order=90)
register_nav(_("Firmenredaktion einladen"), "contacts:editor_invite", area="staff", roles=(Role.STAFF,), order=96)

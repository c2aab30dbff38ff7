from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Ausbildung finden"), "portal:search", area="public", order=30)
register_nav(_("Industrie-Portal"), "portal:staff_list", area="staff", roles=(Role.STAFF,), order=40)
register_nav(_("Portal-Redaktion"), "portal:editor_home", area="staff", roles=(Role.EDITOR,), order=41)

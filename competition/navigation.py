from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Jugend forscht"), "competition:home", area="public", order=40)
register_nav(_("Meine Projekte"), "competition:my_projects", area="public", roles=(Role.PUBLIC,), order=41)
register_nav(_("Jugend forscht"), "competition:staff_home", area="staff", roles=(Role.STAFF,), order=50)
register_nav(_("Jury: meine Projekte"), "competition:jury_home", area="staff", roles=(Role.JUROR,), order=51)

from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Newsletter"), "newsletter:index", area="public", order=40)
register_nav(_("Newsletter"), "newsletter:staff_home", area="staff", roles=(Role.STAFF,), order=40)

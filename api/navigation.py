from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("API-Tokens"), "api:token_list", area="staff", roles=(Role.STAFF, Role.EDITOR), order=93)

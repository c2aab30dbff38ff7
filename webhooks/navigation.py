from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Webhooks"), "webhooks:endpoint_list", area="staff", roles=(Role.STAFF,), order=95)

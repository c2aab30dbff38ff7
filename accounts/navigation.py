from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Person einladen"), "accounts:invite", area="staff", roles=(Role.STAFF,), order=95)
register_nav(_("Mein Konto"), "accounts:profile", area="staff", order=99)

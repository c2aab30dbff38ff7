from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Veranstaltungen"), "events:calendar", area="public", order=20)
register_nav(_("Veranstaltungen"), "events:staff_list", area="staff", roles=(Role.STAFF,), order=30)
register_nav(_("Veranstaltungszahlen"), "events:staff_figures", area="staff", roles=(Role.STAFF,), order=31)

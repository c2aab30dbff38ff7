from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("CO2-Rechner"), "climate:calculator", area="public", order=40)
register_nav(_("Energie und Klima"), "climate:staff_dashboard", area="staff", roles=(Role.STAFF,), order=60)

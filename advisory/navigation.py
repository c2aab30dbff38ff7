from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Sprechtage"), "advisory:days_public", area="public", order=20)
register_nav(_("Förderprogramme"), "advisory:programmes_public", area="public", order=21)
register_nav(_("Beratung"), "advisory:overview", area="staff", roles=(Role.STAFF,), order=20)
register_nav(_("Gespräch erfassen"), "advisory:consultation_create", area="staff", roles=(Role.STAFF,), order=21)
register_nav(_("Gespräche"), "advisory:consultation_list", area="staff", roles=(Role.STAFF,), order=22)
register_nav(_("Sprechtage verwalten"), "advisory:day_list", area="staff", roles=(Role.STAFF,), order=23)
register_nav(_("Förderprogramme verwalten"), "advisory:programme_list", area="staff", roles=(Role.STAFF,), order=24)
register_nav(_("Fördermatcher"), "advisory:matcher", area="staff", roles=(Role.STAFF,), order=25)
register_nav(_("Meine Sprechtage"), "advisory:expert_schedule", area="staff", roles=(Role.EXPERT,), order=26)

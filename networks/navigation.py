from django.utils.translation import gettext_lazy as _

from core.navigation import register_nav
from core.roles import Role

register_nav(_("Unterstützer der Initiative"), "networks:supporters", area="public", order=60)
register_nav(_("Industrieverbünde"), "networks:overview", area="staff", roles=(Role.STAFF,), order=50)
register_nav(_("Akquise"), "networks:prospect_board", area="staff", roles=(Role.STAFF,), order=51)
register_nav(_("Industrie-Initiative"), "networks:initiative", area="staff", roles=(Role.STAFF,), order=52)
register_nav(_("Kampagnen"), "networks:campaign_list", area="staff", roles=(Role.STAFF,), order=53)

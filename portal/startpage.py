from core.roles import Role
from core.startpage import register_home_block, register_start_block
from portal.models import ChangeRequest


@register_start_block("portal", template="portal/_start_block.html", order=40)
def portal_block(user):
    if user.has_role(Role.STAFF):
        return {"pending": ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING).count(), "staff": True}
    if user.has_role(Role.EDITOR):
        from portal.access import profiles_for_editor

        return {"profiles": list(profiles_for_editor(user)), "staff": False}
    return None


@register_home_block(
    "portal.search", template="portal/_home_search.html", order=15, key=lambda context: context["offers"]
)
def search_box(request):
    """The public home page: a search box into the apprenticeship portal, with the number of offers."""
    from portal import selectors

    return {"offers": selectors.public_offer_count()}

from core.roles import Role
from core.startpage import register_start_block
from newsletter import selectors


@register_start_block("newsletter", template="newsletter/_start_block.html", order=40)
def newsletter_block(user):
    if not user.has_role(Role.STAFF):
        return None
    return selectors.start_block()

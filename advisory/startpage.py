from advisory import selectors
from core.roles import Role
from core.startpage import register_start_block


@register_start_block("advisory.follow_ups", template="advisory/_start_follow_ups.html", order=20)
def follow_ups(user):
    if not user.has_role(Role.STAFF):
        return None
    return {"follow_ups": selectors.follow_ups_due(user)}


@register_start_block("advisory.expert_days", template="advisory/_start_expert_days.html", order=21)
def expert_days(user):
    if not user.has_role(Role.EXPERT):
        return None
    return {"days": selectors.expert_next_days(user)}

from advisory import selectors
from core.fragments import row_key
from core.roles import Role
from core.startpage import register_home_block, register_start_block


@register_start_block("advisory.follow_ups", template="advisory/_start_follow_ups.html", order=20)
def follow_ups(user):
    if not user.has_role(Role.STAFF):
        return None
    return {"follow_ups": selectors.follow_ups_due(user)}


@register_start_block("advisory.today", template="advisory/_start_today.html", order=12)
def days_today(user):
    """Staff: today's consultation days with their numbers; hidden on a day without any."""
    if not user.has_role(Role.STAFF):
        return None
    days = selectors.today_days()
    return {"days": days} if days else None


@register_start_block("advisory.expert_days", template="advisory/_start_expert_days.html", order=21)
def expert_days(user):
    if not user.has_role(Role.EXPERT):
        return None
    return {"days": selectors.expert_next_days(user)}


@register_home_block(
    "advisory.days", template="advisory/_home_days.html", order=20,
    key=lambda context: tuple((row_key(day), day.series.name, day.slots_free) for day in context["days"]),
)  # fmt: skip
def next_days(request):
    """The public home page: the next consultation days with a free place; hidden when there are none."""
    days = selectors.home_days()
    return {"days": days} if days else None

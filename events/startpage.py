from core.fragments import row_key
from core.roles import Role
from core.startpage import register_home_block, register_start_block
from events import selectors


@register_home_block(
    "events.next", template="events/_home_events.html", order=10,
    key=lambda context: tuple((row_key(event), event.free_places) for event in context["events"]),
)  # fmt: skip
def next_events(request):
    """The public home page: the next events with their free places; hidden when none are ahead."""
    events = selectors.home_events(limit=5)
    return {"events": events} if events else None


@register_start_block("events.today", template="events/_start_today.html", order=11)
def events_today(user):
    """Staff: today's events with registered, waiting and checked-in people; hidden on a day without."""
    if not user.has_role(Role.STAFF):
        return None
    events = selectors.today_events()
    return {"events": events} if events else None

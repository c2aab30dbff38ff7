from core.roles import Role
from core.startpage import register_start_block
from newsletter.models import Issue, Subscriber


@register_start_block("newsletter", template="newsletter/_start_block.html", order=40)
def newsletter_block(user):
    if not user.has_role(Role.STAFF):
        return None
    return {
        "active": Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count(),
        "next_issue": Issue.objects.filter(
            status__in=[Issue.Status.DRAFT, Issue.Status.SCHEDULED, Issue.Status.SENDING]
        )
        .select_related("newsletter_list")
        .order_by("number")
        .first(),
    }

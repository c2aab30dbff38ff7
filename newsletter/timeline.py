"""Newsletter subscriptions of an organisation's people (matched by e-mail), for its timeline."""

from django.utils.translation import gettext as _

from contacts.models import OrganisationRole
from core.timeline import TimelineEntry, register_timeline
from newsletter.models import Subscriber


@register_timeline("newsletter")
def subscriptions(organisation) -> list[TimelineEntry]:
    """Two queries: the people's addresses, then their subscriptions."""
    emails = set()
    for person_email, role_email in OrganisationRole.objects.filter(organisation=organisation).values_list(
        "person__email", "email"
    ):
        emails.update(e.strip().lower() for e in (person_email, role_email) if e)
    if not emails:
        return []
    entries = []
    for subscriber in Subscriber.objects.filter(email__in=emails).select_related("newsletter_list")[:100]:
        name = subscriber.newsletter_list.name
        if subscriber.confirmed_at:
            entries.append(
                TimelineEntry(when=subscriber.confirmed_at, kind=_("Newsletter"),
                              title=_("%(email)s hat „%(list)s“ abonniert") % {"email": subscriber.email, "list": name})
            )  # fmt: skip
        elif subscriber.status == Subscriber.Status.PENDING:
            entries.append(
                TimelineEntry(when=subscriber.created_at, kind=_("Newsletter"),
                              title=_("%(email)s hat sich für „%(list)s“ angemeldet (unbestätigt)") % {"email": subscriber.email, "list": name})
            )  # fmt: skip
        if subscriber.unsubscribed_at:
            entries.append(
                TimelineEntry(when=subscriber.unsubscribed_at, kind=_("Newsletter"),
                              title=_("%(email)s hat „%(list)s“ abbestellt") % {"email": subscriber.email, "list": name})
            )  # fmt: skip
        if subscriber.bounced_at:
            entries.append(
                TimelineEntry(when=subscriber.bounced_at, kind=_("Newsletter"),
                              title=_("%(email)s ist für „%(list)s“ unzustellbar") % {"email": subscriber.email, "list": name})
            )  # fmt: skip
    return entries

"""The newsletter's yearly figures (``manage.py figures --year 2020``)."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.figures import register_figure
from newsletter.models import Delivery, Issue, Item, SubscriptionEvent
from newsletter.selectors import end_of_year, event_count, figures_subscribers


def _year(year: int) -> Q:
    start = end_of_year(year - 1)
    return Q(sent_at__gte=start, sent_at__lt=end_of_year(year))


@register_figure("newsletter.subscribers", _("Newsletter-Abonnenten (Jahresende)"))
def subscribers(year: int) -> int:
    return figures_subscribers(year)


@register_figure("newsletter.subscribers_new", _("neue Newsletter-Abonnenten (bestätigt)"))
def subscribers_new(year: int) -> int:
    return event_count(year, SubscriptionEvent.Kind.CONFIRM)


@register_figure("newsletter.unsubscribes", _("Newsletter-Abmeldungen"))
def unsubscribes(year: int) -> int:
    return event_count(year, SubscriptionEvent.Kind.LEAVE)


@register_figure("newsletter.bounces", _("Newsletter-Adressen unzustellbar"))
def bounces(year: int) -> int:
    return event_count(year, SubscriptionEvent.Kind.BOUNCE)


@register_figure("newsletter.issues", _("versandte Newsletter-Ausgaben"))
def issues(year: int) -> int:
    return Issue.objects.filter(_year(year), status=Issue.Status.SENT).count()


@register_figure("newsletter.items", _("Meldungen in versandten Ausgaben"))
def items(year: int) -> int:
    start, stop = end_of_year(year - 1), end_of_year(year)
    return Item.objects.filter(
        issue__status=Issue.Status.SENT, issue__sent_at__gte=start, issue__sent_at__lt=stop
    ).count()


@register_figure("newsletter.items_initiative", _("Meldungen aus der Industrie-Initiative"))
def items_initiative(year: int) -> int:
    start, stop = end_of_year(year - 1), end_of_year(year)
    return Item.objects.filter(
        issue__status=Issue.Status.SENT, issue__sent_at__gte=start, issue__sent_at__lt=stop,
        source="Industrie-Initiative",
    ).count()  # fmt: skip


@register_figure("newsletter.mails_sent", _("zugestellte Newsletter-Mails"))
def mails_sent(year: int) -> int:
    return Delivery.objects.filter(_year(year), status=Delivery.Status.SENT).count()


@register_figure("newsletter.first_issue_month", _("erste Ausgabe (Monat, JJJJMM)"))
def first_issue_month(year: int) -> int | None:
    first = (
        Issue.objects.filter(status=Issue.Status.SENT, sent_at__lt=end_of_year(year))
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )
    return int(first.strftime("%Y%m")) if isinstance(first, datetime.datetime) else None

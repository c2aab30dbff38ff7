"""The newsletter's yearly figures (``manage.py figures --year 2020``), each from an aggregate query."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.figures import end_of_year, register_breakdown, register_figure, shared
from newsletter import selectors
from newsletter.models import SubscriptionEvent

Kind = SubscriptionEvent.Kind
_events = shared(selectors.subscription_event_counts)
_issues = shared(selectors.sent_issue_counts)


@register_figure("newsletter.subscribers", _("Abonnentinnen und Abonnenten des Newsletters am Jahresende"))
def subscribers(year: int) -> int:
    return selectors.figures_subscribers(year)


@register_figure("newsletter.subscribers_new", _("neue, bestätigte Newsletter-Abonnements"))
def subscribers_new(year: int) -> int:
    return _events(year)[Kind.CONFIRM]


@register_figure("newsletter.unsubscribes", _("Abmeldungen vom Newsletter"))
def unsubscribes(year: int) -> int:
    return _events(year)[Kind.LEAVE]


@register_figure("newsletter.bounces", _("unzustellbare Newsletter-Adressen"))
def bounces(year: int) -> int:
    return _events(year)[Kind.BOUNCE]


@register_figure("newsletter.issues", _("versandte Newsletter-Ausgaben"))
def issues(year: int) -> int:
    return _issues(year)["issues"]


@register_figure("newsletter.items", _("Meldungen in den versandten Ausgaben"))
def items(year: int) -> int:
    return _issues(year)["items"]


@register_figure("newsletter.items_initiative", _("Meldungen aus der Industrie-Initiative"))
def items_initiative(year: int) -> int:
    return _issues(year)["items_initiative"]


@register_figure(
    "newsletter.items_initiative_per_issue", _("Meldungen aus der Industrie-Initiative je Ausgabe"), decimals=1
)
def items_initiative_per_issue(year: int) -> Decimal | None:
    counts = _issues(year)
    if not counts["issues"]:
        return None
    return (Decimal(counts["items_initiative"]) / counts["issues"]).quantize(Decimal("0.1"))


@register_figure("newsletter.mails_sent", _("zugestellte Newsletter-E-Mails"))
def mails_sent(year: int) -> int:
    return selectors.deliveries_sent(year)


@register_figure("newsletter.first_issue_month", _("erste Ausgabe des Newsletters"), kind="month")
def first_issue_month(year: int) -> int | None:
    """The month of the very first issue (``YYYYMM``), once it has gone out by the end of the year."""
    first = selectors.first_sent_issue_at(end_of_year(year))
    return int(first.strftime("%Y%m")) if isinstance(first, datetime.datetime) else None


@register_breakdown(
    "newsletter.subscribers_by_month", _("Abonnentinnen und Abonnenten am Monatsende"), dimension=_("Monat")
)
def subscribers_by_month(year: int) -> list[tuple[str, int]]:
    from core.figures import MONTHS_DE

    return [(MONTHS_DE[month.month - 1][:3], n) for month, n in selectors.subscribers_by_month(year)]

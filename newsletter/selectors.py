"""Reads of the newsletter: what pages, figures and the annual report need, in a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from newsletter.models import Delivery, Issue, NewsletterList, Subscriber, SubscriptionEvent

Kind = SubscriptionEvent.Kind


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_year(year: int) -> datetime.datetime:
    return _aware(datetime.date(year + 1, 1, 1))


def lists_overview() -> list[NewsletterList]:
    return list(
        NewsletterList.objects.annotate(
            active=Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.ACTIVE)),
            pending=Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.PENDING)),
        ).order_by("name")
    )


def active_subscribers_at(moment: datetime.datetime, newsletter_list: NewsletterList | None = None) -> int:
    """Confirmed minus left minus bounced before ``moment`` (counted from the events)."""
    events = SubscriptionEvent.objects.filter(at__lt=moment)
    if newsletter_list is not None:
        events = events.filter(newsletter_list=newsletter_list)
    counts = dict(events.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return counts.get(Kind.CONFIRM, 0) - counts.get(Kind.LEAVE, 0) - counts.get(Kind.BOUNCE, 0)


@dataclass
class DayRow:
    day: datetime.date
    joins: int = 0
    confirmations: int = 0
    leaves: int = 0
    bounces: int = 0
    total: int = 0


def subscriber_series(newsletter_list: NewsletterList, start: datetime.date, end: datetime.date) -> list[DayRow]:
    """One row per day from ``start`` to ``end`` (inclusive): joins, confirmations, leaves, bounces,
    and the active subscribers at the end of the day. Two queries."""
    base = active_subscribers_at(_aware(start), newsletter_list)
    per_day: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    rows = (
        SubscriptionEvent.objects.filter(
            newsletter_list=newsletter_list, at__gte=_aware(start), at__lt=_aware(end + datetime.timedelta(days=1))
        )
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "kind")
        .annotate(n=Count("id"))
    )
    for day, kind, n in rows:
        per_day[day][kind] = n
    series, total, day = [], base, start
    while day <= end:
        counts = per_day.get(day, {})
        total += counts.get(Kind.CONFIRM, 0) - counts.get(Kind.LEAVE, 0) - counts.get(Kind.BOUNCE, 0)
        series.append(
            DayRow(
                day=day, joins=counts.get(Kind.JOIN, 0), confirmations=counts.get(Kind.CONFIRM, 0),
                leaves=counts.get(Kind.LEAVE, 0), bounces=counts.get(Kind.BOUNCE, 0), total=total,
            )
        )  # fmt: skip
        day += datetime.timedelta(days=1)
    return series


def monthly_series(newsletter_list: NewsletterList, start: datetime.date, end: datetime.date) -> list[DayRow]:
    """The daily series summed per month (for the chart and the table of a long period)."""
    months: dict[tuple[int, int], DayRow] = {}
    for row in subscriber_series(newsletter_list, start, end):
        key = (row.day.year, row.day.month)
        month = months.setdefault(key, DayRow(day=row.day.replace(day=1)))
        month.joins += row.joins
        month.confirmations += row.confirmations
        month.leaves += row.leaves
        month.bounces += row.bounces
        month.total = row.total
    return list(months.values())


def issues_with_stats(queryset=None) -> list[Issue]:
    """Issues annotated with sent, failed, bounced, queued and 'unsubscribed after' (left before the next issue)."""
    queryset = queryset if queryset is not None else Issue.objects.all()
    d = Delivery.Status
    issues = list(
        queryset.select_related("newsletter_list").annotate(
            n_sent=Count("deliveries", filter=Q(deliveries__status=d.SENT)),
            n_failed=Count("deliveries", filter=Q(deliveries__status=d.FAILED)),
            n_bounced=Count("deliveries", filter=Q(deliveries__status=d.BOUNCED)),
            n_queued=Count("deliveries", filter=Q(deliveries__status__in=[d.QUEUED, d.SENDING])),
            n_items=Count("items", distinct=True),
        )
    )
    _add_unsubscribed_after(issues)
    return issues


def _add_unsubscribed_after(issues: list[Issue]) -> None:
    """Leaves by recipients of an issue between its sending and the next issue of the list (one query per list)."""
    sent = [issue for issue in issues if issue.sent_at]
    for issue in issues:
        issue.n_unsubscribed_after = 0
    if not sent:
        return
    by_list = defaultdict(list)
    for issue in (
        Issue.objects.filter(status=Issue.Status.SENT).order_by("sent_at").values("pk", "newsletter_list_id", "sent_at")
    ):
        by_list[issue["newsletter_list_id"]].append(issue)
    window = {}
    for rows in by_list.values():
        for index, row in enumerate(rows):
            following = rows[index + 1]["sent_at"] if index + 1 < len(rows) else None
            window[row["pk"]] = (row["sent_at"], following)
    first = min(window.get(issue.pk, (issue.sent_at, None))[0] for issue in sent)
    leaves = list(
        SubscriptionEvent.objects.filter(kind=Kind.LEAVE, subscriber__isnull=False, at__gte=first).values_list(
            "subscriber_id", "at"
        )
    )
    if not leaves:
        return
    received = set(
        Delivery.objects.filter(
            issue_id__in=[issue.pk for issue in sent], subscriber_id__in={sub for sub, _at in leaves}
        ).values_list("issue_id", "subscriber_id")
    )
    for issue in sent:
        start, stop = window.get(issue.pk, (issue.sent_at, None))
        issue.n_unsubscribed_after = sum(
            1
            for subscriber_id, at in leaves
            if (issue.pk, subscriber_id) in received and at >= start and (stop is None or at < stop)
        )


def issue_detail(pk: int) -> Issue:
    issue = issues_with_stats(Issue.objects.filter(pk=pk))
    if not issue:
        raise Issue.DoesNotExist
    return issue[0]


def archive_issues():
    return (
        Issue.objects.filter(status=Issue.Status.SENT, newsletter_list__is_public=True)
        .select_related("newsletter_list")
        .order_by("-sent_at")
    )


def subscribers_page(newsletter_list: NewsletterList, *, status: str = "", q: str = ""):
    rows = Subscriber.objects.filter(newsletter_list=newsletter_list).select_related("person").order_by("email", "id")
    if status in Subscriber.Status.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(email__icontains=q) | Q(name__icontains=q))
    return rows


def subscriber_export(subscriber: Subscriber) -> dict:
    """What we hold about this address in the newsletter (every list), for the subscriber's own download."""
    from core.privacy import DataSubject
    from newsletter.privacy import export

    return export(DataSubject(email=subscriber.email))


def figures_subscribers(year: int, newsletter_list: NewsletterList | None = None) -> int:
    return active_subscribers_at(end_of_year(year), newsletter_list)


def event_count(year: int, kind: str) -> int:
    return SubscriptionEvent.objects.filter(
        kind=kind, at__gte=_aware(datetime.date(year, 1, 1)), at__lt=end_of_year(year)
    ).count()


# --- figures for the annual report (aggregate queries only; added for the reports module) -----------------

INITIATIVE_SOURCE = "Industrie-Initiative"


def subscription_event_counts(year: int) -> dict[str, int]:
    """Joins, confirmations, leaves and bounces within the year, all lists (1 query)."""
    rows = (
        SubscriptionEvent.objects.filter(at__gte=end_of_year(year - 1), at__lt=end_of_year(year))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict(rows)
    return {kind: counts.get(kind, 0) for kind in Kind.values}


def sent_issue_counts(year: int) -> dict[str, int]:
    """Issues sent in the year, their items, and the items from the industry initiative (1 query)."""
    counts = Issue.objects.filter(
        status=Issue.Status.SENT, sent_at__gte=end_of_year(year - 1), sent_at__lt=end_of_year(year)
    ).aggregate(
        n_issues=Count("id", distinct=True),
        n_items=Count("items", distinct=True),
        n_initiative=Count("items", filter=Q(items__source=INITIATIVE_SOURCE), distinct=True),
    )
    return {
        "issues": counts["n_issues"] or 0,
        "items": counts["n_items"] or 0,
        "items_initiative": counts["n_initiative"] or 0,
    }


def first_sent_issue_at(before: datetime.datetime) -> datetime.datetime | None:
    """When the first issue of any list went out, if before ``before`` (1 query)."""
    return (
        Issue.objects.filter(status=Issue.Status.SENT, sent_at__lt=before)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
        .first()
    )


def subscribers_by_month(year: int) -> list[tuple[datetime.date, int]]:
    """Active subscribers at the end of each month of the year, all lists (2 queries)."""
    from django.db.models.functions import TruncMonth

    start = end_of_year(year - 1)
    before = active_subscribers_at(start)
    rows = (
        SubscriptionEvent.objects.filter(at__gte=start, at__lt=end_of_year(year))
        .annotate(month=TruncMonth("at"))
        .values_list("month", "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    change = defaultdict(int)
    sign = {Kind.CONFIRM: 1, Kind.LEAVE: -1, Kind.BOUNCE: -1}
    for month, kind, n in rows:
        month = month.date() if isinstance(month, datetime.datetime) else month
        change[month.month] += sign.get(kind, 0) * n
    result, running, today = [], before, timezone.localdate()
    for month in range(1, 13):
        if datetime.date(year, month, 1) > today:
            break
        running += change[month]
        result.append((datetime.date(year, month, 1), running))
    return result


def deliveries_sent(year: int) -> int:
    """Newsletter mails delivered for the issues sent in the year (1 query, on the issue/status index)."""
    issues = Issue.objects.filter(
        status=Issue.Status.SENT, sent_at__gte=end_of_year(year - 1), sent_at__lt=end_of_year(year)
    )
    return Delivery.objects.filter(issue__in=issues, status=Delivery.Status.SENT).count()

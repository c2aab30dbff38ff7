"""Reads of the newsletter: what pages, figures and the annual report need, in a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.prepared import CompiledPages, RowModel, compiled_rows
from core.privacy import DataSubject
from newsletter import privacy
from newsletter.models import Delivery, Issue, Item, NewsletterList, Subscriber, SubscriberImport, SubscriptionEvent

Kind = SubscriptionEvent.Kind


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def end_of_year(year: int) -> datetime.datetime:
    return _aware(datetime.date(year + 1, 1, 1))


def public_lists() -> list[NewsletterList]:
    return list(NewsletterList.objects.filter(is_public=True).order_by("name"))


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
    """Issues annotated with sent, failed, bounced, queued, items and 'unsubscribed after' (left before
    the next issue of the list). Six queries, however many issues, items and deliveries.

    The counts come from their own grouped queries: counting deliveries and items in one join
    would multiply each by the other.
    """
    queryset = queryset if queryset is not None else Issue.objects.order_by("-created_at")
    issues = list(queryset.select_related("newsletter_list"))
    ids = [issue.pk for issue in issues]
    by_status: dict[int, dict[str, int]] = defaultdict(dict)
    items: dict[int, int] = {}
    if ids:
        rows = Delivery.objects.filter(issue_id__in=ids).values_list("issue_id", "status").annotate(n=Count("id"))
        for issue_id, status, n in rows.order_by():
            by_status[issue_id][status] = n
        items = dict(Item.objects.filter(issue_id__in=ids).values_list("issue_id").annotate(n=Count("id")).order_by())
    d = Delivery.Status
    for issue in issues:
        counts = by_status.get(issue.pk, {})
        issue.n_sent = counts.get(d.SENT, 0)
        issue.n_failed = counts.get(d.FAILED, 0)
        issue.n_bounced = counts.get(d.BOUNCED, 0)
        issue.n_queued = counts.get(d.QUEUED, 0) + counts.get(d.SENDING, 0)
        issue.n_items = items.get(issue.pk, 0)
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


def sent_issues_of(newsletter_list: NewsletterList):
    return Issue.objects.filter(newsletter_list=newsletter_list, status=Issue.Status.SENT).order_by("-sent_at", "-pk")


def default_list() -> NewsletterList | None:
    """The list a new issue is for unless staff pick another one (the oldest)."""
    return NewsletterList.objects.order_by("pk").first()


def issue_with_stats(issue: Issue) -> Issue:
    """One issue for its staff page, with the counts of :func:`issues_with_stats`."""
    return issues_with_stats(Issue.objects.filter(pk=issue.pk))[0]


def issue_items(issue: Issue) -> list[Item]:
    return list(issue.items.all())


def active_count(newsletter_list_id: int) -> int:
    return Subscriber.objects.filter(newsletter_list_id=newsletter_list_id, status=Subscriber.Status.ACTIVE).count()


def archive_issues(limit: int | None = None) -> list[Issue]:
    """Sent issues of public lists, newest first."""
    issues = (
        Issue.objects.filter(status=Issue.Status.SENT, newsletter_list__is_public=True)
        .select_related("newsletter_list")
        .order_by("-sent_at", "-pk")
    )
    return list(issues[:limit] if limit else issues)


def subscribers_filtered(newsletter_list: NewsletterList, *, status: str = "", q: str = ""):
    """The staff list of a list's subscribers (a queryset: the page paginates it)."""
    rows = Subscriber.objects.filter(newsletter_list=newsletter_list).select_related("person").order_by("email", "id")
    if status in Subscriber.Status.values:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(email__icontains=q) | Q(name__icontains=q))
    return rows


_SUBSCRIBER_ROW = RowModel(Subscriber, related=("person",))


def subscribers_list(newsletter_list: NewsletterList, *, status: str = "", q: str = ""):
    """The staff subscriber list for a ``Paginator``: :func:`subscribers_filtered`'s subscribers with their
    person. Without a search the count and each page run SQL compiled once per process and (list, status)
    (``core.prepared.CompiledPages``); a search is built each time (its text stays out of the cache)."""
    if q or status not in ("", *Subscriber.Status.values):
        return subscribers_filtered(newsletter_list, status=status, q=q)
    return CompiledPages(
        ("newsletter.subscribers_list", newsletter_list.pk, status),
        lambda: subscribers_filtered(newsletter_list, status=status).values(*_SUBSCRIBER_ROW.names),
        row=_SUBSCRIBER_ROW.instance,
    )


def _local(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def subscriber_export_header() -> list[str]:
    return [_("E-Mail"), _("Name"), _("Sprache"), _("Status"), _("angemeldet"), _("bestätigt"), _("abgemeldet"),
            _("unzustellbar seit"), _("Quelle")]  # fmt: skip


def subscriber_export_rows(newsletter_list: NewsletterList, *, status: str = "", q: str = "") -> Iterator[list]:
    """Every subscriber of the filtered list, streamed from the database (never capped)."""
    labels = dict(Subscriber.Status.choices)
    rows = subscribers_filtered(newsletter_list, status=status, q=q).select_related(None)
    for s in rows.iterator(chunk_size=2000):
        yield [s.email, s.name, s.language, str(labels.get(s.status, s.status)), _local(s.created_at),
               _local(s.confirmed_at), _local(s.unsubscribed_at), _local(s.bounced_at), s.source]  # fmt: skip


def subscriber_export(subscriber: Subscriber) -> dict:
    """What we hold about this address in the newsletter (every list), for the subscriber's own download."""
    return privacy.export(DataSubject(email=subscriber.email))


def first_event_day(newsletter_list: NewsletterList) -> datetime.date | None:
    """The day of the list's first sign-up (the start of its figures)."""
    first = newsletter_list.events.order_by("at").values_list("at", flat=True).first()
    return timezone.localtime(first).date() if first else None


SHOWN_ROWS = 500  # rows per section the import preview lists; the counts cover all


@dataclass
class ImportSummary:
    ok: int
    errors: int
    duplicates: int
    error_rows: list[dict]
    duplicate_rows: list[dict]
    ok_rows: list[dict]
    shown: int = SHOWN_ROWS


def _shown(rows: list[dict]) -> list[dict]:
    """The first :data:`SHOWN_ROWS` rows, each with its consent date as a date (the page formats it)."""
    return [
        {
            **row,
            "consent_date": datetime.date.fromisoformat(row["data"]["consent_date"])
            if row["data"]["consent_date"]
            else None,
        }
        for row in rows[:SHOWN_ROWS]
    ]


def import_summary(batch: SubscriberImport) -> ImportSummary:
    """The checked rows of an import by outcome; each list shows at most :data:`SHOWN_ROWS` rows."""
    errors = [row for row in batch.rows if row["errors"]]
    duplicates = [row for row in batch.rows if row["duplicate"] and not row["errors"]]
    ok = [row for row in batch.rows if not row["errors"] and not row["duplicate"]]
    return ImportSummary(
        ok=len(ok), errors=len(errors), duplicates=len(duplicates), error_rows=_shown(errors),
        duplicate_rows=_shown(duplicates), ok_rows=_shown(ok),
    )  # fmt: skip


def tracked_item_link(delivery: Delivery | None, item_pk: int) -> str:
    """The link of an item of the delivery's issue (the click redirect's target), or ""."""
    if delivery is None:
        return ""
    return Item.objects.filter(pk=item_pk, issue_id=delivery.issue_id).values_list("link", flat=True).first() or ""


def start_block() -> dict:
    """The staff start page's newsletter block, what needs attention: issues scheduled or being sent
    (with their progress), imports waiting for confirmation, the next draft, active subscribers (5 queries)."""
    due = list(
        Issue.objects.filter(status__in=[Issue.Status.SCHEDULED, Issue.Status.SENDING])
        .select_related("newsletter_list")
        .order_by("scheduled_at", "number", "pk")
    )
    progress: dict[int, dict[str, int]] = defaultdict(dict)
    for issue_id, status, n in (
        Delivery.objects.filter(issue__status=Issue.Status.SENDING)
        .order_by()
        .values_list("issue_id", "status")
        .annotate(n=Count("id"))
    ):
        progress[issue_id][status] = n
    for issue in due:
        counts = progress.get(issue.pk, {})
        issue.n_total = sum(counts.values())
        issue.n_sent = counts.get(Delivery.Status.SENT, 0)
    return {
        "active": Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).count(),
        "due": due,
        "imports": list(
            SubscriberImport.objects.filter(status=SubscriberImport.Status.PREVIEW)
            .select_related("newsletter_list", "created_by")
            .order_by("created_at", "pk")
        ),
        "next_draft": Issue.objects.filter(status=Issue.Status.DRAFT)
        .select_related("newsletter_list")
        .order_by("number", "pk")
        .first(),
    }


_LIST_ROW = RowModel(NewsletterList)


def signup_list() -> NewsletterList | None:
    """The list the home page's sign-up form is for: the oldest public one (1 query, compiled once
    per process: the home page asks on every visit)."""
    rows = compiled_rows(
        ("newsletter.signup_list",),
        lambda: NewsletterList.objects.filter(is_public=True).order_by("pk").values(*_LIST_ROW.names)[:1],
    )
    return _LIST_ROW.instance(rows[0]) if rows else None


def subscriptions_for_email(email: str) -> list[Subscriber]:
    """A person's subscriptions on every list with the consent they gave, for their personal area (1 query)."""
    return list(
        Subscriber.objects.filter(email__iexact=email)
        .select_related("newsletter_list", "consent")
        .order_by("newsletter_list__name", "pk")
    )


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


# --- the JSON API (api module) ----------------------------------------------------------


def api_lists():
    """Every newsletter list with its number of active subscribers, ordered by id."""
    return NewsletterList.objects.annotate(
        active=Count("subscribers", filter=Q(subscribers__status=Subscriber.Status.ACTIVE))
    ).order_by("id")


def api_subscriptions(*, list_id: int | None = None, status: str = ""):
    """Subscriptions, ordered by id for keyset pagination."""
    queryset = Subscriber.objects.order_by("id")
    if list_id is not None:
        queryset = queryset.filter(newsletter_list_id=list_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset

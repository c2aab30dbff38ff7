"""Reads for the event pages, the feed and the figures; each in a fixed number of queries."""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.prepared import SAMPLE_TIME, PreparedQuery, RowModel, compiled_rows
from events.models import (
    Answer,
    Audience,
    ChangeNotice,
    Event,
    EventInvitation,
    EventPartner,
    Meeting,
    Question,
    Registration,
    Topic,
)

PUBLIC_STATUSES = [Event.Status.PUBLISHED, Event.Status.REGISTRATION_CLOSED, Event.Status.CANCELLED, Event.Status.HELD]


@dataclass(frozen=True)
class CalendarFilters:
    kind: str = ""
    topic: str = ""  # Topic.slug
    mode: str = ""
    month: str = ""  # "YYYY-MM"

    @property
    def active(self) -> bool:
        return any([self.kind, self.topic, self.mode, self.month])


def _month_range(month: str):
    try:
        year, number = (int(part) for part in month.split("-", 1))
        start = timezone.make_aware(datetime.datetime(year, number, 1))
    except (ValueError, TypeError):
        return None
    end = timezone.make_aware(datetime.datetime(year + (number == 12), number % 12 + 1, 1))
    return start, end


def _filter_values(filters: CalendarFilters) -> dict:
    """The filters that are set, as the values a query takes (a month as its two bounds)."""
    values = {name: getattr(filters, name) for name in ("kind", "topic", "mode") if getattr(filters, name)}
    if filters.month and (bounds := _month_range(filters.month)):
        values["month_start"], values["month_end"] = bounds
    return values


def _filtered(queryset: QuerySet, kind=None, topic=None, mode=None, month_start=None, month_end=None) -> QuerySet:
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    if topic is not None:
        queryset = queryset.filter(topic__slug=topic)
    if mode is not None:
        queryset = queryset.filter(mode=mode)
    if month_start is not None:
        queryset = queryset.filter(starts_at__gte=month_start, starts_at__lt=month_end)
    return queryset


# The calendar's query, compiled once per process for each combination of filters set (core.prepared):
# only the time and the filters' values differ per visit. Samples no real value has.
_CALENDAR_SAMPLES = {
    "now": SAMPLE_TIME,
    "kind": "~sample kind~",
    "topic": "~sample topic~",
    "mode": "~sample mode~",
    "month_start": datetime.datetime(1901, 3, 1, tzinfo=datetime.UTC),
    "month_end": datetime.datetime(1901, 4, 1, tzinfo=datetime.UTC),
}


@functools.cache
def _calendar_query(names: frozenset[str], limit: int) -> PreparedQuery:
    def build(now, **values):
        queryset = Event.objects.filter(status__in=PUBLIC_STATUSES, ends_at__gte=now)
        return _filtered(queryset, **values).order_by("starts_at", "pk").values(*_EVENT_ROW.names)[:limit]

    return PreparedQuery(build, **{name: _CALENDAR_SAMPLES[name] for name in {"now", *names}})


def calendar_events(filters: CalendarFilters, now=None, limit: int = 200) -> list[Event]:
    """Upcoming public events (cancelled ones stay visible, marked), with their topics, one query."""
    values = _filter_values(filters)
    rows = _calendar_query(frozenset(values), limit).rows(now=now or timezone.now(), **values)
    return [_EVENT_ROW.instance(row) for row in rows]


def feed_events(filters: CalendarFilters, now=None) -> list[Event]:
    """The subscribable feed: the last year and everything ahead."""
    now = now or timezone.now()
    queryset = Event.objects.filter(status__in=PUBLIC_STATUSES, starts_at__gte=now - datetime.timedelta(days=365))
    return list(_filtered(queryset, **_filter_values(filters)).order_by("starts_at", "pk")[:1000])


def _upcoming_bookable(now):
    """What :func:`upcoming_public_events` selects, as a queryset, soonest first."""
    return (
        Event.objects.filter(status__in=PUBLIC_STATUSES, starts_at__gte=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "pk")
    )


def upcoming_public_events(*, limit: int = 20, now=None) -> list[Event]:
    """Public events still ahead that one can go to (not cancelled), soonest first.

    What other modules offer of events (the newsletter's items, the start page, the portal's
    invitation to an event) comes from here, so the events module's publication rule holds there too.
    """
    return list(_upcoming_bookable(now or timezone.now()).select_related("topic")[:limit])


def upcoming_public_event(pk: int, now=None) -> Event | None:
    """One event of :func:`upcoming_public_events` by id, or ``None`` if it is not (or no longer) one."""
    now = now or timezone.now()
    return (
        Event.objects.filter(pk=pk, status__in=PUBLIC_STATUSES, starts_at__gte=now)
        .exclude(status=Event.Status.CANCELLED)
        .first()
    )


def _free_places(events: list[Event], audiences: list[dict]) -> None:
    """Set ``free_places`` on each event from its audiences' rows (``event_id``, ``quota``,
    ``seats_taken``): free seats over all audiences (``None``: unlimited, 0: full)."""
    by_event: dict[int, list[dict]] = {event.pk: [] for event in events}
    for audience in audiences:
        by_event[audience["event_id"]].append(audience)
    for event in events:
        own = by_event[event.pk]
        free = None
        frees = [None if a["quota"] is None else max(a["quota"] - a["seats_taken"], 0) for a in own]
        if frees and None not in frees:
            free = sum(frees)
        if event.capacity is not None:
            event_free = max(event.capacity - sum(a["seats_taken"] for a in own), 0)
            free = event_free if free is None else min(free, event_free)
        event.free_places = free


# The home page's two queries, compiled once per process and limit (core.prepared): only the time
# differs per visit, and both read the database every time, so a booking shows on the next visit.
_HOME_EVENT_ROW = RowModel(Event)  # the block shows no topic


@functools.cache
def _home_queries(limit: int) -> tuple[PreparedQuery, PreparedQuery]:
    events = PreparedQuery(lambda now: _upcoming_bookable(now).values(*_HOME_EVENT_ROW.names)[:limit], now=SAMPLE_TIME)
    audiences = PreparedQuery(
        lambda now: (
            Audience.objects.filter(event_id__in=_upcoming_bookable(now).values("pk")[:limit])
            .order_by()
            .values("pk", "event_id", "quota", "seats_taken")
        ),
        now=SAMPLE_TIME,
    )
    return events, audiences


def home_events(*, limit: int = 5, now=None) -> list[Event]:
    """The next events one can go to, for the public home page, each with ``free_places`` (2 queries:
    the events, then their audiences with the seats taken)."""
    now = now or timezone.now()
    events_query, audiences_query = _home_queries(limit)
    events = [_HOME_EVENT_ROW.instance(row) for row in events_query.rows(now=now)]
    _free_places(events, audiences_query.rows(now=now) if events else [])
    return events


def registration_calendar(registration: Registration, event: Event) -> str:
    """Which calendar file the person's own page offers: ``"entry"`` for a confirmed seat at an
    event that takes place, ``"removal"`` once their registration or the event is cancelled (it
    takes the entry out of their calendar), ``""`` while they hold no seat (no query)."""
    if registration.status == Registration.Status.CANCELLED or (
        event.is_cancelled and registration.status in Registration.ACTIVE
    ):
        return "removal"
    if registration.status == Registration.Status.CONFIRMED:
        return "entry"
    return ""


def registrations_for_email(email: str, *, past_days: int = 30, limit: int = 50, now=None) -> list[Registration]:
    """A person's registrations for events that ended at most ``past_days`` ago, soonest first, each
    with ``position`` on the waiting list (1 query)."""
    now = now or timezone.now()
    ahead = (
        Registration.objects.filter(
            Q(created_at__lt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")),
            event_id=OuterRef("event_id"), audience_id=OuterRef("audience_id"), status=Registration.Status.WAITING,
        )
        .order_by()
        .values("event_id")
        .annotate(n=Count("pk"))
        .values("n")
    )  # fmt: skip
    return list(
        Registration.objects.filter(
            email__iexact=email,
            anonymised_at__isnull=True,
            event__ends_at__gte=now - datetime.timedelta(days=past_days),
        )
        .exclude(event__status=Event.Status.DRAFT)
        .annotate(ahead=Subquery(ahead))
        .select_related("event", "audience")
        .order_by("event__starts_at", "pk")[:limit]
    )


def _local_day(day: datetime.date | None) -> tuple[datetime.datetime, datetime.datetime]:
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


# Seats taken and people waiting per event, summed from its audiences' counters (events.seat_counters):
# subqueries, so they neither scan the registrations nor multiply with another annotation's join.
def _audience_total(column: str) -> Coalesce:
    per_event = Audience.objects.filter(event=OuterRef("pk")).order_by().values("event").annotate(total=Sum(column))
    return Coalesce(Subquery(per_event.values("total")), 0)


def _seats_from_audiences() -> dict:
    return {"seated": _audience_total("seats_taken"), "waiting": _audience_total("people_waiting")}


def today_events(day: datetime.date | None = None) -> list[Event]:
    """Events taking place today (not drafts, not cancelled) with seats taken, people waiting and
    people let in, for the staff start page (1 query)."""
    start, end = _local_day(day)
    return list(
        Event.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .exclude(status__in=[Event.Status.DRAFT, Event.Status.CANCELLED])
        .annotate(
            **_seats_from_audiences(),
            checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )


_TOPIC_ROW = RowModel(Topic)


def calendar_topics() -> list[Topic]:
    """The topics the calendar filters by, by name (1 query, compiled once per process)."""
    rows = compiled_rows(("events.calendar_topics",), lambda: Topic.objects.order_by("name").values(*_TOPIC_ROW.names))
    return [_TOPIC_ROW.instance(row) for row in rows]


# What the public page shows of an event besides the row: fetched only where the event has any
# (most events have no partners, organisers or questions; a prefetch query that returns nothing
# still costs a round trip and the ORM's work).
_PUBLIC_RELATIONS = {
    "partners": (EventPartner, "event_id"),
    "organisers": (Event.organisers.through, "event_id"),
    "questions": (Question, "event_id"),
}


# The event page's and the personal link's queries are compiled once per process (core.prepared):
# only the slug, the token or the event's id differ per request. ``RowModel`` turns their rows into
# the model instances (related objects cached) that the templates and services expect.
_EVENT_ROW = RowModel(Event, related=("topic",))
_EVENT_PUBLIC_QUERY = PreparedQuery(
    lambda slug: (
        Event.objects.filter(slug=slug, status__in=PUBLIC_STATUSES)
        .order_by()
        .values(
            *_EVENT_ROW.names,
            **{
                f"has_{name}": Exists(model.objects.filter(**{column: OuterRef("pk")}))
                for name, (model, column) in _PUBLIC_RELATIONS.items()
            },
        )
    ),
    slug="~sample slug~",
)
_AUDIENCE_ROW = RowModel(Audience)
_AUDIENCES_QUERY = PreparedQuery(
    lambda event_id: Audience.objects.filter(event_id=event_id).values(*_AUDIENCE_ROW.names),
    event_id=-1,
)
_REGISTRATION_ROW = RowModel(Registration, related=("event", "audience"))
_REGISTRATION_QUERY = PreparedQuery(
    lambda token: Registration.objects.filter(token=token).order_by().values(*_REGISTRATION_ROW.names),
    token="~sample token~",  # noqa: S106 (a sample value, no secret)
)


def event_public(slug: str) -> Event:
    """A public event with what its page shows (topic, partners, organisers, audiences, questions):
    one query for the event (with its topic and whether it has partners, organisers, questions), one
    for its audiences (each with its seats taken and people waiting), and one each only for the
    relations it has."""
    rows = _EVENT_PUBLIC_QUERY.rows(slug=slug)
    if not rows:
        raise Http404
    event = _EVENT_ROW.instance(rows[0])
    wanted = [name for name in _PUBLIC_RELATIONS if getattr(event, f"has_{name}")]
    cache = event.__dict__.setdefault("_prefetched_objects_cache", {})
    cache["audiences"] = _audiences_of(event)
    for name in _PUBLIC_RELATIONS.keys() - set(wanted):
        # known to be empty: what a prefetch of nothing leaves, without a query
        empty = Event._meta.get_field(name).related_model._default_manager.none()
        empty._result_cache, empty._prefetch_done = [], True
        cache[name] = empty
    if wanted:
        prefetch_related_objects([event], *wanted)
    return event


def registration_for_token(token: str) -> Registration | None:
    """The registration of a personal link with its event and audience (one query)."""
    rows = _REGISTRATION_QUERY.rows(token=token)
    return _REGISTRATION_ROW.instance(rows[0]) if rows else None


def _audiences_of(event: Event) -> QuerySet:
    """``event.audiences.all()`` as a prefetch leaves it: one query."""
    audiences = [_AUDIENCE_ROW.instance(row) for row in _AUDIENCES_QUERY.rows(event_id=event.pk)]
    for audience in audiences:
        Audience.event.field.set_cached_value(audience, event)
    # The filter is deferred as Django's related managers defer theirs: it is built (0.3 ms of the
    # ORM's work) only should something chain onto the queryset; iterating, counting and
    # ``exists()`` read the rows above.
    result = Audience.objects.all()
    result._defer_next_filter = True
    result = result.filter(event=event)
    result._result_cache, result._prefetch_done = audiences, True
    return result


def audience_availability(event: Event) -> list[dict]:
    """Per audience: quota, seats taken, free seats (None = unlimited) and people waiting.

    No query when the audiences are at hand (``event_public``, in this request): the figures are the
    audiences' own columns, kept by the database (``events.seat_counters``)."""
    audiences = list(event.audiences.all())
    by_audience = {a.pk: {"seated": a.seats_taken, "waiting": a.people_waiting} for a in audiences}
    total_seated = sum(row["seated"] for row in by_audience.values())
    event_free = None if event.capacity is None else max(event.capacity - total_seated, 0)
    rows = []
    for audience in audiences:
        row = by_audience.get(audience.pk, {"seated": 0, "waiting": 0})
        free = None if audience.quota is None else max(audience.quota - row["seated"], 0)
        if event_free is not None:
            free = event_free if free is None else min(free, event_free)
        rows.append({"audience": audience, "seated": row["seated"], "waiting": row["waiting"], "free": free})
    return rows


EVENT_STATUS_SCHEMA = {
    "cancelled": "https://schema.org/EventCancelled",
    "moved_online": "https://schema.org/EventMovedOnline",
    "rescheduled": "https://schema.org/EventRescheduled",
    "scheduled": "https://schema.org/EventScheduled",
}
ATTENDANCE_SCHEMA = {
    Event.Mode.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Mode.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Mode.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def event_status_key(event: Event) -> str:
    if event.status == Event.Status.CANCELLED:
        return "cancelled"
    if event.moved_online_at and event.mode == Event.Mode.ONLINE:
        return "moved_online"
    if event.rescheduled_at:
        return "rescheduled"
    return "scheduled"


def event_status_label(event: Event) -> str:
    """The event's state as search engines and calendars are told it, in words (no query)."""
    return {
        "cancelled": _("abgesagt"),
        "moved_online": _("ins Internet verlegt"),
        "rescheduled": _("auf einen neuen Termin verschoben"),
        "scheduled": _("findet wie geplant statt"),
    }[event_status_key(event)]


def _postal_address(event: Event) -> dict:
    address = {
        "@type": "PostalAddress",
        "streetAddress": event.venue_street,
        "postalCode": event.venue_postcode,
        "addressLocality": event.venue_city,
        "addressCountry": "DE",
    }
    return {key: value for key, value in address.items() if value}


def event_jsonld(event: Event) -> dict:
    """schema.org ``Event`` for the public page (uses the prefetched organisers)."""
    url = settings.SITE_URL + event.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": EVENT_STATUS_SCHEMA[event_status_key(event)],
        "eventAttendanceMode": ATTENDANCE_SCHEMA[event.mode],
        "url": url,
        "organizer": [{"@type": "Organization", "name": org.name} for org in event.organisers.all()]
        or {"@type": "Organization", "name": settings.KAMMERWERK_ORGANISATION_NAME, "url": settings.SITE_URL},
    }
    description = (event.summary or event.description[:500]).strip()
    if description:
        data["description"] = description
    if event.previous_starts_at and event.rescheduled_at:
        data["previousStartDate"] = timezone.localtime(event.previous_starts_at).isoformat()
    locations = []
    if event.has_venue:
        locations.append({"@type": "Place", "name": event.venue_name or event.title, "address": _postal_address(event)})
    if event.has_online_part:
        locations.append({"@type": "VirtualLocation", "url": url})  # the real link only goes to registrants
    if locations:
        data["location"] = locations[0] if len(locations) == 1 else locations
    return data


# --- staff ----------------------------------------------------------------------------


def staff_events(*, year: int | None = None, status: str = "", q: str = "") -> list[Event]:
    queryset = Event.objects.select_related("topic").annotate(**_seats_from_audiences())
    if year:
        queryset = queryset.filter(starts_at__year=year)
    if status:
        queryset = queryset.filter(status=status)
    if q:
        queryset = queryset.filter(title__icontains=q)
    return list(queryset.order_by("-starts_at", "-pk")[:500])


def event_for_staff(pk: int, *, only_audiences_and_questions: bool = False) -> Event:
    """An event with its partners (and their proof), organisers, audiences and questions: six queries.

    ``only_audiences_and_questions`` (the participants table, which shows nothing else): three queries.
    """
    if only_audiences_and_questions:
        events = Event.objects.prefetch_related("audiences", "questions")
    else:
        partnerships = Prefetch("partnerships", queryset=EventPartner.objects.select_related("organisation"))
        events = Event.objects.select_related("topic").prefetch_related(
            partnerships, "partners", "organisers", "audiences", "questions"
        )
    try:
        return events.get(pk=pk)
    except (Event.DoesNotExist, ValueError):
        raise Http404 from None


def event_changes(event: Event, limit: int = 20) -> list:
    """The latest changes of an event, each with ``progress`` (notices, queued, delivered): two queries."""
    changes = list(event.changes.all()[:limit])
    progress = {row["change_id"]: row for row in notice_progress([change.pk for change in changes])}
    for change in changes:
        change.progress = progress.get(change.pk, {})
    return changes


def invitation_counts(event_ids) -> dict[int, int]:
    """How many addresses were invited to each of these events: {event id: count}. One query."""
    rows = EventInvitation.objects.filter(event_id__in=list(event_ids)).values_list("event_id").annotate(n=Count("id"))
    return dict(rows)


def event_invitations(event: Event) -> list[EventInvitation]:
    """Who was invited, by whom, and whether they registered since (``registered``): one query."""
    registered = Registration.objects.filter(
        event_id=OuterRef("event_id"), email=OuterRef("email"), status__in=Registration.ACTIVE
    )
    return list(
        event.invitations.select_related("invited_by", "mail")
        .annotate(registered=Exists(registered))
        .order_by("-created_at", "-pk")
    )


def participants(event: Event, *, status: str = "", audience: int | None = None, q: str = "") -> list[Registration]:
    # the answers as a plain list (``answer_list``): the tables place them by question_id, so neither the
    # question rows nor a queryset per registration (``answers.all()``) are needed
    queryset = _participants_filtered(event, status=status, audience=audience, q=q)
    return list(
        queryset.select_related("audience").prefetch_related(
            Prefetch("answers", queryset=Answer.objects.order_by("pk"), to_attr="answer_list")
        )
    )


def _participants_filtered(event: Event, *, status: str = "", audience: int | None = None, q: str = ""):
    queryset = event.registrations.all()
    if status:
        queryset = queryset.filter(status=status)
    if audience:
        queryset = queryset.filter(audience_id=audience)
    if q:
        queryset = queryset.filter(
            Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(email__icontains=q)
            | Q(organisation_name__icontains=q)
        )  # fmt: skip
    return queryset.order_by("last_name", "first_name", "pk")


# what a row of the participants table shows (events/templatetags/events_rows.py)
_TABLE_COLUMNS = ("id", "audience_id", "last_name", "first_name", "email", "organisation_name", "status",
                  "checked_in_at", "partner_proof")  # fmt: skip


def participant_table(event: Event, **filters) -> tuple[list, list[dict]]:
    """The staff participants table: the questions, and a row per registration (a dict of ``_TABLE_COLUMNS``
    with its ``audience`` and its ``answer_cells`` in question order): two queries, whatever the number of
    registrations (the answers' only when the event asks questions).

    ``event`` comes with its audiences and questions (``event_for_staff(only_audiences_and_questions=True)``):
    each row takes its audience from those; rows and answers are read as plain values, not model rows.
    """
    questions = list(event.questions.all())
    audiences = {audience.pk: audience for audience in event.audiences.all()}
    rows = list(_participants_filtered(event, **filters).values(*_TABLE_COLUMNS))
    answers = {}
    if questions and rows:
        found = Answer.objects.filter(registration_id__in=[row["id"] for row in rows])
        answers = {
            (r, question): value for r, question, value in found.values_list("registration", "question", "value")
        }
    for row in rows:
        row["audience"] = audiences.get(row["audience_id"]) or Audience.objects.get(pk=row["audience_id"])
        row["answer_cells"] = [answers.get((row["id"], question.pk), "") for question in questions]
    return questions, rows


def export_rows(event: Event, registrations: list[Registration]) -> tuple[list[str], list[list]]:
    questions = list(event.questions.all())
    header = [
        _("Nachname"), _("Vorname"), _("E-Mail"), _("Unternehmen / Hochschule"), _("Zielgruppe"), _("Status"),
        _("angemeldet am"), _("eingelassen"), *[question.text for question in questions],
    ]  # fmt: skip
    rows = []
    for registration in registrations:
        answers = {answer.question_id: answer.value for answer in registration.answer_list}
        rows.append(
            [
                registration.last_name, registration.first_name, registration.email, registration.organisation_name,
                registration.audience.name, registration.get_status_display(),
                timezone.localtime(registration.created_at).strftime("%d.%m.%Y %H:%M"),
                timezone.localtime(registration.checked_in_at).strftime("%H:%M") if registration.checked_in_at else "",
                *[answers.get(question.pk, "") for question in questions],
            ]
        )  # fmt: skip
    return header, rows


def check_in_list(event: Event, q: str = "") -> list[Registration]:
    queryset = event.registrations.filter(status=Registration.Status.CONFIRMED).select_related("audience")
    if q:
        queryset = queryset.filter(
            Q(last_name__icontains=q) | Q(first_name__icontains=q) | Q(organisation_name__icontains=q)
        )
    return list(queryset.order_by("last_name", "first_name", "pk"))


def meeting_grid(event: Event) -> dict:
    """The Meet-the-Boss plan as a grid: students × rounds → boss, plus per-student counts."""
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).order_by("last_name", "first_name")
    regs = list(confirmed.select_related("audience"))
    students = [r for r in regs if r.audience.role == Audience.Role.STUDENT]
    bosses = [r for r in regs if r.audience.role == Audience.Role.BOSS]
    meetings = list(Meeting.objects.filter(event=event))
    cell = {(m.student_id, m.round): m for m in meetings}
    rounds = list(range(1, event.rounds + 1))
    rows = []
    for student in students:
        cells = [cell.get((student.pk, number)) for number in rounds]
        rows.append(
            {
                "student": student,
                "cells": cells,
                "count": sum(1 for c in cells if c),
                "score": sum(c.score for c in cells if c),
            }
        )
    return {
        "students": students, "bosses": bosses, "rounds": rounds, "rows": rows, "meetings": len(meetings),
        "score": sum(m.score for m in meetings), "min_count": min((row["count"] for row in rows), default=0),
    }  # fmt: skip


# --- figures ----------------------------------------------------------------------------


def event_figures(year: int) -> dict[str, int]:
    """The year's figures for the annual report, in three queries."""
    events = list(Event.objects.filter(starts_at__year=year).values("kind", "mode", "status", "moved_online_at"))
    held = [e for e in events if e["status"] == Event.Status.HELD]
    figures = {
        "held": len(held),
        "cancelled": sum(1 for e in events if e["status"] == Event.Status.CANCELLED),
        "moved_online": sum(1 for e in events if e["moved_online_at"] and e["status"] != Event.Status.CANCELLED),
        "meet_the_boss": sum(1 for e in held if e["kind"] == Event.Kind.MEET_THE_BOSS),
    }
    for kind in Event.Kind.values:
        figures[f"type.{kind}"] = sum(1 for e in held if e["kind"] == kind)
    for mode in Event.Mode.values:
        figures[f"mode.{mode}"] = sum(1 for e in held if e["mode"] == mode)
    in_year = Registration.objects.filter(event__starts_at__year=year)
    figures["registrations"] = in_year.exclude(status__in=[Registration.Status.DECLINED]).count()
    figures["attendance"] = in_year.filter(checked_in_at__isnull=False).count()
    return figures


def notice_progress(change_ids: list[int]) -> list[dict]:
    """Per change: notices in total, queued, and their mails sent (one query)."""
    return list(
        ChangeNotice.objects.filter(change_id__in=change_ids)
        .values("change_id")
        .annotate(
            total=Count("id"),
            queued=Count("id", filter=Q(queued_at__isnull=False)),
            sent=Count("id", filter=Q(mail__status="sent")),
        )
    )


# --- for other modules that keep event ids (networks: a network's meetings, the initiative's events) ---------


def events_with_attendance(ids) -> list[Event]:
    """The events with these ids, soonest first, each with ``registered`` (seats held) and ``attended``
    (checked in). One query."""
    return list(
        Event.objects.filter(pk__in=list(ids))
        .annotate(
            registered=Count("registrations", filter=Q(registrations__status__in=Registration.SEATED)),
            attended=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
        )
        .order_by("starts_at", "pk")
    )


def event_organisation_ids(ids) -> dict[int, set[int]]:
    """Per event id, the organisations of the people holding a seat there. One query."""
    found: dict[int, set[int]] = {}
    rows = Registration.objects.filter(
        event_id__in=list(ids), status__in=Registration.SEATED, organisation_id__isnull=False
    ).values_list("event_id", "organisation_id")
    for event_id, organisation_id in rows:
        found.setdefault(event_id, set()).add(organisation_id)
    return found


# --- figures for the annual report (aggregate queries only; added for the reports module) -----------------


def _held_condition(now: datetime.datetime) -> Q:
    """Held: the date has passed, it was not cancelled, and staff marked it held or someone was let in."""
    from django.db.models import Exists, OuterRef

    attended = Registration.objects.filter(event=OuterRef("pk"), checked_in_at__isnull=False)
    return Q(starts_at__lte=now) & ~Q(status=Event.Status.CANCELLED) & (Q(status=Event.Status.HELD) | Exists(attended))


def _year_events(year: int):
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    return Event.objects.filter(
        starts_at__gte=start, starts_at__lt=timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    )


def event_counts(year: int) -> dict:
    """The year's events by state (held, cancelled, other) × kind × mode, plus moved online (1 query)."""
    from django.db.models import Case, Value, When

    rows = (
        _year_events(year)
        .annotate(
            state=Case(
                When(status=Event.Status.CANCELLED, then=Value("cancelled")),
                When(_held_condition(timezone.now()), then=Value("held")),
                default=Value("other"),
            )
        )
        .values("state", "kind", "mode")
        .annotate(n=Count("id"), moved=Count("id", filter=Q(moved_online_at__isnull=False)))
        .order_by()
    )
    counts = {"held": {}, "cancelled": {}, "other": {}, "moved_online": 0}
    for row in rows:
        by_kind = counts[row["state"]].setdefault(row["kind"], {})
        by_kind[row["mode"]] = by_kind.get(row["mode"], 0) + row["n"]
        if row["state"] != "cancelled":
            counts["moved_online"] += row["moved"]
    return counts


def registration_counts(year: int) -> dict[str, int]:
    """Registrations to the year's events (not declined) and the people let in (1 query)."""
    counts = Registration.objects.filter(event__in=_year_events(year)).aggregate(
        registrations=Count("id", filter=~Q(status=Registration.Status.DECLINED)),
        attendance=Count("id", filter=Q(checked_in_at__isnull=False)),
    )
    return {key: value or 0 for key, value in counts.items()}


def meet_the_boss_partner_count(year: int) -> int:
    """Partner organisations (universities) of the Meet-the-Boss events held in the year (1 query)."""
    held = _year_events(year).filter(_held_condition(timezone.now()), kind=Event.Kind.MEET_THE_BOSS)
    return Event.partners.through.objects.filter(event__in=held).values("organisation_id").distinct().count()


# --- the JSON API (api module) ----------------------------------------------------------


def api_events(*, status: str = "", kind: str = "") -> QuerySet[Event]:
    """Every event for a staff token, with topic and audiences; ordered by id for keyset pagination."""
    queryset = Event.objects.select_related("topic").prefetch_related("audiences").order_by("id")
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def api_public_events() -> QuerySet[Event]:
    """The events the public calendar shows (published or past), ordered by id."""
    return api_events().filter(status__in=PUBLIC_STATUSES)


def api_registrations(*, event_id: int | None = None, status: str = "") -> QuerySet[Registration]:
    """Registrations (anonymised ones left out), ordered by id for keyset pagination."""
    queryset = Registration.objects.filter(anonymised_at__isnull=True).order_by("id")
    if event_id is not None:
        queryset = queryset.filter(event_id=event_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset

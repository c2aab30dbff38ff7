"""Reads of the advisory module, each in a fixed number of queries (pinned in tests/test_selectors.py).

Lists a page shows are paged (the consultation log, 50 talks a page) or capped (:class:`Capped` says when
there is more, and the page says so); exports are never capped: they stream every row.
"""

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from advisory.matching import CompanyProfile, Match, ProjectProfile, rank_programmes
from advisory.models import (
    HOLDING_STATUSES,
    Booking,
    Consultation,
    ConsultationDay,
    ConsultationSeries,
    ExpertCalendar,
    FundingProgramme,
    Slot,
    Topic,
    WaitlistEntry,
)
from contacts.models import District, Organisation, Person
from contacts.picker import organisation_label
from core.prepared import SAMPLE_TIME, CompiledPages, PreparedQuery, RowModel, counted

CONSULTATION_PAGE_SIZE = 50  # like the other staff lists (organisations, people, subscribers)
DAY_LIST_LIMIT = 500
PUBLIC_DAY_LIMIT = 200
FOLLOW_UP_LIMIT = 50
EXPORT_CHUNK = 1000


@dataclass(frozen=True)
class Capped:
    """The first ``limit`` rows of a list; ``more`` when there are further rows the page does not show."""

    rows: list
    limit: int
    more: bool

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)

    def __bool__(self):
        return bool(self.rows)


def _capped(queryset, limit: int) -> Capped:
    rows = list(queryset[: limit + 1])
    return Capped(rows=rows[:limit], limit=limit, more=len(rows) > limit)


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# --- consultation log ---------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationFilters:
    year: int | None = None
    topic: Topic | None = None
    adviser_id: int | None = None
    district_id: int | None = None


def _consultations(filters: ConsultationFilters):
    queryset = Consultation.objects.select_related("organisation__district", "adviser", "person")
    if filters.year:
        queryset = queryset.filter(date__year=filters.year)
    if filters.topic:
        # a subquery, not a join with DISTINCT: the list's count counts talks, not (talk, topic) pairs
        with_topic = Consultation.topics.through.objects.filter(consultation_id=OuterRef("pk")).filter(
            Q(topic=filters.topic) | Q(topic__parent=filters.topic)
        )
        queryset = queryset.filter(Exists(with_topic))
    if filters.adviser_id:
        queryset = queryset.filter(adviser_id=filters.adviser_id)
    if filters.district_id:
        queryset = queryset.filter(organisation__district_id=filters.district_id)
    return queryset.order_by("-date", "-id")


# what a row of the list shows (advisory/templatetags/advisory_rows.py)
_LIST_COLUMNS = (
    "id", "date", "channel", "duration_minutes", "follow_up_on", "contact_name", "organisation_id", "person_id",
    "organisation__name", "organisation__district__name", "adviser__full_name", "adviser__email", "person__title",
    "person__first_name", "person__last_name",
)  # fmt: skip


def _with_topics(rows: list[dict]) -> list[dict]:
    """The consultation list's rows with ``who`` (the person's name, else the name as typed: ``contact_label``),
    ``adviser`` (as ``str(user)``) and ``topics`` (each as ``str(topic)``, "parent › topic"), the topics of all
    rows in one query."""
    topics = {row["id"]: [] for row in rows}
    if rows:
        through = Consultation.topics.through.objects.filter(consultation_id__in=list(topics))
        for talk, name, parent_id, parent in through.order_by("topic__position", "topic__name", "topic_id").values_list(
            "consultation_id", "topic__name", "topic__parent_id", "topic__parent__name"
        ):
            topics[talk].append(f"{parent} › {name}" if parent_id else name)  # Topic.__str__
    for row in rows:
        names = (row["person__title"], row["person__first_name"], row["person__last_name"])
        row["who"] = " ".join(part for part in names if part) if row["person_id"] else row["contact_name"]
        row["adviser"] = row["adviser__full_name"] or row["adviser__email"]  # User.__str__
        row["topics"] = topics[row["id"]]
    return rows


def consultation_list(filters: ConsultationFilters) -> CompiledPages:
    """The talks matching the filters, newest first, for a ``Paginator`` of ``CONSULTATION_PAGE_SIZE``: per
    page the count, the talks (dicts of the columns a row shows) and their topics, three queries, the first two
    compiled once per filters and page (``core.prepared.CompiledPages``); the page shows no programmes."""
    key = ("advisory.consultation_list", filters.year, filters.topic.pk if filters.topic else None,
           filters.adviser_id, filters.district_id)  # fmt: skip
    return CompiledPages(key, lambda: _consultations(filters).values(*_LIST_COLUMNS), page=_with_topics)


def consultation_export(filters: ConsultationFilters) -> tuple[list[str], Iterator[list]]:
    """Header and every row of the talks matching the filters, read in chunks (3 queries per chunk)."""
    header = [_("Datum"), _("Unternehmen"), _("Kreis"), _("Gesprächspartner/-in"), _("Weg"), _("Dauer (Minuten)"),
              _("Themen"), _("Programme"), _("Berater/-in"), _("Ergebnis"), _("Wiedervorlage")]  # fmt: skip

    def rows():
        talks = _consultations(filters).prefetch_related(
            Prefetch("topics", queryset=Topic.objects.select_related("parent")), "programmes"
        )  # the topics with their parents in one query (their names show as "parent › topic")
        for talk in talks.iterator(chunk_size=EXPORT_CHUNK):
            organisation = talk.organisation
            yield [
                _date(talk.date), organisation.name if organisation else "",
                organisation.district.name if organisation and organisation.district else "", talk.contact_label,
                talk.get_channel_display(), talk.duration_minutes, "; ".join(str(t) for t in talk.topics.all()),
                "; ".join(p.short_name for p in talk.programmes.all()), str(talk.adviser), talk.outcome,
                _date(talk.follow_up_on),
            ]  # fmt: skip

    return header, rows()


def talks_per_topic(year: int) -> list[dict]:
    """Talks per topic in a year, a talk with two topics counts for each (1 query)."""
    rows = (
        Topic.objects.filter(consultations__date__year=year)
        .annotate(talks=Count("consultations", distinct=True))
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )
    return [{"topic": topic, "talks": topic.talks} for topic in rows]


def talks_in_area(year: int, area: str) -> int:
    """Distinct talks of a year with at least one topic in the area (Förderprogramme, Technologie …) (1 query)."""
    return (
        Consultation.objects.filter(date__year=year)
        .filter(Q(topics__area=area) | Q(topics__parent__area=area))
        .values("pk")
        .distinct()
        .count()
    )


def follow_ups_due(user, *, within_days: int = 7, limit: int = FOLLOW_UP_LIMIT) -> Capped:
    """The adviser's open follow-ups due within a week (1 query)."""
    today = timezone.localdate()
    return _capped(
        Consultation.objects.filter(
            adviser=user,
            follow_up_on__isnull=False,
            follow_up_on__lte=today + datetime.timedelta(days=within_days),
            follow_up_done_at__isnull=True,
        )
        .select_related("organisation", "person")
        .order_by("follow_up_on", "id"),
        limit,
    )


def recent_organisation_labels(user, limit: int = 30) -> list[str]:
    """The adviser's recent companies, offered in the picker before anything is typed (1 query)."""
    labels: list[str] = []
    recent = (
        Consultation.objects.filter(adviser=user, organisation__isnull=False)
        .select_related("organisation")
        .order_by("-date", "-id")[: limit * 2]
    )
    for talk in recent:
        label = organisation_label(talk.organisation)
        if label not in labels:
            labels.append(label)
    return labels[:limit]


def organisation_people(organisation: Organisation) -> list[Person]:
    """The people of a company a talk can be linked to: active roles, not anonymised (1 query)."""
    return list(
        Person.objects.filter(roles__organisation=organisation, roles__is_active=True, anonymised_at__isnull=True)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def name_variants(*, first_name: str = "", last_name: str = "", title: str = "") -> set[str]:
    """How a person's name may have been typed into a free-text field ("Petra Pieper",
    "Dr. Petra Pieper", "Pieper, Petra", "Pieper Petra"). A single name gives none: "Petra" alone
    could be anyone."""
    first_name, last_name, title = (" ".join(part.split()) for part in (first_name, last_name, title))
    if not (first_name and last_name):
        return set()
    forms = {f"{first_name} {last_name}", f"{last_name}, {first_name}", f"{last_name} {first_name}"}
    if title:
        forms.add(f"{title} {first_name} {last_name}")
    return forms


def _normalised(text: str) -> str:
    return " ".join((text or "").replace(",", " ").split()).casefold()


def names_match(person: Person, text: str) -> bool:
    """Whether a typed name is this person's name (case, commas and spaces ignored)."""
    variants = name_variants(first_name=person.first_name, last_name=person.last_name, title=person.title)
    return _normalised(text) in {_normalised(variant) for variant in variants}


# --- funding programmes -----------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeFilters:
    q: str = ""
    level: str = ""
    topic: Topic | None = None
    status: str = ""  # "" = open ones, "all" = every status
    max_employees: int | None = None


def programme_list(filters: ProgrammeFilters) -> list[FundingProgramme]:
    """The catalogue, filtered (3 queries: programmes, topics, their areas)."""
    queryset = FundingProgramme.objects.prefetch_related("topics__parent").order_by("short_name")
    if filters.q:
        queryset = queryset.filter(
            Q(name__icontains=filters.q) | Q(short_name__icontains=filters.q) | Q(funder__icontains=filters.q)
        )
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.topic:
        queryset = queryset.filter(Q(topics=filters.topic) | Q(topics__parent=filters.topic)).distinct()
    if filters.status == "":
        queryset = queryset.exclude(status=FundingProgramme.Status.ENDED)
    elif filters.status != "all":
        queryset = queryset.filter(status=filters.status)
    if filters.max_employees is not None:
        queryset = queryset.filter(Q(max_employees__isnull=True) | Q(max_employees__gte=filters.max_employees))
    return list(queryset)


def programmes_matched(company: CompanyProfile, project: ProjectProfile, today: datetime.date | None = None):
    """Every programme with its reasons for and against, fitting ones first (2 queries)."""
    programmes = FundingProgramme.objects.prefetch_related("topics").order_by("short_name")
    return rank_programmes(programmes, company, project, today or timezone.localdate())


def matcher_run(
    *, organisation: Organisation | None = None, employees: int | None = None, wz_section: str = "",
    district: District | None = None, topics=(), budget=None, starts_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> list[Match]:  # fmt: skip
    """The matcher in the talk: what the consultant typed wins over the company's stored data,
    a topic brings its area along (2–3 queries)."""
    company_district = ""
    if organisation is not None and organisation.district_id:
        company_district = organisation.district.name
    company = CompanyProfile(
        employees=employees if employees is not None else (organisation.employees if organisation else None),
        wz_section=wz_section or (organisation.wz_section if organisation else ""),
        district=district.name if district else company_district,
    )
    topic_ids = {topic.pk for topic in topics} | {topic.parent_id for topic in topics if topic.parent_id}
    project = ProjectProfile(topic_ids=frozenset(topic_ids), budget=budget, starts_on=starts_on)
    return programmes_matched(company, project, today)


# --- consultation days ---------------------------------------------------------------


def slot_held(slot: str = "pk") -> Exists:
    """Whether the outer query's slot (``slot``: its path there) is held (a booking offered or confirmed on it)."""
    return Exists(Booking.objects.filter(slot=OuterRef(slot), status__in=HOLDING_STATUSES))


def _annotate_free(queryset):
    free_slots = Slot.objects.filter(day=OuterRef("pk")).exclude(slot_held())
    return queryset.annotate(
        slots_total=Count("slots", distinct=True),
        slots_held=Count("slots", filter=Q(slots__bookings__status__in=HOLDING_STATUSES), distinct=True),
        waiting=Count("waitlist", filter=Q(waitlist__status=WaitlistEntry.Status.WAITING), distinct=True),
        has_free=Exists(free_slots),
    ).annotate(slots_free=F("slots_total") - F("slots_held"))


def public_series() -> list[ConsultationSeries]:
    """The series visitors can book (1 query)."""
    return list(ConsultationSeries.objects.filter(is_public=True))


def all_series() -> list[ConsultationSeries]:
    return list(ConsultationSeries.objects.all())


def public_days(series: ConsultationSeries | None = None, limit: int = PUBLIC_DAY_LIMIT) -> Capped:
    """Coming, bookable days with their free places (1 query)."""
    queryset = ConsultationDay.objects.filter(
        status=ConsultationDay.Status.PLANNED, starts_at__gt=timezone.now(), series__is_public=True
    ).select_related("series", "expert")
    if series is not None:
        queryset = queryset.filter(series=series)
    return _capped(_annotate_free(queryset).order_by("starts_at", "id"), limit)


def day_slots(day: ConsultationDay) -> list[Slot]:
    """The day's slots, each with ``holder`` (the holding booking or None) (2 queries)."""
    slots = list(
        day.slots.prefetch_related(
            Prefetch("bookings", queryset=Booking.objects.filter(status__in=HOLDING_STATUSES), to_attr="holding")
        ).order_by("number")
    )
    for slot in slots:
        slot.holder = slot.holding[0] if slot.holding else None
    return slots


@dataclass(frozen=True)
class PublicDay:
    slots: list[Slot]
    free: list[Slot]
    waiting: int


SLOT_ROW = RowModel(Slot)  # a slot's columns, for prepared queries here and in the services
_PUBLIC_SLOTS_QUERY = PreparedQuery(
    lambda day_id: Slot.objects.filter(day_id=day_id).order_by("number").values(*SLOT_ROW.names, held=slot_held()),
    day_id=-1,
)
_WAITING_COUNT_QUERY = PreparedQuery(
    lambda day_id: counted(WaitlistEntry.objects.filter(day_id=day_id, status=WaitlistEntry.Status.WAITING)),
    day_id=-1,
)


# The public day page is the first request of everyone who books, and a refused booking shows it
# again: the day (with its series and expert) and its slots (with whether each is held) in one query,
# one row per slot, compiled once per process.
PUBLIC_DAY_ROW = RowModel(ConsultationDay, related=("series", "expert"))
_DAY_SLOT_KEYS = [f"slots__{name}" for name in SLOT_ROW.own]
_PUBLIC_DAY_PAGE_QUERY = PreparedQuery(
    lambda pk: (
        ConsultationDay.objects.filter(pk=pk, series__is_public=True)
        .order_by("slots__number")
        .values(*PUBLIC_DAY_ROW.names, *_DAY_SLOT_KEYS, held=slot_held("slots__pk"))
    ),
    pk=-1,
)


def public_day_page(pk: int) -> tuple[ConsultationDay, PublicDay] | None:
    """A day of a publicly bookable series and what its page shows (as :func:`public_day`), or None:
    one query while a slot is free, two when the day is full."""
    rows = _PUBLIC_DAY_PAGE_QUERY.rows(pk=pk)
    if not rows:
        return None
    day = PUBLIC_DAY_ROW.instance({name: rows[0][name] for name in PUBLIC_DAY_ROW.names})
    slots = []
    for row in rows:
        if row["slots__id"] is not None:  # a day without slots: one row, its slot columns empty
            slot = Slot.from_db(DEFAULT_DB_ALIAS, SLOT_ROW.own, [row[name] for name in _DAY_SLOT_KEYS])
            slot.held = row["held"]
            Slot.day.field.set_cached_value(slot, day)
            slots.append(slot)
    return day, _public_page(day, slots)


def public_day(day: ConsultationDay) -> PublicDay:
    """What the public page of a day shows: slots, the free ones, how many wait.

    One query while a slot is free (each slot with whether it is held; the page names no holder),
    two when the day is full (then the page says how many wait); both compiled once per process."""
    slots = [SLOT_ROW.instance(row) for row in _PUBLIC_SLOTS_QUERY.rows(day_id=day.pk)]
    for slot in slots:
        Slot.day.field.set_cached_value(slot, day)
    return _public_page(day, slots)


def _public_page(day: ConsultationDay, slots: list[Slot]) -> PublicDay:
    free = [slot for slot in slots if not slot.held]
    waiting = 0 if free else _WAITING_COUNT_QUERY.rows(day_id=day.pk)[0]["n"]
    return PublicDay(slots=slots, free=free, waiting=waiting)


def free_slots_for_move(booking: Booking, limit: int = 60) -> list[Slot]:
    """The next free slots of the booking's series, to move to (1 query)."""
    return list(
        Slot.objects.filter(
            day__series_id=booking.series_id,
            day__status=ConsultationDay.Status.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .exclude(slot_held())
        .select_related("day")
        .order_by("starts_at", "number")[:limit]
    )


def waitlist_position(entry: WaitlistEntry) -> int | None:
    """Where a waiting person stands (1 query); ``None`` once they no longer wait."""
    if entry.status != WaitlistEntry.Status.WAITING:
        return None
    return WaitlistEntry.objects.filter(
        day_id=entry.day_id, status=WaitlistEntry.Status.WAITING, created_at__lte=entry.created_at, pk__lte=entry.pk
    ).count()


def day_people_count(day: ConsultationDay) -> int:
    """How many people hold or await a place on the day: who hears of a change (1 query)."""
    return (
        ConsultationDay.objects.filter(pk=day.pk)
        .annotate(
            holding=Count("bookings", filter=Q(bookings__status__in=HOLDING_STATUSES), distinct=True),
            waiting=Count("waitlist", filter=Q(waitlist__status=WaitlistEntry.Status.WAITING), distinct=True),
        )
        .values_list(F("holding") + F("waiting"), flat=True)
        .first()
        or 0
    )


def day_waitlist(day: ConsultationDay) -> list[WaitlistEntry]:
    return list(day.waitlist.order_by("created_at", "id"))


@dataclass(frozen=True)
class DayFilters:
    year: int | None = None
    series_id: int | None = None


def staff_days(user, filters: DayFilters, *, only_own: bool = False, limit: int = DAY_LIST_LIMIT) -> Capped:
    """Days with booked/attended/no-show/waiting counts, newest first (1 query)."""
    queryset = ConsultationDay.objects.select_related("series", "expert")
    if only_own:
        queryset = queryset.filter(expert=user)
    if filters.year:
        queryset = queryset.filter(starts_at__year=filters.year)
    if filters.series_id:
        queryset = queryset.filter(series_id=filters.series_id)
    queryset = _annotate_free(queryset).annotate(
        attended=Count("bookings", filter=Q(bookings__attendance=Booking.Attendance.ATTENDED), distinct=True),
        no_shows=Count("bookings", filter=Q(bookings__attendance=Booking.Attendance.NO_SHOW), distinct=True),
    )
    return _capped(queryset.order_by("-starts_at", "-id"), limit)


def expert_next_days(user, limit: int = 5) -> list[ConsultationDay]:
    """The expert's coming days for their start page (1 query)."""
    return list(
        ConsultationDay.objects.filter(expert=user, starts_at__gt=timezone.now())
        .select_related("series")
        .order_by("starts_at", "id")[:limit]
    )


# The home page's query, compiled once per process and limit (core.prepared): only the time differs
# per visit, and it reads the database every time, so a booking shows on the next visit.
_HOME_DAY_ROW = RowModel(ConsultationDay, related=("series",))


def _days_with_free_slots(now, **filters):
    """Planned public days after ``now`` (and ``filters``) with at least one free slot, each with
    ``slots_free`` and its series' columns (``_HOME_DAY_ROW``), in date order.

    The free slots are counted by a join (each slot with its holding booking, if any: at most one, a
    constraint) rather than by a subquery per day: PostgreSQL plans this statement afresh for every
    "now" (a custom plan), and the subqueries made that plan cost 0.45-0.53 ms a visit against 0.11
    (benchmarks/RESULTS.md, "The start page's database time")."""
    return (
        ConsultationDay.objects.filter(
            status=ConsultationDay.Status.PLANNED, starts_at__gt=now, series__is_public=True, **filters
        )
        # a new FilteredRelation each time: a queryset that uses one keeps its path in it
        .annotate(holder=FilteredRelation("slots__bookings", condition=Q(slots__bookings__status__in=HOLDING_STATUSES)))
        .annotate(slots_free=Count("slots", filter=Q(holder__isnull=True)))
        .filter(slots_free__gt=0)
        .order_by("starts_at", "id")
        .values(*_HOME_DAY_ROW.names, "slots_free")
    )


@functools.cache
def _home_days_query(limit: int) -> PreparedQuery:
    return PreparedQuery(lambda now: _days_with_free_slots(now)[:limit], now=SAMPLE_TIME)


def home_days(limit: int = 4) -> list[ConsultationDay]:
    """The next public days that still have a free place, each with ``slots_free`` and its series,
    for the home page (1 query: the free slots are counted for the coming days in date order until
    ``limit`` days with a free one are found; :func:`public_days`' annotations count every day)."""
    return [_HOME_DAY_ROW.instance(row) for row in _home_days_query(limit).rows(now=timezone.now())]


# samples no real row has, and different, so that each is found in its own place among the parameters
_OTHER_FREE_DAYS_QUERY = PreparedQuery(
    lambda now, series, day: _days_with_free_slots(now, series_id=series).exclude(pk=day)[:3],
    now=SAMPLE_TIME, series=-1, day=-2,
)  # fmt: skip


def other_free_days(day: ConsultationDay) -> list[ConsultationDay]:
    """For the page of a full day: the next three days of its series that still have a free place,
    each with ``slots_free`` (1 query, read fresh: a place taken elsewhere shows at once)."""
    rows = _OTHER_FREE_DAYS_QUERY.rows(now=timezone.now(), series=day.series_id, day=day.pk)
    return [_HOME_DAY_ROW.instance(row) for row in rows]


def _local_day_bounds(day: datetime.date | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def today_days(day: datetime.date | None = None) -> list[ConsultationDay]:
    """Today's days (not cancelled) with places, booked, waiting and attended, for staff (1 query)."""
    start, end = _local_day_bounds(day)
    queryset = ConsultationDay.objects.filter(
        starts_at__gte=start, starts_at__lt=end, status=ConsultationDay.Status.PLANNED
    ).select_related("series", "expert")
    queryset = _annotate_free(queryset).annotate(
        attended=Count("bookings", filter=Q(bookings__attendance=Booking.Attendance.ATTENDED), distinct=True),
    )
    return list(queryset.order_by("starts_at", "id"))


def expert_calendar(user) -> ExpertCalendar | None:
    """The expert's feed address, if they set one up (1 query)."""
    return ExpertCalendar.objects.filter(expert=user).first()


def expert_feed_days(user, *, past_days: int = 90) -> list[ConsultationDay]:
    """The expert's own days for their feed: the last ``past_days`` and everything ahead, cancelled
    ones included (so calendars remove them), with the counts (1 query)."""
    since = timezone.now() - datetime.timedelta(days=past_days)
    queryset = ConsultationDay.objects.filter(expert=user, starts_at__gte=since).select_related("series")
    return list(_annotate_free(queryset).order_by("starts_at", "id"))


def bookings_for_email(email: str, *, past_days: int = 30, limit: int = 50) -> list[Booking]:
    """A person's bookings (and open offers) of days from ``past_days`` ago on, for their personal
    area, soonest first (1 query)."""
    since = timezone.now() - datetime.timedelta(days=past_days)
    return list(
        Booking.objects.filter(email__iexact=email, slot__starts_at__gte=since, anonymised_at__isnull=True)
        .exclude(status=Booking.Status.EXPIRED)
        .select_related("day__series", "slot")
        .order_by("slot__starts_at", "id")[:limit]
    )


def waitlist_places_for_email(email: str, *, limit: int = 50) -> list[WaitlistEntry]:
    """Where a person waits for a coming day, each with ``position`` (1 query)."""
    ahead = WaitlistEntry.objects.filter(
        day=OuterRef("day"), status=WaitlistEntry.Status.WAITING, created_at__lte=OuterRef("created_at"),
        pk__lte=OuterRef("pk"),
    ).order_by().values("day").annotate(n=Count("pk")).values("n")  # fmt: skip
    return list(
        WaitlistEntry.objects.filter(
            email__iexact=email,
            status=WaitlistEntry.Status.WAITING,
            day__starts_at__gt=timezone.now(),
            anonymised_at__isnull=True,
        )
        .annotate(position=Subquery(ahead))
        .select_related("day__series")
        .order_by("day__starts_at", "id")[:limit]
    )


def bookings_export(
    *, day: ConsultationDay | None = None, year: int | None = None, expert=None
) -> tuple[list[str], Iterator[list]]:
    """Header and every booking (of a day, a year, an expert's days), read in chunks (1 query per chunk)."""
    header = [_("Reihe"), _("Datum"), _("Beginn"), _("Experte/Expertin"), _("Name"), _("E-Mail"), _("Unternehmen"),
              _("Status"), _("Anwesenheit"), _("Anliegen (vertraulich)")]  # fmt: skip
    queryset = Booking.objects.select_related("day__series", "slot", "day__expert").order_by("slot__starts_at", "id")
    if day is not None:
        queryset = queryset.filter(day=day)
    if year:
        queryset = queryset.filter(day__starts_at__year=year)
    if expert is not None:
        queryset = queryset.filter(day__expert=expert)

    def rows():
        for b in queryset.iterator(chunk_size=EXPORT_CHUNK):
            starts = timezone.localtime(b.slot.starts_at)
            yield [
                b.day.series.name, starts.strftime("%d.%m.%Y"), starts.strftime("%H:%M"), str(b.day.expert), b.name,
                b.email, b.company_name, b.get_status_display(), b.get_attendance_display(), b.description,
            ]  # fmt: skip

    return header, rows()


# --- figures ---------------------------------------------------------------------------


def _days_held(year: int):
    return ConsultationDay.objects.filter(
        starts_at__year=year, starts_at__lte=timezone.now(), status=ConsultationDay.Status.PLANNED
    )


def days_held(year: int, kind: str | None = None) -> int:
    """Days of a year that took place (planned, started), of one kind of series if given (1 query)."""
    queryset = _days_held(year)
    if kind:
        queryset = queryset.filter(series__kind=kind)
    return queryset.count()


def _talks(year: int, kind: str | None = None):
    """Confirmed bookings on days held, minus no-shows: the talks that took place."""
    queryset = Booking.objects.filter(day__in=_days_held(year), status=Booking.Status.CONFIRMED).exclude(
        attendance=Booking.Attendance.NO_SHOW
    )
    if kind:
        queryset = queryset.filter(series__kind=kind)
    return queryset


def day_talks(year: int, kind: str | None = None) -> int:
    """Talks that took place on the days of a year (1 query)."""
    return _talks(year, kind).count()


def day_figures(year: int) -> dict[str, int]:
    """Days held, slots offered/booked/attended, no-shows, waiting list, per year (8 queries)."""
    held = _days_held(year)
    all_days = ConsultationDay.objects.filter(starts_at__year=year)
    bookings = Booking.objects.filter(day__starts_at__year=year)
    return {
        "days_held": held.count(),
        "days_cancelled": all_days.filter(status=ConsultationDay.Status.CANCELLED).count(),
        "slots_offered": Slot.objects.filter(day__in=all_days.exclude(status=ConsultationDay.Status.CANCELLED)).count(),
        "slots_booked": bookings.filter(
            status=Booking.Status.CONFIRMED, day__status=ConsultationDay.Status.PLANNED
        ).count(),
        "slots_attended": bookings.filter(attendance=Booking.Attendance.ATTENDED).count(),
        "no_shows": bookings.filter(attendance=Booking.Attendance.NO_SHOW).count(),
        "waitlist_entries": WaitlistEntry.objects.filter(day__starts_at__year=year).count(),
        "waiting_now": WaitlistEntry.objects.filter(
            day__starts_at__year=year, status=WaitlistEntry.Status.WAITING, day__starts_at__gt=timezone.now()
        ).count(),
    }


def series_figures(year: int) -> list[dict]:
    """Days held and talks per series in a year (3 queries, whatever the number of series)."""
    days = dict(_days_held(year).order_by().values("series").annotate(n=Count("pk")).values_list("series", "n"))
    talks = dict(_talks(year).order_by().values("series").annotate(n=Count("pk")).values_list("series", "n"))
    return [
        {"series": series, "days": days.get(series.pk, 0), "talks": talks.get(series.pk, 0)}
        for series in ConsultationSeries.objects.order_by("name")
    ]


# --- for the competition module (Jugend forscht) -----------------------------------------------------

PUPIL_PATENT_SERIES = "patentberatung-jugend-forscht"


def _pupil_patent_days():
    return _annotate_free(
        ConsultationDay.objects.filter(
            series__slug=PUPIL_PATENT_SERIES, status=ConsultationDay.Status.PLANNED, starts_at__gt=timezone.now()
        ).select_related("series", "expert")
    ).order_by("starts_at", "id")


def pupil_patent_days(limit: int = 20) -> list[ConsultationDay]:
    """Coming, not cancelled days of the pupils' patent advice series, with free places (one query)."""
    return list(_pupil_patent_days()[:limit])


def pupil_patent_day(day_id: int) -> ConsultationDay | None:
    """One coming day of that series, or None (one query)."""
    return _pupil_patent_days().filter(pk=day_id).first()


# --- figures for the annual report (aggregate queries only; added for the reports module) -----------------


def talk_counts(year: int) -> dict[str, int]:
    """The year's consultations in total, per statistics area, and those on CE marking (3 aggregate queries).

    A talk counts once per area it touches (two funding topics: one funding talk). CE marking is the topic
    ``ce-kennzeichnung`` or a topic below it (a technology topic, so these are technology talks).
    """
    through = Consultation.topics.through.objects.filter(consultation__date__year=year)
    per_area = dict(through.values_list("topic__area").annotate(n=Count("consultation_id", distinct=True)).order_by())
    on_ce = through.filter(Q(topic__slug="ce-kennzeichnung") | Q(topic__parent__slug="ce-kennzeichnung"))
    return {
        "total": Consultation.objects.filter(date__year=year).count(),
        "technology_ce": on_ce.aggregate(n=Count("consultation_id", distinct=True))["n"] or 0,
        **{area: per_area.get(area, 0) for area in Topic.Area.values},
    }


def talks_by_topic(year: int) -> list[tuple[str, int]]:
    """Talks of the year per topic, most frequent first (1 query; a talk with two topics counts for both)."""
    rows = (
        Consultation.topics.through.objects.filter(consultation__date__year=year)
        .values("topic__name")
        .annotate(n=Count("consultation_id", distinct=True))
        .order_by("-n", "topic__name")
    )
    return [(row["topic__name"], row["n"]) for row in rows]


def talks_by_district(year: int) -> list[tuple[str | None, int]]:
    """Talks of the year per district of the organisation advised (1 query); ``None``: no district known."""
    rows = (
        Consultation.objects.filter(date__year=year)
        .values("organisation__district__name")
        .annotate(n=Count("pk"))
        .order_by("organisation__district__name")
    )
    return [(row["organisation__district__name"], row["n"]) for row in rows]


def days_held_by_kind(year: int) -> dict[str, dict[str, int]]:
    """Per series kind: days held and the talks on them (2 queries; held = past and not cancelled)."""
    days = dict(_days_held(year).values_list("series__kind").annotate(n=Count("pk")).values_list("series__kind", "n"))
    talks = dict(_talks(year).values_list("series__kind").annotate(n=Count("pk")).values_list("series__kind", "n"))
    return {kind: {"days": days.get(kind, 0), "talks": talks.get(kind, 0)} for kind in ConsultationSeries.Kind.values}


def pupil_patent_bookings(year: int) -> int:
    """Pupils advised on a patent in the year: bookings not cancelled on held days of that series (1 query)."""
    return (
        Booking.objects.filter(
            day__series__slug=PUPIL_PATENT_SERIES, day__starts_at__year=year, day__starts_at__lte=timezone.now()
        )
        .exclude(day__status=ConsultationDay.Status.CANCELLED)
        .filter(status=Booking.Status.CONFIRMED)
        .count()
    )


# --- the JSON API (api module) ----------------------------------------------------------


def api_days(*, series_id: int | None = None, status: str = ""):
    """Consultation days with their series, ordered by id for keyset pagination."""
    queryset = ConsultationDay.objects.select_related("series").order_by("id")
    if series_id is not None:
        queryset = queryset.filter(series_id=series_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def api_bookings(*, day_id: int | None = None, status: str = ""):
    """Bookings with their slot (the confidential description is left to the pages), ordered by id."""
    queryset = Booking.objects.select_related("slot").defer("description", "consent_wording").order_by("id")
    if day_id is not None:
        queryset = queryset.filter(day_id=day_id)
    if status:
        queryset = queryset.filter(status=status)
    return queryset

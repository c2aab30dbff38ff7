"""Reads of the advisory module, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.utils import timezone

from advisory.matching import CompanyProfile, ProjectProfile, rank_programmes
from advisory.models import (
    HOLDING_STATUSES,
    Booking,
    Consultation,
    ConsultationDay,
    ConsultationSeries,
    FundingProgramme,
    Slot,
    Topic,
    WaitlistEntry,
)
from contacts.models import Organisation

# --- taxonomy -----------------------------------------------------------------------


def topic_tree() -> list[tuple[Topic, list[Topic]]]:
    """Areas with their active topics (2 queries)."""
    areas = list(
        Topic.objects.filter(parent__isnull=True, is_active=True).prefetch_related(
            Prefetch("children", queryset=Topic.objects.filter(is_active=True), to_attr="active_children")
        )
    )
    return [(area, area.active_children) for area in areas]


# --- consultation log ---------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationFilters:
    year: int | None = None
    topic: Topic | None = None
    adviser_id: int | None = None
    district_id: int | None = None
    organisation_id: int | None = None


def consultation_list(filters: ConsultationFilters, limit: int = 500):
    queryset = Consultation.objects.select_related("organisation", "adviser", "organisation__district")
    if filters.year:
        queryset = queryset.filter(date__year=filters.year)
    if filters.topic:
        queryset = queryset.filter(Q(topics=filters.topic) | Q(topics__parent=filters.topic)).distinct()
    if filters.adviser_id:
        queryset = queryset.filter(adviser_id=filters.adviser_id)
    if filters.district_id:
        queryset = queryset.filter(organisation__district_id=filters.district_id)
    if filters.organisation_id:
        queryset = queryset.filter(organisation_id=filters.organisation_id)
    return queryset.prefetch_related("topics__parent", "programmes").order_by("-date", "-id")[:limit]


def talks_per_topic(year: int) -> list[dict]:
    """Talks per topic in a year (a talk with two topics counts for each)."""
    rows = (
        Topic.objects.filter(consultations__date__year=year)
        .annotate(talks=Count("consultations", distinct=True))
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )
    return [{"topic": topic, "talks": topic.talks} for topic in rows]


def talks_in_area(year: int, area: str) -> int:
    """Distinct talks of a year with at least one topic in the area (Förderprogramme, Technologie …)."""
    return (
        Consultation.objects.filter(date__year=year)
        .filter(Q(topics__area=area) | Q(topics__parent__area=area))
        .values("pk")
        .distinct()
        .count()
    )


def follow_ups_due(user, *, within_days: int = 7) -> list[Consultation]:
    today = timezone.localdate()
    return list(
        Consultation.objects.filter(
            adviser=user,
            follow_up_on__isnull=False,
            follow_up_on__lte=today + datetime.timedelta(days=within_days),
            follow_up_done_at__isnull=True,
        )
        .select_related("organisation")
        .order_by("follow_up_on", "id")[:50]
    )


def organisation_suggestions(q: str, limit: int = 15) -> list[Organisation]:
    q = (q or "").strip()
    if len(q) < 2:
        return []
    return list(
        Organisation.objects.filter(Q(name__icontains=q) | Q(member_number__iexact=q) | Q(city__istartswith=q))
        .order_by("name", "id")
        .only("id", "name", "city")[:limit]
    )


def organisation_label(organisation: Organisation) -> str:
    """How an organisation appears in the autocomplete; parsed back by ``organisation_from_label``."""
    city = f", {organisation.city}" if organisation.city else ""
    return f"{organisation.name}{city} (#{organisation.pk})"


def organisation_from_label(text: str) -> tuple[Organisation | None, list[Organisation]]:
    """The organisation a typed label means, or (None, candidates)."""
    import re

    text = (text or "").strip()
    if not text:
        return None, []
    found = re.search(r"\(#(\d+)\)\s*$", text)
    if found:
        organisation = Organisation.objects.filter(pk=int(found.group(1))).first()
        if organisation:
            return organisation, []
    exact = list(Organisation.objects.filter(name__iexact=text)[:2])
    if len(exact) == 1:
        return exact[0], []
    return None, exact or organisation_suggestions(text, limit=5)


# --- funding programmes -----------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeFilters:
    q: str = ""
    level: str = ""
    topic: Topic | None = None
    status: str = ""  # "" = open ones, "all" = every status
    max_employees: int | None = None


def programme_list(filters: ProgrammeFilters):
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
    return queryset


def programmes_matched(company: CompanyProfile, project: ProjectProfile, today: datetime.date | None = None):
    programmes = FundingProgramme.objects.prefetch_related("topics").order_by("short_name")
    return rank_programmes(programmes, company, project, today or timezone.localdate())


def company_profile(organisation: Organisation) -> CompanyProfile:
    return CompanyProfile(
        employees=organisation.employees,
        wz_section=organisation.wz_section,
        district=organisation.district.name if organisation.district_id else "",
    )


# --- consultation days ---------------------------------------------------------------


def _held_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}bookings__status__in": HOLDING_STATUSES})


def _annotate_free(queryset):
    held = Booking.objects.filter(slot=OuterRef("pk"), status__in=HOLDING_STATUSES)
    free_slots = Slot.objects.filter(day=OuterRef("pk")).exclude(Exists(held))
    return queryset.annotate(
        slots_total=Count("slots", distinct=True),
        slots_held=Count("slots", filter=_held_q("slots__"), distinct=True),
        waiting=Count("waitlist", filter=Q(waitlist__status=WaitlistEntry.Status.WAITING), distinct=True),
        has_free=Exists(free_slots),
    ).annotate(slots_free=F("slots_total") - F("slots_held"))


def public_days(series: ConsultationSeries | None = None, limit: int = 200):
    """Coming, bookable days with their free places (one query)."""
    queryset = ConsultationDay.objects.filter(
        status=ConsultationDay.Status.PLANNED, starts_at__gt=timezone.now(), series__is_public=True
    ).select_related("series", "expert")
    if series is not None:
        queryset = queryset.filter(series=series)
    return _annotate_free(queryset).order_by("starts_at", "id")[:limit]


def day_slots(day: ConsultationDay) -> list[Slot]:
    """The day's slots, each with ``holder`` (the holding booking or None) – 2 queries."""
    slots = list(
        day.slots.prefetch_related(
            Prefetch("bookings", queryset=Booking.objects.filter(status__in=HOLDING_STATUSES), to_attr="holding")
        ).order_by("number")
    )
    for slot in slots:
        slot.holder = slot.holding[0] if slot.holding else None
    return slots


def free_slots_for_move(booking: Booking, limit: int = 60) -> list[Slot]:
    held = Booking.objects.filter(slot=OuterRef("pk"), status__in=HOLDING_STATUSES)
    return list(
        Slot.objects.filter(
            day__series_id=booking.series_id,
            day__status=ConsultationDay.Status.PLANNED,
            starts_at__gt=timezone.now(),
        )
        .exclude(Exists(held))
        .select_related("day")
        .order_by("starts_at", "number")[:limit]
    )


@dataclass(frozen=True)
class DayFilters:
    year: int | None = None
    series_id: int | None = None


def staff_days(user, filters: DayFilters, *, only_own: bool = False):
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
    return queryset.order_by("-starts_at", "-id")[:500]


def day_bookings(day: ConsultationDay):
    return list(
        day.bookings.filter(status__in=HOLDING_STATUSES).select_related("slot", "organisation").order_by("slot__number")
    )


def bookings_for_export(*, day: ConsultationDay | None = None, year: int | None = None, expert=None):
    queryset = Booking.objects.select_related("day__series", "slot", "day__expert").order_by("slot__starts_at", "id")
    if day is not None:
        queryset = queryset.filter(day=day)
    if year:
        queryset = queryset.filter(day__starts_at__year=year)
    if expert is not None:
        queryset = queryset.filter(day__expert=expert)
    return queryset


# --- figures ---------------------------------------------------------------------------


def _days_held(year: int):
    return ConsultationDay.objects.filter(
        starts_at__year=year, starts_at__lte=timezone.now(), status=ConsultationDay.Status.PLANNED
    )


def days_held(year: int, kind: str | None = None) -> int:
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
    return _talks(year, kind).count()


def day_figures(year: int) -> dict[str, int]:
    """Days held, slots offered/booked/attended, no-shows, waiting list, per year (a few queries)."""
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
    rows = []
    for series in ConsultationSeries.objects.order_by("name"):
        rows.append(
            {
                "series": series,
                "days": _days_held(year).filter(series=series).count(),
                "talks": _talks(year).filter(series=series).count(),
            }
        )
    return rows


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

"""Every selector of the advisory module reads in a fixed number of queries, whatever the number of
rows: each is run on a small world with several rows of everything it reads."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advisory import selectors, services
from advisory.matching import CompanyProfile, ProjectProfile
from advisory.models import Booking, ConsultationDay, ConsultationSeries, Topic
from advisory.templatetags.advisory_rows import consultation_rows
from advisory.tests.factories import ConsultationFactory, book, make_day
from testing.factories import DistrictFactory, OrganisationFactory, OrganisationRoleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff, expert, company_a, company_b):
    ce, ki = Topic.objects.get(slug="ce-kennzeichnung"), Topic.objects.get(slug="ki")
    today = timezone.localdate()
    for organisation in (company_a, company_b, company_a):
        ConsultationFactory(adviser=staff, organisation=organisation, topics=[ce, ki], follow_up_on=today)
    for _ in range(3):
        OrganisationRoleFactory(organisation=company_a)
    days = [make_day(expert, days_ahead=5 + n, count=3) for n in range(3)]
    for n, day in enumerate(days):
        book(day, email=f"a{n}@example.org")
        book(day, email=f"b{n}@example.org")
    full = make_day(expert, days_ahead=20, count=1)
    book(full, email="full@example.org")
    services.waitlist_join(day_id=full.pk, name="W One", email="w1@example.org", consent=True)
    entry = services.waitlist_join(day_id=full.pk, name="W Two", email="w2@example.org", consent=True)
    past = make_day(expert, days_ahead=-3, count=2)
    pupils_series = ConsultationSeries.objects.get(slug=selectors.PUPIL_PATENT_SERIES)
    pupils_day = services.day_create(
        series=pupils_series, starts_at=timezone.now() + datetime.timedelta(days=9), expert=expert,
        place="IHK", format="slots", slot_minutes=30, slot_count=2,
    )  # fmt: skip
    services.expert_calendar_reset(expert=expert)
    return {"pupils_day": pupils_day, "staff": staff, "expert": expert, "company": company_a, "day": days[0], "full": full, "entry": entry,
            "past": past, "booking": Booking.objects.filter(day=days[0]).first(), "topics": [ce, ki]}  # fmt: skip


def _consume(result):
    """Read what a selector returns the way a page or an export does."""
    if isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], list):
        return list(result[1])  # (header, rows) of an export: the rows are built while read
    if isinstance(result, selectors.PublicDay):
        return [slot.held for slot in result.slots] + [result.waiting]
    return list(result) if not isinstance(result, dict | int) else result


def _talks_shown(result):
    """The consultation list's rows as the page renders them: each talk's organisation with its district, the
    person, the adviser and the topics (with their parent's name); programmes only the export. A column the
    selector left out would be read row by row here."""
    rows = result[0 : selectors.CONSULTATION_PAGE_SIZE]  # one page, as the Paginator reads it
    consultation_rows(rows)
    return rows


CASES = [
    # (name, call(world), queries)
    ("consultation_list", lambda w: _talks_shown(selectors.consultation_list(selectors.ConsultationFilters())), 2),
    ("consultation_export", lambda w: selectors.consultation_export(selectors.ConsultationFilters()), 3),
    ("talks_per_topic", lambda w: selectors.talks_per_topic(timezone.localdate().year), 1),
    ("talks_in_area", lambda w: selectors.talks_in_area(timezone.localdate().year, "technology"), 1),
    ("follow_ups_due", lambda w: selectors.follow_ups_due(w["staff"]), 1),
    ("recent_organisation_labels", lambda w: selectors.recent_organisation_labels(w["staff"]), 1),
    ("organisation_people", lambda w: selectors.organisation_people(w["company"]), 1),
    ("programme_list", lambda w: selectors.programme_list(selectors.ProgrammeFilters()), 3),
    ("programmes_matched", lambda w: selectors.programmes_matched(CompanyProfile(), ProjectProfile()), 2),
    ("matcher_run", lambda w: selectors.matcher_run(organisation=w["company"], topics=w["topics"]), 3),
    ("public_series", lambda w: selectors.public_series(), 1),
    ("all_series", lambda w: selectors.all_series(), 1),
    ("public_days", lambda w: selectors.public_days(), 1),
    ("day_slots", lambda w: selectors.day_slots(w["day"]), 2),
    ("public_day", lambda w: selectors.public_day(w["full"]), 2),
    ("public_day_with_free_slots", lambda w: selectors.public_day(w["day"]), 1),
    ("public_day_page", lambda w: selectors.public_day_page(w["full"].pk)[1], 2),
    ("public_day_page_with_free_slots", lambda w: selectors.public_day_page(w["day"].pk)[1], 1),
    ("free_slots_for_move", lambda w: selectors.free_slots_for_move(w["booking"]), 1),
    ("waitlist_position", lambda w: selectors.waitlist_position(w["entry"]), 1),
    ("day_waitlist", lambda w: selectors.day_waitlist(w["full"]), 1),
    ("staff_days", lambda w: selectors.staff_days(w["staff"], selectors.DayFilters()), 1),
    ("expert_next_days", lambda w: selectors.expert_next_days(w["expert"]), 1),
    ("bookings_export", lambda w: selectors.bookings_export(), 1),
    ("home_days", lambda w: selectors.home_days(), 1),
    ("other_free_days", lambda w: selectors.other_free_days(w["full"]), 1),
    ("today_days", lambda w: selectors.today_days(timezone.localtime(w["day"].starts_at).date()), 1),
    ("day_people_count", lambda w: selectors.day_people_count(w["full"]), 1),
    ("expert_calendar", lambda w: [selectors.expert_calendar(w["expert"])], 1),
    ("expert_feed_days", lambda w: selectors.expert_feed_days(w["expert"]), 1),
    ("bookings_for_email", lambda w: selectors.bookings_for_email("A0@example.org"), 1),
    ("waitlist_places_for_email", lambda w: selectors.waitlist_places_for_email("w2@example.org"), 1),
    ("days_held", lambda w: selectors.days_held(timezone.localdate().year), 1),
    ("day_talks", lambda w: selectors.day_talks(timezone.localdate().year), 1),
    ("day_figures", lambda w: selectors.day_figures(timezone.localdate().year), 8),
    ("series_figures", lambda w: selectors.series_figures(timezone.localdate().year), 3),
    ("pupil_patent_days", lambda w: selectors.pupil_patent_days(), 1),
    ("pupil_patent_day", lambda w: [selectors.pupil_patent_day(w["pupils_day"].pk)], 1),
    ("pupil_patent_bookings", lambda w: selectors.pupil_patent_bookings(timezone.localdate().year), 1),
    ("talk_counts", lambda w: selectors.talk_counts(timezone.localdate().year), 3),
    ("talks_by_topic", lambda w: selectors.talks_by_topic(timezone.localdate().year), 1),
    ("talks_by_district", lambda w: selectors.talks_by_district(timezone.localdate().year), 1),
    ("days_held_by_kind", lambda w: selectors.days_held_by_kind(timezone.localdate().year), 2),
    ("api_days", lambda w: selectors.api_days(), 1),
    ("api_bookings", lambda w: selectors.api_bookings(day_id=w["day"].pk), 1),
]


def test_every_selector_reads_in_its_fixed_number_of_queries(world):
    """One world, every selector (one test, so the world is built once); all mismatches are listed."""
    world["company"].refresh_from_db()  # no cached relations from building the world
    wrong, empty = [], []
    for name, call, queries in CASES:
        with CaptureQueriesContext(connection) as captured:
            result = _consume(call(world))
        if len(captured) != queries:
            wrong.append(f"{name}: {len(captured)} queries, pinned {queries}")
        if not result and result != 0:
            empty.append(name)
    assert not wrong, "\n".join(wrong)
    assert not empty, f"read nothing, so the count proves little: {empty}"


def test_every_selector_is_pinned():
    public = {
        name for name, value in vars(selectors).items()
        if callable(value) and not name.startswith("_") and getattr(value, "__module__", "") == selectors.__name__
        and not isinstance(value, type)
    }  # fmt: skip
    helpers = {"name_variants", "names_match", "slot_held"}  # pure functions and expressions, no queries
    assert public - helpers - {case[0] for case in CASES} == set()


def test_consultation_list_stays_at_its_queries_with_more_rows(world, staff, django_assert_num_queries):
    ce = Topic.objects.get(slug="ce-kennzeichnung")
    for n in range(10):  # with an organisation in a district, a person, a subtopic: every column a row shows
        organisation = OrganisationFactory(district=DistrictFactory(name=f"Kreis {n}"))
        ConsultationFactory(adviser=staff, topics=[ce], date=datetime.date.today(), organisation=organisation,
                            person=PersonFactory())  # fmt: skip
    with django_assert_num_queries(2):
        _consume(_talks_shown(selectors.consultation_list(selectors.ConsultationFilters())))
    with django_assert_num_queries(3):
        _consume(selectors.consultation_export(selectors.ConsultationFilters()))
    assert ConsultationDay.objects.exists()


def test_the_public_day_page_reads_the_day_and_its_slots_as_the_two_selectors_did(world):
    day = world["day"]
    found_day, page = selectors.public_day_page(day.pk)
    assert found_day == day and found_day.series == day.series and found_day.expert == day.expert
    assert page == selectors.public_day(day) and [s.number for s in page.slots] == [1, 2, 3]
    assert [s.held for s in page.slots] == [s.held for s in selectors.public_day(day).slots]
    assert all(slot.day is found_day for slot in page.slots)
    ConsultationDay.objects.filter(pk=day.pk).update(status=ConsultationDay.Status.CANCELLED)
    assert selectors.public_day_page(day.pk)[0].is_cancelled
    bare = services.day_create(
        series=day.series, starts_at=day.starts_at, expert=day.expert, place="IHK", slot_minutes=30, slot_count=1
    )
    bare.slots.all().delete()  # no slots (the services never leave a day so, but the page must not break)
    assert selectors.public_day_page(bare.pk) == (bare, selectors.PublicDay(slots=[], free=[], waiting=0))
    ConsultationSeries.objects.filter(pk=day.series_id).update(is_public=False)
    assert selectors.public_day_page(day.pk) is None and selectors.public_day_page(-5) is None

"""Every reader of events/selectors.py in a fixed number of queries, however many rows there are."""

import pytest

from events import selectors
from events.models import EventChange
from events.tests.factories import (
    AudienceFactory,
    EventFactory,
    QuestionFactory,
    RegistrationFactory,
    event_with_audience,
    meet_the_boss,
)
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=[1, 8], ids=["small", "larger"])
def world(request):
    """An event with ``n`` of everything: registrations, answers, partners, organisers, changes, invitations."""
    n = request.param
    event, audience = event_with_audience(quota=50)
    AudienceFactory(event=event, name="Gäste")
    questions = [QuestionFactory(event=event, text=f"Frage {i}") for i in range(2)]
    for i in range(n):
        registration = RegistrationFactory(audience=audience, checked_in_at=None)
        for question in questions:
            registration.answers.create(question=question, value=f"Antwort {i}")
        event.partners.add(OrganisationFactory(name=f"Hochschule {i}"))
        event.organisers.add(OrganisationFactory(name=f"Veranstalter {i}"))
        EventChange.objects.create(event=event, kinds=["rescheduled"], sequence=i)
        event.invitations.create(email=f"gast{i}@example.org")
        EventFactory()
    return event


def test_public_pages(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.calendar_events(selectors.CalendarFilters(kind="network_meeting"))
    with django_assert_num_queries(1):
        selectors.feed_events(selectors.CalendarFilters())
    with django_assert_num_queries(1):
        selectors.calendar_topics()
    with django_assert_num_queries(1):
        selectors.upcoming_public_events(limit=5)
    with django_assert_num_queries(1):
        selectors.upcoming_public_event(world.pk)
    with django_assert_num_queries(5):  # the event, partners, organisers, audiences with their counts, questions
        event = selectors.event_public(world.slug)
    with django_assert_num_queries(0):  # the counts came with the audiences
        selectors.audience_availability(event)
    with django_assert_num_queries(0):  # organisers are prefetched
        selectors.event_jsonld(event)
    with django_assert_num_queries(2):  # the events, their audiences with the seats taken
        assert selectors.home_events(limit=5)
    email = world.registrations.first().email
    with django_assert_num_queries(1):  # with the waiting-list place as a subquery
        assert selectors.registrations_for_email(email.upper())
    with django_assert_num_queries(1):
        selectors.today_events(world.starts_at.date())


def test_staff_pages(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.staff_events(year=world.starts_at.year, q="Netzwerk")
    with django_assert_num_queries(6):  # the event, partnerships, partners, organisers, audiences, questions
        event = selectors.event_for_staff(world.pk)
    with django_assert_num_queries(2):
        changes = selectors.event_changes(event)
    assert all(change.progress == {} for change in changes)
    with django_assert_num_queries(1):
        invitations = selectors.event_invitations(event)
    assert not any(invitation.registered for invitation in invitations)
    with django_assert_num_queries(2):  # registrations with audience, their answers
        registrations = selectors.participants(event, q="Teilnehmerin")
    with django_assert_num_queries(0):  # questions prefetched, answers prefetched
        header, rows = selectors.export_rows(event, registrations)
    assert len(rows) == len(registrations) and header[-1] == "Frage 1"
    with django_assert_num_queries(2):  # the registrations, their answers (audiences and questions came with the event)
        questions, registrations = selectors.participant_table(event, status="confirmed")
        assert [row["audience"].name for row in registrations] and questions
    with django_assert_num_queries(1):
        selectors.check_in_list(event, "Teil")
    with django_assert_num_queries(1):
        selectors.notice_progress([change.pk for change in changes])
    with django_assert_num_queries(3):
        selectors.event_figures(world.starts_at.year)


@pytest.mark.parametrize("students", [2, 6])
def test_meeting_grid(students, django_assert_num_queries):
    from events import services

    event, bosses, audience = meet_the_boss(boss_quota=3, student_quota=10)
    for _ in range(3):
        RegistrationFactory(audience=bosses, sectors=["metall"])
    for _ in range(students):
        RegistrationFactory(audience=audience, sectors=["metall"])
    services.meeting_plan_generate(event=event)
    with django_assert_num_queries(2):
        grid = selectors.meeting_grid(event)
    assert len(grid["rows"]) == students and grid["meetings"]


def test_the_public_events_audiences_are_its_own_however_they_are_read(django_assert_num_queries):
    """The page's audiences come with their counts; a query chained onto them still reads only this
    event's (the deferred filter is built when needed)."""
    event, audience = event_with_audience(quota=3)
    other = AudienceFactory(event=event, name="Zweite", quota=None)
    _elsewhere, foreign = event_with_audience(quota=3)
    event = selectors.event_public(event.slug)
    with django_assert_num_queries(0):
        audiences = event.audiences.all()
        assert [a.pk for a in audiences] == [audience.pk, other.pk]
        assert audiences.count() == 2 and audiences.exists()
    assert list(audiences.filter(quota__isnull=True)) == [other]
    assert set(event.audiences.order_by("pk").values_list("pk", flat=True)) == {audience.pk, other.pk}
    assert foreign.pk not in set(event.audiences.values_list("pk", flat=True))

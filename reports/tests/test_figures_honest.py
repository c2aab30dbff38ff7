"""The figures the report prints are complete and honest (issue 16.4), each from the records."""

import datetime

import pytest
from django.utils import timezone

from advisory.models import Topic
from advisory.tests.factories import ConsultationFactory
from core.figures import figures_for_year, get_breakdown
from events.models import Event
from events.tests.factories import EventFactory, RegistrationFactory, event_with_audience, meet_the_boss
from testing.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
LAST_YEAR = timezone.localdate().year - 1


def _at(month: int, day: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(LAST_YEAR, month, day, 17))


def test_a_past_event_with_people_let_in_counts_as_held_though_nobody_set_the_status():
    event, audience = event_with_audience(starts_at=_at(3), status=Event.Status.PUBLISHED, kind=Event.Kind.WEBINAR)
    RegistrationFactory(audience=audience, checked_in_at=event.starts_at)
    event_with_audience(starts_at=_at(4), status=Event.Status.PUBLISHED)  # nobody let in, no status: unknown
    EventFactory(starts_at=_at(5), status=Event.Status.HELD, kind=Event.Kind.WORKSHOP)  # staff marked it held
    cancelled, cancelled_audience = event_with_audience(starts_at=_at(6), status=Event.Status.CANCELLED)
    RegistrationFactory(audience=cancelled_audience, checked_in_at=None)
    figures = figures_for_year(LAST_YEAR, "events.")
    assert figures["events.held"] == 2
    assert figures["events.type.webinar"] == 1 and figures["events.type.workshop"] == 1
    assert figures["events.cancelled"] == 1


def test_an_event_marked_held_in_advance_does_not_count_before_its_date():
    EventFactory(starts_at=timezone.now() + datetime.timedelta(days=3), status=Event.Status.HELD)
    year = (timezone.now() + datetime.timedelta(days=3)).year
    assert figures_for_year(year, "events.")["events.held"] == 0


def test_cancellations_are_counted_by_kind_of_event():
    for kind in (Event.Kind.SOCIAL_DAY, Event.Kind.CONGRESS, Event.Kind.CONGRESS):
        EventFactory(starts_at=_at(5), status=Event.Status.CANCELLED, kind=kind)
    figures = figures_for_year(LAST_YEAR, "events.cancelled")
    assert figures["events.cancelled.social_day"] == 1 and figures["events.cancelled.congress"] == 2
    rows = dict(get_breakdown("events.cancelled_by_kind").compute(LAST_YEAR))
    assert rows["Kongress"] == 2 and rows["Social Day"] == 1 and rows["Webinar"] == 0


def test_partner_universities_at_meet_the_boss_are_counted_once_each():
    münster, gelsenkirchen = OrganisationFactory(name="FH Münster"), OrganisationFactory(name="WH Gelsenkirchen")
    for month, partner in ((9, münster), (10, gelsenkirchen), (11, münster)):
        meet_the_boss(partner=partner, starts_at=_at(month), status=Event.Status.HELD)
    unheld, *_ = meet_the_boss(partner=OrganisationFactory(name="Uni X"), starts_at=_at(12))  # not held
    assert unheld.status == Event.Status.PUBLISHED
    figures = figures_for_year(LAST_YEAR, "events.meet_the_boss")
    assert figures["events.meet_the_boss"] == 3 and figures["events.meet_the_boss_universities"] == 2


def test_the_share_of_ce_marking_among_technology_talks(staff):
    ce, ki = Topic.objects.get(slug="ce-kennzeichnung"), Topic.objects.get(slug="ki")
    funding = Topic.objects.get(slug="foerderung-innovation")
    day = datetime.date(LAST_YEAR, 5, 5)
    for topics in ([ce], [ce], [ce, ki], [ki], [funding]):
        ConsultationFactory(date=day, topics=topics, adviser=staff)
    figures = figures_for_year(LAST_YEAR, "advisory.")
    assert figures["advisory.talks_technology"] == 4 and figures["advisory.talks_funding"] == 1
    assert str(figures["advisory.technology_ce_share"]) == "75.0"
    topics = dict(get_breakdown("advisory.talks_by_topic").compute(LAST_YEAR))
    assert topics == {"CE-Kennzeichnung": 3, "KI": 2, "Innovation": 1}

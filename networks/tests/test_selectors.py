"""Every selector reads in a fixed number of queries, however many networks, members, meetings and posts there are."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contacts.models import OrganisationRole
from events.tests.factories import RegistrationFactory, event_with_audience
from networks import selectors
from networks.models import InitiativeEvent, Logo, NetworkMeeting, ProspectActivity
from networks.tests.factories import (
    CampaignFactory,
    MembershipFactory,
    NetworkFactory,
    PostFactory,
    ProspectFactory,
    StandFactory,
    SupportFactory,
)
from portal import selectors as portal_selectors
from testing.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
YEAR = 2020


def _grow(world: dict, staff, n: int) -> None:
    """Add ``n`` of everything to the shared world (a network with members, meetings, prospects, posts …)."""
    network = world["network"]
    for number in range(n):
        organisation = OrganisationFactory()
        person = PersonFactory()
        OrganisationRole.objects.create(person=person, organisation=organisation, kind="managing_director")
        membership = MembershipFactory(network=network, organisation=organisation)
        membership.contact_persons.add(person)
        start = timezone.make_aware(datetime.datetime(YEAR, 1 + number % 12, 10, 17))
        event, audience = event_with_audience(starts_at=start, status="held")
        RegistrationFactory(audience=audience, organisation=organisation, checked_in_at=start)
        NetworkMeeting.objects.create(network=network, event_id=event.pk)
        InitiativeEvent.objects.create(event_id=event.pk)
        NetworkFactory()
        prospect = ProspectFactory(
            network=network, responsible=staff, next_step_due=timezone.localdate(), organisation=OrganisationFactory()
        )
        ProspectActivity.objects.create(prospect=world["prospect"], kind="moved", from_stage="identified",
                                        to_stage="contacted", by=staff)  # fmt: skip
        del prospect
        support = SupportFactory(organisation=organisation, year=YEAR)
        support.contact_persons.add(person)
        Logo.objects.create(organisation=organisation, image=f"networks/logos/{number}.png", public=True)
        PostFactory(campaign=world["campaign"], organisation=organisation, reach=100 * number)
        world["stand"].leads.create(name=f"Lead {number}", email=f"lead{number}@schule.example")


def _selector_calls(world: dict, staff) -> dict:
    network, campaign, stand = world["network"], world["campaign"], world["stand"]
    organisation = world["organisation"]
    return {
        "network_overview": lambda: selectors.network_overview(),
        "network_detail": lambda: selectors.network_detail(network.pk),
        "meeting_candidates": lambda: selectors.meeting_candidates(network),
        "organisation_memberships": lambda: selectors.organisation_memberships(organisation),
        "people_of": lambda: selectors.people_of(organisation),
        "network_choices": lambda: selectors.network_choices(),
        "board": lambda: selectors.board(),
        "prospect_detail": lambda: list(selectors.prospect_detail(world["prospect"].pk).activities.all()),
        "staff_users": lambda: selectors.staff_users(),
        "due_for": lambda: selectors.due_for(staff),
        "initiative_overview": lambda: [
            list(s.contact_persons.all()) for s in selectors.initiative_overview(YEAR).supports
        ],
        "initiative_event_candidates": lambda: selectors.initiative_event_candidates(),
        "supporter_emails": lambda: selectors.supporter_emails(YEAR),
        "supporters_public": lambda: selectors.supporters_public(today=datetime.date(YEAR, 6, 1)),
        "contribution_statement": lambda: selectors.contribution_statement(YEAR),
        "partnerships": lambda: selectors.partnerships(),
        "network_onepager_data": lambda: selectors.network_onepager_data(network),
        "initiative_onepager_data": lambda: selectors.initiative_onepager_data(today=datetime.date(YEAR, 6, 1)),
        "campaigns_overview": lambda: selectors.campaigns_overview(),
        "campaign_detail": lambda: selectors.campaign_detail(campaign.pk),
        "fair_events": lambda: selectors.fair_events(),
        "stands_overview": lambda: selectors.stands_overview(),
        "stand_leads": lambda: selectors.stand_leads(stand),
        "newsletter_options": lambda: selectors.newsletter_options(),
        "network_export": lambda: selectors.network_export(),
        "member_export": lambda: selectors.member_export(network),
        "prospect_export": lambda: list(selectors.prospect_export()[1]),
        "statement_export": lambda: selectors.statement_export(YEAR),
        "post_export": lambda: selectors.post_export(campaign),
        "lead_export": lambda: selectors.lead_export(stand),
    }


# the pinned number of queries of each selector
PINNED = {
    "network_overview": 3, "network_detail": 7, "meeting_candidates": 2, "organisation_memberships": 5,
    "people_of": 1, "network_choices": 1, "board": 1, "prospect_detail": 2, "staff_users": 1, "due_for": 2,
    "initiative_overview": 7, "initiative_event_candidates": 2, "supporter_emails": 2, "supporters_public": 1,
    "contribution_statement": 1, "partnerships": 1, "network_onepager_data": 5, "initiative_onepager_data": 5,
    "campaigns_overview": 1, "campaign_detail": 4, "fair_events": 1, "stands_overview": 1, "stand_leads": 1,
    "newsletter_options": 1, "network_export": 3, "member_export": 7, "prospect_export": 1,
    "statement_export": 1, "post_export": 1, "lead_export": 1,
}  # fmt: skip


def _counts(calls: dict) -> dict[str, int]:
    counts = {}
    for name, call in calls.items():
        with CaptureQueriesContext(connection) as captured:
            call()
        counts[name] = len(captured.captured_queries)
    return counts


def test_every_selector_reads_in_a_fixed_number_of_queries(staff, settings):
    settings.MEDIA_ROOT = "/nonexistent-media"  # logos are only named, never read, in this test
    portal_selectors.occupation_choices()  # the portal caches its reference list for minutes: warm it
    organisation = OrganisationFactory()
    world = {
        "network": NetworkFactory(responsible=staff), "campaign": CampaignFactory(), "stand": StandFactory(),
        "organisation": organisation,
    }  # fmt: skip
    world["prospect"] = ProspectFactory(network=world["network"], organisation=organisation)
    MembershipFactory(network=NetworkFactory(), organisation=organisation)
    calls = _selector_calls(world, staff)
    assert set(calls) == set(PINNED), "every selector has a pinned count"
    _grow(world, staff, 2)
    small = _counts(calls)
    _grow(world, staff, 6)
    big = _counts(calls)
    assert small == big, {name: (small[name], big[name]) for name in small if small[name] != big[name]}
    assert big == PINNED, {name: (big[name], PINNED[name]) for name in big if big[name] != PINNED[name]}

"""Items taken from the events and the portal: only what those modules publish, with its title."""

import datetime

import pytest
from django.utils import timezone

from events.tests.factories import EventFactory
from newsletter import sources
from newsletter.tests.factories import IssueFactory
from portal.tests.factories import OfferFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(company_a):
    return ProfileFactory(organisation=company_a, short_description="Maschinenbau im Münsterland")


def _origins() -> set[str]:
    return {candidate.origin for candidate in sources.candidates()}


def test_an_offer_without_a_title_of_its_own_is_offered_with_its_occupation_and_company(login, staff, profile):
    offer = OfferFactory(profile=profile, title="", occupation_name="Mechatroniker/-in")
    candidate = next(c for c in sources.candidates() if c.origin == f"portal.offer:{offer.pk}")
    assert candidate.label == f"Portal-Angebot: Mechatroniker/-in ({profile.name})"
    issue = IssueFactory()
    login(staff).post(f"/newsletter/verwaltung/ausgaben/{issue.pk}/uebernehmen/", {"origin": candidate.origin})
    item = issue.items.get()
    assert item.title == f"Mechatroniker/-in ({profile.name})"
    assert item.teaser.startswith("Ausbildungsplatz ab ") and item.link.endswith(offer.get_absolute_url())


def test_a_past_inactive_or_unpublished_offer_is_not_offered(profile, company_b):
    from portal import services as portal_services

    current = OfferFactory(profile=profile, title="Ausbildung 2030")
    past = OfferFactory(profile=profile, title="Vorbei", start_date=timezone.localdate() - datetime.timedelta(days=1))
    inactive = OfferFactory(profile=profile, title="Ruht", is_active=False)
    hidden_profile = ProfileFactory(organisation=company_b)
    hidden = OfferFactory(profile=hidden_profile, title="Unveröffentlicht")
    portal_services.profile_settings_save(profile=hidden_profile, is_published=False, review_required=False, by=None)
    origins = _origins()
    assert f"portal.offer:{current.pk}" in origins
    for offer in (past, inactive, hidden):
        assert f"portal.offer:{offer.pk}" not in origins
        assert sources.candidate_for(f"portal.offer:{offer.pk}") is None
    assert f"portal.companyprofile:{profile.pk}" in origins
    assert f"portal.companyprofile:{hidden_profile.pk}" not in origins


def test_a_draft_cancelled_or_past_event_is_not_offered():
    upcoming = EventFactory()
    draft = EventFactory(status="draft")
    cancelled = EventFactory(status="cancelled")
    past = EventFactory(starts_at=timezone.now() - datetime.timedelta(days=2))
    origins = _origins()
    assert f"events.event:{upcoming.pk}" in origins
    for event in (draft, cancelled, past):
        assert f"events.event:{event.pk}" not in origins
        assert sources.candidate_for(f"events.event:{event.pk}") is None


def test_an_entry_that_stopped_being_public_is_refused_when_taken_over(login, staff, profile):
    offer = OfferFactory(profile=profile, title="Bald weg")
    issue = IssueFactory()
    offer.is_active = False
    offer.save()
    response = login(staff).post(
        f"/newsletter/verwaltung/ausgaben/{issue.pk}/uebernehmen/", {"origin": f"portal.offer:{offer.pk}"}, follow=True
    )
    assert "nicht (mehr) verfügbar" in response.content.decode()
    assert not issue.items.exists()


@pytest.mark.parametrize(
    "origin",
    ["", "events.event:", "events.event:x", "events.event:²", "auth.user:1", "events.event:99999999999999999999"],
)
def test_a_made_up_origin_is_refused_not_a_500(origin):
    assert sources.candidate_for(origin) is None


def test_the_candidates_are_read_in_a_fixed_number_of_queries(profile, django_assert_num_queries):
    for n in range(3):
        EventFactory()
        OfferFactory(
            profile=profile, title="", occupation_name="Mechatroniker/-in" if n % 2 else "Industriekaufmann/-frau"
        )
    # events, offers (the portal's selector joins their companies and occupations), companies
    with django_assert_num_queries(3):
        assert len(sources.candidates()) == 3 + 3 + 1

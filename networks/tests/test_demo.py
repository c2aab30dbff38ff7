"""The 2020 demo tells the report's story, and a second run creates nothing."""

import io

import pytest
from django.core.management import call_command

from core.figures import figures_for_year
from networks.models import (
    Campaign,
    Lead,
    Logo,
    Network,
    NetworkMembership,
    Post,
    Prospect,
    Support,
    UniversityPartnership,
)
from networks.selectors import initiative_overview

pytestmark = pytest.mark.django_db


def _counts():
    return [
        model.objects.count() for model in (Network, NetworkMembership, Support, Logo, Prospect, Campaign, Post, Lead)
    ]


def test_the_demo_fits_the_2020_report_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--only", "contacts,accounts,events,networks", stdout=io.StringIO())
    figures = figures_for_year(2020, "networks.") | figures_for_year(2020, "campaigns.")
    assert figures["networks.reactivated"] == 2  # two reactivations started
    assert figures["networks.meetings_in_person"] >= 2 and figures["networks.meetings_online"] >= 2
    assert figures["networks.state.active"] == 4 and figures["networks.state.founding"] == 2
    assert figures["networks.initiative_members"] > 0 and figures["networks.initiative_sponsors"] > 0
    assert figures["networks.partner_universities"] == 2
    assert figures["campaigns.posts"] == 14 and figures["campaigns.reach"] > 40_000
    assert figures["campaigns.fair_leads"] == 12
    overview = initiative_overview(2020)
    meet_the_boss_2020 = [row for row in overview.events if row.event.starts_at.year == 2020]
    assert len(meet_the_boss_2020) == 4 and all(row.supporters_present for row in meet_the_boss_2020)
    assert {p.organisation.name for p in UniversityPartnership.objects.all()} == {
        "Fachhochschule Münster", "Westfälische Hochschule Gelsenkirchen",
    }  # fmt: skip
    assert Prospect.objects.filter(activities__kind="onepager").exists()  # the one-pager was made and sent
    before = _counts()
    call_command("seed_demo", "--only", "networks", stdout=io.StringIO())
    assert _counts() == before

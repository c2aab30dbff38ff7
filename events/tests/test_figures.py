"""The 2020 demo data, told as the seed tells it, gives the report's figures."""

import random
from io import StringIO

import pytest
from django.core.management import call_command

from core.figures import figures_for_year
from events.demo import build
from events.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    build(rng=random.Random("kammerwerk-demo-events"))


def test_2020_figures_as_the_seed_states(demo):
    figures = figures_for_year(2020, "events.")
    assert figures["events.meet_the_boss"] == 4  # "vier Meet-the-Boss-Veranstaltungen"
    assert figures["events.cancelled"] == 3  # Social Day, congress, an in-person network meeting
    assert figures["events.moved_online"] == 3  # networks that met digitally
    assert figures["events.type.fair_stand"] == 1  # AzuBeYou in November
    assert figures["events.type.editors_conference"] == 1  # December
    assert figures["events.type.webinar"] == 4 and figures["events.type.expert_exchange"] == 1
    assert figures["events.type.congress"] == 0 and figures["events.type.social_day"] == 0
    assert figures["events.held"] == 16
    assert figures["events.held"] == sum(figures[f"events.mode.{mode}"] for mode in Event.Mode.values)
    assert figures["events.registrations"] > figures["events.attendance"] > 0
    cancelled = set(Event.objects.filter(starts_at__year=2020, status="cancelled").values_list("kind", flat=True))
    assert {"social_day", "congress"} <= cancelled
    mtb = Event.objects.filter(kind="meet_the_boss", starts_at__year=2020)
    assert all(e.starts_at.month >= 7 for e in mtb)
    partners = {p.name for e in mtb for p in e.partners.all()}
    assert partners == {"Fachhochschule Münster", "Westfälische Hochschule Gelsenkirchen"}


def test_demo_is_idempotent_and_has_events_to_register_for(demo):
    count = Event.objects.count()
    build(rng=random.Random("kammerwerk-demo-events"))
    assert Event.objects.count() == count
    assert Event.objects.filter(status="published").count() >= 4


def test_figures_command_shows_events_keys(demo):
    out = StringIO()
    call_command("figures", "--year", "2020", "--prefix", "events.", stdout=out)
    text = out.getvalue()
    assert "events.meet_the_boss" in text and "events.cancelled" in text
    line = next(line for line in text.splitlines() if line.startswith("events.meet_the_boss "))
    assert line.split()[1] == "4"

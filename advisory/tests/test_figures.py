"""The 2020 demo reproduces the seed's figures, through the selectors and `manage.py figures`."""

import io
import random

import pytest
from django.core.management import call_command

from advisory import demo
from advisory.models import ConsultationDay
from core.figures import figures_for_year

pytestmark = pytest.mark.django_db

SEED_2020 = {
    "advisory.talks_funding": 50,  # "rund 50 Erstberatungsgespräche zu … Zuschussförderprogrammen"
    "advisory.talks_technology": 60,  # "in rund 60 Erstberatungsgesprächen … Innovations- und Technologiefragen"
    "advisory.expert_days_funding": 2,  # "erstmalig zwei Expertensprechtagen"
    "advisory.inventor_days": 20,  # "bei 20 kostenfreien Sprechtagen"
    "advisory.inventor_talks": 60,  # "60 Einzelberatungen mit Patentanwälten"
    "advisory.ce_days": 3,  # "drei CE-Sprechtage"
    "advisory.ce_participants": 12,  # "mit insgesamt 12 Teilnehmern"
}


def test_demo_2020_figures_match_the_seed(staff):
    demo.build(rng=random.Random("kammerwerk-demo-advisory"))
    figures = figures_for_year(2020, "advisory.")
    assert {key: figures[key] for key in SEED_2020} == SEED_2020
    out = io.StringIO()
    call_command("figures", year=2020, prefix="advisory.", stdout=out)
    lines = {line.split()[0]: line.split()[1] for line in out.getvalue().splitlines()[1:]}
    for key, value in SEED_2020.items():
        assert lines[key] == str(value)
    # idempotent; and coming days exist for visitors to book, one of them full
    days = ConsultationDay.objects.count()
    demo.build(rng=random.Random("kammerwerk-demo-advisory"))
    assert ConsultationDay.objects.count() == days
    from advisory.selectors import public_days

    coming = list(public_days())
    assert any(day.has_free for day in coming) and any(not day.has_free for day in coming)


def test_attendance_and_no_shows_count(staff, expert):
    import datetime

    from django.utils import timezone

    from advisory import services
    from advisory.tests.factories import book, make_day

    day = make_day(expert, count=3)
    a, b = book(day, email="a@example.org"), book(day, email="b@example.org")
    ConsultationDay.objects.filter(pk=day.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=3))
    day.slots.update(starts_at=timezone.now() - datetime.timedelta(hours=3))
    for booking, value in ((a, "attended"), (b, "no_show")):
        booking.refresh_from_db()
        services.booking_set_attendance(booking=booking, attendance=value)
    year = timezone.localdate().year
    figures = figures_for_year(year, "advisory.")
    assert figures["advisory.inventor_days"] == 1
    assert figures["advisory.inventor_talks"] == 1
    assert figures["advisory.slots_offered"] == 3 and figures["advisory.slots_booked"] == 2
    assert figures["advisory.slots_attended"] == 1 and figures["advisory.no_shows"] == 1

"""The figures registry: labels and groups on the staff page, breakdowns, shared queries, German numbers."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from contacts.models import Organisation
from core import figures
from core.figures import format_change, format_month, format_number, one_computation, shared
from testing.factories import DistrictFactory, OrganisationFactory


def test_german_numbers_group_thousands_and_use_a_decimal_comma():
    assert format_number(1234567) == "1.234.567"
    assert format_number(Decimal("13240.077"), 1) == "13.240,1"
    assert format_number(-1234) == "−1.234"
    assert format_number(12, sign=True) == "+12"
    assert format_number(None) == "–"
    assert format_month(202009) == "September 2020"


def test_change_from_the_previous_year_reads_like_print():
    figure = figures.Figure(key="x.y", label="x", compute=lambda year: 0)
    assert format_change(figure, 60, 50) == "+10 (+20,0 %)"
    assert format_change(figure, 50, 50) == "±0"
    assert format_change(figure, 5, 0) == "+5"  # no percentage from nothing
    assert format_change(figure, 5, None) == "–"


def test_a_shared_query_runs_once_per_computation_and_fresh_outside():
    calls = []

    @shared
    def counts(year):
        calls.append(year)
        return {"a": year}

    with one_computation():
        counts(2020), counts(2020), counts(2019)
    assert calls == [2020, 2019]
    counts(2020)
    assert calls == [2020, 2019, 2020]


def test_every_figure_has_a_label_fit_for_print():
    for figure in figures.all_figures():
        label = str(figure.label)
        assert label and "(" not in label.split()[0], figure.key
        assert figure.key not in label and "JJJJ" not in label, figure.key
    assert figures.all_breakdowns(), "no figure by dimension registered"


@pytest.mark.django_db
def test_organisations_are_counted_at_the_end_of_the_year_they_were_recorded():
    district = DistrictFactory(name="Borken")
    old, new = OrganisationFactory(district=district), OrganisationFactory(district=district)
    Organisation.objects.filter(pk=old.pk).update(created_at=timezone.make_aware(datetime.datetime(2019, 5, 1)))
    Organisation.objects.filter(pk=new.pk).update(created_at=timezone.make_aware(datetime.datetime(2020, 12, 31, 23)))
    values = figures.figures_for_year(2020, "contacts.")
    assert values["contacts.organisations"] == 2 and values["contacts.organisations_new"] == 1
    assert figures.figures_for_year(2019, "contacts.")["contacts.organisations"] == 1
    assert figures.get_breakdown("contacts.organisations_by_district").compute(2020) == [("Borken", 2)]


@pytest.mark.django_db
def test_staff_figures_page_shows_labels_by_module_not_internal_keys(login, staff):
    OrganisationFactory()
    response = login(staff).get("/kennzahlen/?jahr=2026")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Organisationen im Bestand am Jahresende" in text
    assert "<h2" in text and "Kontakte" in text and "Beratung" in text
    assert "contacts.organisations" not in text and "advisory.talks" not in text
    assert '<th scope="col" class="num">2025</th>' in text  # the previous year beside it

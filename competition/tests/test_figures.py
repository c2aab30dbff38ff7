"""The annual report's figures, and the 2020 demo that reproduces the seed (172 pupils, 97 projects)."""

import random

import pytest

from accounts.demo import build as build_accounts
from competition import demo
from competition.models import Edition, Participant, Project, ScoreSheet
from competition.tests.factories import make_edition, make_project, make_school
from contacts.demo import build as build_contacts
from core.figures import all_figures, figures_for_year

pytestmark = pytest.mark.django_db


def test_figures_count_registered_projects_and_distinct_pupils():
    edition = make_edition(stage="published", year=2021)
    school = make_school("Gymnasium A", "Münster")
    make_project(edition, members=[("Mia", "A"), ("Ben", "B")], school=school, area="biologie", gender="f")
    make_project(edition, members=[("Cem", "C")], school=make_school("Schule B", "Rheine"), area="chemie", gender="m")
    make_project(edition, members=[("Dora", "D")], status=Project.Status.PENDING)  # consent still out: not counted
    Project.objects.filter(edition=edition, subject_area="biologie").update(place=1, forwarded=True)
    figures = figures_for_year(2021, "competition.")
    assert figures["competition.projects"] == 2
    assert figures["competition.participants"] == 3
    assert figures["competition.girls"] == 2 and figures["competition.girls_share"] == 66.7
    assert figures["competition.projects.biologie"] == 1 and figures["competition.projects.chemie"] == 1
    assert figures["competition.schools"] == 2
    assert figures["competition.prizes"] == 1 and figures["competition.forwarded"] == 1
    assert figures["competition.projects.senior"] == 2 and figures["competition.projects.junior"] == 0


def test_every_figure_has_a_german_label_fit_for_print():
    labels = [str(f.label) for f in all_figures() if f.key.startswith("competition.")]
    assert len(labels) >= 20 and all(label.startswith("Jugend forscht: ") for label in labels)


def test_the_2020_demo_reproduces_the_seeds_172_pupils_and_97_projects_and_runs_twice_without_change():
    build_contacts(random.Random(1))
    build_accounts(random.Random(2))
    demo.build(random.Random(3))
    figures = figures_for_year(2020, "competition.")
    assert figures["competition.participants"] == 172
    assert figures["competition.projects"] == 97
    assert sum(figures[f"competition.projects.{division}"] for division in ("junior", "senior")) == 97
    assert 30 <= figures["competition.girls_share"] <= 50
    assert figures["competition.prizes"] >= 14 and figures["competition.districts"] >= 5
    edition = Edition.objects.get(year=2020)
    assert edition.number == 34 and edition.is_published and edition.junior_name == "Schüler experimentieren"
    assert ScoreSheet.objects.filter(jury__edition=edition).exists()
    counts = (Edition.objects.count(), Project.objects.count(), Participant.objects.count(), ScoreSheet.objects.count())
    assert demo.build(random.Random(4)) == "nichts Neues"
    assert counts == (
        Edition.objects.count(),
        Project.objects.count(),
        Participant.objects.count(),
        ScoreSheet.objects.count(),
    )

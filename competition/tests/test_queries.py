"""Every selector reads in a fixed number of queries; the jury and ranking pages do not grow with the data
(issue 14, item 9: they must stay fast at 5,000 projects and 500 jurors)."""

import pytest
from django.db import connection
from django.urls import reverse

from competition import selectors
from competition.tests.factories import give_score, make_edition, make_jury, make_project
from testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _round(juror, projects: int, jurors: int, year: int | None = None):
    edition = make_edition(stage="contest", year=year)
    others = [UserFactory(roles=["juror"]) for _ in range(jurors - 1)]
    jury = make_jury(edition, "biologie", "senior", juror, *others, chair=juror)
    made = [make_project(edition, jury=jury, members=[("A", "B"), ("C", "D")]) for _ in range(projects)]
    for index, project in enumerate(made):
        for number, user in enumerate([juror, *others]):
            give_score(project, user, 40 + (index * 7 + number * 3) % 50)
            give_score(project, user, 35 + (index * 5 + number) % 50, phase="before")
    return edition, jury


@pytest.mark.parametrize("size", [(2, 2), (8, 4)])
def test_selectors_read_in_a_fixed_number_of_queries(juror, django_assert_num_queries, size):
    edition, jury = _round(juror, *size)
    with django_assert_num_queries(2):
        assignments = selectors.juror_assignments(juror)
        assert len(assignments[0].projects) == size[0]
    with django_assert_num_queries(3):
        ranking = selectors.jury_ranking(jury)
        assert len(ranking.rows) == size[0] and len(ranking.jurors) == size[1]
    with django_assert_num_queries(1):
        assert len(list(selectors.staff_projects(edition, selectors.ProjectFilters()))) == size[0]
    with django_assert_num_queries(1):
        selectors.completeness_summary(edition)
    with django_assert_num_queries(3):
        selectors.results_overview(edition)
    with django_assert_num_queries(2):
        assert len(selectors.contest_day(edition)["projects"]) == size[0]
    with django_assert_num_queries(4):
        selectors.edition_figures(edition)
    with django_assert_num_queries(2):
        selectors.public_results(edition)
    with django_assert_num_queries(2):
        assert len(selectors.booklet_projects(edition)) == size[0]


def test_teacher_projects_read_in_three_queries(public_user, django_assert_num_queries):
    edition = make_edition()
    for _ in range(4):
        make_project(edition, teacher=public_user)
    with django_assert_num_queries(3):
        projects = selectors.teacher_projects(public_user)
        assert len(projects) == 4 and all(p.team for p in projects)


def _queries(client, url) -> int:
    """Queries of one request, counted as they run (the query log is reset when a request starts)."""
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    return len(executed)


def test_the_jury_and_ranking_pages_do_not_grow_with_projects_and_jurors(juror, staff, login):
    _edition, small = _round(juror, 2, 2)
    client = login(juror)
    home_small = _queries(client, reverse("competition:jury_home"))
    ranking_small = _queries(client, reverse("competition:jury_ranking", args=[small.pk]))
    staff_client = login(staff)
    staff_ranking_small = _queries(staff_client, reverse("competition:jury_ranking", args=[small.pk]))

    juror_b = UserFactory(roles=["juror"])
    _edition_b, big = _round(juror_b, 12, 6, year=_edition.year + 1)
    client = login(juror_b)
    assert _queries(client, reverse("competition:jury_home")) == home_small
    assert _queries(client, reverse("competition:jury_ranking", args=[big.pk])) == ranking_small
    assert _queries(login(staff), reverse("competition:jury_ranking", args=[big.pk])) == staff_ranking_small
    assert 3 <= home_small <= 12 and 3 <= ranking_small <= 14, (home_small, ranking_small)


def test_the_staff_completeness_page_does_not_grow_with_projects(staff, login):
    """Regression: each row's jury label read its round again (one query per project)."""
    edition = make_edition()
    jury = make_jury(edition, "biologie", "senior")
    for _ in range(2):
        make_project(edition, jury=jury)
    client = login(staff)
    url = reverse("competition:edition_detail", args=[edition.pk])
    small = _queries(client, url)
    for _ in range(6):
        make_project(edition, jury=jury)
    assert _queries(client, url) == small

"""Juries: who sees what, scoring on the rubric, conflicts of interest, the decision, publishing."""

import pytest
from django.urls import reverse
from django.utils import timezone

from competition import selectors, services
from competition.models import Conflict, Edition, Project, ScoreSheet
from competition.tests.factories import full_points, give_score, make_edition, make_jury, make_project, make_school
from core.errors import NotAllowed, StateConflict
from core.models import OutgoingMail
from testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contest(juror):
    """Today is the contest day: a Biologie jury (the persona juror chairs it, a second juror) and a Chemie jury."""
    edition = make_edition(stage="contest")
    second = UserFactory(email="zweite@example.org", full_name="Zoe Zweite", roles=["juror"])
    chemist = UserFactory(email="chemie@example.org", full_name="Carl Chemie", roles=["juror"])
    biology = make_jury(edition, "biologie", "senior", juror, second, chair=juror)
    chemistry = make_jury(edition, "chemie", "senior", chemist, second)
    return {
        "edition": edition, "second": second, "chemist": chemist, "biology": biology, "chemistry": chemistry,
        "bio_project": make_project(edition, area="biologie", jury=biology, members=[("Mia", "Moos")]),
        "chem_project": make_project(edition, area="chemie", jury=chemistry, members=[("Cem", "Säure")]),
    }  # fmt: skip


def test_a_juror_of_biologie_gets_404_on_a_chemie_project(contest, juror, login):
    client = login(juror)
    assert client.get(reverse("competition:jury_project", args=[contest["bio_project"].pk])).status_code == 200
    assert client.get(reverse("competition:jury_project", args=[contest["chem_project"].pk])).status_code == 404
    assert client.get(reverse("competition:written_work", args=[contest["chem_project"].pk])).status_code == 404
    assert client.get(reverse("competition:jury_ranking", args=[contest["chemistry"].pk])).status_code == 404
    home = client.get(reverse("competition:jury_home")).content.decode()
    assert "Moos" not in home  # the jury list shows titles, not the minors' names
    assert contest["bio_project"].title in home and contest["chem_project"].title not in home


def test_a_juror_scores_before_and_after_the_interview(contest, juror, login):
    project = contest["bio_project"]
    criteria = list(contest["edition"].criteria.all())
    client = login(juror)
    form = {"phase": "before", **{f"k{c.id}": 5 for c in criteria}}
    response = client.post(reverse("competition:jury_project", args=[project.pk]), form)
    assert response.status_code == 302
    form = {"phase": "after", **{f"k{c.id}": c.max_points for c in criteria}, "comment": "Sehr sauber gemessen"}
    client.post(reverse("competition:jury_project", args=[project.pk]), form)
    sheets = {s.phase: s for s in ScoreSheet.objects.filter(project=project, juror=juror)}
    assert str(sheets["before"].total) == "50.00" and str(sheets["after"].total) == "100.00"
    assert sheets["after"].points.count() == len(criteria)
    assistant = selectors.juror_assignments(juror)[0]
    assert (assistant.before_done, assistant.after_done) == (1, 1)


def test_points_outside_the_range_are_refused_and_nothing_is_stored(contest, juror, login):
    criteria = list(contest["edition"].criteria.all())
    form = {"phase": "after", **{f"k{c.id}": 5 for c in criteria}}
    form[f"k{criteria[0].id}"] = 11
    response = login(juror).post(reverse("competition:jury_project", args=[contest["bio_project"].pk]), form)
    assert response.status_code == 400
    assert not ScoreSheet.objects.exists()


def test_a_juror_scoring_a_project_not_assigned_to_them_is_refused(contest, juror):
    with pytest.raises(NotAllowed, match="nicht zur Bewertung zugeordnet"):
        services.score_save(
            juror=juror, project=contest["chem_project"], phase="after", points=full_points(contest["edition"])
        )
    assert not ScoreSheet.objects.exists()


def test_scoring_after_the_results_are_published_is_refused(contest, juror):
    edition = contest["edition"]
    Edition.objects.filter(pk=edition.pk).update(results_published_at=timezone.now())
    with pytest.raises(StateConflict, match="veröffentlicht"):
        services.score_save(juror=juror, project=contest["bio_project"], phase="after", points=full_points(edition))
    assert not ScoreSheet.objects.exists()


def test_the_after_interview_score_waits_for_the_contest_day(juror):
    edition = make_edition(stage="registration")
    jury = make_jury(edition, "biologie", "senior", juror)
    project = make_project(edition, jury=jury)
    with pytest.raises(services.ScoringRefused, match="ab dem Wettbewerbstag"):
        services.score_save(juror=juror, project=project, phase="after", points=full_points(edition))
    services.score_save(juror=juror, project=project, phase="before", points=full_points(edition))


def test_a_jurors_own_school_is_a_conflict_they_neither_see_nor_score(contest, staff, login):
    edition, jury = contest["edition"], contest["biology"]
    school = make_school("Gymnasium Nepomucenum", "Coesfeld")
    own = make_project(edition, area="biologie", jury=jury, school=school, title="Projekt der eigenen Schule")
    teacher = UserFactory(email="lehrer.jury@example.org", full_name="Lars Lehrer", roles=[])
    services.juror_add(jury=jury, email=teacher.email, full_name="Lars Lehrer", school=school, invited_by=staff)
    assert Conflict.objects.filter(project=own, user=teacher, reason="eigene Schule").exists()
    client = login(teacher)
    assert client.get(reverse("competition:jury_project", args=[own.pk])).status_code == 404
    assert client.get(reverse("competition:jury_project", args=[contest["bio_project"].pk])).status_code == 200
    with pytest.raises(NotAllowed):
        services.score_save(juror=teacher, project=own, phase="before", points=full_points(edition))
    assert teacher.roles & {"juror"}


def test_declaring_a_conflict_hides_the_project_and_removes_the_jurors_scores(contest, juror, login):
    project = contest["bio_project"]
    give_score(project, juror, 80)
    client = login(juror)
    client.post(reverse("competition:conflict_declare", args=[project.pk]), {"reason": "Nachbarskind"})
    assert not ScoreSheet.objects.filter(project=project, juror=juror).exists()
    assert client.get(reverse("competition:jury_project", args=[project.pk])).status_code == 404


def test_a_new_juror_is_invited_with_the_juror_role(contest, staff, login):
    response = login(staff).post(
        reverse("competition:jury_detail", args=[contest["biology"].pk]),
        {"action": "juror", "full_name": "Nina Neu", "email": "nina@example.org", "affiliation": "FH Münster"},
    )
    assert response.status_code == 302
    invitation = OutgoingMail.objects.get(to_email="nina@example.org")
    assert invitation.template == "invitation"
    member = contest["biology"].members.get(user__email="nina@example.org")
    assert member.user.has_role("juror")


def _three_projects(contest):
    edition, jury = contest["edition"], contest["biology"]
    return [contest["bio_project"]] + [make_project(edition, area="biologie", jury=jury) for _ in range(2)]


def test_the_ranking_shows_raw_and_normalised_scores_and_ties(contest, juror, login):
    first, second, third = _three_projects(contest)
    other = contest["second"]
    for project, mine, theirs in ((first, 60, 70), (second, 50, 70), (third, 40, 70)):
        give_score(project, juror, mine)
        give_score(project, other, theirs)  # the second juror gave everyone 70: no information, z = 0
    ranking = selectors.jury_ranking(contest["biology"])
    assert [row.project for row in ranking.rows] == [first, second, third]
    assert [row.rank.position for row in ranking.rows] == [1, 2, 3]
    page = login(juror).get(reverse("competition:jury_ranking", args=[contest["biology"].pk])).content.decode()
    assert "normalisiert (z)" in page and "Rohwert" in page


def test_a_placing_that_departs_from_the_ranking_needs_a_reason(contest, juror, login):
    first, second, third = _three_projects(contest)
    for project, total in ((first, 90), (second, 60), (third, 30)):
        give_score(project, juror, total)
        give_score(project, contest["second"], total - 10)
    client = login(juror)  # the chair
    url = reverse("competition:jury_ranking", args=[contest["biology"].pk])
    response = client.post(url, {f"place_{first.pk}": "2", f"place_{second.pk}": "1", f"place_{third.pk}": "3"})
    assert response.status_code == 400
    assert "weicht von der Rangfolge ab" in response.content.decode()
    assert not Project.objects.filter(place__isnull=False).exists()
    response = client.post(
        url,
        {f"place_{first.pk}": "2", f"reason_{first.pk}": "Messreihe unvollständig", f"place_{second.pk}": "1",
         f"reason_{second.pk}": "Stärkere Eigenleistung im Gespräch", f"place_{third.pk}": "3"},
    )  # fmt: skip
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.place == 2 and first.decision_reason == "Messreihe unvollständig"


def test_only_the_chair_or_staff_record_the_decision(contest, login):
    response = login(contest["second"]).post(reverse("competition:jury_ranking", args=[contest["biology"].pk]), {})
    assert response.status_code == 403


def test_results_stay_unpublished_until_every_jury_has_decided(contest, juror, staff, public_user, login):
    edition = contest["edition"]
    Project.objects.filter(pk=contest["bio_project"].pk).update(
        registered_by=public_user, teacher_email=public_user.email
    )
    give_score(contest["bio_project"], juror, 80)
    give_score(contest["bio_project"], contest["second"], 70)
    services.jury_decide(jury=contest["biology"], decided_by=juror, placements={contest["bio_project"].pk: (1, "")})
    teacher = login(public_user)
    detail = teacher.get(reverse("competition:project_detail", args=[contest["bio_project"].pk])).content.decode()
    assert "1. Preis" not in detail
    assert teacher.get(reverse("competition:results_public", args=[edition.year])).status_code == 404
    with pytest.raises(services.CompetitionRefused, match="noch nicht entschieden"):
        services.results_publish(edition=edition)
    services.jury_decide(jury=contest["chemistry"], decided_by=staff, placements={})
    services.results_publish(edition=edition)
    detail = teacher.get(reverse("competition:project_detail", args=[contest["bio_project"].pk])).content.decode()
    assert "1. Preis" in detail
    public = teacher.get(reverse("competition:results_public", args=[edition.year])).content.decode()
    assert contest["bio_project"].title in public and "Moos" not in public  # no minors' names in public
    assert OutgoingMail.objects.filter(template="competition_results", to_email=public_user.email).exists()
    with pytest.raises(StateConflict):
        services.jury_decide(jury=contest["biology"], decided_by=staff, placements={})


def test_forwarding_takes_first_places_only(contest, staff):
    project = contest["bio_project"]
    Project.objects.filter(pk=project.pk).update(place=2)
    with pytest.raises(services.CompetitionRefused, match="1. Preis"):
        services.forwarding_set(edition=contest["edition"], project_ids={project.pk})
    Project.objects.filter(pk=project.pk).update(place=1)
    assert services.forwarding_set(edition=contest["edition"], project_ids={project.pk}) == 1


def test_a_jury_needs_two_members_before_it_decides(staff):
    edition = make_edition(stage="contest")
    lonely = make_jury(edition, "physik", "senior", UserFactory(roles=["juror"]))
    with pytest.raises(services.CompetitionRefused, match="mindestens zwei"):
        services.jury_decide(jury=lonely, decided_by=staff, placements={})

"""Documents (read back with pypdf), the contest day, the patent advice offered to the teams."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from advisory.catalogue import load_catalogue
from advisory.models import ConsultationSeries
from advisory.services import day_create
from competition import rules, services
from competition.models import Interview, PatentOffer, SpecialPrize
from competition.tests.factories import make_edition, make_jury, make_project
from core.models import OutgoingMail
from testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_certificate_carries_name_project_and_place(staff, login):
    edition = make_edition(stage="contest")
    project = make_project(edition, members=[("Mia", "Müller"), ("Ben", "Öztürk")], title="Kresse unter LED-Licht")
    project.place = 2
    project.save(update_fields=["place"])
    SpecialPrize.objects.create(edition=edition, name="Preis der Industrie-Initiative", project=project)
    member = project.members.get(participant__last_name="Öztürk")
    response = login(staff).get(reverse("competition:certificate_staff", args=[member.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Ben Öztürk" in text and "2. Preis" in text and "Kresse unter LED-Licht" in text
    assert "Preis der Industrie-Initiative" in text and "Mia Müller" not in text


def test_the_batch_download_has_one_certificate_per_person(staff, login):
    edition = make_edition(stage="contest")
    make_project(edition, members=[("Mia", "Müller"), ("Ben", "Bauer")])
    make_project(edition, members=[("Cem", "Can")])
    archive = zipfile.ZipFile(
        io.BytesIO(login(staff).get(reverse("competition:certificates_zip", args=[edition.pk])).content)
    )
    names = sorted(archive.namelist())
    assert len(names) == 3 and all(name.endswith(".pdf") for name in names)
    assert "Cem Can" in _text(archive.read(next(n for n in names if "can" in n)))
    participation = _text(archive.read(names[0]))
    assert "teilgenommen" in participation and "Preis" not in participation


def test_jury_sheets_booklet_and_badges_are_pdfs_with_the_projects(staff, juror, login):
    edition = make_edition(stage="contest")
    jury = make_jury(edition, "biologie", "senior", juror)
    make_project(edition, jury=jury, title="Moos als Filter", members=[("Ida", "Ilse")])
    client = login(staff)
    sheet = _text(client.get(reverse("competition:jury_sheet", args=[jury.pk])).content)
    assert "Moos als Filter" in sheet and "Thema und Fragestellung" in sheet and "Jens Jury" in sheet
    booklet = _text(client.get(reverse("competition:booklet", args=[edition.pk])).content)
    assert "Programmheft" in booklet and "Ida Ilse" in booklet
    badges = _text(client.get(reverse("competition:badges", args=[edition.pk])).content)
    assert "Ida Ilse" in badges and "Jens Jury" in badges


def test_the_teacher_gets_the_certificate_only_after_publication(public_user, login):
    edition = make_edition(stage="contest")
    project = make_project(edition, teacher=public_user)
    member = project.members.first()
    url = reverse("competition:certificate_owner", args=[project.pk, member.pk])
    client = login(public_user)
    assert client.get(url).status_code == 404
    edition.results_published_at = timezone.now()
    edition.save(update_fields=["results_published_at"])
    assert client.get(url)["Content-Type"] == "application/pdf"


def test_the_contest_day_plans_interviews_without_clashes_and_checks_teams_in(staff, juror, login):
    edition = make_edition(stage="contest")
    shared = UserFactory(email="beide@example.org", roles=["juror"])
    biology = make_jury(edition, "biologie", "senior", juror, shared)
    chemistry = make_jury(edition, "chemie", "senior", shared, UserFactory(roles=["juror"]))
    projects = [make_project(edition, jury=biology) for _ in range(3)] + [
        make_project(edition, area="chemie", jury=chemistry) for _ in range(3)
    ]
    client = login(staff)
    client.post(reverse("competition:contest_day", args=[edition.pk]), {"action": "stands"})
    client.post(reverse("competition:contest_day", args=[edition.pk]), {"action": "interviews"})
    interviews = list(Interview.objects.select_related("jury"))
    assert len(interviews) == 6
    slots = [
        rules.Slot(
            i.jury_id, i.project_id, i.starts_at, i.ends_at, tuple(i.jury.members.values_list("user_id", flat=True))
        )
        for i in interviews
    ]
    assert rules.clashes(slots) == []
    first = min(i.starts_at for i in interviews)
    assert timezone.localtime(first).time() == datetime.time(9, 0)
    page = client.get(reverse("competition:contest_day", args=[edition.pk])).content.decode()
    assert "09:00" in page
    response = client.post(reverse("competition:checkin", args=[projects[0].pk]), HTTP_HX_REQUEST="true")
    assert "ist da" not in response.content.decode() and "rückgängig" in response.content.decode()
    projects[0].refresh_from_db()
    assert projects[0].checked_in_at is not None
    assert projects[0].stand_number is not None


def test_a_patent_day_is_offered_to_every_registered_team_once(staff, expert, login):
    edition = make_edition()
    make_project(edition, title="Roboter sortiert Müll")
    make_project(edition, title="Windrad aus Recycling")
    load_catalogue()
    series = ConsultationSeries.objects.get(slug="patentberatung-jugend-forscht")
    day = day_create(series=series, starts_at=timezone.now() + datetime.timedelta(days=20), expert=expert, slot_count=4)
    client = login(staff)
    page = client.get(reverse("competition:patent", args=[edition.pk])).content.decode()
    assert "anbieten" in page
    client.post(reverse("competition:patent", args=[edition.pk]), {"day": day.pk})
    mail = OutgoingMail.objects.get(template="competition_patent_offer")
    assert f"/beratung/sprechtage/{day.pk}/" in mail.body_text and "Roboter sortiert Müll" in mail.body_text
    assert PatentOffer.objects.get().recipients == 1
    with pytest.raises(services.CompetitionRefused, match="schon angeboten"):
        services.patent_days_offer(edition=edition, day_id=day.pk)

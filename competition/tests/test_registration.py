"""Registration: the team rules, the parents' consent by mailed link, the written work, the stand, reminders."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competition import services
from competition.models import ParentalConsent, Participant, Project
from competition.services import MemberData, ProjectData, RegistrationRefused
from competition.tests.factories import birth_for_age, make_edition, make_project, pdf_bytes
from core.models import OutgoingMail

pytestmark = pytest.mark.django_db


def _team(edition, *ages, prefix="Kind"):
    return [
        MemberData(
            first_name=f"{prefix}{i}",
            last_name="Forscher",
            birth_date=birth_for_age(edition, age),
            gender="f",
            parent_email=f"eltern{i}@example.org",
        )  # fmt: skip
        for i, age in enumerate(ages, start=1)
    ]


def _data(edition, members, **overrides):
    values = dict(
        title="Kresse unter LED-Licht", abstract="Wie wächst Kresse unter verschiedenen Lichtfarben?",
        subject_area="biologie", school_name="Gymnasium Paulinum", school_city="Münster", teacher_name="Frau Lehrer",
        teacher_email="lehrerin@example.org", members=members,
    )  # fmt: skip
    values.update(overrides)
    return ProjectData(**values)


def test_a_team_of_three_minors_waits_for_every_parent_then_is_registered(public_user, client):
    edition = make_edition()
    project = services.project_register(
        edition=edition, data=_data(edition, _team(edition, 16, 15, 13)), registered_by=public_user
    )
    assert project.status == Project.Status.PENDING
    assert project.division == "senior"  # the oldest (16) decides
    assert project.number == "BI-S-01"
    consents = list(ParentalConsent.objects.order_by("parent_email"))
    assert [c.parent_email for c in consents] == ["eltern1@example.org", "eltern2@example.org", "eltern3@example.org"]
    assert OutgoingMail.objects.filter(template="competition_consent_request").count() == 3
    teacher_mail = OutgoingMail.objects.get(template="competition_registered")
    assert teacher_mail.to_email == "lehrerin@example.org" and "Kind1" in teacher_mail.body_text

    for number, consent in enumerate(consents, start=1):
        mail = OutgoingMail.objects.get(reference=f"competition.consent:{consent.pk}")
        link = re.search(r"https?://\S+/jugend-forscht/einwilligung/\S+/", mail.body_text).group(0)
        path = link.split("://", 1)[1].split("/", 1)[1]
        response = client.post(f"/{path}", {"action": "give", "parent_name": f"Elternteil {number}", "agree": "on"})
        assert response.status_code == 302
        project.refresh_from_db()
        assert project.status == (Project.Status.REGISTERED if number == 3 else Project.Status.PENDING)
    consent = ParentalConsent.objects.get(parent_email="eltern1@example.org")
    assert consent.wording.startswith("Ich bin sorgeberechtigt") and consent.answered_at and consent.version
    assert consent.answered_from == "127.0.0.1"


def test_a_parent_who_declines_keeps_the_project_pending_and_cannot_answer_twice(public_user, client):
    edition = make_edition()
    project = services.project_register(
        edition=edition, data=_data(edition, _team(edition, 12)), registered_by=public_user
    )
    consent = ParentalConsent.objects.get()
    assert client.post(reverse("competition:consent", args=[consent.token]), {"action": "decline"}).status_code == 302
    project.refresh_from_db()
    assert project.status == Project.Status.PENDING
    assert Participant.objects.get().consent_status == Participant.Consent.DECLINED
    response = client.post(
        reverse("competition:consent", args=[consent.token]),
        {"action": "give", "parent_name": "X", "agree": "on"},
        follow=True,
    )
    assert "bereits geantwortet" in response.content.decode()
    assert Participant.objects.get().consent_status == Participant.Consent.DECLINED
    assert response["Cache-Control"] == "private, no-store"


def test_consenting_without_ticking_the_box_changes_nothing(public_user, client):
    edition = make_edition()
    services.project_register(edition=edition, data=_data(edition, _team(edition, 12)), registered_by=public_user)
    consent = ParentalConsent.objects.get()
    response = client.post(
        reverse("competition:consent", args=[consent.token]), {"action": "give", "parent_name": "Eva"}
    )
    assert response.status_code == 400
    assert "Häkchen" in response.content.decode()
    consent.refresh_from_db()
    assert consent.answered_at is None


def test_adults_need_no_consent_and_the_project_is_registered_at_once(public_user):
    edition = make_edition()
    members = [MemberData(first_name="Ada", last_name="Azubi", birth_date=datetime.date(2000, 1, 1), gender="f")]
    members[0].birth_date = birth_for_age(edition, 20)
    project = services.project_register(edition=edition, data=_data(edition, members), registered_by=public_user)
    assert project.status == Project.Status.REGISTERED
    assert not ParentalConsent.objects.exists()


@pytest.mark.parametrize(
    ("ages", "overrides", "message"),
    [
        ((16, 15, 14, 13), {}, "höchstens drei Mitglieder"),
        ((22,), {}, "22 Jahre alt"),
        ((13,), {"division": "senior"}, "startet in der Sparte „Jugend forscht junior“"),
        ((16,), {"division": "junior"}, "startet in der Sparte „Jugend forscht“"),
        ((5,), {}, "Geburtsdatum"),
        ((16,), {"title": ""}, "Projekttitel"),
        ((16,), {"subject_area": "geschichte"}, "sieben Fachgebiete"),
        ((16,), {"abstract": "x" * 1501}, "zu lang"),
    ],
)
def test_bad_registrations_are_refused_with_a_clear_message_and_nothing_is_stored(
    public_user, ages, overrides, message
):
    edition = make_edition()
    with pytest.raises(RegistrationRefused, match=message):
        services.project_register(
            edition=edition, data=_data(edition, _team(edition, *ages), **overrides), registered_by=public_user
        )
    assert not Project.objects.exists() and not Participant.objects.exists() and not OutgoingMail.objects.exists()


def test_a_thirteen_year_old_in_the_senior_division_gets_the_message_on_the_form(public_user, login):
    edition = make_edition()
    client = login(public_user)
    form = {
        "title": "Brücken", "abstract": "Schwingende Brücken", "subject_area": "physik", "division": "senior",
        "school_name": "Realschule", "school_city": "Rheine", "teacher_name": "Herr L", "teacher_email": "l@example.org",
        "m1_first_name": "Tom", "m1_last_name": "Klein", "m1_birth_date": birth_for_age(edition, 13).isoformat(),
        "m1_parent_email": "eltern@example.org",
    }  # fmt: skip
    response = client.post(reverse("competition:register"), form)
    assert response.status_code == 400
    assert "13 Jahre alt" in response.content.decode()
    assert not Project.objects.exists()


def test_registration_after_the_deadline_is_refused(public_user):
    edition = make_edition(stage="written")
    with pytest.raises(RegistrationRefused, match="geschlossen"):
        services.project_register(edition=edition, data=_data(edition, _team(edition, 16)), registered_by=public_user)
    assert not Project.objects.exists()


def test_a_pupil_may_be_in_three_projects_but_not_in_a_fourth(public_user):
    edition = make_edition()
    for title in ("Eins", "Zwei", "Drei"):
        services.project_register(
            edition=edition, data=_data(edition, _team(edition, 16), title=title), registered_by=public_user
        )
    assert Participant.objects.count() == 1
    assert ParentalConsent.objects.count() == 1  # one consent covers all of the child's projects
    with pytest.raises(RegistrationRefused, match="schon in drei Projekten"):
        services.project_register(
            edition=edition, data=_data(edition, _team(edition, 16), title="Vier"), registered_by=public_user
        )
    assert Project.objects.count() == 3


def test_the_same_pupil_twice_in_a_team_is_refused(public_user):
    edition = make_edition()
    team = _team(edition, 16) * 2
    with pytest.raises(RegistrationRefused, match="zweimal"):
        services.project_register(edition=edition, data=_data(edition, team), registered_by=public_user)


# --- the written work ---------------------------------------------------------------------------------------------


def _upload(data: bytes, name: str = "arbeit.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_team_uploads_its_written_work_and_may_replace_it(public_user, login):
    edition = make_edition()
    project = make_project(edition, teacher=public_user)
    client = login(public_user)
    url = reverse("competition:written_work_upload", args=[project.pk])
    assert client.post(url, {"file": _upload(pdf_bytes(3))}).status_code == 302
    project.refresh_from_db()
    first = project.written_work.name
    assert project.written_work_pages == 3
    assert client.post(url, {"file": _upload(pdf_bytes(5))}).status_code == 302
    project.refresh_from_db()
    assert project.written_work_pages == 5 and project.written_work.name != first
    response = client.get(reverse("competition:written_work", args=[project.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a not a pdf at all", "kein PDF"),
        (pdf_bytes(200), "200 Seiten"),
        (b"%PDF-1.4\n garbage garbage", "nicht lesen"),
        (b"", "Bitte wählen Sie"),
    ],
)
def test_a_file_that_is_no_pdf_or_has_200_pages_is_refused_and_the_old_one_stays(public_user, login, data, message):
    edition = make_edition()
    project = make_project(edition, teacher=public_user)
    client = login(public_user)
    url = reverse("competition:written_work_upload", args=[project.pk])
    client.post(url, {"file": _upload(pdf_bytes(2))})
    response = client.post(url, {"file": _upload(data)} if data else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    project.refresh_from_db()
    assert project.written_work_pages == 2


def test_a_pdf_over_the_size_limit_is_refused(public_user):
    edition = make_edition(max_upload_mb=1)
    project = make_project(edition, teacher=public_user)
    big = pdf_bytes(1) + b"%" + b"x" * (1024 * 1024)
    with pytest.raises(RegistrationRefused, match="größer als"):
        services.written_work_upload(project=project, upload=_upload(big))
    project.refresh_from_db()
    assert not project.written_work


def test_an_upload_after_the_deadline_is_refused(public_user):
    edition = make_edition(stage="contest")
    project = make_project(edition, teacher=public_user)
    with pytest.raises(RegistrationRefused, match="abgelaufen"):
        services.written_work_upload(project=project, upload=_upload(pdf_bytes(2)))


def test_another_teacher_cannot_open_or_upload_to_a_project(public_user, editor_a, login):
    edition = make_edition()
    project = make_project(edition, teacher=public_user)
    client = login(editor_a)
    assert client.get(reverse("competition:project_detail", args=[project.pk])).status_code == 404
    assert (
        client.post(
            reverse("competition:written_work_upload", args=[project.pk]), {"file": _upload(pdf_bytes(1))}
        ).status_code
        == 404
    )
    assert client.get(reverse("competition:written_work", args=[project.pk])).status_code == 404


def test_stand_needs_are_saved(public_user, login):
    edition = make_edition()
    project = make_project(edition, teacher=public_user)
    login(public_user).post(
        reverse("competition:stand_needs", args=[project.pk]),
        {"power": "on", "water": "on", "note": "Steckdosenleiste"},
    )
    project.refresh_from_db()
    assert (project.needs_power, project.needs_table, project.needs_water, project.stand_note) == (
        True,
        False,
        True,
        "Steckdosenleiste",
    )


# --- completeness and reminders ---------------------------------------------------------------------------------------


def test_staff_remind_teachers_of_what_is_missing_and_parents_of_their_consent(public_user, staff, login):
    edition = make_edition()
    services.project_register(edition=edition, data=_data(edition, _team(edition, 12)), registered_by=public_user)
    ParentalConsent.objects.update(requested_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    complete = make_project(edition, teacher=public_user)
    complete.written_work.name = "x.pdf"
    complete.save(update_fields=["written_work"])
    OutgoingMail.objects.all().delete()
    client = login(staff)
    page = client.get(
        reverse("competition:edition_detail", args=[edition.pk]), {"unvollstaendig": "on"}
    ).content.decode()
    assert "Kresse unter LED-Licht" in page and complete.title not in page
    client.post(reverse("competition:remind", args=[edition.pk]))
    reminder = OutgoingMail.objects.get(template="competition_reminder")
    assert "Einwilligung der Eltern von Kind1" in reminder.body_text and "Schriftliche Arbeit" in reminder.body_text
    assert complete.title not in reminder.body_text
    assert (
        OutgoingMail.objects.filter(template="competition_consent_request", to_email="eltern1@example.org").count() == 1
    )
    client.post(reverse("competition:remind", args=[edition.pk]))  # again at once: nobody is mailed twice
    assert OutgoingMail.objects.count() == 2


def test_the_staff_export_lists_every_project(staff, login):
    edition = make_edition()
    make_project(edition, title="=HYPERLINK(1)")
    response = login(staff).get(reverse("competition:project_export", args=[edition.pk]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Nummer;Titel" in text and "'=HYPERLINK(1)" in text

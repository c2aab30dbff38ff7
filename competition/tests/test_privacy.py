"""Minors' data: who sees it, the retention erasure, export and erasure of a person."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from competition import services
from competition.models import Edition, ParentalConsent, Participant
from competition.tests.factories import make_edition, make_jury, make_project, pdf_bytes
from core.privacy import ANONYMISED, DataSubject, personal_data_erase, personal_data_export

pytestmark = pytest.mark.django_db


def test_minors_names_are_shown_to_staff_and_their_jury_only(staff, juror, editor_a, expert, public_user, login):
    edition = make_edition(stage="contest")
    jury = make_jury(edition, "biologie", "senior", juror)
    project = make_project(edition, jury=jury, members=[("Mia", "Geheim")], teacher=public_user)
    assert "Geheim" in login(staff).get(reverse("competition:staff_project", args=[project.pk])).content.decode()
    assert "Geheim" in login(juror).get(reverse("competition:jury_project", args=[project.pk])).content.decode()
    for outsider in (editor_a, expert):
        client = login(outsider)
        assert client.get(reverse("competition:project_detail", args=[project.pk])).status_code == 404
        assert client.get(reverse("competition:jury_project", args=[project.pk])).status_code in (403, 404)
    client = login(public_user)  # the teacher who registered the team
    assert "Geheim" in client.get(reverse("competition:project_detail", args=[project.pk])).content.decode()


def test_on_the_retention_date_participants_are_erased_unless_a_parent_allowed_keeping(
    public_user, django_capture_on_commit_callbacks
):
    edition = make_edition(stage="published")
    project = make_project(edition, members=[("Mia", "Behalten"), ("Ben", "Loeschen")], teacher=public_user)
    project.written_work.save("arbeit.pdf", ContentFile(pdf_bytes(1)))
    stored = project.written_work.name
    keep, erase = (m.participant for m in project.members.order_by("position"))
    ParentalConsent.objects.create(participant=keep, parent_email="a@example.org", status="given", keep_data=True)
    Participant.objects.filter(pk=keep.pk).update(keep_data=True)
    storage = project.written_work.storage
    assert storage.exists(stored)

    assert services.retention_erase(today=edition.retention_until) == 0  # on the day itself: nothing yet
    assert Participant.objects.get(pk=erase.pk).last_name == "Loeschen"
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the erasure is committed
        assert services.retention_erase(today=edition.retention_until + datetime.timedelta(days=1)) == 1
    keep.refresh_from_db()
    erase.refresh_from_db()
    assert keep.last_name == "Behalten"
    assert erase.last_name == ANONYMISED and erase.birth_date is None and erase.parent_email == ""
    assert erase.gender == "f" and erase.school_id  # the figures keep what they count
    project.refresh_from_db()
    assert not project.written_work and not storage.exists(stored)
    assert Edition.objects.get(pk=edition.pk).retention_done_at is not None
    assert services.retention_erase(today=edition.retention_until + datetime.timedelta(days=2)) == 0


def test_a_parent_exports_and_erases_their_data(public_user):
    edition = make_edition()
    project = make_project(edition, members=[("Mia", "Kind")], teacher=public_user)
    child = project.members.first().participant
    ParentalConsent.objects.create(participant=child, parent_email="mutter@example.org", status="given", wording="Text")
    export = personal_data_export(DataSubject(email="mutter@example.org"))["competition"]
    assert export["parental_consents"][0]["child"] == "Mia Kind"
    personal_data_erase(DataSubject(email="mutter@example.org"))
    consent = ParentalConsent.objects.get()
    assert consent.parent_email != "mutter@example.org" and consent.wording == "Text"


def test_a_teacher_export_lists_their_projects_and_erasure_anonymises_them(public_user):
    edition = make_edition()
    project = make_project(edition, teacher=public_user, title="Kresse")
    export = personal_data_export(DataSubject(email=public_user.email))["competition"]
    assert export["projects_supervised"][0]["title"] == "Kresse"
    personal_data_erase(DataSubject(email=public_user.email))
    project.refresh_from_db()
    assert project.teacher_name == ANONYMISED and public_user.email not in project.teacher_email

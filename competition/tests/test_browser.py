"""Acceptance in Chromium (issue 14): a teacher registers a team of three, a parent consents by the mailed
link, the team uploads its work; two jurors score it; staff publish the results; the certificate PDF
carries the right name and place."""

import datetime
import io
import re
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from pypdf import PdfReader

from competition.models import Edition, Project
from competition.tests.factories import birth_for_age, make_edition, pdf_bytes
from testing.axe import axe_violations, format_violations
from testing.factories import UserFactory
from testing.mail import deliver_queued_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_axe(page):
    violations = axe_violations(page)
    assert not violations, format_violations(violations)


def _text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_register_consent_upload_score_publish_and_the_certificate(
    page, login_page_as, public_user, juror, staff, smtp_server
):
    edition = make_edition(stage="registration")
    second = UserFactory(email="zweite.jurorin@example.org", full_name="Zoe Zweite", roles=["juror"])

    # the teacher registers a team of three minors
    login_page_as(public_user)
    page.goto("/jugend-forscht/anmelden/")
    _no_axe(page)
    page.get_by_label("Projekttitel").fill("Kresse unter LED-Licht")
    page.get_by_label("Kurzbeschreibung").fill("Wie schnell wächst Kresse unter roten, blauen und weißen LEDs?")
    page.get_by_label("Fachgebiet").select_option(label="Biologie")
    team = [("Mia", "Moos", 16), ("Ben", "Blatt", 15), ("Ida", "Iris", 13)]
    for number, (first, last, age) in enumerate(team, start=1):
        page.locator(f"#id_m{number}_first_name").fill(first)
        page.locator(f"#id_m{number}_last_name").fill(last)
        page.locator(f"#id_m{number}_birth_date").fill(birth_for_age(edition, age).isoformat())
        page.locator(f"#id_m{number}_gender").select_option("f" if number != 2 else "m")
        page.locator(f"#id_m{number}_parent_email").fill(f"eltern.{last.lower()}@example.org")
    page.locator("#id_school_name").fill("Gymnasium Paulinum")
    page.locator("#id_school_city").fill("Münster")
    page.get_by_role("button", name="Projekt verbindlich anmelden").click()
    page.wait_for_load_state()
    assert "wartet noch auf die Einwilligung" in page.content()
    project = Project.objects.get()
    assert project.status == Project.Status.PENDING and project.members.count() == 3

    # each parent consents by the link in the mail
    deliver_queued_mail()
    requests = [m for m in smtp_server.messages if "Einwilligung" in m["Subject"]]
    assert sorted(m["To"] for m in requests) == [
        "eltern.blatt@example.org",
        "eltern.iris@example.org",
        "eltern.moos@example.org",
    ]
    for message in requests:
        link = re.search(r"https?://\S+/jugend-forscht/einwilligung/\S+/", _text_part(message)).group(0)
        page.context.clear_cookies()
        page.goto(urlparse(link).path)
        if message["To"] == "eltern.moos@example.org":
            _no_axe(page)
        page.get_by_label("Ihr Name").fill(f"Elternteil von {message['To']}")
        page.get_by_label(re.compile("Ich bin sorgeberechtigt")).check()
        page.get_by_role("button", name="Einwilligen").click()
        page.wait_for_load_state()
        assert "Ihre Einwilligung ist gespeichert" in page.content()
    project.refresh_from_db()
    assert project.status == Project.Status.REGISTERED

    # the team (its teacher) uploads the written work
    login_page_as(public_user)
    page.goto(f"/jugend-forscht/projekte/{project.pk}/")
    page.get_by_label("Schriftliche Arbeit (PDF)").set_input_files(
        {"name": "arbeit.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(4)}
    )
    page.get_by_role("button", name="PDF hochladen").click()
    page.wait_for_load_state()
    assert "Die schriftliche Arbeit ist hochgeladen" in page.content()
    _no_axe(page)

    # staff set up the jury with the two jurors
    login_page_as(staff)
    page.goto(f"/jugend-forscht/verwaltung/{edition.pk}/jurys/")
    page.get_by_role("button", name=re.compile("Jurys je Fachgebiet")).click()
    page.wait_for_load_state()
    page.get_by_role("link", name=re.compile("^Biologie")).first.click()
    for user, chair in ((juror, True), (second, False)):
        page.locator("#id_full_name").fill(user.full_name)
        page.locator("#id_email").fill(user.email)
        if chair:
            page.get_by_label("Vorsitz der Jury").check()
        page.get_by_role("button", name="Hinzufügen").click()
        page.wait_for_load_state()
        assert "gehört jetzt zur Jury" in page.content()

    # the contest day comes
    today = timezone.localdate()
    Edition.objects.filter(pk=edition.pk).update(
        registration_deadline=today - datetime.timedelta(days=60), written_work_deadline=today - datetime.timedelta(days=30),
        prescore_deadline=today - datetime.timedelta(days=2), contest_date=today,
    )  # fmt: skip

    # two jurors score it after the interview
    for user, points in ((juror, "9"), (second, "7")):
        login_page_as(user)
        page.goto("/jugend-forscht/jury/")
        page.get_by_role("link", name="Kresse unter LED-Licht").click()
        page.wait_for_load_state()
        if user == juror:
            _no_axe(page)
        page.get_by_label("nach dem Jurygespräch").check()
        for field in page.locator("input[type=number]").all():
            field.fill(points)
        page.get_by_role("button", name="Bewertung speichern").click()
        page.wait_for_load_state()
        assert "Bewertung gespeichert" in page.content()

    # the chair records the jury's decision
    login_page_as(juror)
    page.goto("/jugend-forscht/jury/")
    page.get_by_role("link", name="Rangliste der Jury").click()
    page.wait_for_load_state()
    _no_axe(page)
    page.get_by_label(f"Platzierung {project.number}").select_option("1")
    page.get_by_role("button", name="Entscheidung der Jury speichern").click()
    page.wait_for_load_state()
    assert "Entscheidung der Jury ist gespeichert" in page.content()

    # staff publish the results
    login_page_as(staff)
    page.goto(f"/jugend-forscht/verwaltung/{edition.pk}/ergebnisse/")
    page.get_by_role("button", name="Ergebnisse veröffentlichen").click()
    page.wait_for_load_state()
    assert "Die Ergebnisse sind veröffentlicht" in page.content()

    # the teacher downloads a certificate: the right name and place
    login_page_as(public_user)
    page.goto(f"/jugend-forscht/projekte/{project.pk}/")
    assert "1. Preis" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Urkunde für Ben Blatt (PDF)").click()
    with open(download.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    assert "Ben Blatt" in text and "1. Preis" in text and "Kresse unter LED-Licht" in text
    assert "Mia Moos" not in text

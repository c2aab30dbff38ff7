"""In Chromium: staff write a sentence with a placeholder and see the live preview; the lead freezes the
report and downloads the PDF, which says the sentence with the figure."""

import io
import re

import pytest
from django.utils import timezone

from reports import services
from reports.models import Version
from testing.factories import OrganisationFactory

YEAR = timezone.localdate().year


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_write_with_a_placeholder_preview_it_and_the_lead_freezes_and_downloads_the_pdf(
    page, login_page_as, staff, lead
):
    from pypdf import PdfReader

    OrganisationFactory.create_batch(3)
    report = services.report_create(title=f"Jahresbericht {YEAR}", year=YEAR, by=staff)
    section = report.versions.get().sections.get()

    login_page_as(staff)
    page.goto(f"/jahresbericht/verwaltung/{report.pk}/")
    page.get_by_role("link", name="Einleitung").click()
    body = page.get_by_label("Text")
    body.fill("Wir betreuen {contacts.organisations|wort} Organisationen und {advisory.talkz} Gespräche.")
    preview = page.locator("#vorschau")
    # the live preview (htmx) shows the figure in the sentence and the unknown placeholder as an error in place
    preview.get_by_text("Wir betreuen drei Organisationen").wait_for()
    assert "Unbekannte Kennzahl" in preview.locator("mark.report-error").inner_text()
    assert "1 Fehler im Text" in preview.inner_text()
    body.fill("Wir betreuen {contacts.organisations|wort} Organisationen in der Region.")
    preview.get_by_text("Keine Fehler").wait_for()
    page.get_by_role("button", name="Speichern").click()
    page.get_by_text("gespeichert").wait_for()

    login_page_as(lead)
    page.goto(f"/jahresbericht/verwaltung/{report.pk}/")
    page.get_by_role("button", name="Version 1 einfrieren").click()
    page.get_by_text("ist eingefroren").wait_for()
    assert Version.objects.get(pk=section.version_id).is_frozen
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF herunterladen").click()
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pdf.pages))
    assert "Wir betreuen drei Organisationen in der Region." in text
    assert "eingefroren am" in text and "ENTWURF" not in text

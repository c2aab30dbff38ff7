"""The 2020 report reproduced: the demo's records give the seed's figures, and the web page, the PDF and
the Word file say them in the seed's sentences.

The demo is loaded once for the module (contacts, accounts, advisory, events, portal – fewer
profiles –, newsletter, climate, reports). Jugend forscht's figures come from the competition
module; where this branch does not have them yet, the test registers them for its own run only.
"""

import io
import random
import re

import pytest
from django.db import transaction
from django.test import override_settings

from core import figures
from core.demo import demo_builders
from core.figures import figures_for_year

# the seed's numbers (shared/seed/000_9d6457c9fae80869.txt) and the figures that must give them
SEED_FIGURES = {
    "advisory.talks_funding": 50,  # "rund 50 Erstberatungsgespräche zu … Zuschussförderprogrammen"
    "advisory.expert_days_funding": 2,  # "erstmalig zwei Expertensprechtagen"
    "advisory.talks_technology": 60,  # "in rund 60 Erstberatungsgesprächen … Technologiefragen"
    "advisory.inventor_talks": 60,  # "60 Einzelberatungen mit Patentanwälten"
    "advisory.inventor_days": 20,  # "bei 20 kostenfreien Sprechtagen"
    "advisory.ce_days": 3,  # "drei CE-Sprechtage"
    "advisory.ce_participants": 12,  # "mit insgesamt 12 Teilnehmern"
    "newsletter.first_issue_month": 202009,  # "Im September 2020 ist erstmalig der Industrie-Newsletter erschienen"
    "newsletter.items_initiative_per_issue": 2,  # "zwei Meldungen aus dem Bereich der Industrie-Initiative"
    "events.meet_the_boss": 4,  # "vier Meet-the-Boss-Veranstaltungen"
    "events.meet_the_boss_universities": 2,  # FH Münster and Westfälische Hochschule
    "climate.studies": 2,  # "mit zwei Kurzstudien"
    "competition.edition_number": 34,  # "der 34. Regionalwettbewerb"
    "competition.participants": 172,  # "172 SchülerInnen"
    "competition.projects": 97,  # "mit 97 Projekten"
}
# each figure of the seed in its sentence, as the report prints it
SEED_SENTENCES = [
    "Die IHK hat hierbei rund 50 Erstberatungsgespräche zu essenziellen Zuschussförderprogrammen",
    "Zusätzlich unterstützt wurde das Angebot mit erstmalig zwei Expertensprechtagen.",
    "Weiter wurde in rund 60 Erstberatungsgesprächen Auskunft zu Innovations- und Technologiefragen gegeben.",
    "Es wurden 60 Einzelberatungen mit Patentanwälten bei 20 kostenfreien Sprechtagen vermittelt",
    "erstmalig ab Herbst drei CE-Sprechtage mit insgesamt 12 Teilnehmern durchgeführt.",
    "Im Jahr 2020 stand auch das Thema KI im Fokus.",
    "brachte sich die IHK mit zwei Kurzstudien zum Emissionshandel",
    "Im September 2020 ist erstmalig der Industrie-Newsletter erschienen",
    "dabei auch zwei Meldungen aus dem Bereich der Industrie-Initiative aufnimmt.",
    "der zwischenzeitlich über 400 Abonnenten zählt",
    "In der zweiten Jahreshälfte konnten weiterhin vier Meet-the-Boss-Veranstaltungen durchgeführt werden",
    "mit Studierenden von zwei Hochschulen, der Fachhochschule Münster und der Westfälischen Hochschule Gelsenkirchen",
    "wurde der 34. Regionalwettbewerb Jugend forscht/Schüler experimentieren durchgeführt.",
    "172 Schülerinnen und Schüler mit 97 Projekten nahmen diesmal wieder",
]
# Jugend forscht's 2020 round until the competition module registers its figures in this branch
COMPETITION_2020 = {
    "competition.edition_number": 34,
    "competition.participants": 172,
    "competition.projects": 97,
    "competition.patent_advice_pupils": 3,
}
BUILDERS = ["contacts", "accounts", "advisory", "events", "portal", "newsletter", "climate", "competition", "reports"]


@pytest.fixture(scope="module")
def demo_2020(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    from portal import demo as portal_demo

    added = []
    for key, value in COMPETITION_2020.items():
        if figures.get_figure(key) is None:

            def compute(year, value=value):
                return value if year == 2020 else 0

            compute.__module__ = "competition.figures"
            figures.register_figure(key, key)(compute)
            added.append(key)
    saved, portal_demo.DEMO_PROFILES = portal_demo.DEMO_PROFILES, 30
    with django_db_blocker.unblock(), override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    ):  # fmt: skip
        with transaction.atomic():
            for builder in demo_builders():
                if builder.name in BUILDERS:
                    builder.build(rng=random.Random(f"kammerwerk-demo-{builder.name}"))
            yield
            transaction.set_rollback(True)
    portal_demo.DEMO_PROFILES = saved
    for key in added:
        figures.unregister(key)


@pytest.fixture
def report_2020(demo_2020, db):
    from reports.models import Version

    return Version.objects.select_related("report").get(report__year=2020, report__title="Jahresbericht 2020")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def test_the_demo_records_give_the_seeds_figures(demo_2020, db):
    values = figures_for_year(2020)
    assert {key: values[key] for key in SEED_FIGURES} == SEED_FIGURES
    assert 400 < values["newsletter.subscribers"] < 500  # "über 400 Abonnenten"
    assert 45 <= values["advisory.talks_funding"] < 55 and 55 <= values["advisory.talks_technology"] < 65


def test_demo_dates_fit_the_year_they_belong_to(demo_2020, db):
    """Organisations, people and portal companies existed in 2020; 2020's records point only at them."""
    from advisory.models import Booking, Consultation
    from climate.models import CalculatorUse
    from events.models import Registration

    values = figures_for_year(2020)
    assert values["contacts.organisations"] > 250 and values["contacts.people"] > 250
    assert 0 < values["contacts.organisations_new"] < 50
    assert values["portal.companies"] > 0
    assert values["climate.calculator_uses"] == 0  # the calculator came with the BEHG's prices in 2021
    assert not CalculatorUse.objects.filter(month__year__lt=2021).exists()
    talks = Consultation.objects.filter(date__year=2020, organisation__isnull=False).select_related("organisation")
    assert talks and all(talk.organisation.created_at.date() <= talk.date for talk in talks)
    bookings = Booking.objects.filter(day__starts_at__year=2020).select_related("day")
    assert bookings and all(booking.created_at < booking.day.starts_at for booking in bookings)
    registrations = Registration.objects.filter(event__starts_at__year=2020).select_related("event", "organisation")
    assert all(r.created_at < r.event.starts_at for r in registrations)
    assert all(r.organisation.created_at < r.event.starts_at for r in registrations if r.organisation)


def test_the_2020_report_says_every_seed_figure_in_its_sentence(report_2020, login, staff):
    from reports import selectors

    document = selectors.document_for(report_2020)
    assert document.problems == []
    assert [section.title for section in document.sections] == [
        "Energie und Umwelt", "Innovationsförderung", "Industrie-Initiative", "Jugend forscht",
    ]  # fmt: skip
    page = login(staff).get(f"/jahresbericht/verwaltung/versionen/{report_2020.pk}/")
    text = _plain(re.sub(r"<[^>]+>", "", page.content.decode()))
    for sentence in SEED_SENTENCES:
        assert sentence in text, sentence


def test_the_pdf_of_the_2020_report_opens_and_reads_back_the_seeds_figures(report_2020, login, staff):
    from pypdf import PdfReader

    response = login(staff).get(f"/jahresbericht/verwaltung/versionen/{report_2020.pk}/bericht.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 6  # cover, contents, the sections, the comparison
    assert reader.metadata.title == "Jahresbericht 2020"
    text = _plain(" ".join(page.extract_text() for page in reader.pages))
    for sentence in SEED_SENTENCES:
        assert sentence in text, sentence
    assert "Inhalt" in text and "Seite 3" in text and "Kennzahlen im Vergleich zum Vorjahr" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:4] == ["Energie und Umwelt", "Innovationsförderung", "Industrie-Initiative", "Jugend forscht"]


def test_the_word_file_of_the_2020_report_opens_and_reads_back_the_seeds_figures(report_2020, login, staff):
    from docx import Document

    response = login(staff).get(f"/jahresbericht/verwaltung/versionen/{report_2020.pk}/bericht.docx")
    assert response["Content-Disposition"] == 'attachment; filename="jahresbericht-2020-v1.docx"'
    document = Document(io.BytesIO(response.content))
    text = _plain(" ".join(paragraph.text for paragraph in document.paragraphs))
    for sentence in SEED_SENTENCES:
        assert sentence in text, sentence
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[1:5] == ["Energie und Umwelt", "Innovationsförderung", "Industrie-Initiative", "Jugend forscht"]
    assert len(document.inline_shapes) == 2  # the two charts, as pictures
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Einzelberatungen mit Patentanwältinnen und Patentanwälten" in cells


def test_the_2020_report_can_be_frozen_as_it_stands(report_2020, lead):
    from reports import services

    frozen = services.version_freeze(version=report_2020, by=lead)
    assert frozen.snapshot["values"]["2020"]["advisory.inventor_talks"] == 60


def test_the_demo_report_is_loaded_once(demo_2020, db):
    from reports.demo import build
    from reports.models import Report

    assert build(rng=random.Random(1)) == "0 Berichte angelegt"
    assert Report.objects.filter(year=2020).count() == 1

"""Every climate export: formulas neutralised, every row (never capped), numbers as numbers in Excel."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from climate import selectors
from climate.tests.factories import PolicyTalkFactory, SurveySubmissionFactory
from climate.tests.test_views import download_rows
from testing.factories import DistrictFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example","klick")'


def _xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    return list(workbook.active.iter_rows(values_only=True))


def test_every_climate_export_neutralises_formulas_typed_by_users(client, staff, login):
    borken = DistrictFactory(name="Borken")
    organisation = OrganisationFactory(name="=1+1 GmbH", district=borken)
    SurveySubmissionFactory(organisation=organisation, contact_name=FORMULA, note="@SUM(A1:A9)")
    PolicyTalkFactory(topic=FORMULA, institution="+Landtag")
    staff_client = login(staff)
    staff_client.post(reverse("climate:reference_price"), {
        "year": 2025, "kind": "fixed", "low": "55", "mid": "55", "high": "55", "legal_basis": "=2+2",
        "label": "Formeltest", "valid_from": "2025-01-01", "note": "Test",
    })  # fmt: skip
    exports = {
        "survey answers": staff_client.get(reverse("climate:survey_answers_export")),
        "talks": staff_client.get(reverse("climate:talk_export")),
        "calculator": staff_client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000"}),
        "survey demand": staff_client.get(reverse("climate:survey_export")),
    }
    for name, response in exports.items():
        for row in download_rows(response):
            for cell in row:
                assert not cell.startswith(("=", "+", "@")), (name, cell)
    answers = download_rows(staff_client.get(reverse("climate:survey_answers_export")))
    assert answers[1][0] == "'=1+1 GmbH" and answers[1][4] == "'" + FORMULA
    workbook_rows = _xlsx_rows(staff_client.get(reverse("climate:survey_answers_export"), {"format": "xlsx"}))
    assert workbook_rows[1][4] == FORMULA  # stored as text in the workbook, not run as a formula


def test_survey_answers_export_has_every_answer_not_only_the_latest_shown(staff, login):
    for _n in range(selectors.LATEST_SUBMISSIONS + 7):
        SurveySubmissionFactory()
    client = login(staff)
    page = client.get(reverse("climate:survey_overview")).content.decode()
    assert f"Die neuesten {selectors.LATEST_SUBMISSIONS} Antworten" in page
    rows = download_rows(client.get(reverse("climate:survey_answers_export")))
    assert len(rows) == 1 + selectors.LATEST_SUBMISSIONS + 7


def test_talk_export_has_every_talk_of_the_filter_while_the_list_pages(staff, login):
    PolicyTalkFactory.create_batch(selectors.TALKS_PER_PAGE + 3, date=datetime.date(2020, 5, 1))
    PolicyTalkFactory(date=datetime.date(2021, 5, 1), topic="Wasserstoff")
    client = login(staff)
    first = client.get(reverse("climate:talk_list"), {"jahr": "2020"}).content.decode()
    assert f"{selectors.TALKS_PER_PAGE + 3} Gespräche" in first and "Seite 1 von 2" in first
    second = client.get(reverse("climate:talk_list"), {"jahr": "2020", "seite": "2"}).content.decode()
    assert "Seite 2 von 2" in second
    rows = download_rows(client.get(reverse("climate:talk_export"), {"jahr": "2020"}))
    assert len(rows) == 1 + selectors.TALKS_PER_PAGE + 3
    assert rows[1][0] == "2020-05-01"
    assert download_rows(client.get(reverse("climate:talk_export"), {"q": "Wasser"}))[1][3] == "Wasserstoff"


def test_excel_export_has_numbers_as_numbers_and_csv_german_decimals(staff, login):
    SurveySubmissionFactory(organisation=OrganisationFactory(district=DistrictFactory(name="Borken")),
                            h2_demand_t=Decimal("12.5"))  # fmt: skip
    client = login(staff)
    workbook_rows = _xlsx_rows(client.get(reverse("climate:survey_export"), {"format": "xlsx"}))
    borken = next(row for row in workbook_rows if row[1] == "Borken")
    assert borken[2] == 1 and borken[3] == 12.5
    csv_rows = download_rows(client.get(reverse("climate:survey_export")))
    assert next(row for row in csv_rows if row[1] == "Borken")[3] == "12,500"


def test_calculator_csv_in_english_uses_english_decimals(client):
    client.cookies["kammerwerk_language"] = "en"
    rows = download_rows(client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"},
                                    HTTP_ACCEPT_LANGUAGE="en"))  # fmt: skip
    gas_2025 = next(r for r in rows if r[0] == "2025" and r[1] == "Natural gas")
    assert gas_2025[7] == "9976.71"


def test_calculator_result_as_excel_file(client):
    rows = _xlsx_rows(client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000", "format": "xlsx"}))
    gas_2025 = next(r for r in rows if r[0] == 2025 and r[1] == "Erdgas")
    assert gas_2025[7] == pytest.approx(9976.71)


def test_answers_export_follows_the_district_filter(staff, login):
    borken, coesfeld = DistrictFactory(name="Borken"), DistrictFactory(name="Coesfeld")
    SurveySubmissionFactory(organisation=OrganisationFactory(name="In Borken", district=borken))
    SurveySubmissionFactory(organisation=OrganisationFactory(name="In Coesfeld", district=coesfeld))
    rows = download_rows(login(staff).get(reverse("climate:survey_answers_export"), {"district": borken.pk}))
    assert [row[0] for row in rows[1:]] == ["In Borken"]

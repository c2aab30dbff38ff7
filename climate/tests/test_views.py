import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from climate.models import CalculatorUse, CO2Price, ReferenceTableVersion

pytestmark = pytest.mark.django_db

CALC = reverse("climate:calculator")


def download_text(response) -> str:
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


def download_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(download_text(response)), delimiter=";"))


def test_the_reference_tables_are_loaded_by_the_migration():
    version = ReferenceTableVersion.objects.get()
    assert version.prices.count() == 10
    assert version.prices.get(year=2025).mid == 55
    assert version.factors.get(regulation="EBeV 2030", nr="6").ef_t_per_gj == Decimal("0.0558")
    assert version.factors.get(regulation="EBeV 2022", nr="6").ef_t_per_gj == Decimal("0.056")


def test_calculator_shows_yearly_costs_and_names_the_version(client):
    response = client.get(CALC, {"natural_gas": "1.000.000", "heating_oil": "10.000", "berechnen": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "BEHG/EBeV – Rechtsstand 19.08.2026" in page
    assert "9.976,71\u00a0€" in page  # 2025: 1 GWh × 0.18139464 t/MWh... gas alone 9.976,71 €
    assert "<svg" in page and 'role="img"' in page
    assert CalculatorUse.objects.get().count == 1  # counted, without any personal data


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"natural_gas": "-5"}, "keine negative Zahl"),
        ({"natural_gas": "1000000000000000"}, "unrealistisch groß"),
        ({"natural_gas": "viel"}, "keine Zahl"),
        ({"natural_gas": "0"}, "mindestens eine Verbrauchsmenge"),
        ({"uranium": "5", "natural_gas": "5"}, "Unbekannte Angabe"),
    ],
)
def test_bad_input_gets_a_message_and_nothing_is_stored(client, params, message):
    response = client.get(CALC, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalculatorUse.objects.exists()


def test_csv_and_pdf_downloads(client):
    params = {"natural_gas": "1.000.000", "heating_oil": "1234,5"}
    rows = download_rows(client.get(reverse("climate:calculator_csv"), params))
    assert rows[0][-1] == "Referenztabellen"
    gas_2025 = next(r for r in rows if r[0] == "2025" and r[1] == "Erdgas")
    assert gas_2025[4] == "181,395" and gas_2025[7] == "9976,71"
    assert gas_2025[-1] == "BEHG/EBeV – Rechtsstand 19.08.2026"
    pdf = client.get(reverse("climate:calculator_pdf"), params)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("climate:calculator_pdf"), {"natural_gas": "x"}).status_code == 400


def test_calculator_in_english(client):
    client.cookies["kammerwerk_language"] = "en"
    response = client.get(CALC, {"natural_gas": "1000000", "berechnen": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert 'lang="en"' in page
    assert "9,976.71\u00a0€" in page
    assert "CO2 cost calculator" in page
    translation.activate("de")


def test_changing_a_price_changes_results_and_names_the_new_version(client, staff, login):
    before = download_text(client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}))
    assert "9976,71" in before
    staff_client = login(staff)
    response = staff_client.post(reverse("climate:reference_price"), {
        "year": 2025, "kind": "fixed", "low": "60", "mid": "60", "high": "60", "legal_basis": "Testgesetz 2025",
        "status": "Test", "source": "Test", "label": "Test-Version 60 €", "valid_from": "2025-01-01",
        "note": "Preis 2025 geändert",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    new = ReferenceTableVersion.objects.get(label="Test-Version 60 €")
    assert new.prices.get(year=2025).mid == 60 and new.prices.count() == 10 and new.factors.count() == 32
    assert CO2Price.objects.filter(version__label__startswith="BEHG", year=2025).get().mid == 55  # old stays
    staff_client.logout()
    after = download_text(client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}))
    assert "Test-Version 60 €" in after
    assert "10883,68" in after  # 181.39464 t × 60 €


def test_price_form_rejects_unordered_band(staff, login):
    response = login(staff).post(reverse("climate:reference_price"), {
        "year": 2031, "kind": "ets2", "low": "90", "mid": "60", "high": "80", "legal_basis": "x",
        "label": "kaputt", "valid_from": "2026-01-01", "note": "x",
    })  # fmt: skip
    assert response.status_code == 400
    assert not ReferenceTableVersion.objects.filter(label="kaputt").exists()


def test_adding_a_year_and_changing_a_factor(staff, login, client):
    c = login(staff)
    c.post(reverse("climate:reference_price"), {
        "year": 2031, "kind": "ets2", "low": "50", "mid": "70", "high": "90", "legal_basis": "ETS2",
        "label": "mit 2031", "valid_from": "2026-01-01", "note": "Jahr 2031",
    })  # fmt: skip
    assert ReferenceTableVersion.objects.get(label="mit 2031").prices.filter(year=2031).exists()
    version = ReferenceTableVersion.objects.get(label="mit 2031")
    gas = version.factors.get(regulation="EBeV 2030", nr="6")
    response = c.post(reverse("climate:reference_factor"), {
        "factor": gas.pk, "ef_t_per_gj": "0,0600", "source": "Test", "label": "Gas 0,06",
        "valid_from": "2026-01-02", "note": "Test",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    c.logout()
    text = download_text(client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}))
    assert "Gas 0,06" in text
    assert "195,048" in text  # 3.2508 × 0.06 × 1000


def test_relief_and_hydrogen_pages(client):
    r = client.get(reverse("climate:relief"), {"natural_gas": "20.000.000", "year": "2025", "level": "95",
                                              "deductible": "150", "intensity_ok": "on", "berechnen": "1"})  # fmt: skip
    assert r.status_code == 200
    assert "Schätzung" in r.content.decode()
    bad = client.get(
        reverse("climate:relief"), {"natural_gas": "1", "year": "2031", "level": "95", "deductible": "150"}
    )
    assert bad.status_code == 400
    h = client.get(reverse("climate:hydrogen"), {"natural_gas": "1.000.000", "basis": "lhv", "h2_price": "7,6",
                                                 "berechnen": "1"})  # fmt: skip
    page = h.content.decode()
    assert h.status_code == 200 and "27.093" in page and "25.381" in page
    assert "EEX HYDRIX" in page  # reference prices with year and source
    assert client.get(reverse("climate:hydrogen"), {"natural_gas": "-1", "basis": "lhv"}).status_code == 400


def test_hydrogen_price_table_speaks_german_on_german_pages(client):
    page = client.get(reverse("climate:hydrogen")).content.decode()
    for research_note in ("approx.", "NOT CONFIRMED", "confirmed", "if LHV", "as printed", "weekly avg", "projection",
                          "Germany", "grey", "cost-based", "National Research Council/NAE (2004) The Hydrogen"):  # fmt: skip
        assert research_note not in page, research_note
    for german in ("Deutschland", "grün", "Kostenindex", "Heizwert (Hi)", "Brennwert (Hs)", "belegt", "März 2021", "24.05.2023",
                   "228,16 €/MWh", "7,6"):  # fmt: skip
        assert german in page, german


def test_hydrogen_price_table_in_english(client):
    client.cookies["kammerwerk_language"] = "en"
    page = client.get(reverse("climate:hydrogen"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for english in ("Germany", "green", "cost index", "net calorific value (Hi)", "March 2021", "228.16 €/MWh"):
        assert english in page, english
    for german in ("grün", "Kostenindex", "belegt", "Deutschland"):
        assert german not in page, german


def test_calculator_jumps_to_its_result_without_javascript(client):
    form_page = client.get(CALC).content.decode()
    assert 'action="/klima/#ergebnis"' in form_page
    result = client.get(CALC, {"natural_gas": "1000", "berechnen": "1"}).content.decode()
    assert '<h2 id="ergebnis"' in result
    error = client.get(CALC, {"natural_gas": "-1", "berechnen": "1"}).content.decode()
    assert 'id="ergebnis"' in error and "Bitte geben Sie keine negative Zahl ein." in error


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("climate:staff_dashboard", {"jahr": "999999"}),
        ("climate:staff_dashboard", {"jahr": "\u00b2\u00b3"}),
        ("climate:staff_dashboard", {"jahr": "0"}),
        ("climate:talk_list", {"jahr": "-5", "seite": "99999999999999999999"}),
        ("climate:talk_list", {"q": "x" * 5000}),
        ("climate:talk_export", {"jahr": "1e9"}),
        ("climate:reference_price", {"jahr": "\u0663"}),
        ("climate:reference_factor", {"zeile": "99999999999999999999999"}),
        ("climate:survey_overview", {"district": "99999999999999999999", "section": "ZZ"}),
        ("climate:survey_answers_export", {"district": "-1"}),
    ],
)
def test_hostile_parameters_give_the_default_not_an_error(staff, login, name, params):
    response = login(staff).get(reverse(name), params)
    assert response.status_code == 200


def test_dashboard_shows_this_year_when_the_year_is_nonsense(staff, login):
    page = login(staff).get(reverse("climate:staff_dashboard"), {"jahr": "999999"}).content.decode()
    assert f"Kennzahlen {timezone.localdate().year}" in page


RELIEF_QUERY = {"natural_gas": "20.000.000", "year": "2025", "level": "95", "deductible": "150", "intensity_ok": "on",
                "berechnen": "1"}  # fmt: skip


def test_relief_page_in_english_has_no_german_conditions(client):
    client.cookies["kammerwerk_language"] = "en"
    page = client.get(reverse("climate:relief"), RELIEF_QUERY, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for english in ("from 10 GWh of fossil fuel use", "below 10 GWh, stepped", "not confirmed", "by 30 June"):
        assert english in page, english
    for german in ("Gegenleistung", "Antrag bei der DEHSt", "fossilem Brennstoffeinsatz", "NICHT BESTÄTIGT"):
        assert german not in page, german


def test_relief_page_shows_no_internal_research_notes(client):
    page = client.get(reverse("climate:relief"), RELIEF_QUERY).content.decode()
    assert "nicht bestätigt" in page and "Antrag bei der DEHSt" in page
    assert "FACTS.md" not in page


def test_the_home_page_offers_gas_and_oil_and_opens_the_calculators_result(client):
    page = client.get(reverse("core:home")).content.decode()
    form = page[page.index('<section class="card home-block home-co2"') :].split("</form>")[0]
    assert f'action="{CALC}"' in form
    assert 'name="natural_gas"' in form and 'name="heating_oil"' in form and 'name="hard_coal"' not in form
    result = client.get(CALC, {"natural_gas": "1.000.000", "heating_oil": "", "berechnen": "1"}).content.decode()
    assert "9.976,71\u00a0€" in result

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from climate.models import CalculatorUse, CO2Price, ReferenceTableVersion

pytestmark = pytest.mark.django_db

CALC = reverse("climate:calculator")


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
    response = client.get(reverse("climate:calculator_csv"), params)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert "BEHG/EBeV – Rechtsstand 19.08.2026" in rows[0][1]
    gas_2025 = next(r for r in rows if r[0] == "2025" and r[1] == "Erdgas")
    assert gas_2025[4] == "181,395" and gas_2025[7] == "9976,71"
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
    before = client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}).content.decode("utf-8-sig")
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
    after = client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}).content.decode("utf-8-sig")
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
    text = client.get(reverse("climate:calculator_csv"), {"natural_gas": "1000000"}).content.decode("utf-8-sig")
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

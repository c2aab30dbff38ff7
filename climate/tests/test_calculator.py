"""The engine against values computed by hand from the law's numbers (EBeV 2022 / EBeV 2030, § 10 BEHG)."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from climate.becv import estimate
from climate.calculator import FUELS, YEARS, Calculator, UnknownInput, calculate
from climate.hydrogen import demand, gas_to_h2_kg
from climate.reference import reference_from_files

REFERENCE = reference_from_files()
CALC = Calculator(REFERENCE)

# t CO2 per input unit, by hand: density/1000 × Hi × EF, Hi × EF, or 3.2508 × EF / 1000 for kWh(Hs).
OLD = {  # EBeV 2022, reporting years 2021–2022 (Anlage 2 fuels only: no coal, no kerosene)
    "natural_gas": D("3.2508") * D("0.056") / 1000,  # 0.1820448 kg/kWh
    "heating_oil": D("0.845") * D("42.8") * D("0.074") / 1000,  # 2.676284 kg/l
    "diesel": D("0.845") * D("42.8") * D("0.074") / 1000,
    "petrol": D("0.755") * D("43.5") * D("0.0731") / 1000,  # 2.40078675 kg/l
    "lpg_kg": D("45.7") * D("0.0663") / 1000,
    "lpg_l": D("0.51") * D("45.7") * D("0.0663") / 1000,
    "heavy_fuel_oil": D("39.5") * D("0.0799"),
    "kerosene": None,
    "hard_coal": None,
    "lignite_briquettes": None,
    "coke": None,
}
NEW = {  # EBeV 2030, reporting years 2023–2030
    "natural_gas": D("3.2508") * D("0.0558") / 1000,  # 0.18139464 kg/kWh
    "heating_oil": D("0.845") * D("42.8") * D("0.074") / 1000,
    "diesel": D("0.845") * D("42.8") * D("0.074") / 1000,
    "petrol": D("0.755") * D("43.5") * D("0.0729") / 1000,  # 2.39421825 kg/l
    "lpg_kg": D("46.0") * D("0.0655") / 1000,  # 3.013 kg/kg
    "lpg_l": D("0.51") * D("46.0") * D("0.0655") / 1000,
    "heavy_fuel_oil": D("39.5") * D("0.0797"),  # 3.14815 t/t
    "kerosene": D("0.8") * D("42.8") * D("0.0733") / 1000,  # 2.509792 kg/l
    "hard_coal": D("32.5") * D("0.0976"),  # anthracite, retail: 3.172 t/t
    "lignite_briquettes": D("19.4") * D("0.0992"),  # 1.92448 t/t
    "coke": D("29.0") * D("0.1078"),  # 3.1262 t/t
}
MID_PRICE = {2021: 25, 2022: 30, 2023: 30, 2024: 45, 2025: 55, 2026: 65, 2027: 65, 2028: 64, 2029: 64, 2030: 64}
LOW_PRICE = {2021: 25, 2022: 30, 2023: 30, 2024: 45, 2025: 55, 2026: 55, 2027: 55, 2028: 48, 2029: 48, 2030: 48}
HIGH_PRICE = {**MID_PRICE, 2027: D("83.66"), 2028: 80, 2029: 80, 2030: 80}


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("fuel", sorted(FUELS))
def test_every_fuel_and_year_matches_the_hand_computed_value(fuel, year):
    per_unit = (OLD if year <= 2022 else NEW)[fuel]
    quantity = D(1000)
    result = CALC.calculate({fuel: quantity})
    row = next(y for y in result.years if y.year == year).rows[0]
    if per_unit is None:
        assert not row.covered and row.tonnes == 0 and row.cost["mid"] == 0
        return
    assert row.covered
    assert row.tonnes == quantity * per_unit
    assert row.cost["mid"] == quantity * per_unit * MID_PRICE[year]
    assert row.cost["low"] == quantity * per_unit * LOW_PRICE[year]
    assert row.cost["high"] == quantity * per_unit * HIGH_PRICE[year]


def test_one_gwh_of_gas_as_in_the_facts():
    """1 GWh(Hs): 181.4 t CO2; 9,977 € at 55 €/t (2025) and 11,791 € at 65 €/t (2026 mid)."""
    result = calculate(REFERENCE, {"natural_gas": D(1_000_000)})
    by_year = {y.year: y for y in result.years}
    assert by_year[2025].tonnes == D("181.39464")
    assert round(by_year[2025].cost["mid"]) == 9977
    assert round(by_year[2026].cost["mid"]) == 11791
    assert by_year[2021].tonnes == D("182.0448")  # EBeV 2022: 0.056 t/GJ


def test_the_hi_factor_would_overstate_gas_by_about_eleven_percent():
    hs = REFERENCE.tonnes_per_unit("natural_gas", 2025)
    hi = D("3.6") * D("0.0558") / 1000  # the factor per kWh(Hi)
    assert round(hs * 1000, 5) == D("0.18139")
    assert round(hi * 1000, 5) == D("0.20088")
    assert D("1.10") < hi / hs < D("1.11")


def test_totals_and_energy_share():
    result = calculate(
        REFERENCE,
        {"natural_gas": D(500_000), "heating_oil": D(20_000)},
        {"natural_gas": D("0.08"), "heating_oil": D(1)},
    )
    year = next(y for y in result.years if y.year == 2024)
    expected_cost = (D(500_000) * NEW["natural_gas"] + D(20_000) * NEW["heating_oil"]) * 45
    assert year.cost["mid"] == expected_cost
    assert year.energy_cost == D(500_000) * D("0.08") + D(20_000)
    assert year.share == expected_cost / year.energy_cost * 100


def test_unknown_fuel_or_year_raises():
    with pytest.raises(UnknownInput):
        CALC.calculate({"uranium": D(1)})
    with pytest.raises(UnknownInput):
        Calculator(REFERENCE, years=[2019])


def test_batch_totals_equal_single_results():
    companies = [{"natural_gas": D(1000), "coke": D(2)}, {"diesel": D(5)}]
    batch = list(CALC.batch_totals(companies))
    assert len(batch) == len(companies)
    for company, totals in zip(companies, batch, strict=True):
        single = CALC.calculate(company)
        assert len(totals) == len(YEARS)
        assert [(y.tonnes, y.cost["mid"]) for y in single.years] == totals


quantities = st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False)
fuel_keys = st.sampled_from(sorted(FUELS))


def _by_year(result) -> dict:
    """The years of a result; every result covers every year of the calculator, so nothing below is vacuous."""
    years = {y.year: y for y in result.years}
    assert list(years) == list(YEARS)
    return years


@settings(max_examples=60, deadline=None)
@given(fuel=fuel_keys, a=quantities, b=quantities)
def test_cost_is_additive_and_never_negative(fuel, a, b):
    ra = _by_year(CALC.calculate({fuel: a}))
    rb = _by_year(CALC.calculate({fuel: b}))
    rab = _by_year(CALC.calculate({fuel: a + b}))
    for year in YEARS:
        ya, yb, yab = ra[year], rb[year], rab[year]
        for scenario in ("low", "mid", "high"):
            assert 0 <= ya.cost["low"] <= ya.cost[scenario] <= ya.cost["high"]
            assert yab.cost[scenario] == ya.cost[scenario] + yb.cost[scenario]
        assert yab.tonnes == ya.tonnes + yb.tonnes
    # Every fuel is covered at least from 2023: a positive quantity costs something then.
    if a + b > 0:
        assert rab[2030].tonnes > 0 and rab[2030].cost["mid"] > 0


@settings(max_examples=60, deadline=None)
@given(fuel=fuel_keys, q=quantities, k=st.integers(min_value=0, max_value=1000))
def test_cost_scales_with_quantity(fuel, q, k):
    one, many = _by_year(CALC.calculate({fuel: q})), _by_year(CALC.calculate({fuel: q * k}))
    for year in YEARS:
        assert many[year].cost["mid"] == one[year].cost["mid"] * k
        assert many[year].tonnes == one[year].tonnes * k >= 0


def test_hydrogen_conversion_as_in_hydrogen_json():
    """1 GWh(Hs) → 27,093 kg H2 on the LHV basis, 25,381 kg on the HHV basis (1,000,000 / 39.4)."""
    assert round(gas_to_h2_kg(D(1_000_000), "lhv")) == 27093
    assert round(gas_to_h2_kg(D(1_000_000), "hhv")) == 25381
    oil_gj = D(1000) * REFERENCE.energy_gj_per_unit("heating_oil", 2030)  # 1000 l = 36.166 GJ
    assert oil_gj == D("0.845") * D("42.8") * 1000 / 1000
    d = demand(gas_kwh_hs=D(0), oil_gj_hi=oil_gj)
    assert round(d.oil_kg_lhv, 1) == round(oil_gj * 1000 / D("3.6") / D("33.33"), 1)


def test_becv_relief_by_the_formula():
    # 20 GWh(Hs) of gas in 2025: 65.016 TJ × 42.6 t/TJ = 2,769.68 t; − 150 t; × 95 % × 55 €/t
    result = estimate(REFERENCE, quantities={"natural_gas": D(20_000_000)}, year=2025, level_percent=D(95),
                      deductible=D(150))  # fmt: skip
    assert result.energy_tj == D("65.016")
    expected = (D("65.016") * D("42.6") - 150) * D(95) / 100 * 55
    assert result.aid == expected
    fallback = estimate(REFERENCE, quantities={"natural_gas": D(20_000_000)}, year=2025, level_percent=D(95),
                        deductible=D(150), intensity_above_threshold=False)  # fmt: skip
    assert fallback.level_percent == 60 and fallback.fallback_applied
    small = estimate(REFERENCE, quantities={"natural_gas": D(1000)}, year=2021, level_percent=D(65), deductible=D(150))
    assert small.aid == 0  # below the deductible: no aid, never negative
    with pytest.raises(UnknownInput):
        estimate(REFERENCE, quantities={"natural_gas": D(1)}, year=2030, level_percent=D(65), deductible=D(150))

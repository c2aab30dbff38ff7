"""The CO2-cost engine: pure Python with Decimal, no Django queries.

The reference tables (prices, EBeV factors) arrive as plain frozen dataclasses
(:class:`ReferenceData`, built once per table version by ``climate.reference``).
:class:`Calculator` turns them into one coefficient per fuel and year (tonnes
CO2 per input unit, and € per input unit for the low/mid/high price), so a
result is quantity × coefficient: linear in the quantity and never negative.

Units (EBeV 2030 Anlage 2 Teil 4, EBeV 2022 Anlage 1 Teil 4):

- natural gas in kWh as billed (Brennwert Hs): t/kWh = 3.2508 GJ(Hi)/MWh(Hs) × EF / 1000
- liquids in litres: t/l = density (t/1000 l) / 1000 × Hi (GJ/t) × EF (t/GJ)
- solids and LPG in kg or t: t/kg = Hi × EF / 1000, t/t = Hi × EF
"""

import csv
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
YEARS = tuple(range(2021, 2031))
SCENARIOS = ("low", "mid", "high")
UNITS = {"kwh_hs": "kWh (Hs)", "l": "l", "kg": "kg", "t": "t"}
CENT = Decimal("0.01")
MILLI = Decimal("0.001")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Fuel:
    key: str
    label_de: str
    label_en: str
    unit: str  # kwh_hs | l | kg | t
    rows: Mapping[str, str]  # regulation → nr
    assumed_density: Decimal | None = None  # t/1000 l where the law gives none
    note_de: str = ""
    note_en: str = ""

    def label(self, language: str = "de") -> str:
        return self.label_en if language == "en" else self.label_de

    def note(self, language: str = "de") -> str:
        return self.note_en if language == "en" else self.note_de

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]


@dataclass(frozen=True)
class Price:
    year: int
    kind: str
    low: Decimal
    mid: Decimal
    high: Decimal
    legal_basis: str = ""
    status: str = ""
    source: str = ""

    @property
    def is_band(self) -> bool:
        return self.low != self.high

    def value(self, scenario: str) -> Decimal:
        return getattr(self, scenario)


@dataclass(frozen=True)
class Factor:
    regulation: str
    nr: str
    fuel_de: str
    ef_t_per_gj: Decimal
    hi_gj_per_t: Decimal | None = None
    density_t_per_1000l: Decimal | None = None
    gj_per_mwh_hs: Decimal | None = None
    source: str = ""


@dataclass(frozen=True)
class ReferenceData:
    version_id: int | None
    version_label: str
    version_source: str
    prices: Mapping[int, Price]
    factors: Mapping[tuple[str, str], Factor]
    regulation_years: Mapping[str, tuple[int, int]]
    fuels: Mapping[str, Fuel]

    def regulation_for(self, year: int) -> str | None:
        for regulation, (first, last) in self.regulation_years.items():
            if first <= year <= last:
                return regulation
        return None

    def factor_for(self, fuel_key: str, year: int) -> Factor | None:
        regulation = self.regulation_for(year)
        fuel = self.fuels[fuel_key]
        nr = fuel.rows.get(regulation) if regulation else None
        return self.factors.get((regulation, nr)) if nr else None

    def energy_gj_per_unit(self, fuel_key: str, year: int) -> Decimal | None:
        """GJ on the net (Hi) basis per input unit, or None if the law has no row."""
        factor = self.factor_for(fuel_key, year)
        if factor is None:
            return None
        fuel = self.fuels[fuel_key]
        if fuel.unit == "kwh_hs":
            return factor.gj_per_mwh_hs / 1000
        hi = factor.hi_gj_per_t
        if fuel.unit == "l":
            density = factor.density_t_per_1000l or fuel.assumed_density
            return density / 1000 * hi
        if fuel.unit == "kg":
            return hi / 1000
        return hi

    def tonnes_per_unit(self, fuel_key: str, year: int) -> Decimal | None:
        """t CO2 per input unit in ``year`` or None where the fuel is not covered."""
        gj = self.energy_gj_per_unit(fuel_key, year)
        if gj is None:
            return None
        return gj * self.factor_for(fuel_key, year).ef_t_per_gj


def load_fuels(path: Path = DATA_DIR / "fuels.csv") -> dict[str, Fuel]:
    fuels = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows = dict(part.split(":", 1) for part in row["rows"].split("|"))
            density = row["assumed_density_t_per_1000l"]
            fuels[row["key"]] = Fuel(
                key=row["key"], label_de=row["label_de"], label_en=row["label_en"], unit=row["unit"], rows=rows,
                assumed_density=Decimal(density) if density else None, note_de=row["note_de"], note_en=row["note_en"],
            )  # fmt: skip
    return fuels


FUELS = load_fuels()


# --- results ------------------------------------------------------------------------


@dataclass
class FuelYear:
    fuel: Fuel
    year: int
    quantity: Decimal
    covered: bool
    tonnes: Decimal = ZERO
    cost: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(SCENARIOS, ZERO))
    factor: Factor | None = None
    t_per_unit: Decimal | None = None


@dataclass
class YearResult:
    year: int
    price: Price | None
    rows: list[FuelYear]
    tonnes: Decimal = ZERO
    cost: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(SCENARIOS, ZERO))
    energy_cost: Decimal | None = None

    @property
    def share(self) -> Decimal | None:
        """CO2 cost (mid) as a share of the entered energy bill, in per cent."""
        if not self.energy_cost:
            return None
        return self.cost["mid"] / self.energy_cost * 100


@dataclass
class CalcResult:
    version_id: int | None
    version_label: str
    version_source: str
    fuels: list[Fuel]
    quantities: dict[str, Decimal]
    net_prices: dict[str, Decimal]
    years: list[YearResult]

    @property
    def energy_cost(self) -> Decimal | None:
        return self.years[0].energy_cost if self.years else None

    def totals(self) -> dict[str, Decimal]:
        return {
            "tonnes": sum((y.tonnes for y in self.years), ZERO),
            **{s: sum((y.cost[s] for y in self.years), ZERO) for s in SCENARIOS},
        }

    def fuel_totals(self) -> list["FuelTotal"]:
        """Per fuel, every year together: t CO2 and the mid-scenario cost."""
        totals = {fuel.key: FuelTotal(fuel=fuel, quantity=self.quantities[fuel.key]) for fuel in self.fuels}
        for year in self.years:
            for row in year.rows:
                total = totals[row.fuel.key]
                total.tonnes += row.tonnes
                total.cost += row.cost["mid"]
        return list(totals.values())


@dataclass
class FuelTotal:
    fuel: Fuel
    quantity: Decimal  # per year
    tonnes: Decimal = ZERO
    cost: Decimal = ZERO


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def tonnes(value: Decimal) -> Decimal:
    return value.quantize(MILLI, rounding=ROUND_HALF_UP)


class UnknownInput(ValueError):
    """An unknown fuel or year."""


class Calculator:
    """Coefficients of one reference version, computed once; then any number of companies."""

    def __init__(self, reference: ReferenceData, years: Iterable[int] = YEARS):
        self.reference = reference
        self.years = tuple(years)
        for year in self.years:
            if year not in reference.prices:
                raise UnknownInput(f"no CO2 price for {year}")
        self.t_per_unit: dict[str, dict[int, Decimal | None]] = {}
        self.eur_per_unit: dict[str, dict[int, tuple[Decimal, Decimal, Decimal] | None]] = {}
        for key in reference.fuels:
            self.t_per_unit[key] = {}
            self.eur_per_unit[key] = {}
            for year in self.years:
                t = reference.tonnes_per_unit(key, year)
                price = reference.prices[year]
                self.t_per_unit[key][year] = t
                self.eur_per_unit[key][year] = None if t is None else (t * price.low, t * price.mid, t * price.high)

    def calculate(
        self, quantities: Mapping[str, Decimal], net_prices: Mapping[str, Decimal] | None = None
    ) -> CalcResult:
        net_prices = dict(net_prices or {})
        for key in [*quantities, *net_prices]:
            if key not in self.reference.fuels:
                raise UnknownInput(f"unknown fuel {key!r}")
        used = [self.reference.fuels[k] for k in self.reference.fuels if quantities.get(k)]
        energy_cost = None
        if net_prices and all(f.key in net_prices for f in used):
            energy_cost = sum((quantities[f.key] * net_prices[f.key] for f in used), ZERO)
        years = []
        for year in self.years:
            result = YearResult(year=year, price=self.reference.prices[year], rows=[], energy_cost=energy_cost)
            for fuel in used:
                quantity = quantities[fuel.key]
                t = self.t_per_unit[fuel.key][year]
                row = FuelYear(fuel=fuel, year=year, quantity=quantity, covered=t is not None, t_per_unit=t)
                if t is not None:
                    row.factor = self.reference.factor_for(fuel.key, year)
                    row.tonnes = quantity * t
                    low, mid, high = self.eur_per_unit[fuel.key][year]
                    row.cost = {"low": quantity * low, "mid": quantity * mid, "high": quantity * high}
                    result.tonnes += row.tonnes
                    for scenario in SCENARIOS:
                        result.cost[scenario] += row.cost[scenario]
                result.rows.append(row)
            years.append(result)
        return CalcResult(
            version_id=self.reference.version_id, version_label=self.reference.version_label,
            version_source=self.reference.version_source, fuels=used, quantities=dict(quantities),
            net_prices=net_prices, years=years,
        )  # fmt: skip

    def batch_totals(self, companies: Iterable[Mapping[str, Decimal]]) -> Iterator[list[tuple[Decimal, Decimal]]]:
        """For each company: per year (tonnes, mid cost). The batch path of the benchmark.

        Tonnes depend on the year only through the regulation in force (EBeV 2022 or 2030), so they
        are summed once per regulation; the cost of a year is those tonnes × the year's price
        (cost is linear: Σ q·t·p = p·Σ q·t).
        """
        keys = list(self.reference.fuels)
        regimes: dict[tuple, int] = {}
        year_regime, year_price = [], []
        for year in self.years:
            column = tuple(self.t_per_unit[k][year] or ZERO for k in keys)
            year_regime.append(regimes.setdefault(column, len(regimes)))
            year_price.append(self.reference.prices[year].mid)
        columns = [dict(zip(keys, column, strict=True)) for column in regimes]
        plan = list(zip(year_regime, year_price, strict=True))
        for quantities in companies:
            items = [(k, q) for k, q in quantities.items() if q]
            sums = []
            for column in columns:
                total = ZERO
                for key, quantity in items:
                    total += quantity * column[key]
                sums.append(total)
            yield [(sums[regime], sums[regime] * price) for regime, price in plan]


def calculate(
    reference: ReferenceData,
    quantities: Mapping[str, Decimal],
    net_prices: Mapping[str, Decimal] | None = None,
    years: Iterable[int] = YEARS,
) -> CalcResult:
    return Calculator(reference, years).calculate(quantities, net_prices)

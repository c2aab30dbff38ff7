"""Hydrogen as a substitute for natural gas and heating oil (pure; constants from data/hydrogen.json).

LHV basis (non-condensing burners, furnaces; EEX HYDRIX): m_H2 = E_gas,Hs × 0.903 / 33.33 kWh/kg.
HHV basis (condensing equipment, Hs-to-Hs): m_H2 = E_gas,Hs / 39.4 kWh/kg.
Heating oil: energy on the Hi basis from the EBeV density and heating value, then / 33.33 (the law
gives no Hs for oil, so only the LHV basis applies).

:func:`compare` is the public page's comparison (demand, CO2 avoided, costs per year, break-even
price); :func:`survey_demand_tonnes` the demand stored with a survey answer;
:func:`price_observations` the observed price levels shown for orientation.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from climate.calculator import YEARS, CalcResult, Calculator, ReferenceData, money, tonnes
from climate.reference import read_hydrogen, read_hydrogen_prices

_DATA = read_hydrogen()
LHV_KWH_PER_KG = Decimal(str(_DATA["hydrogen_properties"]["lower_heating_value_LHV"]["kWh_per_kg"]))
HHV_KWH_PER_KG = Decimal(str(_DATA["hydrogen_properties"]["higher_heating_value_HHV"]["kWh_per_kg"]))
HI_OVER_HS = Decimal(str(_DATA["natural_gas_reference"]["Hi_over_Hs"]))
KWH_PER_GJ = Decimal("1000") / Decimal("3.6")
# The year whose EBeV row converts litres of heating oil into energy: the calculator's last year.
OIL_ENERGY_YEAR = YEARS[-1]


@dataclass(frozen=True)
class HydrogenDemand:
    gas_kg_lhv: Decimal
    gas_kg_hhv: Decimal
    oil_kg_lhv: Decimal

    @property
    def total_kg_lhv(self) -> Decimal:
        return self.gas_kg_lhv + self.oil_kg_lhv

    @property
    def total_kg_hhv(self) -> Decimal:
        """Gas on the HHV basis plus oil on the LHV basis (no Hs for oil in the law)."""
        return self.gas_kg_hhv + self.oil_kg_lhv

    @property
    def total_t_lhv(self) -> Decimal:
        return self.total_kg_lhv / 1000

    @property
    def total_t_hhv(self) -> Decimal:
        return self.total_kg_hhv / 1000

    def total_kg(self, basis: str) -> Decimal:
        return self.total_kg_hhv if basis == "hhv" else self.total_kg_lhv


def gas_to_h2_kg(kwh_hs: Decimal, basis: str = "lhv") -> Decimal:
    if basis == "hhv":
        return kwh_hs / HHV_KWH_PER_KG
    return kwh_hs * HI_OVER_HS / LHV_KWH_PER_KG


def oil_to_h2_kg(oil_gj_hi: Decimal) -> Decimal:
    return oil_gj_hi * KWH_PER_GJ / LHV_KWH_PER_KG


def demand(*, gas_kwh_hs: Decimal, oil_gj_hi: Decimal = Decimal(0)) -> HydrogenDemand:
    return HydrogenDemand(
        gas_kg_lhv=gas_to_h2_kg(gas_kwh_hs, "lhv"),
        gas_kg_hhv=gas_to_h2_kg(gas_kwh_hs, "hhv"),
        oil_kg_lhv=oil_to_h2_kg(oil_gj_hi),
    )


def demand_for(reference: ReferenceData, *, gas_kwh_hs: Decimal, oil_l: Decimal) -> HydrogenDemand:
    """The hydrogen that replaces ``gas_kwh_hs`` kWh(Hs) of natural gas and ``oil_l`` litres of heating oil."""
    oil_gj = oil_l * reference.energy_gj_per_unit("heating_oil", OIL_ENERGY_YEAR) if oil_l else Decimal(0)
    return demand(gas_kwh_hs=gas_kwh_hs, oil_gj_hi=oil_gj)


def survey_demand_tonnes(
    reference: ReferenceData, *, natural_gas_kwh: Decimal, heating_oil_l: Decimal, switch_share: int
) -> Decimal:
    """Hydrogen demand on the LHV basis (t/year) for the share of today's gas and oil a company would switch."""
    amount = demand_for(reference, gas_kwh_hs=natural_gas_kwh or Decimal(0), oil_l=heating_oil_l or Decimal(0))
    return (amount.total_kg_lhv * Decimal(switch_share) / 100 / 1000).quantize(Decimal("0.001"))


# --- the public comparison --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparisonYear:
    year: int
    tonnes: Decimal  # t CO2 avoided
    co2_cost: Decimal  # CO2 cost avoided, mid scenario
    co2_low: Decimal
    co2_high: Decimal
    h2_cost: Decimal | None  # hydrogen at the entered price; None without a price
    fossil_total: Decimal | None  # today's fuel bill plus its CO2 cost; None without the fuel prices
    difference: Decimal | None  # hydrogen minus fossil: the extra cost of switching


@dataclass(frozen=True)
class Comparison:
    result: CalcResult  # the CO2 of the replaced fuels
    demand: HydrogenDemand
    basis: str
    kg: Decimal  # hydrogen per year on the chosen basis
    h2_price: Decimal | None
    years: list[ComparisonYear]
    break_even: Decimal | None  # €/kg at which hydrogen costs no more than the fossil fuel in the last year


def compare(
    reference: ReferenceData,
    *,
    gas_kwh_hs: Decimal | None,
    oil_l: Decimal | None,
    basis: str = "lhv",
    h2_price: Decimal | None = None,
    gas_price: Decimal | None = None,
    oil_price: Decimal | None = None,
) -> Comparison:
    """Replace the entered gas and oil by hydrogen: demand, CO2 avoided and the costs per year.

    The fossil bill is known only when every entered fuel has a price; the break-even price is the
    hydrogen price at which the last year's fossil bill (with its mid-scenario CO2 cost) is matched.
    """
    gas = gas_kwh_hs or Decimal(0)
    oil = oil_l or Decimal(0)
    quantities = {key: value for key, value in (("natural_gas", gas), ("heating_oil", oil)) if value}
    result = Calculator(reference).calculate(quantities)
    amount = demand_for(reference, gas_kwh_hs=gas, oil_l=oil)
    kg = amount.total_kg(basis)
    fossil = None
    if (not gas or gas_price is not None) and (not oil or oil_price is not None):
        fossil = gas * (gas_price or 0) + oil * (oil_price or 0)
    years = []
    for year in result.years:
        h2_cost = kg * h2_price if h2_price is not None else None
        fossil_total = fossil + year.cost["mid"] if fossil is not None else None
        difference = h2_cost - fossil_total if h2_cost is not None and fossil_total is not None else None
        years.append(
            ComparisonYear(
                year=year.year,
                tonnes=tonnes(year.tonnes),
                co2_cost=money(year.cost["mid"]),
                co2_low=money(year.cost["low"]),
                co2_high=money(year.cost["high"]),
                h2_cost=money(h2_cost) if h2_cost is not None else None,
                fossil_total=money(fossil_total) if fossil_total is not None else None,
                difference=money(difference) if difference is not None else None,
            )  # fmt: skip
        )
    break_even = (result.years[-1].cost["mid"] + fossil) / kg if fossil is not None and kg else None
    return Comparison(
        result=result, demand=amount, basis=basis, kg=kg, h2_price=h2_price, years=years, break_even=break_even
    )


# --- observed price levels (orientation only) --------------------------------------------------------------------

REGIONS = {"de": _("Deutschland"), "at": _("Österreich (Handelspunkt CEGH)"), "world": _("weltweit")}
COLOURS = {"grey": _("grau"), "blue": _("blau"), "green": _("grün"), "electrolytic": _("elektrolytisch")}
KINDS = {
    "cost_index": _("Kostenindex"),
    "exchange_index": _("Börsenindex"),
    "ppa_index": _("Index für Lieferverträge (PPA)"),
    "spot_index": _("Spotindex"),
    "projection": _("Projektion der Erzeugungskosten"),
}
BASES = {"lhv": _("Heizwert (Hi)"), "hhv": _("Brennwert (Hs)"), "unstated": _("nicht angegeben")}
STATUSES = {
    "confirmed": _("belegt"),
    "secondary": _("belegt (Pressemeldung)"),
    "year_inferred": _("Jahr erschlossen"),
    "projection": _("Projektion"),
}
UNITS = {"eur_mwh": "€/MWh", "eur_kg": "€/kg"}


def _decimal(text: str) -> Decimal | None:
    return Decimal(text) if text else None


@dataclass(frozen=True)
class PriceObservation:
    """One observed or projected price level; every word shown comes from the labels above, in the reader's language."""

    date: datetime.date
    precision: str  # day | month | year
    region: str
    colour: str
    kind: str
    indicator: str  # a proper name (index, study)
    value_low: Decimal
    value_high: Decimal | None
    unit: str
    eur_per_kg_low: Decimal
    eur_per_kg_high: Decimal | None
    basis: str
    status: str
    source: str

    @property
    def region_label(self) -> str:
        return REGIONS[self.region]

    @property
    def colour_label(self) -> str:
        return COLOURS[self.colour]

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def basis_label(self) -> str:
        return BASES[self.basis]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]


def price_observations() -> list[PriceObservation]:
    """The curated price levels of data/hydrogen_prices.csv, oldest first."""
    return [
        PriceObservation(
            date=datetime.date.fromisoformat(row["date"]),
            precision=row["precision"],
            region=row["region"],
            colour=row["colour"],
            kind=row["kind"],
            indicator=row["indicator"],
            value_low=Decimal(row["value_low"]),
            value_high=_decimal(row["value_high"]),
            unit=row["unit"],
            eur_per_kg_low=Decimal(row["eur_per_kg_low"]),
            eur_per_kg_high=_decimal(row["eur_per_kg_high"]),
            basis=row["basis"],
            status=row["status"],
            source=row["source"],
        )  # fmt: skip
        for row in read_hydrogen_prices()
    ]

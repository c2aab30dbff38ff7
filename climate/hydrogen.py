"""Hydrogen as a substitute for natural gas and heating oil (pure; constants from data/hydrogen.json).

LHV basis (non-condensing burners, furnaces; EEX HYDRIX): m_H2 = E_gas,Hs × 0.903 / 33.33 kWh/kg.
HHV basis (condensing equipment, Hs-to-Hs): m_H2 = E_gas,Hs / 39.4 kWh/kg.
Heating oil: energy on the Hi basis from the EBeV density and heating value, then / 33.33 (the law
gives no Hs for oil, so only the LHV basis applies).
"""

from dataclasses import dataclass
from decimal import Decimal

from climate.reference import read_hydrogen

_DATA = read_hydrogen()
LHV_KWH_PER_KG = Decimal(str(_DATA["hydrogen_properties"]["lower_heating_value_LHV"]["kWh_per_kg"]))
HHV_KWH_PER_KG = Decimal(str(_DATA["hydrogen_properties"]["higher_heating_value_HHV"]["kWh_per_kg"]))
HI_OVER_HS = Decimal(str(_DATA["natural_gas_reference"]["Hi_over_Hs"]))
NM3_PER_KG = Decimal(str(_DATA["hydrogen_properties"]["specific_volume"]["Nm3_per_kg"]))
SOURCES = {
    "lhv": _DATA["hydrogen_properties"]["lower_heating_value_LHV"]["source"],
    "hhv": _DATA["hydrogen_properties"]["higher_heating_value_HHV"]["source"],
    "hi_over_hs": _DATA["natural_gas_reference"]["source"],
}
KWH_PER_GJ = Decimal("1000") / Decimal("3.6")


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

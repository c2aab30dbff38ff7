"""Carbon-leakage relief (BECV §§ 8, 9): an estimate, pure.

Aid = (Σ fuel energy (TJ, Hi) × fuel benchmark − deductible) × compensation level × CO2 price.
"""

from dataclasses import dataclass
from decimal import Decimal

from climate.calculator import ReferenceData, UnknownInput
from climate.reference import read_becv

BECV = read_becv()
FUEL_BENCHMARK = Decimal(str(BECV["fuel_benchmark_t_per_tj"]))
FALLBACK_LEVEL = Decimal(BECV["fallback_level_percent"])


@dataclass(frozen=True)
class ReliefEstimate:
    year: int
    energy_tj: Decimal
    benchmark: Decimal
    benchmark_emissions: Decimal
    deductible: Decimal
    relevant_emissions: Decimal
    level_percent: Decimal
    price: Decimal
    aid: Decimal
    fallback_applied: bool


def estimate(
    reference: ReferenceData,
    *,
    quantities: dict[str, Decimal],
    year: int,
    level_percent: Decimal,
    deductible: Decimal,
    intensity_above_threshold: bool = True,
) -> ReliefEstimate:
    if year not in BECV["years"] or year not in reference.prices:
        raise UnknownInput(f"no BECV year {year}")
    energy_gj = Decimal(0)
    for key, quantity in quantities.items():
        if key not in reference.fuels:
            raise UnknownInput(f"unknown fuel {key!r}")
        per_unit = reference.energy_gj_per_unit(key, year)
        if per_unit is not None and quantity:
            energy_gj += quantity * per_unit
    energy_tj = energy_gj / 1000
    benchmark_emissions = energy_tj * FUEL_BENCHMARK
    relevant = max(Decimal(0), benchmark_emissions - deductible)
    fallback = year >= 2023 and not intensity_above_threshold
    level = FALLBACK_LEVEL if fallback else level_percent
    price = reference.prices[year].mid
    return ReliefEstimate(
        year=year, energy_tj=energy_tj, benchmark=FUEL_BENCHMARK, benchmark_emissions=benchmark_emissions,
        deductible=deductible, relevant_emissions=relevant, level_percent=level, price=price,
        aid=relevant * level / 100 * price, fallback_applied=fallback,
    )  # fmt: skip

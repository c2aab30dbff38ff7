"""Benchmark: the CO2-cost engine for 100,000 companies × 10 fuels × 10 years in one batch.

How to run (no database needed; the reference tables come from climate/data/):

    DEBUG=1 .venv/bin/python benchmarks/climate_calculator.py [--companies 100000]

Prints the wall time of the batch (coefficients computed once per fuel and year, then
quantity × coefficient in Decimal), the peak Python heap (tracemalloc, second run) and the
process's peak RSS.
"""

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kammerwerk.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from climate.calculator import Calculator  # noqa: E402
from climate.reference import reference_from_files  # noqa: E402

FUELS = ["natural_gas", "heating_oil", "diesel", "petrol", "lpg_kg", "heavy_fuel_oil", "kerosene", "hard_coal",
         "lignite_briquettes", "coke"]  # fmt: skip


def companies(n: int, seed: int = 1):
    rng = random.Random(seed)
    return [{fuel: Decimal(rng.randint(1, 10_000_000)) / 10 for fuel in FUELS} for _ in range(n)]


def run(calculator, batch):
    total_t, total_eur = Decimal(0), Decimal(0)
    for per_year in calculator.batch_totals(batch):
        for tonnes, cost in per_year:
            total_t += tonnes
            total_eur += cost
    return total_t, total_eur


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--companies", type=int, default=100_000)
    args = parser.parse_args()
    reference = reference_from_files()
    started = time.perf_counter()
    calculator = Calculator(reference)
    setup = time.perf_counter() - started
    batch = companies(args.companies)
    started = time.perf_counter()
    total_t, total_eur = run(calculator, batch)
    elapsed = time.perf_counter() - started
    cells = args.companies * len(FUELS) * len(calculator.years)
    print(f"companies={args.companies} fuels={len(FUELS)} years={len(calculator.years)} cells={cells:,}")
    print(f"coefficients: {setup * 1000:.1f} ms")
    print(
        f"batch: {elapsed:.2f} s  ({cells / elapsed / 1e6:.2f} M fuel-years/s, {elapsed / args.companies * 1e6:.1f} µs/company)"
    )
    print(f"check: {total_t:.0f} t CO2, {total_eur:.0f} € (mid)")
    tracemalloc.start()
    run(calculator, batch)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak heap during the batch (tracemalloc, results streamed): {peak / 1024:.0f} kB")
    print(
        f"peak RSS of the process (input data included): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()

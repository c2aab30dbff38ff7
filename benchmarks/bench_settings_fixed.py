"""Benchmark settings with the *proposed* fixes applied, without touching contacts/ (see RESULTS.md).

Template overrides in benchmarks/fixed/templates win over the app's templates (DIRS come
before APP_DIRS); benchmarks/bench_urls.py swaps in benchmarks/fixed/selectors_fixed.py
when BENCH_FIXED is set.
"""

from benchmarks.bench_settings import *  # noqa: F403
from benchmarks.bench_settings import BASE_DIR, TEMPLATES

TEMPLATES[0]["DIRS"] = [BASE_DIR / "benchmarks" / "fixed" / "templates"]
BENCH_FIXED = True

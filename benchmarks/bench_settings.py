"""Settings for the benchmark server: the app's settings plus the benchmark-only URLs.

``DJANGO_SETTINGS_MODULE=benchmarks.bench_settings``; everything else comes from the
environment exactly as in production (see run_list_bench.sh).
"""

from kammerwerk.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"

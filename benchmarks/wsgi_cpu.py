"""CPU per request inside the server under load: Kammerwerk's WSGI app wrapped to count each request's CPU.

``speed_profile.py`` measures a page in-process, one visitor again and again; under a load run the
same page can cost more (a fragment keyed by a seat count misses after every registration, a
statement is built where it should be compiled). This wrapper counts, inside each gunicorn worker,
the CPU (``time.process_time``) of every request by method and path (tokens folded), and writes the
means when the worker exits::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_speed DJANGO_SETTINGS_MODULE=benchmarks.bench_settings \
        SECRET_KEY=x DEBUG=0 ALLOWED_HOSTS=127.0.0.1 KAMMERWERK_PLAIN_STATIC=1 CONN_MAX_AGE=600 \
        .venv/bin/gunicorn benchmarks.wsgi_cpu:application --bind 127.0.0.1:8357 --workers 2
    # warm up with a few seconds of load, then start counting afresh:
    curl -s http://127.0.0.1:8357/__wsgi_cpu_reset__      # once per worker (repeat it)
    python benchmarks/speed_flow_load.py --base http://127.0.0.1:8357 --audiences 30,31 --threads 16
    pkill -TERM -f "gunicorn benchmarks.wsgi_cpu"        # each worker writes var/bench/wsgi-cpu.<pid>.txt

``WSGI_CPU_PROFILE=1`` adds a cProfile (CPU clock) per request kind to the same file. Only for
benchmarks: the reset path answers anyone.
"""

import atexit
import cProfile
import io
import os
import pstats
import re
import time
from pathlib import Path

from kammerwerk.wsgi import application as _application

RESET_PATH = "/__wsgi_cpu_reset__"
OUT = Path(__file__).resolve().parent.parent / "var" / "bench"
_TOKEN = re.compile(r"/(anmeldung|buchung|warteliste)/[^/]+/")
_totals: dict[str, tuple[int, float]] = {}
_profiles: dict[str, cProfile.Profile] = {}
_profiling = os.environ.get("WSGI_CPU_PROFILE") == "1"


def _kind(environ) -> str:
    path = _TOKEN.sub(r"/\1/<token>/", environ.get("PATH_INFO", ""))
    return f"{environ['REQUEST_METHOD']} {path}"


def application(environ, start_response):
    if environ.get("PATH_INFO") == RESET_PATH:
        _totals.clear()
        _profiles.clear()
        start_response("204 No Content", [])
        return [b""]
    kind = _kind(environ)
    profile = _profiles.setdefault(kind, cProfile.Profile(time.process_time)) if _profiling else None
    started = time.process_time()
    if profile:
        profile.enable()
    response = _application(environ, start_response)
    body = b"".join(response)  # the whole response is rendered inside the count
    if hasattr(response, "close"):
        response.close()
    if profile:
        profile.disable()
    count, total = _totals.get(kind, (0, 0.0))
    _totals[kind] = (count + 1, total + time.process_time() - started)
    return [body]


@atexit.register
def _write() -> None:
    if not _totals:
        return
    OUT.mkdir(parents=True, exist_ok=True)
    lines = [
        f"{kind}\t{count} requests\t{total / count * 1000:.2f} ms CPU each"
        for kind, (count, total) in sorted(_totals.items())
    ]
    for kind, profile in _profiles.items():
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text).strip_dirs()
        stats.sort_stats("cumulative").print_stats(40)
        lines.append(f"\n## {kind}\n{text.getvalue()}")
    (OUT / f"wsgi-cpu.{os.getpid()}.txt").write_text("\n".join(lines) + "\n")

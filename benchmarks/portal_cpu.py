"""CPU time per request of the portal pages and their reference views, in-process (no HTTP, no load).

    PYTHONPATH=. DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_portal_bench KAMMERWERK_INSECURE_DEV_KEY=1 \
        KAMMERWERK_PLAIN_STATIC=1 ALLOWED_HOSTS=testserver .venv/bin/python benchmarks/portal_cpu.py

``time.process_time`` counts only this process's CPU, so the figure holds even when other jobs
share the machine (wrk's req/s do not). 2 sync workers on 2 cores can serve at most about
2000 / (CPU ms of the app + ~1 ms of PostgreSQL) requests per second.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.portal_settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from benchmarks.portal_bench import PAGES  # noqa: E402


def cpu_ms(handler, factory, url: str, rounds: int = 60) -> float:
    for _ in range(5):
        handler.get_response(factory.get(url))
    started = time.process_time()
    for _ in range(rounds):
        response = handler.get_response(factory.get(url))
        assert response.status_code == 200, (url, response.status_code)
    return (time.process_time() - started) / rounds * 1000


def main() -> None:
    handler, factory = WSGIHandler(), RequestFactory()
    print("| page | CPU ms/request | reference CPU ms | page/ref throughput |\n|---|---:|---:|---:|")
    print(f'| bare view "ok" | {cpu_ms(handler, factory, "/bench/ok"):.2f} | | |')
    print(f"| /impressum/ (base template only) | {cpu_ms(handler, factory, '/impressum/'):.2f} | | |")
    for label, page, ref in PAGES:
        page_ms, ref_ms = cpu_ms(handler, factory, page), cpu_ms(handler, factory, ref)
        print(f"| {label} | {page_ms:.2f} | {ref_ms:.2f} | {ref_ms / page_ms * 100:.0f} % |")


if __name__ == "__main__":
    main()

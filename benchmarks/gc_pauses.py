"""How long Python's garbage collections pause a worker's requests, with and without ``gc.freeze()``.

    # in the environment run_list_bench.sh leaves (var/bench/<stamp>/env.sh: SESSION_KEY for a staff page)
    set -a; . var/bench/<stamp>/env.sh; set +a
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_bench DEBUG=0 ALLOWED_HOSTS=127.0.0.1 \
        SECRET_KEY=benchmark-only-secret-key-not-for-production-0123456789 \
        KAMMERWERK_PLAIN_STATIC=1 .venv/bin/python benchmarks/gc_pauses.py [--requests 2000] [--url /kontakte/organisationen/?q=m%C3%BCller] [--no-freeze] [--threshold 700,10,10]

One process, as a gunicorn worker starts (``core.warmup.warm_up()``, then, unless ``--no-freeze``,
``gc.freeze()`` as ``kammerwerk.wsgi`` does), then ``--requests`` requests through Django's test client
(signed in with ``SESSION_KEY`` if set). ``gc.callbacks`` times every collection: prints, per
generation, how many ran, their total and their longest pause, and the share of the wall time.
A full collection (generation 2) walks every tracked object; without the freeze that includes the
~240,000 a worker's start leaves, and it paused one request in ~1,000 for 140-170 ms
(``benchmarks/RESULTS-stafflists.md``, 4 December 2026).
"""

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from core.warmup import warm_up  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--url", default="/kontakte/organisationen/?q=m%C3%BCller")
    parser.add_argument("--no-freeze", action="store_true")
    parser.add_argument("--threshold", help="gc.set_threshold values, e.g. 700,10,10 (Python's default)")
    args = parser.parse_args()

    warm_up()
    client = Client(HTTP_HOST="127.0.0.1")
    if os.environ.get("SESSION_KEY"):
        client.cookies["sessionid"] = os.environ["SESSION_KEY"]
    for _ in range(20):  # the page's first requests fill per-process caches, as wrk's warm-up does
        assert client.get(args.url).status_code == 200
    if not args.no_freeze:
        gc.freeze()
    if args.threshold:
        gc.set_threshold(*map(int, args.threshold.split(",")))

    pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
    started = [0.0]

    def timed(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            pauses[info["generation"]].append(time.perf_counter() - started[0])

    gc.callbacks.append(timed)
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.requests):
        client.get(args.url)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.callbacks.remove(timed)

    print(
        f"{args.url}: {args.requests} requests, frozen objects {gc.get_freeze_count()}, threshold {gc.get_threshold()}"
    )
    print(f"per request: wall {wall / args.requests * 1000:.2f} ms, CPU {cpu / args.requests * 1000:.2f} ms")
    for generation, times in pauses.items():
        if times:
            print(f"generation {generation}: {len(times)} collections, {sum(times) * 1000:.1f} ms in all, "
                  f"longest {max(times) * 1000:.1f} ms")  # fmt: skip
    print(f"collections: {sum(map(sum, pauses.values())) / wall:.1%} of the wall time")


if __name__ == "__main__":
    main()

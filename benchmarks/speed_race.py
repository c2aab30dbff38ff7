"""200 people register for an event with 20 seats at the same moment (issue 18, target 2).

    python benchmarks/speed_race.py --base http://127.0.0.1:8357 --event speed-race --audience 32 --clients 200

Each client is a new visitor: it GETs the event page (CSRF cookie and token), waits until every
client has its page, then all POST the registration form at once (waiting list allowed). Prints
the POST latencies and a JSON line (prefixed "JSON "); the seats taken are counted in the database
by the caller (``speed_seed.py --count-race``): exactly 20 must be seated. Loopback hosts only.
"""

import argparse
import json
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8357")
    ap.add_argument("--event", default="speed-race")
    ap.add_argument("--audience", required=True)
    ap.add_argument("--clients", type=int, default=200)
    args = ap.parse_args()
    if urlparse(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("refusing to load a non-loopback host")
    page = f"{args.base.rstrip('/')}/veranstaltungen/{args.event}/"
    run_id = uuid.uuid4().hex[:10]
    barrier = threading.Barrier(args.clients, timeout=120)
    statuses, latencies, lock = {}, [], threading.Lock()

    def client(n: int):
        s = requests.Session()
        try:
            token = CSRF_RE.search(s.get(page, timeout=60).text).group(1)
        finally:
            barrier.wait()
        started = time.perf_counter()
        r = s.post(
            page,
            data={"csrfmiddlewaretoken": token, "audience": args.audience, "first_name": "Race",
                  "last_name": f"Client {n}", "email": f"race-{run_id}-{n}@example.org", "join_waiting_list": "on"},
            headers={"Referer": page}, allow_redirects=False, timeout=120,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        with lock:
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            latencies.append(elapsed)
        s.close()

    started = time.monotonic()
    with ThreadPoolExecutor(args.clients) as ex:
        list(ex.map(client, range(args.clients)))
    elapsed = time.monotonic() - started
    out = {"clients": args.clients, "statuses": statuses, "elapsed_s": round(elapsed, 2),
           "post_p50_ms": round(pct(latencies, 50) * 1000, 1), "post_p99_ms": round(pct(latencies, 99) * 1000, 1),
           "post_max_ms": round(max(latencies) * 1000, 1)}  # fmt: skip
    print(f"{args.clients} clients: statuses {statuses}; POST p50 {out['post_p50_ms']} ms, "
          f"p99 {out['post_p99_ms']} ms, max {out['post_max_ms']} ms")  # fmt: skip
    print("JSON " + json.dumps(out))


if __name__ == "__main__":
    main()

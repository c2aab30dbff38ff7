"""Closed-loop load of Kammerwerk's registration flow, the counterpart of pretix's ``flow_load.py``.

Each iteration is a new visitor (fresh cookie jar), like ../shared/bench/pretix/flow_load.py:
  1. GET  /veranstaltungen/<slug>/              (event page; CSRF cookie + token)
  2. POST /veranstaltungen/<slug>/              (the registration form; 302 to the person's page)
  3. GET  /veranstaltungen/anmeldung/<token>/   (the confirmation page; counted OK only if it says
                                                  the person is registered)

    python benchmarks/speed_flow_load.py --base http://127.0.0.1:8357 --event speed-bench \
        --audiences 30,31 --threads 16 --duration 20

Run it with the same Python (and ``requests``) as pretix's flow script so both clients cost the same.
Prints one line per step plus a JSON line (prefixed "JSON "). Only loopback hosts are accepted.
"""

import argparse
import itertools
import json
import re
import statistics
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import requests

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONFIRMED = "Sie sind angemeldet"


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


def worker(args, deadline, results, lock, numbers, run_id):
    page = f"{args.base.rstrip('/')}/veranstaltungen/{args.event}/"
    audiences = args.audiences.split(",")
    local = {"page": [], "post": [], "confirmation": [], "flow": [], "ok": 0, "fail": 0, "errors": {}}
    while time.monotonic() < deadline:
        n = next(numbers)
        s = requests.Session()
        t0 = time.perf_counter()
        try:
            r = s.get(page, timeout=30)
            t1 = time.perf_counter()
            m = CSRF_RE.search(r.text)
            if r.status_code != 200 or not m:
                raise RuntimeError(f"page {r.status_code}")
            r = s.post(
                page,
                data={
                    "csrfmiddlewaretoken": m.group(1), "audience": audiences[n % len(audiences)],
                    "first_name": "Last", "last_name": f"Test {n}", "email": f"flow-{run_id}-{n}@example.org",
                    "join_waiting_list": "on",
                },
                headers={"Referer": page}, allow_redirects=False, timeout=30,
            )  # fmt: skip
            t2 = time.perf_counter()
            if r.status_code != 302 or "/anmeldung/" not in r.headers.get("Location", ""):
                raise RuntimeError(f"post {r.status_code}")
            r = s.get(requests.compat.urljoin(page, r.headers["Location"]), timeout=30)
            t3 = time.perf_counter()
            if r.status_code != 200 or CONFIRMED not in r.text:
                raise RuntimeError(f"confirmation {r.status_code}")
        except Exception as e:  # noqa: BLE001 - count and continue
            key = str(e)[:80]
            local["errors"][key] = local["errors"].get(key, 0) + 1
            local["fail"] += 1
            continue
        finally:
            s.close()
        local["page"].append(t1 - t0)
        local["post"].append(t2 - t1)
        local["confirmation"].append(t3 - t2)
        local["flow"].append(t3 - t0)
        local["ok"] += 1
    with lock:
        for k in ("page", "post", "confirmation", "flow"):
            results[k].extend(local[k])
        results["ok"] += local["ok"]
        results["fail"] += local["fail"]
        for k, v in local["errors"].items():
            results["errors"][k] = results["errors"].get(k, 0) + v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8357")
    ap.add_argument("--event", default="speed-bench")
    ap.add_argument("--audiences", required=True, help="comma-separated audience ids")
    ap.add_argument("--threads", type=int, default=16)
    ap.add_argument("--duration", type=float, default=20.0)
    args = ap.parse_args()
    if urlparse(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("refusing to load a non-loopback host")

    results = {"page": [], "post": [], "confirmation": [], "flow": [], "ok": 0, "fail": 0, "errors": {}}
    lock = threading.Lock()
    numbers = itertools.count()
    run_id = uuid.uuid4().hex[:10]
    start = time.monotonic()
    deadline = start + args.duration
    with ThreadPoolExecutor(args.threads) as ex:
        for _ in range(args.threads):
            ex.submit(worker, args, deadline, results, lock, numbers, run_id)
    elapsed = time.monotonic() - start

    out = {"threads": args.threads, "elapsed_s": round(elapsed, 2), "flows_ok": results["ok"],
           "flows_failed": results["fail"], "errors": results["errors"],
           "flows_per_s": round(results["ok"] / elapsed, 2),
           "http_requests_per_s": round(results["ok"] * 3 / elapsed, 2)}  # fmt: skip
    for k in ("page", "post", "confirmation", "flow"):
        v = results[k]
        out[k] = {"p50_ms": round(pct(v, 50) * 1000, 1), "p99_ms": round(pct(v, 99) * 1000, 1),
                  "mean_ms": round(statistics.fmean(v) * 1000, 1) if v else None}  # fmt: skip
    print(f"flows ok={out['flows_ok']} failed={out['flows_failed']} in {out['elapsed_s']}s "
          f"-> {out['flows_per_s']} flows/s (= registrations/s), {out['http_requests_per_s']} HTTP req/s")  # fmt: skip
    for k, label in (("page", "GET event page"), ("post", "POST registration"),
                     ("confirmation", "GET confirmation"), ("flow", "whole flow")):  # fmt: skip
        print(f"  {label:32s} p50 {out[k]['p50_ms']:8.1f} ms   p99 {out[k]['p99_ms']:8.1f} ms")
    if results["errors"]:
        print("  errors:", results["errors"])
    print("JSON " + json.dumps(out))


if __name__ == "__main__":
    main()

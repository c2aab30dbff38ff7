"""200 people register for an event with 20 seats at the same moment (issue 18, target 2).

    python benchmarks/speed_race.py --base http://127.0.0.1:8357 --event speed-race --audience 32 --clients 200 \
        [--client http|requests]

Each client is a new visitor: it GETs the event page (CSRF cookie and token), waits until every
client has its page, then all POST the registration form at once (waiting list allowed). Prints
the POST latencies and a JSON line (prefixed "JSON "); the seats taken are counted in the database
by the caller (``speed_seed.py --count-race``): exactly 20 must be seated. Loopback hosts only.

The client shares the machine's two cores with the server it measures, so it should cost as
little as it can: by default each visitor is a bare ``http.client`` connection (as in
``advisory_booking.py``). ``--client requests`` sends the same requests through ``requests``
sessions, as this script did until 3 December 2026: on the AMD EPYC machine of that day the 200
threads' own CPU after the barrier was as much as both gunicorn workers' (``client_cpu_s`` in the
output), so the POSTs' latency measured the load generator as much as the server. The race is not
compared with pretix (its target is absolute), so the lighter client changes no ratio.
"""

import argparse
import http.client
import json
import re
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode, urlparse

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE_RE = re.compile(r"csrftoken=([^;]+)")


def pct(values, p):
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, int(round(p / 100.0 * len(values) + 0.5)) - 1))
    return values[k]


class HttpVisitor:
    """One visitor on a bare ``http.client`` connection: the CSRF cookie kept, redirects not followed."""

    def __init__(self, base: str):
        address = urlparse(base)
        self.host, self.port = address.hostname, address.port or 80
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.cookie = ""

    def _send(self, method, path, body=None, headers=None):
        headers = {**(headers or {}), **({"Cookie": self.cookie} if self.cookie else {})}
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            # a sync worker closes the connection after each answer: open a new one, as a browser does
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        text = response.read().decode()
        found = COOKIE_RE.search(response.getheader("Set-Cookie", "") or "")
        if found:
            self.cookie = f"csrftoken={found.group(1)}"
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, text

    def get(self, url):
        return self._send("GET", urlparse(url).path)[1]

    def post(self, url, data, referer):
        return self._send(
            "POST", urlparse(url).path, body=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": referer},
        )[0]  # fmt: skip

    def close(self):
        self.conn.close()


class RequestsVisitor:
    """The same visitor through a ``requests`` session (``--client requests``)."""

    def __init__(self, base: str):
        import requests

        self.session = requests.Session()

    def get(self, url):
        return self.session.get(url, timeout=60).text

    def post(self, url, data, referer):
        return self.session.post(
            url, data=data, headers={"Referer": referer}, allow_redirects=False, timeout=120
        ).status_code

    def close(self):
        self.session.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8357")
    ap.add_argument("--event", default="speed-race")
    ap.add_argument("--audience", required=True)
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--client", choices=["http", "requests"], default="http")
    args = ap.parse_args()
    if urlparse(args.base).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("refusing to load a non-loopback host")
    page = f"{args.base.rstrip('/')}/veranstaltungen/{args.event}/"
    run_id = uuid.uuid4().hex[:10]
    visitor_class = HttpVisitor if args.client == "http" else RequestsVisitor
    released = {}
    # the barrier's action runs once, as every client has its page: the CPU the client spends from here on
    barrier = threading.Barrier(args.clients, timeout=120, action=lambda: released.update(cpu=time.process_time()))
    statuses, latencies, lock = {}, [], threading.Lock()

    def client(n: int):
        visitor = visitor_class(args.base)
        try:
            token = CSRF_RE.search(visitor.get(page)).group(1)
        finally:
            barrier.wait()
        started = time.perf_counter()
        status = visitor.post(
            page,
            {"csrfmiddlewaretoken": token, "audience": args.audience, "first_name": "Race",
             "last_name": f"Client {n}", "email": f"race-{run_id}-{n}@example.org", "join_waiting_list": "on"},
            referer=page,
        )  # fmt: skip
        elapsed = time.perf_counter() - started
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(elapsed)
        visitor.close()

    started = time.monotonic()
    with ThreadPoolExecutor(args.clients) as ex:
        list(ex.map(client, range(args.clients)))
    elapsed = time.monotonic() - started
    client_cpu = time.process_time() - released["cpu"]
    out = {"clients": args.clients, "client": args.client, "statuses": statuses, "elapsed_s": round(elapsed, 2),
           "post_p50_ms": round(pct(latencies, 50) * 1000, 1), "post_p99_ms": round(pct(latencies, 99) * 1000, 1),
           "post_max_ms": round(max(latencies) * 1000, 1), "client_cpu_s": round(client_cpu, 3)}  # fmt: skip
    print(f"{args.clients} clients ({args.client}): statuses {statuses}; POST p50 {out['post_p50_ms']} ms, "
          f"p99 {out['post_p99_ms']} ms, max {out['post_max_ms']} ms; client CPU after the barrier "
          f"{client_cpu:.2f} s")  # fmt: skip
    print("JSON " + json.dumps(out))


if __name__ == "__main__":
    main()

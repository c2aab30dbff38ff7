"""Portal benchmark: search and list pages under load, next to the ceiling and bare reference views.

How to run (PostgreSQL 15 on 127.0.0.1, wrk installed; about 3 minutes plus seeding):

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE kw_portal_bench"
    .venv/bin/python benchmarks/portal_bench.py            # migrate, seed 20k/100k, serve, measure
    .venv/bin/python benchmarks/portal_bench.py --duration 5 --connections 16

It migrates the portal (and what it depends on) into ``kw_portal_bench``, seeds it with
``portal_seed.py``, starts gunicorn (2 sync workers, persistent connections) with
``benchmarks.portal_settings`` (the real URLs plus ``/bench/ok`` and the ``/bench/ref/...``
reference views), runs ``wrk -t2 -cN -dDs --latency`` from this second process on
127.0.0.1 against each page, counts each page's queries with Django's test client, and
prints a Markdown table (paste it into ``RESULTS-portal.md``).
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8765

# (label, portal page, reference view doing the same query)
PAGES = [
    ("Suche „Mechatroniker“ (Relevanz)", "/portal/?q=Mechatroniker", "/bench/ref/suche/?q=Mechatroniker"),
    ("Suche „Mechatroniker Borken“", "/portal/?q=Mechatroniker+Borken", "/bench/ref/suche/?q=Mechatroniker+Borken"),
    ("Filter Beruf + Kreis, nach Beginn", "/portal/?beruf=mechatroniker-in&kreis=borken&sortierung=beginn",
     "/bench/ref/suche/?beruf=mechatroniker-in&kreis=borken&sortierung=beginn"),
    ("Suche, Seite 5", "/portal/?q=Industriemechaniker&seite=5", "/bench/ref/suche/?q=Industriemechaniker&seite=5"),
    ("Unternehmensliste", "/portal/unternehmen/", "/bench/ref/unternehmen/"),
    ("Unternehmen „Chemie“ in Münster", "/portal/unternehmen/?q=Chemie&kreis=munster",
     "/bench/ref/unternehmen/?q=Chemie&kreis=munster"),
]  # fmt: skip


def env(database: str) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "benchmarks.portal_settings",
        "KAMMERWERK_INSECURE_DEV_KEY": "1",
        "KAMMERWERK_PLAIN_STATIC": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "CONN_MAX_AGE": "600",
        "PYTHONPATH": str(ROOT),
    }


def wrk(url: str, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50"), "p99": ms("99"), "errors": int(errors.group(1)) if errors else 0}


def query_counts(environment: dict) -> dict:
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\nfrom django.db import connection\n"
        "from django.test.utils import CaptureQueriesContext\n"
        f"pages = {[page for _label, page, _ref in PAGES]!r}\n"
        "client, result = Client(), {}\n"
        "for page in pages:\n"
        "    client.get(page)\n"
        "    with CaptureQueriesContext(connection) as ctx:\n"
        "        response = client.get(page)\n"
        "    result[page] = [len(ctx), response.status_code, response.content.decode().count('class=\"card')]\n"
        "print(json.dumps(result))\n"
    )
    import json

    out = subprocess.run([PY, "-c", script], env=environment, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="kw_portal_bench")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    environment = env(args.database)
    for app in ("portal", "sessions", "axes"):
        subprocess.run([PY, "manage.py", "migrate", app, "-v0"], cwd=ROOT, env=environment, check=True)
    subprocess.run([PY, "benchmarks/portal_seed.py"], cwd=ROOT, env=environment, check=True)
    counts = query_counts(environment)
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{PORT}",
         "--access-logfile", "/dev/null", "--error-logfile", "-", "kammerwerk.wsgi"],
        cwd=ROOT, env=environment, start_new_session=True,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/bench/ok", timeout=1)  # noqa: S310 – our own local server
                break
            except OSError:
                time.sleep(0.2)
        for _label, page, ref in PAGES:  # warm both workers' caches and connections
            for _ in range(4):
                urllib.request.urlopen(base + page).read()  # noqa: S310
                urllib.request.urlopen(base + ref).read()  # noqa: S310
        ceiling = wrk(base + "/bench/ok", args.duration, args.connections)
        rows = []
        for label, page, ref in PAGES:
            rows.append(
                (
                    label,
                    page,
                    wrk(base + page, args.duration, args.connections),
                    wrk(base + ref, args.duration, args.connections),
                )
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    print(
        f"\nwrk -t2 -c{args.connections} -d{args.duration}s --latency; gunicorn {args.workers} sync workers; PostgreSQL\n"
    )
    print(
        f'Ceiling (bare view returning "ok"): {ceiling["rps"]:.0f} req/s, p50 {ceiling["p50"]:.1f} ms, p99 {ceiling["p99"]:.1f} ms\n'
    )
    print("| page | req/s | p50 ms | p99 ms | reference req/s | ref. p99 ms | page/ref | queries | results |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, page, measured, reference in rows:
        queries, status, results = counts[page]
        share = measured["rps"] / reference["rps"] * 100
        errors = f" ({measured['errors']} errors)" if measured["errors"] else ""
        print(
            f"| {label} `{page}` | {measured['rps']:.0f}{errors} | {measured['p50']:.1f} | {measured['p99']:.1f} | "
            f"{reference['rps']:.0f} | {reference['p99']:.1f} | {share:.0f} % | {queries} | {results} |"
        )


if __name__ == "__main__":
    sys.exit(main())

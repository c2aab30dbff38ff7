"""The organisations list through the JSON API beside the staff HTML list of the same rows, at 100,000 rows.

    # on the seeded benchmark database (benchmarks/run_list_bench.sh creates and seeds kw_bench):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kw_bench SECRET_KEY=bench DEBUG=0 ALLOWED_HOSTS=127.0.0.1,testserver \
        .venv/bin/python benchmarks/api_list.py --seconds 10
    # seed first if the database has fewer rows (idempotent):       --seed 100000
    # against a running gunicorn with wrk as well (see run_list_bench.sh for starting one):
    #                                                                --base-url http://127.0.0.1:8765
    # a smoke run (does it work at all? no figures):                  --seconds 1

What it measures, for each page: the HTML list `/kontakte/organisationen/` (session of a staff user) and
`/api/v1/organisations` (a staff token with `contacts:read`): page 1, a page deep in the list (keyset
cursor at row ~90,000; the same cursor format for both), a search, and the API's conditional GET
(`If-None-Match` → 304). In-process through the whole middleware stack (Django's test client, one
thread): requests, p50/p99 ms, queries per request, bytes. With ``--base-url`` also ``wrk -t2 -c16``.

The lead runs benchmarks alone on the machine; write figures into benchmarks/RESULTS-api.md with the
command, date, ``nproc``, and the load average printed here.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import RoleAssignment, User  # noqa: E402
from api.services import token_create  # noqa: E402
from contacts.models import Organisation  # noqa: E402
from contacts.selectors import encode_cursor  # noqa: E402
from core.roles import Role  # noqa: E402

BENCH_EMAIL = "bench-staff@kammerwerk.example"


def prepare(seed: int | None) -> tuple[User, str, str]:
    if seed and Organisation.objects.count() < seed:
        call_command("seed_scale", organisations=seed)
    user, _ = User.objects.get_or_create(email=BENCH_EMAIL, defaults={"full_name": "Benchmark Geschäftsstelle"})
    RoleAssignment.objects.get_or_create(user=user, role=Role.STAFF)
    secret = token_create(user=user, name="Benchmark", scopes=["contacts:read"]).secret
    total = Organisation.objects.count()
    position = min(90_000, max(total - 60, 0))
    row = Organisation.objects.order_by("name", "id").values_list("name", "id")[position] if total else ("", 0)
    return user, secret, encode_cursor(row[0], row[1])


def pages(cursor: str) -> list[tuple[str, str, str]]:
    """(label, kind, path): kind "html" is opened with the session, "api" with the token."""
    return [
        ("HTML list page 1", "html", "/kontakte/organisationen/"),
        ("API list page 1", "api", "/api/v1/organisations?limit=50"),
        ("HTML deep page (row ~90,000)", "html", f"/kontakte/organisationen/?nach={cursor}"),
        ("API deep page (row ~90,000)", "api", f"/api/v1/organisations?limit=50&cursor={cursor}"),
        ("HTML search q=müller", "html", "/kontakte/organisationen/?q=m%C3%BCller"),
        ("API search q=müller", "api", "/api/v1/organisations?q=m%C3%BCller"),
        ("API page 1, If-None-Match (304)", "api304", "/api/v1/organisations?limit=50"),
    ]


def in_process(client: Client, headers: dict, path: str, seconds: float, expect: int) -> dict:
    response = client.get(path, **headers)  # warm-up, and the answer is right before it is timed
    if response.status_code != expect:
        raise SystemExit(f"{path}: HTTP {response.status_code}, expected {expect}")
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path, **headers)
    timings, end = [], time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        client.get(path, **headers)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "requests": len(timings),
        "per_s": len(timings) / seconds,
        "p50": statistics.median(timings),
        "p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        "queries": len(queries),
        "bytes": len(response.content),
    }


def with_wrk(base_url: str, path: str, header: str, seconds: float) -> str:
    command = ["wrk", "-t2", "-c16", f"-d{max(int(seconds), 1)}s", "--latency", "-H", header, base_url + path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=False)  # noqa: S603
    lines = [
        line.strip() for line in result.stdout.splitlines() if "Requests/sec" in line or "50%" in line or "99%" in line
    ]
    return "; ".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10, help="per page (default 10)")
    parser.add_argument("--seed", type=int, default=None, help="seed_scale up to this many organisations first")
    parser.add_argument("--base-url", default="", help="also run wrk against this running server")
    args = parser.parse_args()

    user, secret, cursor = prepare(args.seed)
    session_client = Client()
    session_client.force_login(user, backend="accounts.backends.UserRolesBackend")
    token_headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    etag = Client().get("/api/v1/organisations?limit=50", **token_headers).get("ETag", "")
    load = os.getloadavg()[0]
    print(f"organisations: {Organisation.objects.count():,}; {args.seconds:g} s per page; nproc {os.cpu_count()}; "
          f"load {load:.2f}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")  # fmt: skip
    print()
    print("| page | requests | req/s | p50 ms | p99 ms | queries | bytes |" + (" wrk |" if args.base_url else ""))
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---|" if args.base_url else ""))
    for label, kind, path in pages(cursor):
        if kind == "html":
            client, headers, expect = session_client, {}, 200
            header = f"Cookie: sessionid={session_client.cookies['sessionid'].value}"
        else:
            client, headers, expect = Client(), dict(token_headers), 200
            header = f"Authorization: Bearer {secret}"
            if kind == "api304":
                headers["HTTP_IF_NONE_MATCH"], expect = etag, 304
        row = in_process(client, headers, path, args.seconds, expect)
        wrk = ""
        if args.base_url and shutil.which("wrk"):
            wrk = " " + with_wrk(args.base_url, path, header, args.seconds) + " |"
        print(f"| {label} | {row['requests']} | {row['per_s']:.0f} | {row['p50']:.1f} | {row['p99']:.1f} | "
              f"{row['queries']} | {row['bytes']:,} |{wrk}")  # fmt: skip
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

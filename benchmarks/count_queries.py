"""Count the SQL queries of the staff organisation list, page 1 against deep pages.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings SESSION_KEY=... DEEP_CURSOR=... \
        .venv/bin/python benchmarks/count_queries.py [--sql]

Requests each URL in-process through the full middleware stack (django.test.Client
with the benchmark session cookie) inside ``CaptureQueriesContext`` and prints the
number of queries, the time spent in SQL, and (with --sql) the statements. The
point: the count is the same on page 1 and on page 1,800.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.bench_settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contacts.models import Organisation  # noqa: E402
from contacts.selectors import encode_cursor  # noqa: E402


def deep_cursor(position: int, **filters) -> str:
    name, pk = Organisation.objects.filter(**filters).order_by("name", "id").values_list("name", "id")[position]
    return encode_cursor(name, pk)


def main() -> None:
    show_sql = "--sql" in sys.argv
    client = Client(HTTP_HOST="127.0.0.1")
    client.cookies[settings.SESSION_COOKIE_NAME] = os.environ["SESSION_KEY"]
    if os.environ.get("CSRF_COOKIE"):
        client.cookies[settings.CSRF_COOKIE_NAME] = os.environ["CSRF_COOKIE"]
    deep = os.environ.get("DEEP_CURSOR") or deep_cursor(90_000)
    urls = [
        ("list, page 1", "/kontakte/organisationen/"),
        ("list, page 2", "/kontakte/organisationen/?nach=" + deep_cursor(49)),
        ("list, deep page (~row 90,000)", "/kontakte/organisationen/?nach=" + deep),
        ("search q=müller, page 1", "/kontakte/organisationen/?q=m%C3%BCller"),
        ("filter district+section, page 1", "/kontakte/organisationen/?district=steinfurt&section=C"),
        (
            "filter district+section, deep page",
            "/kontakte/organisationen/?district=steinfurt&section=C&nach="
            + deep_cursor(4_000, district__slug="steinfurt", wz_section="C"),
        ),
        ("list rows only (htmx), deep page", "/kontakte/organisationen/?nach=" + deep),
        ("reference view, page 1", "/bench/referenz/organisationen/"),
        ("reference view, deep page", "/bench/referenz/organisationen/?nach=" + deep),
    ]
    client.get(urls[0][1])  # warm up (first request imports, compiles templates, opens the connection)
    print(f"{'page':40} {'status':>6} {'queries':>7} {'SQL ms':>7} {'total ms':>8}")
    for label, url in urls:
        headers = {"HX-Request": "true"} if "htmx" in label else {}
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            total_ms = (time.perf_counter() - started) * 1000
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        print(f"{label:40} {response.status_code:>6} {len(captured):>7} {sql_ms:>7.1f} {total_ms:>8.1f}")
        if show_sql:
            for query in captured.captured_queries:
                print(f"      {query['time']}s  {query['sql'][:220]}")


if __name__ == "__main__":
    main()

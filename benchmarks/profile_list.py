"""Where the time of one staff-list request goes: CPU per request and a cProfile breakdown.

    DJANGO_SETTINGS_MODULE=benchmarks.bench_settings SESSION_KEY=... CSRF_COOKIE=... DEEP_CURSOR=... \
        .venv/bin/python benchmarks/profile_list.py [--requests 200] [--rounds 3] [--only real-list] [--profile real-list] [--top 40]

Runs the requests in-process through the full middleware stack (django.test.Client,
same settings as the server, DEBUG off) and prints, per page, the CPU time per request
(``time.process_time``, which other processes on a busy machine disturb far less than
wall time), the wall time, and the SQL time. ``--profile NAME`` then profiles that page
with cProfile (exclusive time per package); ``--rounds N`` measures every page N times,
interleaved, and keeps the fastest (the least disturbed by other processes); ``--breakdown NAME`` times the stages of that
page (session, user, roles, filter form, selector, template parts) by wrapping them.
"""

import argparse
import cProfile
import os
import pstats
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

MUELLER = "m%C3%BCller"
ROOT = str(Path(__file__).resolve().parent.parent) + "/"


def pages() -> dict[str, str]:
    deep = os.environ["DEEP_CURSOR"]
    event, newsletter_list = os.environ.get("EVENT_PK", "0"), os.environ.get("LIST_PK", "0")
    return {
        "ceiling": "/bench/ok/",
        "reference-list": "/bench/referenz/organisationen/",
        "real-list": "/kontakte/organisationen/",
        "reference-search": f"/bench/referenz/organisationen/?q={MUELLER}",
        "real-search": f"/kontakte/organisationen/?q={MUELLER}",
        "reference-filter": "/bench/referenz/organisationen/?district=steinfurt&section=C",
        "real-filter": "/kontakte/organisationen/?district=steinfurt&section=C",
        "reference-deep": f"/bench/referenz/organisationen/?nach={deep}",
        "real-deep": f"/kontakte/organisationen/?nach={deep}",
        "reference-people": "/bench/referenz/personen/",
        "real-people": "/kontakte/personen/",
        "reference-people-p3": "/bench/referenz/personen/?seite=3",
        "real-people-p3": "/kontakte/personen/?seite=3",
        "reference-talks": "/bench/referenz/gespraeche/",
        "real-talks": "/beratung/gespraeche/",
        "reference-registrations": f"/bench/referenz/teilnehmende/{event}/",
        "real-registrations": f"/veranstaltungen/verwaltung/{event}/teilnehmende/",
        "reference-subscribers": f"/bench/referenz/abonnenten/{newsletter_list}/",
        "real-subscribers": f"/newsletter/verwaltung/verteiler/{newsletter_list}/abonnenten/",
        "reference-subscribers-p5": f"/bench/referenz/abonnenten/{newsletter_list}/?seite=5",
        "real-subscribers-p5": f"/newsletter/verwaltung/verteiler/{newsletter_list}/abonnenten/?seite=5",
    }


def client() -> Client:
    c = Client(HTTP_HOST="127.0.0.1")
    c.cookies[settings.SESSION_COOKIE_NAME] = os.environ["SESSION_KEY"]
    c.cookies[settings.CSRF_COOKIE_NAME] = os.environ.get("CSRF_COOKIE", "")
    return c


def measure(c: Client, url: str, n: int) -> tuple[float, float, float, int]:
    for _ in range(5):
        c.get(url)
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as captured:
        for _ in range(n):
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)  # noqa: S101
    cpu_ms = (time.process_time() - cpu) * 1000 / n
    wall_ms = (time.perf_counter() - wall) * 1000 / n
    sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000 / n
    return cpu_ms, wall_ms, sql_ms, len(captured) // n


# Stages timed by wrapping the functions (CPU time, inclusive; no profiler overhead).
STAGES = [
    ("session load (1 query)", "django.contrib.sessions.backends.db", "SessionStore", "load"),
    ("request.user with roles (1 query)", "django.contrib.auth", None, "get_user"),
    ("user.has_role (no query: roles came with the user)", "accounts.models", "User", "has_role"),
    ("view: filter form + choices (2 queries)", "contacts.views", None, "_filters_from"),
    ("view: selector organisation_page (1 query)", "contacts.selectors", None, "organisation_page"),
    ("view: render() whole template", "contacts.views", None, "render"),
    ("  context processors", "django.template.context", "RequestContext", "bind_template"),
    ("    navigation (nav_for x2)", "core.navigation", None, "nav_for"),
    ("  form fields rendered (BoundField)", "django.forms.boundfield", "BoundField", "__str__"),
    ("  rows include (_organisation_rows.html)", "django.template.loader_tags", "IncludeNode", "render"),
    ("reference view (query + rows)", "benchmarks.bench_urls", None, "reference_list"),
    ("  reference template render", "django.template.backends.django", "Template", "render"),
    ("all SQL round trips", "django.db.backends.utils", "CursorWrapper", "_execute"),
]


def install_timers() -> dict[str, list[float]]:
    import importlib

    totals: dict[str, list[float]] = {}
    for label, module_name, class_name, attr in STAGES:
        module = importlib.import_module(module_name)
        owner = getattr(module, class_name) if class_name else module
        original = getattr(owner, attr)
        slot = totals.setdefault(label, [0.0, 0])
        depth = [0]

        def timed(*args, __original=original, __slot=slot, __depth=depth, **kwargs):
            if __depth[0]:
                return __original(*args, **kwargs)  # count re-entrant calls once
            __depth[0] += 1
            started = time.process_time()
            try:
                return __original(*args, **kwargs)
            finally:
                __slot[0] += time.process_time() - started
                __slot[1] += 1
                __depth[0] -= 1

        setattr(owner, attr, timed)
    # views imported these names before we wrapped them
    import contacts.views
    from contacts import selectors

    contacts.views.selectors = selectors
    return totals


def breakdown(c: Client, name: str, url: str, n: int, totals: dict[str, list[float]]) -> None:
    for _ in range(5):
        c.get(url)
    for slot in totals.values():
        slot[0], slot[1] = 0.0, 0
    cpu = time.process_time()
    for _ in range(n):
        c.get(url)
    whole = (time.process_time() - cpu) * 1000 / n
    print(f"\n{name}: {url}  — CPU ms per request, {n} requests")
    print(f"  {'whole request (middleware + view + template)':50} {whole:7.2f}")
    for label, (seconds, calls) in totals.items():
        if calls:
            print(f"  {label:50} {seconds * 1000 / n:7.2f}   ({calls / n:g} calls)")


def profile(c: Client, url: str, n: int, top: int) -> None:
    """cProfile, exclusive time summed by package: no double counting of recursive template nodes."""
    for _ in range(5):
        c.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        c.get(url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    groups: dict[str, float] = {}
    for (filename, _, _), value in stats.stats.items():
        key = filename
        if "site-packages/" in filename:
            parts = filename.split("site-packages/")[1].split("/")
            key = "/".join(parts[:2]) if parts[0] == "django" else parts[0]
            if parts[0] == "django" and parts[1] in {"contrib", "db", "utils"}:
                key = "/".join(parts[:3])
        elif filename.startswith(ROOT):
            key = filename[len(ROOT) :]
        elif filename.startswith("~") or filename.startswith("<"):
            key = "builtins/C"
        else:
            key = "stdlib"
        groups[key] = groups.get(key, 0.0) + value[2]
    total = sum(groups.values())
    print(f"\ncProfile of {url}: exclusive time by package, {n} requests (shares; profiler inflates absolutes)")
    for key, seconds in sorted(groups.items(), key=lambda item: -item[1])[: top or 15]:
        print(f"  {key:45} {seconds * 1000 / n:7.2f} ms  {seconds / total:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1, help="measure every page this often, keep the fastest")
    parser.add_argument("--profile", action="append", default=[])
    parser.add_argument("--only", action="append", default=[])
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--breakdown", action="append", default=[])
    args = parser.parse_args()
    c = client()
    print(f"{'page':25} {'CPU ms/req':>10} {'wall ms/req':>11} {'SQL ms/req':>10} {'queries':>7} {'ref/real CPU':>12}")
    cpu_of: dict[str, float] = {}
    chosen = {name: url for name, url in pages().items() if not args.only or name in args.only}
    best: dict[str, tuple[float, float, float, int]] = {}
    for _ in range(args.rounds):  # rounds interleave the pages; the fastest round is the least disturbed one
        for name, url in chosen.items():
            figures = measure(c, url, args.requests)
            if name not in best or figures[0] < best[name][0]:
                best[name] = figures
    for name in chosen:
        cpu_ms, wall_ms, sql_ms, queries = best[name]
        cpu_of[name] = cpu_ms
        reference = cpu_of.get(name.replace("real-", "reference-")) if name.startswith("real-") else None
        # throughput on CPU-bound sync workers goes as 1/CPU: this share is what wrk should roughly show (target 80 %)
        share = f"{reference / cpu_ms:11.0%}" if reference else ""
        print(f"{name:25} {cpu_ms:10.2f} {wall_ms:11.2f} {sql_ms:10.2f} {queries:7} {share:>12}")
    if args.breakdown:
        totals = install_timers()
        for name in args.breakdown:
            breakdown(c, name, pages()[name], args.requests, totals)
    for name in args.profile:
        profile(c, pages()[name], args.requests, args.top)


if __name__ == "__main__":
    main()

"""Where the CPU of a page goes under load: Kammerwerk's processes and PostgreSQL's, with and without
prepared statements (``DATABASE_PREPARE_THRESHOLD``), alternating. Run it alone:

    .venv/bin/python benchmarks/prepared_ab.py [--reps 2] [--duration 8s] [--database kw_speed]

The database is the one ``speed_vs_pretix.py`` uses (``benchmarks/speed_seed.py`` seeds it). For each
setting it starts gunicorn with 2 sync workers, like speed_vs_pretix.py, and for each of its pages runs
``wrk -t2 -c16 --latency``; it reads the CPU time (user + system) of the gunicorn processes and of every
``postgres`` process from ``/proc`` before and after, and prints req/s, p99 and CPU ms per request of
each side. The in-process profile (speed_profile.py) sees only the first; this shows the second, where
PostgreSQL plans every statement again unless it is prepared.
"""

import argparse
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from speed_vs_pretix import ROOT, Server, kammerwerk_env, kammerwerk_pages, load1, wrk  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(match) -> float:
    """CPU seconds (user + system) of every process whose command line ``match`` accepts."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            cmdline = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if match(cmdline):
            total += int(fields[11]) + int(fields[12])
    return total / TICK


def is_postgres(cmdline: str) -> bool:
    return cmdline.startswith("postgres") or "/bin/postgres " in cmdline  # backends rename themselves


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--duration", default="8s")
    ap.add_argument("--warmup", default="2s")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--settle", type=float, default=0.7)
    ap.add_argument("--database", default="kw_speed")
    ap.add_argument("--port", type=int, default=8359)
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    env = kammerwerk_env(args.database, base)
    pages = kammerwerk_pages(env)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    print(f"load now {load1():.2f}")
    print(
        "| rep | prepared | page | req/s | p99 ms | gunicorn CPU ms/req | PostgreSQL CPU ms/req | load before→after |"
    )
    print("|---|---|---|---:|---:|---:|---:|---|")
    for rep in range(1, args.reps + 1):
        for threshold in ("0", "2"):
            argv = [str(ROOT / ".venv/bin/gunicorn"), "kammerwerk.wsgi:application", "--bind",
                    f"127.0.0.1:{args.port}", "--workers", "2", "--worker-class", "sync", "--log-level", "warning"]  # fmt: skip
            with Server(argv, cwd=str(ROOT), env={**env, "DATABASE_PREPARE_THRESHOLD": threshold},
                        log=out / "prepared-ab-gunicorn.log", probe=f"{base}/"):  # fmt: skip
                for label, path in pages:
                    wrk(base + path, args, out / "prepared-ab-warmup.txt", args.warmup, measured=False)
                    app_before = cpu_seconds(lambda c: "gunicorn" in c and f":{args.port}" in c)
                    db_before = cpu_seconds(is_postgres)
                    result = wrk(base + path, args, out / "prepared-ab.txt")
                    app = cpu_seconds(lambda c: "gunicorn" in c and f":{args.port}" in c) - app_before
                    db = cpu_seconds(is_postgres) - db_before
                    requests = int(re.search(r"(\d+) requests in", (out / "prepared-ab.txt").read_text()).group(1))
                    load = "→".join(f"{x:.2f}" for x in result["load"])
                    print(f"| {rep} | {'yes' if threshold != '0' else 'no'} | {label} | {result['rps']:,.0f} | "
                          f"{result['p99']:.0f} | {app * 1000 / requests:.2f} | {db * 1000 / requests:.2f} | {load} |",
                          flush=True)  # fmt: skip


if __name__ == "__main__":
    main()

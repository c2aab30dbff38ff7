"""Issue 18: Kammerwerk beside pretix and a bare Django view, in one run, alternating, on this machine.

    # once: install pretix and leave it seeded (prints "work dir: /tmp/pretix-bench.XXXXXX")
    (cd /tmp && BENCH=0 KEEP=1 VARIANTS=redis bash /work/shared/bench/pretix/setup.sh)
    # then, on a QUIET machine (nothing else running):
    PRETIX_WORK=/tmp/pretix-bench.XXXXXX .venv/bin/python benchmarks/speed_vs_pretix.py
    # a smoke run that only shows the harness works (figures are never written):
    PRETIX_WORK=… .venv/bin/python benchmarks/speed_vs_pretix.py --smoke

Per repetition (``--reps``, default 2), one server at a time, each gunicorn with 2 sync workers:

1. the ceiling: ``../shared/bench/pretix/ceiling_app.py`` (bare Django "ok" view, no middleware);
2. pretix (its ``redis`` configuration from setup.sh, PostgreSQL): the shop page with wrk, then its
   add-to-cart flow (``flow_load.py``; carts emptied first);
3. Kammerwerk (``benchmarks.bench_settings``, DEBUG off, PostgreSQL ``kw_speed``, seeded with the demo
   and ``speed_seed.py``): the event page, the events calendar, the portal search, a portal offer
   page, a CO2 result and the start page with wrk, then the registration flow
   (``speed_flow_load.py``: page, POST, confirmation; registrations of the run removed first), then
   the race: 200 visitors POST at once for an event with 20 seats (``speed_race.py``, bare ``http.client`` visitors); the seats
   and rows are counted in the database, then the first-mail jobs the race queued are run as the worker
   would and the mails counted (exactly 20 seated, one job and one mail per registration).

wrk: ``-t2 -c16 -d10s --latency`` after a 3 s warm-up; before every figure the harness waits until the
1-minute load has fallen to ``--settle`` (0.7), so the load a figure itself makes stays under the gate. Both flow clients run with pretix's Python so
they cost the same. ``/proc/loadavg`` is read before and after every figure; a figure whose 1-minute
load (before or after) is above ``--max-load`` (1.5) is recorded as "not quoted". The table (each
figure beside its target) replaces the section "Speed vs pretix" of benchmarks/RESULTS.md (not in
``--smoke``); raw output goes to var/bench/speed-<stamp>/.
"""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench" / "pretix"
if not SHARED.is_dir():
    SHARED = Path("/work/shared/bench/pretix")
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Speed vs pretix"

PAGES = [  # label, path (Kammerwerk), target note
    ("event page", "/veranstaltungen/speed-bench/"),
    ("events calendar", "/veranstaltungen/"),
    ("portal search", "/portal/?q=Mechatroniker"),
    ("portal offer page", None),  # filled from the database
    ("CO2 result", "/klima/?natural_gas=500000&heating_oil=20000&berechnen=1"),
    ("start page", "/"),
]


def kammerwerk_env(database: str, site_url: str) -> dict:
    """The environment of Kammerwerk's gunicorn in a benchmark: production settings, DEBUG off."""
    env = {
        **os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings", "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "speed-benchmark-only-secret-key-0123456789abcdef"),
        "ALLOWED_HOSTS": "127.0.0.1,testserver", "KAMMERWERK_PLAIN_STATIC": "1", "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING", "SITE_URL": site_url, "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    env.pop("KAMMERWERK_INSECURE_DEV_KEY", None)
    return env


def kammerwerk_pages(env: dict) -> list[tuple[str, str]]:
    """``PAGES`` with the offer page's path filled from the database."""
    offer = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", "import django; django.setup(); from portal.models import Offer; "
         "print(Offer.objects.filter(is_active=True, profile_published=True).order_by('pk').values_list('slug', flat=True).first())"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    return [(label, path or f"/portal/ausbildung/{offer}/") for label, path in PAGES]


def load1() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_up(url: str, proc: subprocess.Popen, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server for {url} died (exit {proc.returncode})")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.2)
    raise SystemExit(f"server for {url} did not come up")


class Server:
    """One gunicorn we start and stop by its own pid."""

    def __init__(self, argv, *, cwd, env, log: Path, probe: str):
        self.argv, self.cwd, self.env, self.log, self.probe = argv, cwd, env, log, probe

    def __enter__(self):
        self.out = open(self.log, "ab")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(self.argv, cwd=self.cwd, env=self.env, stdout=self.out, stderr=subprocess.STDOUT)
        wait_up(self.probe, self.proc)
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


def to_ms(value: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)$", value)
    number, unit = float(m.group(1)), m.group(2)
    return {"us": number / 1000, "ms": number, "s": number * 1000, "m": number * 60000}[unit]


def settle(args) -> None:
    """Wait until the 1-minute load has fallen to ``--settle`` (the previous figure's own load fades), so
    that a figure's load before and after stays under ``--max-load``; gives up after two minutes."""
    deadline = time.monotonic() + 120
    while load1() > args.settle and time.monotonic() < deadline:
        time.sleep(2)


def wrk(url: str, args, out: Path, duration: str | None = None, measured: bool = True) -> dict:
    if measured:
        settle(args)
    before = load1()
    cmd = ["wrk", f"-t{args.wrk_threads}", f"-c{args.connections}", f"-d{duration or args.duration}", "--latency", url]
    text = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    after = load1()
    out.write_text(text)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
    bad = sum(int(x) for x in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", text))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket:
        bad += sum(int(x) for x in socket.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": bad, "load": (before, after)}


def flow(argv: list[str], out: Path, args) -> dict:
    settle(args)
    before = load1()
    text = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    after = load1()
    out.write_text(text)
    data = json.loads(next(line[5:] for line in text.splitlines() if line.startswith("JSON ")))
    return {"rps": data["flows_per_s"], "p50": data["flow"]["p50_ms"], "p99": data["flow"]["p99_ms"],
            "errors": data["flows_failed"], "load": (before, after), "raw": data}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pretix-work", default=os.environ.get("PRETIX_WORK", ""), help="dir printed by setup.sh")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--duration", default="10s", help="wrk duration")
    ap.add_argument("--warmup", default="3s")
    ap.add_argument("--flow-duration", type=float, default=10, help="seconds (10: its own load stays under 1.5)")
    ap.add_argument("--flow-threads", type=int, default=16)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--wrk-threads", type=int, default=2)
    ap.add_argument("--max-load", type=float, default=1.5)
    ap.add_argument("--settle", type=float, default=0.7, help="wait for this 1-min load before each figure")
    ap.add_argument("--race-clients", type=int, default=200)
    ap.add_argument("--database", default=os.environ.get("SPEED_DB", "kw_speed"))
    ap.add_argument("--smoke", action="store_true", help="2 s, 1 repetition, nothing written to RESULTS.md")
    args = ap.parse_args()
    if args.smoke:
        args.reps, args.duration, args.warmup, args.flow_duration = 1, "2s", "1s", 3
    work = Path(args.pretix_work)
    if not (work / "venv" / "bin" / "gunicorn").exists():
        raise SystemExit("set PRETIX_WORK to the dir printed by `BENCH=0 KEEP=1 bash setup.sh`")
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out = ROOT / "var" / "bench" / f"speed-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    vpy = str(work / "venv" / "bin" / "python")
    gunicorn_flags = ["--workers", "2", "--worker-class", "sync", "--log-level", "warning"]
    help_text = subprocess.run([str(work / "venv/bin/gunicorn"), "--help"], capture_output=True, text=True).stdout
    if "--no-control-socket" in help_text:
        gunicorn_flags.append("--no-control-socket")

    ports = {"ceiling": 8356, "pretix": 8355, "kammerwerk": 8357}
    pretix_env = {**os.environ, "PRETIX_CONFIG_FILE": str(work / "pretix-redis.cfg"),
                  "DJANGO_SETTINGS_MODULE": "bench_settings", "PYTHONPATH": str(work)}  # fmt: skip
    kw_env = kammerwerk_env(args.database, f"http://127.0.0.1:{ports['kammerwerk']}")
    kpy = str(ROOT / ".venv" / "bin" / "python")
    seed = subprocess.run([kpy, "benchmarks/speed_seed.py"], cwd=ROOT, env=kw_env, capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    audiences = re.search(r"SPEED_AUDIENCES=(\S+)", seed).group(1)
    race_audience = re.search(r"SPEED_RACE_AUDIENCE=(\S+)", seed).group(1)
    pages = kammerwerk_pages(kw_env)

    figures: list[dict] = []  # {rep, what, system, ...}

    def record(rep, what, system, result):
        result.update(rep=rep, what=what, system=system)
        figures.append(result)
        load = "→".join(f"{x:.2f}" for x in result["load"])
        print(f"  rep {rep} {system:10s} {what:22s} {result['rps']:9.1f}/s  p50 {result['p50']:7.1f} ms  "
              f"p99 {result['p99']:7.1f} ms  errors {result['errors']}  load {load}", flush=True)  # fmt: skip

    print(f"raw output: {out}; load now {load1():.2f}", flush=True)
    for rep in range(1, args.reps + 1):
        # 1. ceiling
        with Server([str(work / "venv/bin/gunicorn"), "ceiling_app:application", "--bind",
                     f"127.0.0.1:{ports['ceiling']}", *gunicorn_flags], cwd=str(SHARED), env=os.environ.copy(),
                    log=out / "gunicorn-ceiling.log", probe=f"http://127.0.0.1:{ports['ceiling']}/"):  # fmt: skip
            url = f"http://127.0.0.1:{ports['ceiling']}/"
            wrk(url, args, out / "warmup.txt", args.warmup, measured=False)
            record(rep, "ok view", "ceiling", wrk(url, args, out / f"ceiling.{rep}.wrk"))
        # 2. pretix
        base = f"http://127.0.0.1:{ports['pretix']}"
        with Server([str(work / "venv/bin/gunicorn"), "pretix.wsgi:application", "--bind",
                     f"127.0.0.1:{ports['pretix']}", *gunicorn_flags], cwd=str(work), env=pretix_env,
                    log=out / "gunicorn-pretix.log", probe=f"{base}/bench/conf/"):  # fmt: skip
            wrk(f"{base}/bench/conf/", args, out / "warmup.txt", args.warmup, measured=False)
            record(rep, "shop page", "pretix", wrk(f"{base}/bench/conf/", args, out / f"pretix.page.{rep}.wrk"))
            subprocess.run([vpy, str(SHARED / "seed.py"), "--reset-carts"], cwd=str(work), env=pretix_env,
                           check=True, capture_output=True)  # fmt: skip
            record(rep, "flow", "pretix", flow(
                [vpy, str(SHARED / "flow_load.py"), "--base", base, "--org", "bench", "--event", "conf", "--item", "1",
                 "--threads", str(args.flow_threads), "--duration", str(args.flow_duration)],
                out / f"pretix.flow.{rep}.txt", args,
            ))  # fmt: skip
        # 3. Kammerwerk
        base = f"http://127.0.0.1:{ports['kammerwerk']}"
        with Server([str(ROOT / ".venv/bin/gunicorn"), "kammerwerk.wsgi:application", "--bind",
                     f"127.0.0.1:{ports['kammerwerk']}", *gunicorn_flags], cwd=str(ROOT), env=kw_env,
                    log=out / "gunicorn-kammerwerk.log", probe=f"{base}/"):  # fmt: skip
            for label, path in pages:
                status = urllib.request.urlopen(base + path, timeout=10).status
                if status != 200:
                    raise SystemExit(f"{label}: HTTP {status} for {path}")
                wrk(base + path, args, out / "warmup.txt", args.warmup, measured=False)
                slug = re.sub(r"\W+", "-", label)
                record(rep, label, "kammerwerk", wrk(base + path, args, out / f"kammerwerk.{slug}.{rep}.wrk"))
            subprocess.run([kpy, "benchmarks/speed_seed.py", "--reset-registrations"], cwd=ROOT, env=kw_env,
                           check=True, capture_output=True)  # fmt: skip
            record(rep, "flow", "kammerwerk", flow(
                [vpy, str(ROOT / "benchmarks" / "speed_flow_load.py"), "--base", base, "--event", "speed-bench",
                 "--audiences", audiences, "--threads", str(args.flow_threads), "--duration", str(args.flow_duration)],
                out / f"kammerwerk.flow.{rep}.txt", args,
            ))  # fmt: skip
            # 200 people at once on an event with 20 seats: latency, and exactly 20 seated
            subprocess.run([kpy, "benchmarks/speed_seed.py", "--reset-registrations"], cwd=ROOT, env=kw_env,
                           check=True, capture_output=True)  # fmt: skip
            settle(args)
            before = load1()
            text = subprocess.run(
                [vpy, str(ROOT / "benchmarks" / "speed_race.py"), "--base", base, "--event", "speed-race",
                 "--audience", race_audience, "--clients", str(args.race_clients)],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
            after = load1()
            (out / f"kammerwerk.race.{rep}.txt").write_text(text)
            race = json.loads(next(line[5:] for line in text.splitlines() if line.startswith("JSON ")))
            counts = subprocess.run([kpy, "benchmarks/speed_seed.py", "--count-race"], cwd=ROOT, env=kw_env,
                                    check=True, capture_output=True, text=True).stdout  # fmt: skip
            seated = int(re.search(r"SPEED_RACE_SEATED=(\d+)", counts).group(1))
            rows = int(re.search(r"SPEED_RACE_ROWS=(\d+)", counts).group(1))
            mails = int(re.search(r"SPEED_RACE_MAILS=(\d+)", counts).group(1))
            jobs = int(re.search(r"SPEED_RACE_JOBS=(\d+)", counts).group(1))
            bad = sum(n for status, n in race["statuses"].items() if str(status) != "302")
            record(rep, "race", "kammerwerk", {
                "rps": args.race_clients / race["elapsed_s"], "p50": race["post_p50_ms"], "p99": race["post_p99_ms"],
                "errors": bad, "load": (before, after), "seated": seated, "rows": rows, "mails": mails, "jobs": jobs,
                "client_cpu": race.get("client_cpu_s"),
            })  # fmt: skip
            print(f"    race: {seated} seated, {rows} registrations, {jobs} mail jobs, {mails} first mails; "
                  f"client CPU after the barrier {race.get('client_cpu_s')} s", flush=True)  # fmt: skip
    (out / "figures.json").write_text(json.dumps(figures, indent=1))
    table = render(figures, args, pages)
    (out / "table.md").write_text(table)
    print()
    print(table)
    if args.smoke:
        print("smoke run: nothing written to RESULTS.md (no figures quoted)")
    else:
        write_section(table)
        print(f"written: {RESULTS.relative_to(ROOT)} section '{SECTION[3:]}'")


def quoted(fig: dict, max_load: float) -> bool:
    return max(fig["load"]) <= max_load and fig["errors"] == 0


def fmt(fig: dict | None, max_load: float, value: str = "rps") -> str:
    if fig is None:
        return "–"
    if not quoted(fig, max_load):
        why = f"load {max(fig['load']):.2f}" if max(fig["load"]) > max_load else f"{fig['errors']} errors"
        return f"not quoted ({why})"
    return f"{fig[value]:,.1f}" if value == "rps" else f"{fig[value]:,.0f}"


def render(figures: list[dict], args, pages) -> str:
    def get(rep, system, what):
        return next((f for f in figures if f["rep"] == rep and f["system"] == system and f["what"] == what), None)

    lines = [
        SECTION,
        "",
        f"`benchmarks/speed_vs_pretix.py` (issue 18), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{os.cpu_count()} cores, Python {sys.version.split()[0]}; gunicorn 2 sync workers each, PostgreSQL; "
        f"wrk -t{args.wrk_threads} -c{args.connections} -d{args.duration} --latency; flows {args.flow_threads} "
        f"threads × {args.flow_duration:g} s; {args.reps} repetitions, alternating. A figure taken at a 1-minute "
        f"load above {args.max_load} (before or after it) is not quoted.",
        "",
        "| rep | work | ceiling req/s | pretix req/s (flows/s) | Kammerwerk req/s (flows/s) | × pretix (target ≥ 10) "
        "| % of ceiling (target ≥ 8) | Kammerwerk p99 ms (target < 100) | met | load 1-min before→after |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    max_load = args.max_load
    for rep in range(1, args.reps + 1):
        ceiling = get(rep, "ceiling", "ok view")
        shop = get(rep, "pretix", "shop page")
        for label, _path in pages:
            kw = get(rep, "kammerwerk", label)
            ok = all(f and quoted(f, max_load) for f in (ceiling, shop, kw))
            ratio = kw["rps"] / shop["rps"] if ok else None
            share = 100 * kw["rps"] / ceiling["rps"] if ok else None
            met = "–" if not ok else ("yes" if ratio >= 10 and share >= 8 and kw["p99"] < 100 else "no")
            loads = " / ".join("→".join(f"{x:.2f}" for x in f["load"]) for f in (ceiling, shop, kw) if f)
            lines.append(
                f"| {rep} | {label} | {fmt(ceiling, max_load)} | {fmt(shop, max_load)} | {fmt(kw, max_load)} | "
                f"{'–' if ratio is None else f'{ratio:.1f}×'} | {'–' if share is None else f'{share:.1f} %'} | "
                f"{fmt(kw, max_load, 'p99')} | {met} | {loads} |"
            )
        pflow, kflow = get(rep, "pretix", "flow"), get(rep, "kammerwerk", "flow")
        ok = all(f and quoted(f, max_load) for f in (pflow, kflow))
        ratio = kflow["rps"] / pflow["rps"] if ok else None
        loads = " / ".join("→".join(f"{x:.2f}" for x in f["load"]) for f in (pflow, kflow) if f)
        lines.append(
            f"| {rep} | registration flow (pretix: add to cart) | – | {fmt(pflow, max_load)} | {fmt(kflow, max_load)} | "
            f"{'–' if ratio is None else f'{ratio:.1f}×'} | – | {fmt(kflow, max_load, 'p99')} (whole flow) | "
            f"{'–' if ratio is None else ('yes' if ratio >= 10 else 'no')} | {loads} |"
        )
    for rep in range(1, args.reps + 1):
        race = get(rep, "kammerwerk", "race")
        if race is None:
            continue
        exact = race["seated"] == 20 and race["rows"] == args.race_clients == race["jobs"] == race["mails"]
        met = "–" if not quoted(race, max_load) else ("yes" if exact and race["p99"] < 1000 else "no")
        loads = "→".join(f"{x:.2f}" for x in race["load"])
        client = "" if race.get("client_cpu") is None else f" (the load client's CPU: {race['client_cpu']:.2f} s)"
        lines.append(
            f"| {rep} | {args.race_clients} clients on 20 seats (POST at once) | – | – | "
            f"{race['seated']} seated, {race['rows']} rows, {race['jobs']} mail jobs, {race['mails']} first mails"
            f"{client} | – | – | {fmt(race, max_load, 'p99')} (POST; target < 1,000, exactly 20 seated) | {met} | {loads} |"
        )
    lines += ["", "Targets: issue 18 (pages ≥ 10× pretix's shop page and ≥ 8 % of the ceiling, p99 < 100 ms; "
              "the flow ≥ 10× pretix's add-to-cart flow). Raw wrk output: var/bench/speed-<stamp>/.", ""]  # fmt: skip
    return "\n".join(lines)


def write_section(table: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    start = text.find(SECTION)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + table
    else:
        end = text.find("\n## ", start + len(SECTION))
        text = text[:start] + table + ("" if end == -1 else text[end + 1 :])
    RESULTS.write_text(text if text.endswith("\n") else text + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env bash
# The staff lists of issue 18, target 3, each beside its bare reference (benchmarks/bench_urls.py), logged in as
# staff, on PostgreSQL: organisations at 100,000 rows (page 1, search, filter, a deep page), people, consultations,
# an event's registrations, a newsletter list's subscribers. Target: each real list >= 80 % of its reference's
# req/s, p99 < 100 ms.
#
#   benchmarks/run_list_bench.sh            # reuse kw_bench if it is seeded, else create + migrate + seed
#   BENCH_FRESH=1 benchmarks/run_list_bench.sh   # drop and re-create kw_bench first (only kw_bench is ever dropped)
#   BENCH_DB=kw_stafflists benchmarks/run_list_bench.sh   # an already seeded database
#
# Knobs (environment): BENCH_DB (kw_bench), BENCH_ORGS (100000), BENCH_WORKERS (2), BENCH_DURATION (10s),
# BENCH_CONNECTIONS (16), BENCH_PORT (8765), BENCH_SETTINGS (benchmarks.bench_settings). Output: a Markdown table on
# stdout (req/s of each real list as % of its reference's, beside the 80 % target) and the raw wrk output under
# var/bench/<timestamp>/. Copy the table into benchmarks/RESULTS.md. The in-process CPU per request of the same
# pages, without load: benchmarks/profile_list.py.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${BENCH_DB:-kw_bench}
ORGS=${BENCH_ORGS:-100000}
WORKERS=${BENCH_WORKERS:-2}
DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
PORT=${BENCH_PORT:-8765}
PY=.venv/bin/python
OUT=var/bench/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$OUT"

export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DJANGO_SETTINGS_MODULE=${BENCH_SETTINGS:-benchmarks.bench_settings}
export SECRET_KEY=${SECRET_KEY:-benchmark-only-secret-key-not-for-production-0123456789}
export DEBUG=0 ALLOWED_HOSTS=127.0.0.1 KAMMERWERK_PLAIN_STATIC=1 CONN_MAX_AGE=600 LOG_LEVEL=WARNING

psql_() { psql -h 127.0.0.1 -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ "${BENCH_FRESH:-0}" == 1 ]]; then
  psql_ -d postgres -c "DROP DATABASE IF EXISTS \"$DB\""
fi
if ! psql_ -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  psql_ -d postgres -c "CREATE DATABASE \"$DB\""
fi
if ! $PY manage.py migrate --no-input -v 0 2>"$OUT/migrate.log"; then
  # another module's migration may be broken while it is being written; the list needs only these apps
  echo "full migrate failed (see $OUT/migrate.log); migrating the apps the list needs" >&2
  for app in contenttypes auth accounts sessions admin axes contacts; do $PY manage.py migrate "$app" --no-input -v 0; done
fi
if [[ "$(psql_ -d "$DB" -c "SELECT count(*) FROM events_event")" == 0 ]]; then
  echo "== seed_demo (people, consultations, events with registrations, newsletter lists with subscribers)" >&2
  $PY manage.py seed_demo >"$OUT/seed_demo.txt"
fi
echo "== seed_scale --organisations $ORGS" >&2
( time $PY manage.py seed_scale --organisations "$ORGS" ) 2>&1 | tr '\r' '\n' | grep -v '^ *[0-9]* / ' | tee "$OUT/seed.txt" >&2
psql_ -d "$DB" -c "VACUUM ANALYZE contacts_organisation" >/dev/null
psql_ -d "$DB" -c "ANALYZE" >/dev/null  # every table, so the planner knows what seed_demo wrote (subscribers, people)

$PY benchmarks/bench_prepare.py > "$OUT/env.sh"
set -a; . "$OUT/env.sh"; set +a
echo "== queries per page" >&2
$PY benchmarks/count_queries.py 2>/dev/null | tee "$OUT/queries.txt" >&2

.venv/bin/gunicorn kammerwerk.wsgi:application --bind 127.0.0.1:$PORT --workers "$WORKERS" \
  --worker-class sync --log-level warning --pid "$OUT/gunicorn.pid" >"$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
trap 'kill $GUNICORN_PID 2>/dev/null; wait $GUNICORN_PID 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -fsS "http://127.0.0.1:$PORT/bench/ok/" >/dev/null 2>&1 && break; sleep 0.2; done

COOKIE="Cookie: sessionid=$SESSION_KEY; csrftoken=$CSRF_COOKIE"
BASE=http://127.0.0.1:$PORT
MUELLER=m%C3%BCller
declare -a RUNS=(
  "a|ceiling: bare view \"ok\"|/bench/ok/"
  "b|reference: list page 1|/bench/referenz/organisationen/"
  "c|real: list page 1|/kontakte/organisationen/"
  "d|reference: search q=müller|/bench/referenz/organisationen/?q=$MUELLER"
  "d|real: search q=müller|/kontakte/organisationen/?q=$MUELLER"
  "e|reference: district+section|/bench/referenz/organisationen/?district=steinfurt&section=C"
  "e|real: district+section|/kontakte/organisationen/?district=steinfurt&section=C"
  "f|reference: deep page (row ~90,000)|/bench/referenz/organisationen/?nach=$DEEP_CURSOR"
  "f|real: deep page (row ~90,000)|/kontakte/organisationen/?nach=$DEEP_CURSOR"
  "g|reference: people page 1|/bench/referenz/personen/"
  "g|real: people page 1|/kontakte/personen/"
  "h|reference: consultations page 1 (newest 50)|/bench/referenz/gespraeche/"
  "h|real: consultations page 1 (newest 50)|/beratung/gespraeche/"
  "i|reference: registrations of event $EVENT_PK|/bench/referenz/teilnehmende/$EVENT_PK/"
  "i|real: registrations of event $EVENT_PK|/veranstaltungen/verwaltung/$EVENT_PK/teilnehmende/"
  "j|reference: subscribers of list $LIST_PK, page 1|/bench/referenz/abonnenten/$LIST_PK/"
  "j|real: subscribers of list $LIST_PK, page 1|/newsletter/verwaltung/verteiler/$LIST_PK/abonnenten/"
)

echo "settings: $DJANGO_SETTINGS_MODULE, gunicorn $WORKERS sync workers, wrk -t2 -c$CONNECTIONS -d$DURATION --timeout 5s --latency, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| | page | req/s | % of reference (target ≥ 80 %) | p50 ms | p99 ms (target < 100) | errors/non-2xx | bytes | load 1 min before→after |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
n=0
reference_rps=0
for run in "${RUNS[@]}"; do
  IFS='|' read -r item label path <<<"$run"
  n=$((n + 1))
  # correctness first: 200 and the expected page (not a login redirect)
  status=$(curl -s -o "$OUT/$n.body" -w '%{http_code}' -H "$COOKIE" "$BASE$path")
  if [[ "$status" != 200 ]]; then echo "$label: HTTP $status for $path" >&2; exit 1; fi
  bytes=$(wc -c <"$OUT/$n.body")
  # let the load of the previous figure pass (at most 90 s), so every figure starts from a quiet machine
  for _ in $(seq 45); do awk '{exit !($1 > 0.7)}' /proc/loadavg || break; sleep 2; done
  load_before=$(cut -d' ' -f1 /proc/loadavg)
  wrk -t2 -c"$CONNECTIONS" -d3s -H "$COOKIE" "$BASE$path" >/dev/null  # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 5s --latency -H "$COOKIE" "$BASE$path" >"$OUT/$n.wrk"
  rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/$n.wrk")
  p50=$(awk '$1 == "50%" {print $2}' "$OUT/$n.wrk")
  p99=$(awk '$1 == "99%" {print $2}' "$OUT/$n.wrk")
  bad=$(awk '/Non-2xx/ {s += $NF} /Socket errors/ {gsub(",", ""); s += $4 + $6 + $8 + $10} END {print s + 0}' "$OUT/$n.wrk")
  to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.1f", v / 1000; else if (v ~ /ms$/) printf "%.1f", v + 0; else printf "%.0f", v * 1000 }'; }
  load="$load_before→$(cut -d' ' -f1 /proc/loadavg)"  # a figure above 1.5 (before or after) is not quoted
  share=""
  case "$label" in
    reference:*) reference_rps=$rps ;;
    real:*) share=$(awk -v r="$rps" -v ref="$reference_rps" 'BEGIN { if (ref > 0) { p = 100 * r / ref; printf "%.0f %% %s", p, (p >= 80 ? "✓" : "✗") } }') ;;
  esac
  p99_ms=$(to_ms "$p99")
  p99_mark=$(awk -v v="$p99_ms" 'BEGIN { print (v < 100 ? "✓" : "✗") }')
  printf '| %s | %s | %.0f | %s | %s | %s %s | %s | %s | %s |\n' "$item" "$label" "$rps" "$share" "$(to_ms "$p50")" "$p99_ms" "$p99_mark" "$bad" "$bytes" "$load"
done
echo >&2 "raw output: $OUT"

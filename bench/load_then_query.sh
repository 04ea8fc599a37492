#!/usr/bin/env bash
# Loads an NDJSON data set into a fresh vitals over HTTP, then times dashboards that the rollups
# answer alone and dashboards that read raw events from SQLite (minute granularity on days older
# than storage.minute_rollup_horizon). Prints the loader's table, vitals' CPU for the load, and
# five timings per query, then the hourly envelope's p50 and p95 over 200 requests. Used to weigh
# a change of the events table against ingest, and the envelope's writing over HTTP.
#
#   bench/load_then_query.sh [VITALS_BINARY] DATASET.ndjson
#
# The data set is vitals-dataset's (bench/README.md, "Against PostgreSQL and SQLite"), e.g.
#   build/bench/vitals-dataset --events 10000000 --end 2026-12-04 --format ndjson > events.ndjson
# whose 30 days end the day before --end: the windows below are chosen for --end 2026-12-04.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
if [[ $# -ge 2 ]]; then vitals=$1; shift; else vitals=$build/exporter/vitals; fi
dataset=$1

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{
  printf '[server]\nlisten = "127.0.0.1:%s"\nmax_body_bytes = 16777216\n\n' "$port"
  # A short prune interval: its pass also drops the minute buckets past the horizon.
  printf '[storage]\npath = "%s/vitals.db"\nretention = "35d"\nprune_interval = "10s"\n\n' "$work"
  for i in $(seq 0 19); do printf '[[tenants]]\nslug = "tenant-%s"\nname = "Tenant %s"\n\n' "$i" "$i"; done
  printf '[[tokens]]\ntoken = "bench-ingest"\nrole = "ingest"\ntenants = ["*"]\n\n'
  printf '[[tokens]]\ntoken = "bench-read"\nrole = "admin"\ntenants = ["*"]\nuser = "u_bench"\n'
} >"$work/vitals.toml"

"$vitals" serve --config "$work/vitals.toml" >/dev/null 2>"$work/vitals.log" &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
url=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$url/-/ready" >/dev/null && break; sleep 0.1; done

"$build"/bench/vitals-load --url "$url" --token bench-ingest --connections 4 --batch 1000 \
  --duration 86400 --file "$dataset"
echo "vitals' CPU for the load: $(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' /proc/$pid/stat) s"
sleep 12  # one prune pass

for query in "granularity=minute&start_date=2026-11-10&end_date=2026-11-16" \
             "granularity=minute&start_date=2026-11-10&end_date=2026-11-10" \
             "granularity=hour&start_date=2026-11-04&end_date=2026-12-03"; do
  times=""
  for _ in 1 2 3 4 5; do
    times+=" $(curl -s -o /dev/null -w '%{time_total}' -H 'Authorization: Bearer bench-read' \
      "$url/v1/analytics/integrations/dashboard?slug=tenant-3&$query")"
  done
  echo "$query:$times s"
done

# The hourly envelope 200 more times, as a browser and as bench/compare ask for it: p50 and p95
# on one keep-alive connection, and on a new connection per request.
python3 - "$url/v1/analytics/integrations/dashboard?slug=tenant-3&granularity=hour&start_date=2026-11-04&end_date=2026-12-03" <<'PY'
import http.client, statistics, sys, time, urllib.parse, urllib.request
url, auth = sys.argv[1], {"Authorization": "Bearer bench-read"}
parts = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(parts.hostname, parts.port)
def keep_alive():
    conn.request("GET", parts.path + "?" + parts.query, headers=auth)
    return conn.getresponse().read()
def new_connection():
    with urllib.request.urlopen(urllib.request.Request(url, headers=auth), timeout=60) as r:
        return r.read()
for name, fetch in (("keep-alive", keep_alive), ("new connection", new_connection)):
    times = []
    for _ in range(200):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    print(f"hourly envelope, {name}: p50 {statistics.median(times):.2f} ms, p95 {times[189]:.2f} ms")
PY

#!/usr/bin/env bash
# Sets up, builds and runs vitals on examples/vitals.toml (embedded SQLite store in ./data) and
# feeds it example traffic: two days of history first, then a live trickle, so that /metrics and
# the APIs show data at once. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target vitals vitals-traffic

./build/exporter/vitals serve --config examples/vitals.toml &
vitals_pid=$!
traffic_pid=""
stop() {
  [ -n "$traffic_pid" ] && kill "$traffic_pid" 2>/dev/null || true
  kill "$vitals_pid" 2>/dev/null || true
  wait "$vitals_pid" 2>/dev/null || true
}
trap stop EXIT INT TERM

for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:9470/-/ready >/dev/null 2>&1 && break
  sleep 0.1
done

./build/examples/traffic/vitals-traffic --url http://127.0.0.1:9470 --token dev-ingest-token \
  --tenants acme,globex --backfill-hours 48 --rate 20 &
traffic_pid=$!

cat <<MSG

vitals is running on http://127.0.0.1:9470 with example traffic. Try:
  curl -s http://127.0.0.1:9470/metrics | grep vitals_integration_events_total
  curl -s -H 'Authorization: Bearer dev-viewer-token' http://127.0.0.1:9470/spaces/acme/integration-health
Ctrl-C stops vitals and the traffic generator.

MSG
wait "$vitals_pid"

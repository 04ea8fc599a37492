#!/usr/bin/env bash
# The sustained mixed load of tests/integration/mixed_load_test.cc, run longer: two clients
# ingest and four read every API and /metrics at full speed; prints each endpoint's p50/p99/max
# latency and vitals' resident memory, and fails on any error or a growing RSS.
#
#   bench/mixed_load.sh [SECONDS] [--valgrind]
#
# SECONDS defaults to 300. --valgrind runs vitals under valgrind's memcheck (leak check at exit:
# a definite leak or any memory error fails the run); expect it to be some 20-50x slower.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
build=${BUILD_DIR:-build}
if [[ "${2:-}" == "--valgrind" ]]; then
  export VITALS_WRAPPER="valgrind --quiet --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99"
fi
cmake --build "$build" -j2 --target vitals vitals_integration_tests >/dev/null
VITALS_LOAD_SECONDS=$seconds "$build"/tests/integration/vitals_integration_tests \
  --gtest_filter='MixedLoad.*'

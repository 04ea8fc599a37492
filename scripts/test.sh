#!/usr/bin/env bash
# Sets up, builds and runs every test: the regular build, then the whole suite again built with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer (the vitals binary the integration tests
# start is the sanitized one too). The sanitized build also holds the libFuzzer targets in fuzz/,
# which its CTest run fuzzes for VITALS_FUZZ_SECONDS each (docs/reliability-hostile-input.md).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
jobs=$(nproc)

run_suite() {
  local dir=$1 type=$2
  shift 2
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" "$@" >/dev/null
  cmake --build "$dir" -j"$jobs"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" --timeout 600 || {
    # A fuzzer's report scrolls far up a CI log; repeat it last, where a shortened log keeps it.
    cat "$dir"/fuzz/runs/*/failure 2>/dev/null || true
    return 1
  }
}

echo "== regular build =="
run_suite build RelWithDebInfo

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build (clang), with the fuzzers =="
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Each fuzzer runs 10 s here (its corpus first); run them longer by hand (docs/reliability-hostile-input.md).
# The benchmarks are built (and so kept compiling) by the regular build only.
run_suite build-asan Debug -DCMAKE_CXX_COMPILER=clang++-14 -DVITALS_FUZZ=ON \
  -DVITALS_FUZZ_SECONDS=10 -DVITALS_BUILD_BENCHMARKS=OFF

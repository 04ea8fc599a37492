#!/bin/sh
# Fuzzes one target for a bounded time, starting from a copy of its seed corpus so that the
# repository's corpus only changes by hand. Exits non-zero (libFuzzer's status) on any crash,
# sanitizer report, leak, slow input or memory blow-up; the input is kept in WORK_DIR/artifacts.
# Usage: run_fuzz_target.sh FUZZER CORPUS_DIR WORK_DIR SECONDS
set -eu
fuzzer=$1 corpus=$2 work=$3 seconds=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$corpus"/* "$work/corpus/"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"

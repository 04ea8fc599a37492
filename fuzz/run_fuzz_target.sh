#!/bin/sh
# Fuzzes one target for a bounded time, starting from a copy of its seed corpus so that the
# repository's corpus only changes by hand. Exits non-zero (libFuzzer's status) on any crash,
# sanitizer report, leak, slow input or memory blow-up; the input is kept in WORK_DIR/artifacts.
# libFuzzer's output goes to WORK_DIR/log; on a failure the report and the input (base64) are
# printed and also written to WORK_DIR/failure, which scripts/test.sh repeats at the end of a
# CI log, where a truncated log still shows it.
# Usage: run_fuzz_target.sh FUZZER CORPUS_DIR WORK_DIR SECONDS
set -u
fuzzer=$1 corpus=$2 work=$3 seconds=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts" || exit 1
cp "$corpus"/* "$work/corpus/" || exit 1
# -timeout is per input: far above any input's real cost (milliseconds), so that only a hang
# fails, not a host that stalls the process for a few seconds.
"$fuzzer" -max_total_time="$seconds" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1
status=$?
if [ "$status" -ne 0 ]; then
  {
    echo "fuzz: $(basename "$fuzzer") exited with $status (a run of at most $seconds s); its report:"
    grep -m1 'Seed:' "$work/log"
    grep -n -m1 -A60 -E 'ERROR|ALARM|invariant failed|out-of-memory|deadly signal|runtime error' \
      "$work/log" || tail -n 60 "$work/log"
    for input in "$work"/artifacts/*; do
      [ -f "$input" ] || continue
      echo "input $(basename "$input") ($(wc -c <"$input") bytes), base64:"
      base64 "$input" | head -c 8000
      echo
    done
  } | tee "$work/failure"
fi
exit "$status"

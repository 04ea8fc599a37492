#!/usr/bin/env bash
# Exports the shipped rule packs as Prometheus rules with the real binary; checks that
# examples/vitals-rules.yml is that export; then has promtool check the rules and run
# tests/prometheus/exported_rules_test.yml against them.
#   check_exported_rules.sh VITALS_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
vitals=$(realpath "$1") work=$(realpath -m "$3")
cd "$2"
mkdir -p "$work"
"$vitals" rules export --format prometheus rules/*.toml > "$work/vitals-rules.yml"
if ! diff -u examples/vitals-rules.yml "$work/vitals-rules.yml"; then
  echo "examples/vitals-rules.yml is not what the rules export to; regenerate it with" >&2
  echo "  vitals rules export --format prometheus rules/*.toml > examples/vitals-rules.yml" >&2
  exit 1
fi
cp tests/prometheus/exported_rules_test.yml "$work/"
promtool check rules "$work/vitals-rules.yml"
promtool check config examples/prometheus.yml
promtool test rules "$work/exported_rules_test.yml"

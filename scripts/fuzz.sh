#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz preset, clang) and runs each over its seed corpus.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [RUNS_PER_TARGET]
# Stops at the first crash (exit 1) and prints executions per target. Defaults: 10 s each.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
runs=${2:--1}
build_log=$(mktemp)
if ! bash scripts/build.sh fuzz >"$build_log" 2>&1; then
  grep -Ev '^\[[0-9]+/[0-9]+\] ' "$build_log" | tail -n 100
  echo "fuzz: build failed"
  exit 1
fi
rm -f "$build_log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total=0
for target in build/fuzz/fuzz/fuzz_*; do
  name=$(basename "$target"); name=${name#fuzz_}
  mkdir -p "$work/$name"
  seeds=fuzz/corpus/$name
  [ -d "$seeds" ] || seeds=""
  log="$work/$name.log"
  if ! "$target" -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 \
      -artifact_prefix="$work/$name-" "$work/$name" $seeds >"$log" 2>&1; then
    echo "fuzz: $name FAILED"; tail -n 40 "$log"
    mkdir -p build/fuzz-artifacts && cp "$work/$name"-* build/fuzz-artifacts/ 2>/dev/null || true
    exit 1
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  total=$((total + 1))
  printf 'fuzz: %-28s %12s executions, 0 crashes\n' "$name" "$execs"
done
echo "fuzz: $total targets passed"

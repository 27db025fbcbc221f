#!/usr/bin/env bash
# Builds the optimised preset and runs the benchmarks, printing their figures.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh default >/dev/null
for b in build/default/bench/*_bench_*; do
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.5
done
echo "== matching_workload_bench (whole exposure match process vs the deployed-algorithm baseline)"
build/default/bench/matching_workload_bench

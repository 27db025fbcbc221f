#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz preset: clang, ASan + UBSan, only the fuzz targets and
# the code they link) and runs each over its seed corpus fuzz/corpus/<name>.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [RUNS_PER_TARGET] [NAME...]
# Each run stops after SECONDS or RUNS executions, whichever comes first (RUNS -1: no
# limit). NAMEs (e.g. export_bin) pick targets; default all. FUZZ_JOBS=N runs N targets at a
# time (default 1). Prints executions and exec/s per target; exits 1 on the first crash,
# leak, timeout or sanitizer report, keeping the input in build/fuzz-artifacts/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
runs=${2:--1}
shift $(($# < 2 ? $# : 2))
parallel=${FUZZ_JOBS:-1}
build_log=$(mktemp)
if ! bash scripts/build.sh fuzz >"$build_log" 2>&1; then
  grep -Ev '^\[[0-9]+/[0-9]+\] ' "$build_log" | tail -n 100
  echo "fuzz: build failed"
  exit 1
fi
rm -f "$build_log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

targets=()
if (($#)); then
  for name in "$@"; do targets+=("build/fuzz/fuzz/fuzz_$name"); done
else
  targets=(build/fuzz/fuzz/fuzz_*)
fi

# Runs one target; its log goes to $work/NAME.log and its exit code to $work/NAME.rc.
run_target() {
  local target=$1 name seeds
  name=$(basename "$target"); name=${name#fuzz_}
  mkdir -p "$work/$name"
  seeds=fuzz/corpus/$name
  [ -d "$seeds" ] || seeds=""
  local rc=0
  "$target" -max_total_time="$seconds" -runs="$runs" -timeout=25 -print_final_stats=1 \
    -artifact_prefix="$work/$name-" "$work/$name" $seeds >"$work/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$work/$name.rc"
}

for target in "${targets[@]}"; do
  [ -x "$target" ] || { echo "fuzz: no target $target"; exit 1; }
  while (($(jobs -rp | wc -l) >= parallel)); do wait -n || true; done
  run_target "$target" &
done
wait

failed=0
for target in "${targets[@]}"; do
  name=$(basename "$target"); name=${name#fuzz_}
  log="$work/$name.log"
  if [ "$(cat "$work/$name.rc")" != 0 ]; then
    echo "fuzz: $name FAILED"; tail -n 40 "$log"
    mkdir -p build/fuzz-artifacts && cp "$work/$name"-* build/fuzz-artifacts/ 2>/dev/null || true
    failed=1
    continue
  fi
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  printf 'fuzz: %-26s %10s executions %7s exec/s, 0 crashes\n' "$name" "$execs" "$rate"
done
((failed == 0)) || exit 1
echo "fuzz: ${#targets[@]} targets passed"

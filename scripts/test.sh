#!/usr/bin/env bash
# Builds and runs every test: first under ASan + UBSan (the "asan" preset), then the
# optimised build ("default"); the PostgreSQL variants start a throwaway cluster on a
# loopback port. Then tests the installable packages from the default build
# (scripts/test-packages.sh) and the examples built against them (scripts/test-examples.sh),
# the arm64 cross build's tests under qemu (scripts/test-arm64.sh),
# and runs each libFuzzer target for a few seconds ("fuzz" preset).
# Installs what it needs on Debian 12 (run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in asan default; do
  echo "== building preset $preset"
  log=$(mktemp)
  if ! bash scripts/build.sh "$preset" >"$log" 2>&1; then
    grep -Ev '^\[[0-9]+/[0-9]+\] ' "$log" | tail -n 200
    echo "== build of preset $preset failed"
    exit 1
  fi
  rm -f "$log"
  echo "== testing preset $preset"
  ctest --preset "$preset" -j2
done
bash scripts/test-packages.sh
bash scripts/test-examples.sh
bash scripts/test-arm64.sh
echo "== fuzzing (fuzz preset, 5 s per target)"
FUZZ_JOBS=2 bash scripts/fuzz.sh 5

#!/usr/bin/env bash
# Builds and runs every test: first under ASan + UBSan (the "asan" preset), then the
# optimised build ("default"). Installs what it needs on Debian 12 (run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
for preset in asan default; do
  echo "== building preset $preset"
  bash scripts/build.sh "$preset" -- -k 0 | grep -Ev '^\[[0-9]+/[0-9]+\] ' || true
  test "${PIPESTATUS[0]}" -eq 0
  echo "== testing preset $preset"
  ctest --preset "$preset" -j2
done

#!/usr/bin/env bash
# Crash test of exposure-server on loopback: under upload load, kill -9 at random moments,
# restart, and check that every acknowledged upload is stored and exported exactly once and
# that no partial or unsigned export file is ever visible. Prints one line per round and the
# tally; exit 0 when nothing was lost.
#   scripts/crash-test.sh [ROUNDS (50)] [more server_crash flags, e.g. --seed 7]
# BUILD_DIR (build/default) names the build tree; it is configured and built when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/default}
rounds=${1:-50}
shift || true
if [ "$BUILD_DIR" = build/default ]; then bash scripts/build.sh default >/dev/null; fi
cmake --build "$BUILD_DIR" --target server_crash_openssl >/dev/null
exec "$BUILD_DIR/bench/server_crash_openssl" --rounds "$rounds" "$@"

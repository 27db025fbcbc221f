#!/usr/bin/env bash
# Soak test of exposure-server on loopback: verified uploads (14 keys each) at a fixed rate
# for a fixed time, with the server's resident set size sampled every second (printed every
# 10 s) and its growth after warm-up reported at the end.
#   scripts/soak.sh [RATE uploads/s (300)] [SECONDS (600)] [more server_bench flags]
# BUILD_DIR (build/default) names the build tree; it is configured and built when needed.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/default}
rate=${1:-300}
seconds=${2:-600}
shift 2 || shift $# || true
if [ "$BUILD_DIR" = build/default ]; then bash scripts/build.sh default >/dev/null; fi
cmake --build "$BUILD_DIR" --target server_bench_openssl >/dev/null
exec "$BUILD_DIR/bench/server_bench_openssl" --rate "$rate" --duration "$seconds" --rss --clients 16 \
  --export-keys 0 "$@"

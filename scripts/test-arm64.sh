#!/usr/bin/env bash
# Cross-builds the library, its C ABI, the CLI and the library's tests for aarch64-linux-gnu
# (the "arm64" preset) through ccache and runs them with ctest under qemu-aarch64. Installs
# the cross toolchain, the arm64 -dev packages and qemu-user first (run as root on Debian 12).
# See docs/install.md, "Building the library for a phone".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-cross-deps.sh
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
echo "== building preset arm64 (cross, aarch64-linux-gnu)"
log=$(mktemp)
if ! { cmake --preset arm64 -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache &&
       cmake --build --preset arm64; } >"$log" 2>&1; then
  grep -Ev '^\[[0-9]+/[0-9]+\] ' "$log" | tail -n 200
  echo "== build of preset arm64 failed"
  exit 1
fi
rm -f "$log"
echo "== testing preset arm64 under qemu-aarch64"
ctest --preset arm64 -j2

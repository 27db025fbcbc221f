#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"), installing Debian packages first.
# Compiles through ccache (installed by install-deps.sh): the cache (~/.cache/ccache) is keyed
# on paths relative to the checkout, so a second clone on the same machine reuses it.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
shift || true
bash scripts/install-deps.sh
launcher=()
if command -v ccache >/dev/null; then
  export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake --preset "$preset" "${launcher[@]}" >/dev/null
cmake --build --preset "$preset" "$@"

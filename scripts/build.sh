#!/usr/bin/env bash
# Configures and builds one CMake preset (default: "default"), installing Debian packages first.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-default}
shift || true
bash scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" "$@"

#!/usr/bin/env bash
# Builds and runs every example of examples/ against the INSTALLED packages, outside the
# source tree, and fails when one fails:
#   app-cpp           configured with find_package(exposure) on a temporary `cmake --install`
#                     prefix, built, run against a local exposure-server (run-local-server.sh);
#                     checked with ldd to load only OpenSSL 3's libcrypto
#   app-python        round.py in a fresh virtual environment holding the installed wheel
#   health-authority  walkthrough.sh (config file, code, upload, signed file, exposure doctor);
#                     nginx.conf syntax-checked with `nginx -t`
#   research          plot_simulation.py (Debian's python3-matplotlib) on a small city; the
#                     three PNG files must exist
# The server, the `exposure` CLI and the simulator come from the default build (they are
# programs, not packages). Expects scripts/build.sh default; reuses that build and ccache.
# Prints how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD
build_dir=${EXPOSURE_BUILD_DIR:-$source_dir/build/default}
bin=$build_dir/bin
started=$(date +%s)
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  echo "test-examples: no build in $build_dir; run scripts/build.sh default first" >&2
  exit 1
fi
work=$(mktemp -d /tmp/exposure-examples.XXXXXX)
server_dir=$work/server
trap 'bash "$source_dir/examples/run-local-server.sh" "$server_dir" stop 2>/dev/null || true; rm -rf "$work"' EXIT
export CCACHE_BASEDIR=$work CCACHE_NOHASHDIR=true
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
source scripts/install-packages.sh
step() { echo "== examples: $*"; }
cmake --build "$build_dir" --target exposure_server exposure_cli exposure_doctor exposure_simulate >/dev/null
export EXPOSURE_SERVER=$bin/exposure-server EXPOSURE_CLI=$bin/exposure EXPOSURE_SIMULATE=$bin/exposure-simulate

step "install the C/C++ packages and the Python wheel"
install_cpp_packages "$work/prefix"
install_python_package "$work/venv"

# A fresh local server per app example, so each round starts from an empty server.
with_local_server() {
  local assignments
  rm -rf "$server_dir"
  assignments=$(bash "$source_dir/examples/run-local-server.sh" "$server_dir" start)
  eval "$assignments"
  "$@" --url "$EXPOSURE_URL" --api-key "$EXPOSURE_API_KEY" --public-key "$EXPOSURE_PUBLIC_KEY" \
    --control "$EXPOSURE_CONTROL"
  bash "$source_dir/examples/run-local-server.sh" "$server_dir" stop
}

step "app-cpp: find_package(exposure) build, two-phone round"
cp -r examples/app-cpp "$work/app-cpp"
cmake -S "$work/app-cpp" -B "$work/app-cpp-build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" "${launcher[@]}" >/dev/null
cmake --build "$work/app-cpp-build" >/dev/null
if ldd "$work/app-cpp-build/round" | grep -q 'android/libcrypto'; then
  echo "app-cpp: round loads BoringSSL next to OpenSSL 3" >&2
  exit 1
fi
with_local_server "$work/app-cpp-build/round"

step "app-python: two-phone round with the installed wheel"
cp examples/app-python/round.py "$work/round.py"
(cd "$work" && PYTHONDONTWRITEBYTECODE=1 with_local_server "$work/venv/bin/python" round.py)

step "health-authority: walkthrough, nginx -t"
bash examples/health-authority/walkthrough.sh "$work/ha"
# nginx -t on the site file inside a minimal main config, with a throwaway certificate.
mkdir -p "$work/nginx/cache"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=keys.example.org -days 1 \
  -keyout "$work/nginx/privkey.pem" -out "$work/nginx/fullchain.pem" 2>/dev/null
sed -e "s|/etc/letsencrypt/live/keys.example.org|$work/nginx|" -e "s|/var/cache/nginx/exposure|$work/nginx/cache|" \
  examples/health-authority/nginx.conf >"$work/nginx/site.conf"
cat >"$work/nginx/nginx.conf" <<EOF
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events {}
http { access_log off; include $work/nginx/site.conf; }
EOF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"

step "research: simulator report plotted with matplotlib"
/usr/bin/python3 examples/research/plot_simulation.py --devices 60 --days 3 --out "$work/research"
for plot in notifications precision-recall contacts; do
  [ -s "$work/research/$plot.png" ] || { echo "research: $plot.png missing" >&2; exit 1; }
done

echo "== examples: all passed in $(($(date +%s) - started)) s"

#!/usr/bin/env bash
# Download serving: requests/s for one export file from exposure-server beside nginx serving
# the same file from the same directory, both measured with wrk in the same run, loopback only.
# The file is a real signed export (KEYS keys, padded like a production hourly batch) made by
# server_bench's export step. nginx runs in the foreground from a generated config in a
# temporary directory and is stopped at the end.
#   scripts/serve-bench.sh [SECONDS per run (10)] [CONNECTIONS (32)]
# BUILD_DIR (build/default) names the build tree; KEYS (1100) the key count of the file.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build/default}
seconds=${1:-10}
connections=${2:-32}
keys=${KEYS:-1100}
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "serve-bench: $tool is not installed (scripts/install-deps.sh)" >&2; exit 1; }
done
if [ "$BUILD_DIR" = build/default ]; then bash scripts/build.sh default >/dev/null; fi
cmake --build "$BUILD_DIR" --target server_bench_openssl exposure_server >/dev/null

work=$(mktemp -d /tmp/exposure-serve-bench-XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$BUILD_DIR/bench/server_bench_openssl" --uploads 0 --export-keys "$keys" --workdir "$work/data" >/dev/null 2>&1
file=$(cd "$work/data/exports" && ls JP/*.zip | head -n 1)
echo "file: $file ($(stat -c %s "$work/data/exports/$file") bytes, $keys keys)"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# exposure-server, serving only (one worker thread per open connection).
mkfifo "$work/server.out"
"$BUILD_DIR/bin/exposure-server" serve --listen 127.0.0.1:0 --no-export-worker --threads $((connections + 8)) \
  --db "sqlite:$work/serve.db" --secret-file "$work/secret" --export-root "$work/data/exports" \
  >"$work/server.out" 2>"$work/server.log" &
pids+=($!)
read -r line <"$work/server.out"
server_port=${line##*:}

# nginx, one worker per core, from a generated config.
nginx_port=$(free_port)
mkdir -p "$work/nginx"
{
  [ "$(id -u)" -eq 0 ] && echo "user root;"
  cat <<CONF
daemon off;
worker_processes auto;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  open_file_cache max=64;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { application/zip zip; }
  server {
    listen 127.0.0.1:$nginx_port;
    location /exports/ { alias $work/data/exports/; etag on; }
  }
}
CONF
} >"$work/nginx/nginx.conf"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" &
pids+=($!)
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/exports/$file" && break
  sleep 0.1
done
curl -sf -o /dev/null "http://127.0.0.1:$server_port/exports/$file"

rate() {  # wrk's Requests/sec for URL (its transfer rate and any errors go to stderr)
  wrk -t2 -c"$connections" -d"${seconds}s" "$1" |
    awk '/Requests\/sec/ {print $2} /Transfer|Non-2xx|Socket errors/ {print "  " $0 > "/dev/stderr"}'
}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
ours=$(rate "http://127.0.0.1:$server_port/exports/$file")
theirs=$(rate "http://127.0.0.1:$nginx_port/exports/$file")
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "exposure-server: $ours requests/s"
echo "nginx:           $theirs requests/s"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio: %.2f x nginx (goal >= 0.5)\n", a / b }'

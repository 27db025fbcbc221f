#!/usr/bin/env bash
# A local exposure-server for the app examples, in its own directory, on a clock the examples
# move (the server's testing-only --fake-clock-file: on a real server an upload reaches a
# signed file about two hours after the end of its hour, see docs/server.md "Embargo").
#
#   run-local-server.sh DIR start [UNIX]   sets up a server in DIR (SQLite, secret, export tree):
#                                          a health authority, the app com.example.app for region
#                                          JP, export signing key 440-v1; starts `serve` on
#                                          127.0.0.1 (a free port) with the clock at UNIX (default
#                                          2026-03-10T00:00Z) and prints, as shell assignments,
#                                          EXPOSURE_URL, EXPOSURE_API_KEY, EXPOSURE_PUBLIC_KEY
#                                          (ID-VERSION=base64) and EXPOSURE_CONTROL (this script
#                                          with DIR, for the two commands below)
#   run-local-server.sh DIR clock UNIX     sets the server's clock
#   run-local-server.sh DIR export UNIX    sets the clock and runs one export pass (export --once)
#   run-local-server.sh DIR stop           stops the server started in DIR
#
# The server binary: $EXPOSURE_SERVER, else exposure-server on PATH, else the default build's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(realpath -m "${1:?usage: run-local-server.sh DIR start [UNIX] | clock UNIX | export UNIX | stop}")
command=${2:?usage: run-local-server.sh DIR start [UNIX] | clock UNIX | export UNIX | stop}
server=${EXPOSURE_SERVER:-$(command -v exposure-server || echo "$here/../build/default/bin/exposure-server")}
if [ ! -x "$server" ]; then
  echo "run-local-server: no exposure-server at $server (set EXPOSURE_SERVER)" >&2
  exit 1
fi
flags=(--db "sqlite:$dir/server.db" --secret-file "$dir/secret" --export-root "$dir/exports"
  --fake-clock-file "$dir/clock")
admin() { "$server" "$@" "${flags[@]}" 2>>"$dir/server.log"; }
set_clock() {
  echo "${1:?a unix time}" >"$dir/clock.tmp"
  mv "$dir/clock.tmp" "$dir/clock"
}

case $command in
  start)
    mkdir -p "$dir"
    set_clock "${3:-1773100800}"
    api_key=$(admin ha add "Example Lab")
    admin app add com.example.app --region JP >/dev/null
    # The last line is "440-v1,<base64 SubjectPublicKeyInfo>", as apps configure it.
    public_key=$(admin signing-key add --id 440 --version v1 | tail -n 1)
    admin export --once >/dev/null  # the first pass: nothing before now is exported later
    # stdout into a file, so this script returns while serve runs; its first line is the URL.
    "$server" serve --listen 127.0.0.1:0 --no-export-worker "${flags[@]}" >"$dir/serve.out" 2>>"$dir/server.log" &
    echo $! >"$dir/serve.pid"
    for _ in $(seq 100); do
      grep -q '^listening on ' "$dir/serve.out" 2>/dev/null && break
      kill -0 "$(cat "$dir/serve.pid")" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
      sleep 0.1
    done
    url=$(sed -n 's/^listening on //p' "$dir/serve.out")
    [ -n "$url" ] || { echo "run-local-server: serve did not start; see $dir/server.log" >&2; exit 1; }
    printf 'EXPOSURE_URL=%q\nEXPOSURE_API_KEY=%q\nEXPOSURE_PUBLIC_KEY=%q\nEXPOSURE_CONTROL=%q\n' \
      "$url" "$api_key" "${public_key/,/=}" "bash $here/run-local-server.sh $dir"
    ;;
  clock) set_clock "${3:?usage: run-local-server.sh DIR clock UNIX}" ;;
  export)
    set_clock "${3:?usage: run-local-server.sh DIR export UNIX}"
    admin export --once >/dev/null
    ;;
  stop)
    if [ -f "$dir/serve.pid" ]; then
      pid=$(cat "$dir/serve.pid")
      kill "$pid" 2>/dev/null || true
      while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      rm -f "$dir/serve.pid"
    fi
    ;;
  *)
    echo "run-local-server: unknown command $command (start, clock, export, stop)" >&2
    exit 2
    ;;
esac

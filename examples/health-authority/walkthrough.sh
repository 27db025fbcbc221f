#!/usr/bin/env bash
# A health authority's day with exposure-server, on one machine:
#   1. set up a server from exposure-server.toml (a lab, an app, an export signing key);
#   2. serve; the lab issues a verification code (POST /api/issue);
#   3. a phone uploads a key with it (COCOA's PUT /api/v3/diagnosis, the code as processing
#      number; examples/app-* upload through the library's Google flow);
#   4. an export pass turns the upload into a signed file, listed in index.txt and list.json;
#   5. `exposure doctor` checks the export tree as an app sees it.
#
#   walkthrough.sh [DIR]      (DIR: the server's state; default a temporary directory, removed)
#
# Programs: $EXPOSURE_SERVER and $EXPOSURE_CLI (the `exposure` command, with exposure-doctor
# beside it), else on PATH, else the default build's. The server runs on a clock this script
# moves (the testing-only fake clock), so the two hours between an upload and its file pass at
# once; everything else is as in production.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
find_program() {
  local name=$1 given=$2
  [ -n "$given" ] && { echo "$given"; return; }
  command -v "$name" || echo "$here/../../build/default/bin/$name"
}
server=$(find_program exposure-server "${EXPOSURE_SERVER:-}")
cli=$(find_program exposure "${EXPOSURE_CLI:-}")
dir=${1:-}
if [ -z "$dir" ]; then
  dir=$(mktemp -d /tmp/exposure-ha.XXXXXX)
  trap 'kill "${serve_pid:-}" 2>/dev/null || true; rm -rf "$dir"' EXIT
else
  mkdir -p "$dir"
  trap 'kill "${serve_pid:-}" 2>/dev/null || true' EXIT
fi
step() { printf '\n== %s\n' "$*"; }
set_clock() { echo "$1" >"$dir/clock.tmp" && mv "$dir/clock.tmp" "$dir/clock"; }

# The config file holds the production settings; here the paths point into $dir (flags win
# over the file) and the clock is the test clock (an environment variable, which also wins).
config=$here/exposure-server.toml
export EXPOSURE_FAKE_CLOCK_FILE=$dir/clock
local_paths=(--config "$config" --db "sqlite:$dir/server.db" --secret-file "$dir/server.secret"
  --export-root "$dir/exports")
admin() { "$server" "$@" "${local_paths[@]}" 2>>"$dir/server.log"; }
day=1773100800 # 2026-03-10T00:00Z
set_clock $((day + 9 * 3600))

step "1. set up from $(basename "$config")"
api_key=$(admin ha add "Tokyo Lab")
echo "lab API key (shown once): ${api_key:0:8}..."
admin app add com.example.app --region JP
public_key=$(admin signing-key add --id 440 --version v1 | tail -n 1)
echo "export signing key, as apps configure it: ${public_key:0:40}..."
admin export --once >/dev/null # the first pass marks every earlier window as done

step "2. serve; the lab issues a code at 10:00Z"
"$server" serve --listen 127.0.0.1:0 --no-export-worker "${local_paths[@]}" >"$dir/serve.out" 2>>"$dir/server.log" &
serve_pid=$!
for _ in $(seq 100); do
  grep -q '^listening on ' "$dir/serve.out" 2>/dev/null && break
  kill -0 "$serve_pid" 2>/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^listening on //p' "$dir/serve.out")
echo "listening on $url (behind nginx.conf in production: https://keys.example.org)"
set_clock $((day + 10 * 3600))
issued=$(curl -sf -X POST "$url/api/issue" -H "X-API-Key: $api_key" -H 'Content-Type: application/json' \
  -d '{"testType": "confirmed", "symptomDate": "2026-03-08"}')
code=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["code"])' <<<"$issued")
echo "verification code: $code"

step "3. a phone uploads yesterday's key with the code"
key_data=$(head -c 16 /dev/urandom | base64)
yesterday_interval=$(((day - 86400) / 600))
curl -sf -X PUT "$url/api/v3/diagnosis" -H 'Content-Type: application/json' -d "{
  \"keys\": [{\"keyData\": \"$key_data\", \"rollingStartNumber\": $yesterday_interval, \"rollingPeriod\": 144}],
  \"regions\": [\"JP\"], \"platform\": \"android\", \"deviceVerificationPayload\": \"-\",
  \"appPackageName\": \"com.example.app\", \"verificationPayload\": \"$code\"}" |
  python3 -c 'import json, sys; r = json.load(sys.stdin); r.pop("padding", None); print("server:", r)'

step "4. 13:00Z: the export pass signs the 10:00-11:00 window"
set_clock $((day + 13 * 3600))
admin export --once >/dev/null
echo "index.txt: $(curl -sf "$url/exports/JP/index.txt")"
file=$(curl -sf "$url/exports/JP/index.txt" | tail -n 1)
curl -sf -o "$dir/latest.zip" "$url/exports/$file"
echo "$file: $(wc -c <"$dir/latest.zip") bytes (the key, padded with fake keys to 1000 or more)"
# The phone's own check of the file: the signature, and that the uploaded key is in it.
"$cli" export verify --public-key "${public_key/,/=}" "$dir/latest.zip"
"$cli" export inspect --keys "$dir/latest.zip" | python3 -c '
import base64, json, sys
uploaded = base64.b64decode(sys.argv[1]).hex()
keys = json.load(sys.stdin)["keys"]
found = [k for k in keys if k["key"] == uploaded]
print(f"{len(keys)} keys in the file; the uploaded one: {found[0] if found else None}")
sys.exit(0 if found else 1)' "$key_data"

step "5. exposure doctor on the export tree"
# list.json names files under the public URL (the CDN), not under this loopback address.
"$cli" doctor --url "$url/exports" --region JP --public-key "${public_key/,/=}" \
  --list-url-base "$(sed -n 's/^public-url = "\(.*\)".*/\1/p' "$config")" --now $((day + 13 * 3600))

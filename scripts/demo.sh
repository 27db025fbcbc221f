#!/usr/bin/env bash
# The project's main job, end to end on this machine: install the Debian packages, build the
# CLI, exposure-server and exposure-simulate, check the official GAEN vectors, then run a
# small simulated city (200 devices, 4 days) through a real exposure-server on SQLite on
# 127.0.0.1: uploads over HTTP (Google and COCOA paths), the real export pass, signed files
# downloaded, verified, matched and scored on Android and iOS. The simulator starts and
# stops the server itself. Prints the summary and where the report, plots and exports are.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_OUT:-build/default/demo}
bash scripts/build.sh default --target exposure_cli exposure_server exposure_simulate >/dev/null
bin=build/default/bin

# 1. The key schedule against the official vectors (fast).
tek=75c734c6dd1a782de7a965da5eb93125
expected=$(grep -E '^[0-9]+ ' tests/data/test-vectors.txt | awk -v s=2642976 '{print s+$1, $2, $3}')
if [ "$($bin/exposure derive --tek "$tek" --interval 2642976)" = "$expected" ]; then
  echo "== $($bin/exposure --version): all 144 official RPI/AEM test vectors reproduced"
else
  echo "== MISMATCH against tests/data/test-vectors.txt" >&2
  exit 1
fi

# 2. The city: the default risk configurations are tests/data/sane-v2-config.json and COCOA
#    v1.1.4's tests/data/cocoa-v1.1.4-config.json.
echo "== simulating 200 devices over 4 days through exposure-server on 127.0.0.1 (seed 1)"
rm -rf "$out"
$bin/exposure-simulate --devices 200 --days 4 --seed 1 --out "$out" "$@"
echo
echo "== the COCOA case: the same city with keys published at transmission risk 0, as COCOA's server did"
$bin/exposure-simulate --devices 200 --days 4 --seed 1 --out "$out/cocoa-trl0" --cocoa-transmission-risk-zero \
    --config tests/data/cocoa-v1.1.4-config.json --quiet
python3 - "$out/cocoa-trl0/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for e in r["evaluations"]:
    print(f'   {e["config"]} {e["api"]} {e["platform"]}: {e["notified"]} notified, recall {e["recall"]:.3f}')
for name, lint in r["lint"].items():
    for v in lint["verdicts"]:
        print(f'   linter {name} {v["platform"]} {v["api"]}: {v["verdict"]}')
PY
echo "   report: $out/cocoa-trl0/report.json"
echo "== inspect a file: $bin/exposure export inspect $out/exports/<region>/<file>.zip"

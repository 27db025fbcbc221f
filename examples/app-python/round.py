"""The two-phone round of an exposure-notification app, through the installed `exposure` wheel.

Phone A advertises; phone B parses what it hears and records sightings in its encrypted store;
A tests positive and uploads its keys (the library's upload exchange); the server exports a
signed file; B runs an exposure check (the check exchange) and is notified. The library builds
every request and reads every reply; urllib carries them.

    python round.py --url URL --api-key KEY --public-key ID-VERSION=BASE64 --control "COMMAND"

COMMAND plays the server's operator: "COMMAND clock UNIX" sets the server's clock and
"COMMAND export UNIX" runs an export pass at that time (examples/run-local-server.sh prints all
four values). Exit 0 when B is notified, 1 otherwise.
"""

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request

import exposure

# The story's times (the server runs on a clock this program moves).
DAY = 1773100800  # 2026-03-10T00:00Z
MET = DAY + 15 * 3600  # A and B meet at 15:00 for 20 minutes
TESTED = MET + 30 * 60  # A's positive test and upload at 15:30
CHECKED = DAY + 36 * 3600  # the export and B's check, next day at noon
RSSI = -60  # A's TX power 0: attenuation 60 dB

# The health authority's risk configuration (docs/risk.md): a day notifies at a score of 900
# (15 minutes at weight 1.0).
CONFIG = {
    "attenuationBucketThresholdDb": [55, 63, 70],
    "attenuationBucketWeights": [1.0, 1.0, 0.5, 0],
    "reportTypeWeights": [0, 1, 1, 1, 1, 0],
    "infectiousnessWeights": [0, 1, 1],
    "minimumDailyScore": 900,
}

HTTP = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy


def send(base, request):
    """The app's transport: one request of an exchange; status 0 when no reply came."""
    url = request.path if request.path.startswith(("http://", "https://")) else base + request.path
    message = urllib.request.Request(url, data=request.body if request.method != "GET" else None,
                                     method=request.method, headers=request.headers)
    try:
        with HTTP.open(message, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def run(exchange, base):
    """Sends every request of the exchange; its result, or ExposureError with the one-line reason."""
    while (request := exchange.next_request()) is not None:
        exchange.receive(*send(base, request))
    return exchange.result()


def operate(control, action, when):
    subprocess.run([*shlex.split(control), action, str(when)], check=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8080")
    parser.add_argument("--api-key", required=True, help="the health authority's API key")
    parser.add_argument("--public-key", required=True, help="the export signing key, ID-VERSION=BASE64")
    parser.add_argument("--control", required=True, help="the operator command (see above)")
    args = parser.parse_args()
    key_name, key = args.public_key.split("=", 1)

    with tempfile.TemporaryDirectory() as phones:
        # Each phone has an encrypted store; the key comes from the Keystore / Keychain on a phone.
        phone_a = exposure.Store(f"{phones}/a", exposure.generate_storage_key(), now=MET)
        phone_b = exposure.Store(f"{phones}/b", exposure.generate_storage_key(), now=MET)

        # 15:00: A advertises; B scans every 5 minutes and parses each advertising payload it hears.
        schedule_a = exposure.KeySchedule(now=MET)
        heard = []
        for time in range(MET, MET + 25 * 60, 300):
            schedule_a.set_time(time)
            payload = schedule_a.current_advertisement()["advertising_data"]
            beacon = exposure.parse_advertising_data(payload)
            heard.append({**beacon, "time": time, "previous_scan_time": time - 300, "rssi": RSSI})
        print(f"B heard A {phone_b.add_sightings(heard)['stored']} times")

        # 15:30: A tests positive. The health authority issues a verification code for the test.
        operate(args.control, "clock", TESTED)
        issue = urllib.request.Request(f"{args.url}/api/issue", method="POST",
                                       data=json.dumps({"testType": "confirmed", "symptomDate": "2026-03-09"}).encode(),
                                       headers={"Content-Type": "application/json", "X-API-Key": args.api_key})
        with HTTP.open(issue, timeout=60) as reply:
            code = json.load(reply)["code"]

        # A releases today's key early (same-day release) and uploads every key it may, by the
        # Google flow (/api/verify, /api/certificate, /v1/publish).
        schedule_a.set_time(TESTED)
        schedule_a.release_current_key()
        phone_a.save_own_keys(schedule_a.history())
        keys = schedule_a.keys_for_upload()
        with exposure.Exchange.upload(phone_a, keys, code=code, now=TESTED) as upload:
            uploaded = run(upload, args.url)["upload"]
        print(f"A uploaded {uploaded['keys_sent']} key(s) with code {code} ({uploaded['test_type']} test); "
              f"the server stored {uploaded['keys_inserted']}")

        # The next day: the server's export pass writes the signed file; B checks.
        operate(args.control, "export", CHECKED)
        phone_b.set_time(CHECKED)
        with exposure.Exchange.check(phone_b, region="JP", public_keys={key_name: key}, config=CONFIG,
                                     now=CHECKED) as check:
            result = run(check, args.url)["check"]
            notify = check.notifies()
        print(f"B downloaded {len(result['archives_new'])} new file(s), {result['bytes_downloaded']} bytes, "
              f"{result['keys_processed']} keys; {len(result['matched_keys'])} matched")
        for reason in result["decision"]["reasons"]:
            print(f"  {reason}")
        print("B is notified: possible exposure" if notify else "B is not notified")
        phone_a.close()
        phone_b.close()
    return 0 if notify else 1


if __name__ == "__main__":
    sys.exit(main())

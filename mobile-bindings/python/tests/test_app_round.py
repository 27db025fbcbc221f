"""Two phones through exposure.Exchange against a real exposure-server on loopback (run by
`ctest -R python.bindings` and scripts/test-packages.sh, which name the server binary in
EXPOSURE_SERVER_BINARY).

Phone A advertises; phone B parses A's advertising payloads and records them in its encrypted
store; A tests positive and uploads its keys through an Exchange (Google flow, then COCOA flow
in a second case) with urllib as the transport; the server exports; B checks through an
Exchange and is told to notify, with its reasons; a second check downloads and notifies
nothing new. The server runs on a fake clock, so nothing here depends on the time of day."""

import datetime
import faulthandler
import json
import os
import pathlib
import subprocess
import tempfile
import unittest
import urllib.error
import urllib.request

import exposure

SERVER = os.environ.get("EXPOSURE_SERVER_BINARY")
REGION = "JP"
APP_ID = "com.example.app"
DAY = int(datetime.datetime(2026, 3, 10, tzinfo=datetime.timezone.utc).timestamp())
MET = DAY + 15 * 3600  # A and B meet at 15:00 UTC
SCANS = [MET + 300 * i for i in range(5)]  # 20 minutes, one scan every 5 minutes
RSSI = -60  # attenuation 60 dB with A's TX power 0: bucket NEAR (55 < 60 <= 63)
TESTED = MET + 30 * 60  # A's positive test and upload, 15:30
CHECKED = DAY + 86400 + 12 * 3600  # export and B's check, the next day at noon
CONFIG = {
    "attenuationBucketThresholdDb": [55, 63, 70],
    "attenuationBucketWeights": [1.0, 1.0, 0.5, 0],
    "reportTypeWeights": [0, 1, 1, 1, 1, 0],
    "infectiousnessWeights": [0, 1, 1],
    "minimumDailyScore": 900,
}
# 5 scans x 300 s at weight 1.0, a confirmed test (1.0), standard infectiousness (1.0).
EXPECTED_SCORE = 1500


class Server:
    """exposure-server in its own directory: SQLite, secret, export tree, fake clock."""

    def __init__(self, directory):
        self.dir = pathlib.Path(directory)
        self.log = open(self.dir / "server.log", "ab")
        self.process = None
        self.base = None

    def flags(self):
        return ["--db", f"sqlite:{self.dir}/server.db", "--secret-file", str(self.dir / "secret"),
                "--export-root", str(self.dir / "exports"), "--fake-clock-file", str(self.dir / "clock")]

    def set_time(self, unix_seconds):
        (self.dir / "clock.tmp").write_text(f"{unix_seconds}\n")
        os.replace(self.dir / "clock.tmp", self.dir / "clock")

    def admin(self, *args):
        done = subprocess.run([SERVER, *args, *self.flags()], stdout=subprocess.PIPE, stderr=self.log, timeout=120)
        if done.returncode != 0:
            raise AssertionError(f"exposure-server {' '.join(args)}: exit {done.returncode}\n{self.log_text()}")
        return done.stdout.decode().strip()

    def start(self):
        self.process = subprocess.Popen([SERVER, "serve", "--listen", "127.0.0.1:0", "--no-export-worker",
                                         *self.flags()], stdout=subprocess.PIPE, stderr=self.log)
        line = self.process.stdout.readline().decode().strip()
        self.process.stdout.close()
        prefix = "listening on "
        if not line.startswith(prefix):
            self.stop()
            raise AssertionError(f"exposure-server serve did not start: {line!r}\n{self.log_text()}")
        self.base = line[len(prefix):]

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=60)
            self.process = None
        self.log.close()

    def log_text(self):
        self.log.flush()
        return (self.dir / "server.log").read_text(errors="replace")


# The app's transport: the library builds the requests, urllib sends them (never via a proxy).
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def send(base, request):
    url = request.path if request.path.startswith(("http://", "https://")) else base + request.path
    message = urllib.request.Request(url, data=request.body if request.method != "GET" else None,
                                     method=request.method, headers=request.headers)
    try:
        with OPENER.open(message, timeout=60) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def run(exchange, base):
    """Sends every request of the exchange; returns its result dict (raises on an error)."""
    with exchange:
        while (request := exchange.next_request()) is not None:
            exchange.receive(*send(base, request))
        return exchange.result()


def post_json(base, path, body, headers):
    message = urllib.request.Request(base + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", **headers})
    with OPENER.open(message, timeout=60) as reply:
        return json.load(reply)


@unittest.skipUnless(SERVER, "EXPOSURE_SERVER_BINARY names no exposure-server (ctest -R python.bindings sets it)")
class TwoPhoneRound(unittest.TestCase):
    def setUp(self):
        self.work = tempfile.TemporaryDirectory()
        self.addCleanup(self.work.cleanup)
        root = pathlib.Path(self.work.name)
        (root / "server").mkdir()
        self.server = Server(root / "server")
        self.addCleanup(self.server.stop)
        self.server.set_time(MET)
        self.api_key = self.server.admin("ha", "add", "Test Lab")
        self.server.admin("app", "add", APP_ID, "--region", REGION)
        key_id, key = self.server.admin("signing-key", "add", "--id", "440", "--version", "v1").splitlines()[-1].split(",")
        self.public_keys = {key_id: key}
        self.server.admin("export", "--once")  # marks the windows before the upload as done
        self.server.start()
        self.phone_a = exposure.Store(root / "a", exposure.generate_storage_key(), now=MET)
        self.phone_b = exposure.Store(root / "b", exposure.generate_storage_key(), now=MET)
        self.addCleanup(self.phone_b.close)
        self.addCleanup(self.phone_a.close)

    def meet(self):
        """A advertises during the scans; B parses each payload it hears and stores the sightings."""
        schedule = exposure.KeySchedule(now=MET)
        heard = []
        for time in SCANS:
            schedule.set_time(time)
            payload = schedule.current_advertisement()["advertising_data"]
            heard.append({**exposure.parse_advertising_data(payload), "time": time, "previous_scan_time": time - 300,
                          "rssi": RSSI})
        self.phone_a.save_own_keys(schedule.history())
        self.assertEqual(self.phone_b.add_sightings(heard), {"stored": len(SCANS), "expired": 0})
        return schedule

    def issue_code(self, now):
        """The health authority's side: a verification code for a confirmed test."""
        self.server.set_time(now)
        reply = post_json(self.server.base, "/api/issue", {"testType": "confirmed", "symptomDate": "2026-03-09"},
                          {"X-API-Key": self.api_key})
        return reply["code"]

    def keys_to_upload(self, schedule, store, now):
        schedule.set_time(now)
        schedule.release_current_key()  # same-day release: today's key is uploaded now
        store.save_own_keys(schedule.history())
        keys = schedule.keys_for_upload()
        self.assertEqual(len(keys), 1)
        return keys

    def upload(self, flow, store, keys, now):
        code = self.issue_code(now)
        if flow == "google":
            exchange = exposure.Exchange.upload(store, keys, code=code, now=now)
        else:  # the code is COCOA's processing number
            exchange = exposure.Exchange.upload(store, keys, code=code, flow="cocoa", regions=[REGION], app_id=APP_ID,
                                                onset_date="2026-03-09T00:00:00Z", now=now)
        upload = run(exchange, self.server.base)["upload"]
        self.assertEqual((upload["flow"], upload["keys_sent"], upload["keys_inserted"], upload["revised"]),
                         (flow, 1, 1, False))
        if flow == "google":
            self.assertEqual(upload["test_type"], "confirmed")

    def export_and_check(self, now):
        """The server exports at `now`; B checks. Returns the check's result and decision."""
        self.server.set_time(now)
        self.server.admin("export", "--once")
        self.phone_b.set_time(now)
        with exposure.Exchange.check(self.phone_b, region=REGION, public_keys=self.public_keys, config=CONFIG,
                                     now=now) as check:
            while (request := check.next_request()) is not None:
                check.receive(*send(self.server.base, request))
            return check.result()["check"], check.notifies()

    def round(self, flow):
        keys = self.keys_to_upload(self.meet(), self.phone_a, TESTED)
        self.upload(flow, self.phone_a, keys, TESTED)

        first, notifies = self.export_and_check(CHECKED)
        self.assertTrue(notifies)
        self.assertGreaterEqual(len(first["archives_new"]), 1)
        self.assertEqual(first["archives_in_index"], len(first["archives_new"]))
        self.assertEqual([m["key"] for m in first["matched_keys"]], [keys[0]["key_data"].hex()])
        self.assertEqual(first["matched_keys"][0]["report_type"], "CONFIRMED_TEST")
        self.assertEqual(first["matched_keys"][0]["sightings"], len(SCANS))
        decision = first["decision"]
        self.assertTrue(decision["notify"], decision)
        self.assertEqual(decision["new_days"], ["2026-03-10"])
        self.assertEqual(len(decision["qualifying_days"]), 1)
        day = decision["qualifying_days"][0]
        self.assertEqual((day["day"], day["api"], day["score"], day["threshold"], day["notified_before"]),
                         ("2026-03-10", "v2", EXPECTED_SCORE, CONFIG["minimumDailyScore"], False))
        self.assertTrue(decision["reasons"])

        # Nothing new on the server: only the index is downloaded, nothing notified.
        second, notifies = self.export_and_check(CHECKED)
        self.assertFalse(notifies)
        self.assertEqual((second["archives_new"], second["archives_in_index"], second["keys_processed"]),
                         ([], first["archives_in_index"], 0))
        self.assertLess(second["bytes_downloaded"], first["bytes_downloaded"])
        self.assertEqual((second["decision"]["notify"], second["decision"]["new_days"]), (False, []))

        # Someone B never met uploads; B processes the new archive, still matches A's key (kept
        # in the store), and the day it was notified for is not notified again.
        other = pathlib.Path(self.work.name) / "c"
        with exposure.Store(other, exposure.generate_storage_key(), now=CHECKED) as phone_c:
            schedule = exposure.KeySchedule(now=CHECKED)
            self.upload(flow, phone_c, self.keys_to_upload(schedule, phone_c, CHECKED), CHECKED)
        third, notifies = self.export_and_check(CHECKED + 4 * 3600)
        self.assertFalse(notifies)
        self.assertEqual(len(third["archives_new"]), 1)
        self.assertEqual([m["key"] for m in third["matched_keys"]], [keys[0]["key_data"].hex()])
        self.assertEqual(third["decision"]["new_days"], [])
        self.assertEqual([(d["day"], d["notified_before"]) for d in third["decision"]["qualifying_days"]],
                         [("2026-03-10", True)])

    def test_google_flow_upload_then_notify(self):
        self.round("google")

    def test_cocoa_flow_upload_then_notify(self):
        self.round("cocoa")

    def test_wrong_code_is_rejected_with_the_servers_code(self):
        keys = self.keys_to_upload(self.meet(), self.phone_a, TESTED)
        with exposure.Exchange.upload(self.phone_a, keys, code="00000000", now=TESTED) as upload:
            request = upload.next_request()
            self.assertEqual((request.method, request.path), ("POST", "/api/verify"))
            with self.assertRaises(exposure.ExposureError) as caught:
                upload.receive(*send(self.server.base, request))
            self.assertEqual((caught.exception.code, caught.exception.status), ("rejected", 13))
            self.assertEqual((caught.exception.http_status, caught.exception.server_code), (400, "code_not_found"))
            self.assertIsNone(upload.next_request())
            self.assertEqual(upload.result()["error"]["server_code"], "code_not_found")
        # Nothing was published: B's check finds no archive and does not notify.
        check, notifies = self.export_and_check(CHECKED)
        self.assertEqual((check["archives_in_index"], notifies), (0, False))

    def test_chaff_looks_like_a_publish_and_is_answered(self):
        with exposure.Exchange.chaff("publish") as chaff:
            request = chaff.next_request()
            self.assertEqual((request.method, request.path, request.headers.get("X-Chaff")), ("POST", "/v1/publish", "1"))
            status, _ = send(self.server.base, request)
            self.assertEqual(status, 200)
            chaff.receive(status, b"")
            self.assertIsNone(chaff.next_request())
            self.assertEqual(chaff.result(), {"chaff": True})

    def test_exchange_needs_its_store_open(self):
        keys = self.keys_to_upload(self.meet(), self.phone_a, TESTED)
        upload = exposure.Exchange.upload(self.phone_a, keys, code="12345678", now=TESTED)
        self.phone_a.close()
        with self.assertRaises(ValueError):
            upload.next_request()
        upload.close()
        with self.assertRaises(ValueError):
            upload.next_request()


if __name__ == "__main__":
    faulthandler.enable()
    unittest.main()

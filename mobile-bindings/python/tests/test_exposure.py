"""The Python module `exposure` through the real shared library (run by ctest with unittest;
PYTHONPATH points at the built module and EXPOSURE_TEST_DATA_DIR at tests/data)."""

import faulthandler
import json
import os
import pathlib
import tempfile
import threading
import unittest

import exposure

DATA = pathlib.Path(os.environ.get("EXPOSURE_TEST_DATA_DIR", pathlib.Path(__file__).parents[3] / "tests" / "data"))
ARCHIVE = DATA / "server-example-2-keys.zip"
PUBLIC_KEYS = {"some_id-1": (DATA / "server-example-2-keys.public.pem").read_text()}
# The archive holds TEK K2MFOsSDI43hdhaehh89zQ== (start 2649866, period 114, TRL 1).
KEY = bytes.fromhex("2b63053ac483238de176169e861f3dcd")
KEY_START = 2649866
NOW = KEY_START * 600 + 2 * 86400


def contact(scans=4, rssi=-47):
    """What a scanner hears from the diagnosed person: scans five minutes apart."""
    metadata = exposure.encode_metadata(major_version=1, minor_version=0, tx_power_dbm=8)
    out = []
    for i in range(scans):
        time = (KEY_START + 30) * 600 + 10 + 300 * i
        beacon = exposure.derive_beacon(KEY, exposure.interval_number(time), metadata)
        heard = exposure.parse_advertising_data(exposure.build_advertising_data(beacon["rpi"], beacon["aem"]))
        out.append({**heard, "time": time, "previous_scan_time": time - 300, "rssi": rssi})
    return out


def read_config(name):
    return (DATA / name).read_text()


class Basics(unittest.TestCase):
    def test_version(self):
        self.assertEqual(exposure.abi_version(), 1)
        self.assertEqual(exposure.version(), exposure.__version__)
        self.assertRegex(exposure.version(), r"^\d+\.\d+\.\d+$")

    def test_official_vectors(self):
        header = dict(line.split("=", 1) for line in (DATA / "test-vectors.txt").read_text().splitlines() if "=" in line)
        lines = [line.split() for line in (DATA / "test-vectors.txt").read_text().splitlines() if line and "=" not in line]
        self.assertEqual(len(lines), 144)
        tek, metadata = bytes.fromhex(header["tek"]), bytes.fromhex(header["metadata"])
        for index, rpi, aem in lines:
            beacon = exposure.derive_beacon(tek, int(header["start_interval"]) + int(index), metadata)
            self.assertEqual(beacon["rpi"].hex(), rpi)
            self.assertEqual(beacon["aem"].hex(), aem)
        self.assertEqual(exposure.decrypt_metadata(tek, beacon["rpi"], beacon["aem"]), metadata)
        self.assertEqual(exposure.decode_metadata(metadata),
                         {"major_version": 1, "minor_version": 0, "calibration_confidence": 0, "tx_power_dbm": 8})

    def test_errors_carry_code_and_message(self):
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.parse_advertising_data(b"\x05\x01")
        self.assertEqual(caught.exception.code, "malformed")
        self.assertEqual(caught.exception.status, 2)
        self.assertIn("offset 0", str(caught.exception))
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.parse_advertising_data(b"")
        self.assertEqual(caught.exception.code, "not found")
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.derive_beacon(b"\x00" * 3, 1, b"\x00" * 4)
        self.assertEqual(str(caught.exception), "tek: expected 16 bytes, got 3")
        with self.assertRaises(ValueError):
            exposure.build_advertising_data(b"\x00" * 15, b"\x00" * 4)


class Advertising(unittest.TestCase):
    def test_schedule_advertises_and_releases(self):
        now = 18400 * 86400 + 12 * 3600
        schedule = exposure.KeySchedule(now=now, metadata={"minor_version": 1, "tx_power_dbm": -12})
        key = schedule.current_key()
        self.assertEqual(key["rolling_start_interval_number"], 18400 * 144)
        ad = schedule.current_advertisement()
        self.assertEqual(ad["interval"], exposure.interval_number(now))
        expected = exposure.derive_beacon(key["key_data"], ad["interval"], exposure.encode_metadata(1, 1, 0, -12))
        self.assertEqual({"rpi": ad["rpi"], "aem": ad["aem"]}, expected)
        self.assertEqual(exposure.parse_advertising_data(ad["advertising_data"]), expected)
        self.assertEqual(schedule.next_rotation(), (ad["interval"] + 1) * 600)
        self.assertEqual(schedule.keys_for_upload(), [])
        schedule.release_current_key()
        released = schedule.keys_for_upload()
        self.assertEqual(len(released), 1)
        self.assertEqual(released[0]["key_data"], key["key_data"])
        self.assertEqual(released[0]["rolling_period"], ad["interval"] - key["rolling_start_interval_number"] + 1)
        resumed = exposure.KeySchedule(schedule.history(), now=now)
        self.assertNotEqual(resumed.current_key()["key_data"], key["key_data"])  # the new key after release
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.KeySchedule([{**key, "rolling_period": 0}])
        self.assertEqual(str(caught.exception), "history[0]: rolling_period 0 out of range 1..144")


class StoreTest(unittest.TestCase):
    def test_store_round_trip_and_wipe(self):
        with tempfile.TemporaryDirectory() as work:
            directory = pathlib.Path(work) / "store"
            key = exposure.generate_storage_key()
            self.assertEqual(len(key), 32)
            heard = contact()
            own = exposure.KeySchedule(now=NOW).history()
            with exposure.Store(directory, key, now=NOW) as store:
                self.assertEqual(store.add_sightings(heard), {"stored": 4, "expired": 0})
                store.save_own_keys(own)
            with self.assertRaises(exposure.ExposureError) as caught:
                exposure.Store(directory, exposure.generate_storage_key(), now=NOW)
            self.assertEqual(caught.exception.code, "wrong key")
            with exposure.Store(directory, key, now=NOW) as store:
                loaded = store.load_sightings()
                self.assertCountEqual(loaded, heard)
                self.assertEqual(store.load_own_keys(), own)
                stats = store.stats()
                self.assertEqual((stats["sightings"], stats["days_covered"], stats["own_keys"]), (4, 1, len(own)))
                store.set_time(NOW + 20 * 86400)
                self.assertEqual(store.load_sightings(), [])  # past retention
            self.assertRaises(ValueError, store.load_sightings)  # closed
            exposure.wipe_store(directory)
            self.assertFalse((directory / "store.db").exists())

    def test_csv(self):
        heard = contact()
        text = exposure.sightings_to_csv(heard)
        self.assertTrue(text.startswith("rpi,aem,time,rssi,previous_scan_time\n"))
        self.assertEqual(exposure.sightings_from_csv(text), heard)
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.sightings_from_csv("rpi,aem,time,rssi\nzz,00,1,2\n")
        self.assertTrue(str(caught.exception).startswith("line 2: "))


class ExportAndMatching(unittest.TestCase):
    def test_verify_and_read(self):
        exposure.verify_export(ARCHIVE, PUBLIC_KEYS)
        exposure.verify_export(str(ARCHIVE), PUBLIC_KEYS)
        exposure.verify_export(ARCHIVE.read_bytes(), PUBLIC_KEYS)
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.verify_export(ARCHIVE, {"other-1": PUBLIC_KEYS["some_id-1"]})
        self.assertEqual(caught.exception.code, "verification failed")
        keys = exposure.read_export(ARCHIVE)
        self.assertEqual(len(keys), 2)
        ours = [k for k in keys if k["key_data"] == KEY]
        self.assertEqual(len(ours), 1)
        self.assertEqual((ours[0]["rolling_period"], ours[0]["transmission_risk_level"]), (114, 1))
        self.assertIsNone(ours[0]["days_since_onset_of_symptoms"])
        self.assertEqual(exposure.read_export(ARCHIVE.read_bytes()), keys)

    def test_match_from_dicts_csv_text_and_csv_file_alike(self):
        heard = contact()
        result = exposure.match(sightings=heard, export_paths=[ARCHIVE], public_keys=PUBLIC_KEYS, now=NOW)
        self.assertEqual(result.matched_key_count, 1)
        report = result.json()
        self.assertEqual(report["keys_processed"], 2)
        self.assertEqual(report["matched_keys"][0]["key"], KEY.hex())
        self.assertEqual(report["exposure_windows"][0]["scan_instances"][0]["typical_attenuation_db"], 55)
        with tempfile.TemporaryDirectory() as work:
            path = pathlib.Path(work) / "sightings.csv"
            path.write_text(exposure.sightings_to_csv(heard))
            from_file = exposure.match(sightings_csv_path=path, export_paths=[str(ARCHIVE)], public_keys=PUBLIC_KEYS,
                                       now=NOW, threads=2)
            from_text = exposure.match(sightings_csv=path.read_text(), keys=exposure.read_export(ARCHIVE),
                                       skip_verification=True, now=NOW)
        self.assertEqual(from_file.json(), report)
        self.assertEqual(from_text.json()["matched_keys"], report["matched_keys"])
        with self.assertRaises(ValueError):
            exposure.match(sightings=heard, sightings_csv="x", export_paths=[ARCHIVE], public_keys=PUBLIC_KEYS)
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.match(sightings=heard, export_paths=[ARCHIVE],
                           public_keys={"some_id-1": (DATA / "internals-sample-140-keys.public-310-v1.pem").read_text()})
        self.assertTrue(str(caught.exception).startswith(str(ARCHIVE) + ": "))

    def test_score_with_text_or_dict_config(self):
        result = exposure.match(sightings=contact(), export_paths=[ARCHIVE], public_keys=PUBLIC_KEYS, now=NOW)
        v2 = result.score(read_config("sane-v2-config.json"))
        for platform in ("android", "ios"):
            summary = v2["platforms"][platform]["daily_summaries"][0]
            self.assertEqual(summary["total"]["score_sum"], 1800.0)  # 4 x 300 s x 1.5 (IMMEDIATE)
            self.assertEqual(v2["platforms"][platform]["verdict"], "notify")
        v1 = result.score(json.loads(read_config("sane-v1-config.json")), platform="ios")
        self.assertEqual(list(v1["platforms"]), ["ios"])
        self.assertEqual(v1["platforms"]["ios"]["v1"]["summary"]["matched_key_count"], 1)
        exposure.check_risk_config(read_config("cocoa-v1.1.4-config.json"))
        with self.assertRaises(exposure.ExposureError) as caught:
            exposure.check_risk_config({"attenuationScores": [1, 2, 3, 9, 5, 6, 7, 8]})
        self.assertIn("attenuationScores[3]", str(caught.exception))

    def test_lint(self):
        report = exposure.lint_config(read_config("sane-v1-config.json"), export_paths=[ARCHIVE],
                                      public_keys=PUBLIC_KEYS)
        self.assertEqual(report["keys"], 2)
        self.assertTrue(report["all_platforms_notify"])
        direct = exposure.lint_config(read_config("cocoa-v1.1.4-config.json"), platform="android",
                                      key_metadata=[{"transmission_risk_level": 2, "report_type": 1,
                                                     "days_since_onset": 3}])
        self.assertEqual({v["platform"] for v in direct["verdicts"]}, {"android"})


class GilRelease(unittest.TestCase):
    """A call reading a FIFO blocks in the library until this thread writes to it: that only
    finishes when the call released the GIL (otherwise the watchdog ends the process)."""

    def run_reading_fifo(self, call):
        faulthandler.dump_traceback_later(30, exit=True)
        try:
            with tempfile.TemporaryDirectory() as work:
                fifo = os.path.join(work, "sightings.csv")
                os.mkfifo(fifo)
                outcome = {}
                reader = threading.Thread(target=lambda: outcome.update(value=call(fifo)))
                reader.start()
                with open(fifo, "w") as writer:
                    writer.write(exposure.sightings_to_csv(contact()))
                reader.join()
                return outcome["value"]
        finally:
            faulthandler.cancel_dump_traceback_later()

    def test_reading_csv_releases_the_gil(self):
        self.assertEqual(len(self.run_reading_fifo(exposure.read_sightings_csv)), 4)

    def test_matching_releases_the_gil(self):
        result = self.run_reading_fifo(lambda fifo: exposure.match(
            sightings_csv_path=fifo, export_paths=[ARCHIVE], public_keys=PUBLIC_KEYS, now=NOW))
        self.assertEqual(result.matched_key_count, 1)


if __name__ == "__main__":
    unittest.main()

#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets under fuzz/corpus/<target>/.

Seeds come from tests/data (conformance files, configurations) and from hand-made inputs.
The ones behind a signature or an encryption are made here with the same fixed keys the
targets use (fuzz/server_fuzz_setup.h): the certificate key of
tests/data/server-example-2-keys.private.pem and the revision-token key 00 01 .. 1f.
Run from anywhere: python3 fuzz/make_seeds.py (needs python3-cryptography).
"""
import base64
import hashlib
import hmac
import io
import json
import os
import struct
import zipfile

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "tests", "data")
CORPUS = os.path.join(HERE, "corpus")

NOW = 1590000000  # fuzz::kServerNow
ISSUER, AUDIENCE, KID = "fuzz-verifier", "fuzz-keyserver", "v1"
HMAC_SECRET = bytes([0x2A] * 32)
REVISION_KEY = bytes(range(32))
REVISION_AAD = b"exposure-revision-token"
KEYS = [("Fy/EgOWYSQw0F3YEM5sVQw==", 2649980, 1, 8), ("K2MFOsSDI43hdhaehh89zQ==", 2649866, 114, 1)]


def data(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


def put(target, name, content):
    os.makedirs(os.path.join(CORPUS, target), exist_ok=True)
    if isinstance(content, str):
        content = content.encode()
    with open(os.path.join(CORPUS, target, name), "wb") as f:
        f.write(content)


def b64url(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number, wire, payload):
    tag = varint(number << 3 | wire)
    if wire == 0:
        return tag + varint(payload)
    if wire == 1:
        return tag + struct.pack("<Q", payload)
    return tag + varint(len(payload)) + payload


def tekmac(keys, with_risk=True):
    parts = sorted(keys, key=lambda k: k[0].encode())
    text = ",".join(f"{k}.{s}.{p}.{r}" if with_risk else f"{k}.{s}.{p}" for k, s, p, r in parts)
    return base64.b64encode(hmac.new(HMAC_SECRET, text.encode(), hashlib.sha256).digest()).decode()


def jwt(header, claims, key):
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    r, s = decode_dss_signature(key.sign(signing_input.encode(), ec.ECDSA(hashes.SHA256())))
    return signing_input + "." + b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))


def revision_plaintext(entries):
    out = b""
    for tek, number, count in entries:
        out += field(1, 2, field(1, 2, tek) + field(2, 0, number) + field(3, 0, count))
    return out


def revision_token(plaintext, kid="1", nonce=bytes(12)):
    sealed = AESGCM(REVISION_KEY).encrypt(nonce, plaintext, REVISION_AAD)
    return base64.b64encode(field(1, 2, kid.encode()) + field(2, 2, nonce + sealed)).decode()


def padded(entries):
    return entries + [(bytes(16), 1 << 21, 144)] * max(0, 28 - len(entries))


def zip_entry(archive, name):
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return z.read(name)


def main():
    key = serialization.load_pem_private_key(data("server-example-2-keys.private.pem"), None)
    header = {"alg": "ES256", "kid": KID, "typ": "JWT"}
    claims = {"iss": ISSUER, "aud": AUDIENCE, "iat": NOW - 60, "nbf": NOW - 60, "exp": NOW + 900,
              "reportType": "confirmed", "symptomOnsetInterval": 2649600, "tekmac": tekmac(KEYS)}
    certificate = jwt(header, claims, key)
    likely = dict(claims, reportType="likely", tekmac=tekmac(KEYS, with_risk=False))
    likely.pop("symptomOnsetInterval")
    entries = [(base64.b64decode(k), s, p) for k, s, p, _ in KEYS]
    token = revision_token(revision_plaintext(padded(entries)))

    # export.bin: the conformance files, the one inside the server example, hand-made ones.
    for name in ("internals-110-keys.export.bin", "internals-200-keys.export.bin"):
        put("export_bin", name, data(name))
    example_zip = data("server-example-2-keys.zip")
    put("export_bin", "server-example-2-keys.export.bin", zip_entry(example_zip, "export.bin"))
    tek = field(1, 2, bytes(range(16))) + field(2, 0, 2) + field(3, 0, 2649600) + field(4, 0, 144)
    put("export_bin", "header-only", b"EK Export v1    ")
    put("export_bin", "all-fields", b"EK Export v1    " + field(1, 1, NOW - 86400) + field(2, 1, NOW) +
        field(3, 2, b"US") + field(4, 0, 1) + field(5, 0, 1) +
        field(6, 2, field(3, 2, b"v1") + field(4, 2, b"310") + field(5, 2, b"1.2.840.10045.4.3.2")) +
        field(7, 2, tek + field(5, 0, 1) + field(6, 0, 3)) + field(8, 2, tek + field(5, 0, 5)) +
        field(15, 0, 7))
    put("export_bin", "invalid-key", b"EK Export v1    " + field(7, 2, field(1, 2, b"short") + field(4, 0, 0)) +
        field(7, 2, tek))

    # export.sig: the signature lists of both signed archives, and variants.
    example_sig = zip_entry(example_zip, "export.sig")
    put("export_sig", "server-example-2-keys.export.sig", example_sig)
    put("export_sig", "internals-sample-140-keys.export.sig",
        zip_entry(data("internals-sample-140-keys.zip"), "export.sig"))
    put("export_sig", "empty", b"")
    put("export_sig", "sha512-no-key-id", field(1, 2, field(1, 2, field(5, 2, b"1.2.840.10045.4.3.4")) +
                                                 field(4, 2, bytes(70))))

    # zip archives: both signed conformance archives.
    put("zip_archive", "server-example-2-keys.zip", example_zip)
    put("zip_archive", "internals-sample-140-keys.zip", data("internals-sample-140-keys.zip"))

    # /v1/publish bodies.
    publish = json.loads(data("server-example-2-keys.publish.json"))
    put("publish_request", "server-example-2-keys.publish.json", data("server-example-2-keys.publish.json"))
    full = dict(publish, healthAuthorityID="com.example.app", verificationPayload=certificate,
                hmacKey=base64.b64encode(HMAC_SECRET).decode(), symptomOnsetInterval=2649600,
                traveler=True, revisionToken=token, padding="AAAA")
    put("publish_request", "verified-with-token.json", json.dumps(full, indent=1))
    put("publish_request", "lowercase-names.json", json.dumps({k.lower(): v for k, v in full.items()}))
    put("publish_request", "wrong-types.json", '{"temporaryExposureKeys":[{"key":1,"rollingPeriod":"144"}],'
        '"traveler":"yes"}')

    # COCOA diagnosis bodies.
    cocoa_key = {"keyData": KEYS[0][0], "rollingStartNumber": KEYS[0][1], "rollingPeriod": 0,
                 "transmissionRisk": 0, "reportType": 1}
    cocoa = {"keys": [cocoa_key, dict(cocoa_key, keyData=KEYS[1][0], rollingStartNumber=KEYS[1][1],
                                      rollingPeriod=KEYS[1][2], daysSinceOnsetOfSymptoms=-2)],
             "regions": ["440"], "subRegions": ["13"], "platform": "Android",
             "deviceVerificationPayload": "payload", "appPackageName": "jp.go.mhlw.covid19radar",
             "verificationPayload": "12345678", "idempotencyKey": "retry-1", "padding": "xx",
             "hasSymptom": True, "onsetOfSymptomOrTestDate": "2020-05-18T00:00:00.000+09:00"}
    put("cocoa_diagnosis", "v3.json", json.dumps(cocoa, indent=1))
    older = dict(cocoa, symptomOnsetDate="2020-05-17T10:00:00Z", idempotency_key="snake")
    for k in ("onsetOfSymptomOrTestDate", "idempotencyKey", "hasSymptom"):
        older.pop(k)
    put("cocoa_diagnosis", "v3-older-app.json", json.dumps(older))
    put("cocoa_diagnosis", "missing-fields.json", '{"keys":[{"keyData":"AAAA","reportType":9}]}')

    # Certificates: "1" + a client's text; "0" + header and claims the target signs.
    put("verification_certificate", "signed-confirmed", "1" + certificate)
    put("verification_certificate", "signed-likely-no-risk", "1" + jwt(header, likely, key))
    put("verification_certificate", "expired", "1" + jwt(header, dict(claims, exp=NOW - 1), key))
    put("verification_certificate", "to-sign-confirmed", "0" + json.dumps(header) + "\n" + json.dumps(claims))
    put("verification_certificate", "to-sign-float-times",
        "0" + json.dumps(header) + "\n" + json.dumps(dict(claims, iat=NOW - 0.5, exp=1e300)))
    put("verification_certificate", "unsigned", "1" + b64url(b'{"alg":"none"}') + "." + b64url(b"{}") + ".AA")

    # Revision tokens: "1" + token text; "0" + a plaintext the target seals.
    put("revision_token", "token-two-keys", "1" + token)
    put("revision_token", "token-other-kid", "1" + revision_token(revision_plaintext(entries), kid="2"))
    put("revision_token", "plaintext-two-keys", b"0" + revision_plaintext(padded(entries)))
    put("revision_token", "plaintext-short-key", b"0" + revision_plaintext([(b"abc", 1, 144)]))

    # Sightings CSV.
    put("sightings_csv", "basic.csv", "rpi,aem,time,rssi,previous_scan_time\n"
        "3c9a1de5dd6b02afa7fded7b570b3e56,c29211b1,1585785600,-67,1585785310\n"
        "00112233445566778899aabbccddeeff,00000000,1585785900,-80,\n")
    put("sightings_csv", "reordered-quoted.csv", "\ufeff Time ,RSSI,extra,\"AEM\",rpi\r\n"
        "\"1585785600\",-127,\"a \"\"quoted\"\" note\",c29211b1,3C9A1DE5DD6B02AFA7FDED7B570B3E56\r\n\r\n"
        "4294967295,126,,ffffffff,ffffffffffffffffffffffffffffffff\r\n")
    put("sightings_csv", "bad-rssi.csv", "rpi,aem,time,rssi\n3c9a1de5dd6b02afa7fded7b570b3e56,c29211b1,1,-128\n")

    # Risk configurations.
    for name in ("cocoa-v1.1.4-config.json", "sane-v1-config.json", "sane-v2-config.json"):
        put("risk_config", name, data(name))
    put("risk_config", "nested-apple-names.json", json.dumps({
        "exposureConfiguration": {"minimumRiskScore": 1, "attenuationLevelValues": [1, 2, 3, 4, 5, 6, 7, 8],
                                  "attenuationDurationThresholds": [40, 60]},
        "diagnosisKeysDataMapping": {"daysSinceOnsetToInfectiousness": {"0": 2, "-14": 0},
                                     "reportTypeWhenMissing": 1,
                                     "infectiousnessWhenDaysSinceOnsetMissing": 1},
        "minimumDailyScore": 900}))


if __name__ == "__main__":
    main()

# Type stubs of the `exposure` package (the native module exposure._exposure). Kept in step
# with mobile-bindings/python/src/*.cc: tests/test_stubs.py fails when a public name or a
# parameter name differs.
from collections.abc import Iterable, Mapping
from os import PathLike
from types import TracebackType
from typing import Any, Literal, Optional, TypedDict, Union

__version__: str

StrPath = Union[str, PathLike[str]]
JsonConfig = Union[str, Mapping[str, Any]]
UploadFlow = Literal["google", "cocoa"]
ChaffRoute = Literal["verify", "certificate", "publish", "cocoa"]

class Beacon(TypedDict):
    rpi: bytes
    aem: bytes

class Metadata(TypedDict):
    major_version: int
    minor_version: int
    calibration_confidence: int
    tx_power_dbm: int

class TemporaryExposureKey(TypedDict):
    key_data: bytes
    rolling_start_interval_number: int
    rolling_period: int

class Advertisement(TypedDict):
    rpi: bytes
    aem: bytes
    interval: int
    advertising_data: bytes

class Sighting(TypedDict):
    rpi: bytes
    aem: bytes
    time: int
    previous_scan_time: int
    rssi: int

class DiagnosisKey(TypedDict):
    key_data: bytes
    rolling_start_interval_number: int
    rolling_period: int
    transmission_risk_level: int
    report_type: int
    days_since_onset_of_symptoms: Optional[int]

class AddReport(TypedDict):
    stored: int
    expired: int

class StoreStats(TypedDict):
    sightings: int
    chunks: int
    own_keys: int
    days_covered: int
    first_day: Optional[int]
    last_day: Optional[int]
    database_bytes: int
    wal_bytes: int

class ExposureError(Exception):
    """A failure reported by libexposure; str() is the library's one-line message."""
    status: int
    code: str
    # Set by Exchange.receive() when a server's refusal ended the exchange; None otherwise.
    http_status: Optional[int]
    server_code: Optional[str]

def version() -> str: ...
def abi_version() -> int: ...
def interval_number(unix_seconds: int) -> int: ...
def derive_beacon(tek: bytes, interval: int, metadata: bytes) -> Beacon: ...
def decrypt_metadata(tek: bytes, rpi: bytes, aem: bytes) -> bytes: ...
def encode_metadata(
    major_version: int = 1, minor_version: int = 0, calibration_confidence: int = 0, tx_power_dbm: int = 0
) -> bytes: ...
def decode_metadata(metadata: bytes) -> Metadata: ...
def build_advertising_data(rpi: bytes, aem: bytes) -> bytes: ...
def parse_advertising_data(data: bytes) -> Beacon: ...

class KeySchedule:
    def __init__(
        self,
        history: Iterable[Mapping[str, Any]] = ...,
        now: int = 0,
        metadata: Optional[Mapping[str, Any]] = None,
        history_days: int = 14,
        max_keys_per_start: int = 3,
    ) -> None: ...
    def set_time(self, now: int) -> None: ...
    def current_key(self) -> TemporaryExposureKey: ...
    def current_advertisement(self) -> Advertisement: ...
    def next_rotation(self) -> int: ...
    def history(self) -> list[TemporaryExposureKey]: ...
    def keys_for_upload(self) -> list[TemporaryExposureKey]: ...
    def release_current_key(self) -> None: ...

class Store:
    def __init__(
        self,
        directory: StrPath,
        key: bytes,
        now: int = 0,
        retention_days: int = 14,
        create_if_missing: bool = True,
        max_database_bytes: int = 0,
    ) -> None: ...
    def close(self) -> None: ...
    def __enter__(self) -> Store: ...
    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None: ...
    def set_time(self, now: int) -> None: ...
    def add_sightings(self, sightings: Iterable[Mapping[str, Any]]) -> AddReport: ...
    def load_sightings(self) -> list[Sighting]: ...
    def save_own_keys(self, keys: Iterable[Mapping[str, Any]]) -> None: ...
    def load_own_keys(self) -> list[TemporaryExposureKey]: ...
    def rotate_key(self, new_key: bytes) -> None: ...
    def stats(self) -> StoreStats: ...

def generate_storage_key() -> bytes: ...
def wipe_store(directory: StrPath) -> None: ...
def sightings_from_csv(text: str) -> list[Sighting]: ...
def read_sightings_csv(path: StrPath) -> list[Sighting]: ...
def sightings_to_csv(sightings: Iterable[Mapping[str, Any]]) -> str: ...

def verify_export(archive: Union[StrPath, bytes], public_keys: Mapping[str, str]) -> None: ...
def read_export(source: Union[StrPath, bytes]) -> list[DiagnosisKey]: ...

class MatchResult:
    @property
    def matched_key_count(self) -> int: ...
    def json(self) -> dict[str, Any]: ...
    def score(self, config: JsonConfig, platform: Optional[str] = "all") -> dict[str, Any]: ...

def match(
    *,
    sightings: Optional[Iterable[Mapping[str, Any]]] = None,
    sightings_csv: Optional[str] = None,
    sightings_csv_path: Optional[StrPath] = None,
    export_paths: Iterable[StrPath] = ...,
    public_keys: Optional[Mapping[str, str]] = None,
    keys: Iterable[Mapping[str, Any]] = ...,
    skip_verification: bool = False,
    now: int = 0,
    threads: int = 1,
) -> MatchResult: ...
def check_risk_config(config: JsonConfig) -> None: ...
def lint_config(
    config: JsonConfig,
    *,
    key_metadata: Iterable[Mapping[str, Any]] = ...,
    export_paths: Iterable[StrPath] = ...,
    public_keys: Optional[Mapping[str, str]] = None,
    skip_verification: bool = False,
    platform: str = "all",
    contact_minutes: int = 15,
    contact_meters: float = 1.0,
    attenuation_at_1m_db: float = 55.0,
    path_loss_exponent: float = 2.0,
) -> dict[str, Any]: ...

class HttpRequest:
    """A request an Exchange wants sent."""
    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def headers(self) -> dict[str, str]: ...
    @property
    def body(self) -> bytes: ...

class Exchange:
    """The app's protocol without I/O: send next_request(), hand the reply to receive()."""
    @staticmethod
    def upload(
        store: Store,
        keys: Iterable[Mapping[str, Any]],
        *,
        code: str,
        flow: UploadFlow = "google",
        app_id: Optional[str] = None,
        regions: list[str] = ...,
        platform: Optional[str] = None,
        onset_date: Optional[str] = None,
        transmission_risk: int = 0,
        now: int = 0,
    ) -> Exchange: ...
    @staticmethod
    def check(
        store: Store,
        *,
        region: str,
        public_keys: Mapping[str, str],
        config: JsonConfig,
        platform: Optional[str] = None,
        export_path: Optional[str] = None,
        use_list_json: bool = False,
        now: int = 0,
        threads: int = 1,
    ) -> Exchange: ...
    @staticmethod
    def chaff(route: ChaffRoute) -> Exchange: ...
    def next_request(self) -> Optional[HttpRequest]: ...
    def receive(self, status: int, body: bytes) -> None: ...
    def result(self) -> dict[str, Any]: ...
    def notifies(self) -> bool: ...
    def close(self) -> None: ...
    def __enter__(self) -> Exchange: ...
    def __exit__(
        self, exc_type: Optional[type[BaseException]], exc: Optional[BaseException], tb: Optional[TracebackType]
    ) -> None: ...

"""The port to OSS RBA (the national Online Single Submission system) and its HTTP adapter.

The adapter speaks OSS's integration interface for ministries, agencies and regions: JSON over
HTTPS, the `user_key` header and HTTP Basic credentials, `POST /inqueryNIB` to look a business
up, `POST /receiveLicenseStatus` to report a permit's status. Each call has a timeout and is
retried with backoff (urllib3's Retry) on connection failures, read timeouts and 502/503/504;
a circuit breaker (pybreaker) stops calling OSS after repeated failures, so an outage costs one
quick refusal per call instead of a wait, and lets one trial call through after a pause.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

import pybreaker
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

INQUIRY_PATH = "/inqueryNIB"
STATUS_PATH = "/receiveLicenseStatus"
# OSS stamps times in Western Indonesia Time, as "YYYY-MM-DD HH:MM:SS".
WIB = timezone(timedelta(hours=7), "WIB")
# OSS's own answer codes (its "kode", Lampiran 9 of the interface; 404 for an unknown NIB).
OK, BAD_REQUEST, NOT_FOUND = 200, 400, 404
# Sent with every status report so OSS, and our stand-in, can drop a report it already has.
REPORT_ID_HEADER = "X-Request-ID"
# urllib3's backoff factor: the first retry goes at once, then 1 s, 2 s, 4 s, …
RETRY_BACKOFF = 0.5


class OssError(Exception):
    """OSS could not be reached, or answered with an error: worth trying again later."""


class OssUnavailable(OssError):
    """The circuit is open after repeated failures: OSS was not called."""


class NibNotFound(Exception):
    """OSS knows no business with this NIB."""


class ReportRejected(Exception):
    """OSS refused a status report as malformed: sending it again will not help."""


@dataclass(frozen=True)
class Business:
    """What the platform keeps of a business registered in OSS."""

    nib: str
    name: str
    kbli: tuple[str, ...]
    address: str


@dataclass(frozen=True)
class StatusReport:
    """One status change of a permit, as OSS's `IZINSTATUS` wants it."""

    report_id: str
    nib: str
    permit_id: str
    permit_code: str
    status_code: str
    status_name: str
    at: datetime
    officer: str
    note: str


class OssGateway(Protocol):
    """What the applications service asks of OSS."""

    def lookup_nib(self, nib: str) -> Business: ...

    def report_status(self, report: StatusReport) -> None: ...

    def circuit_state(self) -> str: ...


@dataclass(frozen=True)
class OssSettings:
    """Where OSS is, who we are to it, and how patient to be."""

    base_url: str
    user_key: str
    username: str
    password: str
    agency_code: str
    timeout: float
    retries: int
    breaker_failures: int
    breaker_reset_seconds: float


class HttpOssGateway:
    """OSS over HTTP. One instance per process: the circuit's state is the process's memory."""

    def __init__(self, settings: OssSettings, session: requests.Session | None = None):
        self.settings = settings
        self.session = session or retrying_session(settings.retries)
        self.breaker = pybreaker.CircuitBreaker(
            fail_max=settings.breaker_failures,
            reset_timeout=settings.breaker_reset_seconds,
            # OSS answered, and the answer was about our data: OSS itself is fine.
            exclude=[NibNotFound, ReportRejected],
        )

    def lookup_nib(self, nib: str) -> Business:
        answer = self._call(INQUIRY_PATH, {"INQUERYNIB": {"nib": nib}}, "responinqueryNIB")
        code = _code(answer)
        if code == NOT_FOUND:
            raise NibNotFound(nib)
        if code != OK:
            raise OssError(f"OSS answered kode {code}: {answer.get('keterangan')}")
        return business_from(answer.get("dataNIB") or {})

    def report_status(self, report: StatusReport) -> None:
        answer = self._call(
            STATUS_PATH,
            {"IZINSTATUS": self._izinstatus(report)},
            "responreceiveLicenseStatus",
            headers={REPORT_ID_HEADER: report.report_id},
        )
        code = _code(answer)
        if code == BAD_REQUEST:
            raise ReportRejected(answer.get("keterangan") or "Data Parameter Salah")
        if code != OK:
            raise OssError(f"OSS answered kode {code}: {answer.get('keterangan')}")

    def circuit_state(self) -> str:
        return self.breaker.current_state

    def _izinstatus(self, report: StatusReport) -> dict:
        return {
            "nib": report.nib,
            "id_izin": report.permit_id,
            "kd_izin": report.permit_code,
            "kd_instansi": self.settings.agency_code,
            "kd_status": report.status_code,
            "tgl_status": report.at.astimezone(WIB).strftime("%Y-%m-%d %H:%M:%S"),
            "nip_status": report.officer,
            "nama_status": report.status_name,
            "keterangan": report.note,
        }

    def _call(self, path: str, body: dict, answer_key: str, headers=None) -> dict:
        try:
            return self.breaker.call(self._post, path, body, answer_key, headers or {})
        except pybreaker.CircuitBreakerError as error:
            raise OssUnavailable(f"OSS circuit open: {error}") from None

    def _post(self, path: str, body: dict, answer_key: str, headers: dict) -> dict:
        settings = self.settings
        if not settings.base_url:
            raise OssError("OSS_BASE_URL is not set")
        try:
            response = self.session.post(
                settings.base_url.rstrip("/") + path,
                json=body,
                headers={"user_key": settings.user_key, **headers},
                auth=(settings.username, settings.password) if settings.username else None,
                timeout=(settings.timeout, settings.timeout),
            )
        except requests.RequestException as error:
            raise OssError(f"OSS unreachable: {type(error).__name__}") from error
        try:
            answer = response.json()[answer_key]
        except (ValueError, KeyError, TypeError):
            raise OssError(
                f"OSS answered HTTP {response.status_code} without {answer_key}"
            ) from None
        if response.status_code >= 500 or response.status_code in (401, 403, 405):
            raise OssError(f"OSS answered HTTP {response.status_code}: {answer.get('keterangan')}")
        return answer


def retrying_session(retries: int, backoff: float = RETRY_BACKOFF) -> requests.Session:
    """A session that retries failed connections, read timeouts and 502/503/504 with growing
    pauses. Both OSS calls are safe to repeat: an inquiry reads, and a
    status report carries its id."""
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        status_forcelist=(502, 503, 504),
        allowed_methods=None,  # POST too: see above
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def business_from(data: dict) -> Business:
    """The business from OSS's `dataNIB`: its name, address and the KBLI codes of its projects."""
    kbli = []
    for project in data.get("data_proyek") or []:
        code = str(project.get("kbli") or "").strip()
        if code and code not in kbli:
            kbli.append(code)
    return Business(
        nib=str(data.get("nib") or ""),
        name=str(data.get("nama_perseroan") or ""),
        kbli=tuple(kbli),
        address=str(data.get("alamat_perseroan") or ""),
    )


def _code(answer: dict) -> int:
    try:
        return int(answer.get("kode"))
    except (TypeError, ValueError):
        raise OssError(f"OSS answered without a kode: {answer!r:.200}") from None

"""A local stand-in for OSS RBA that speaks the same HTTP contract, for `make up` and the tests.

It knows a few businesses by NIB, answers `POST /inqueryNIB` and `POST /receiveLicenseStatus`
as OSS's integration interface describes them (envelopes `responinqueryNIB` and
`responreceiveLicenseStatus` with OSS's `kode` and `keterangan`), checks the `user_key` header,
keeps each status report once (by its `X-Request-ID`) and shows them at `GET /_standin/reports`.
`POST /_standin/mode` switches it to a failure: `error` (OSS's 500), `slow` (answers late),
`down` (503 from the front proxy, no OSS answer), or back to `ok`.

Run it alone: `python -m services.applications.oss.standin --port 8092 --user-key KEY`.
"""

from __future__ import annotations

import argparse
import re
import threading
import time
from datetime import UTC, datetime

from flask import Flask, Response, jsonify, request
from werkzeug.serving import WSGIRequestHandler, make_server

MODES = ("ok", "error", "slow", "down")
NIB_PATTERN = re.compile(r"^\d{13}$")
STATUS_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

# Businesses the stand-in knows, shaped as OSS's dataNIB (the fields the platform reads).
BUSINESSES = {
    "9120001234567": {
        "nama_perseroan": "CV Reklame Nusantara",
        "alamat_perseroan": "Jl. Merdeka No. 12, Kel. Sukamaju, Kec. Kota, Kabupaten Contoh",
        "data_proyek": [{"kbli": "73100", "uraian_usaha": "Periklanan"}],
    },
    "8120102345678": {
        "nama_perseroan": "PT Klinik Sehat Sentosa",
        "alamat_perseroan": "Jl. Pahlawan No. 5, Kel. Sidomulyo, Kec. Barat, Kabupaten Contoh",
        "data_proyek": [
            {"kbli": "86105", "uraian_usaha": "Aktivitas Klinik Swasta"},
            {"kbli": "47722", "uraian_usaha": "Perdagangan Eceran Obat di Apotek"},
        ],
    },
    "9120304567890": {
        "nama_perseroan": "PT Bangun Graha Persada",
        "alamat_perseroan": "Jl. Industri Raya No. 88, Kel. Tegalrejo, Kabupaten Contoh",
        "data_proyek": [
            {"kbli": "41011", "uraian_usaha": "Konstruksi Gedung Hunian"},
            {"kbli": "68111", "uraian_usaha": "Real Estat yang Dimiliki Sendiri"},
        ],
    },
}


class OssStandin:
    """The stand-in's memory: its mode, and the status reports it received (each once)."""

    def __init__(self, user_key: str = "", slow_seconds: float = 5.0):
        self.user_key = user_key
        self.slow_seconds = slow_seconds
        self.mode = "ok"
        self.reports: dict[str, dict] = {}
        self.calls = 0
        self.lock = threading.Lock()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.mode = mode

    def received(self) -> list[dict]:
        with self.lock:
            return list(self.reports.values())

    def keep(self, report_id: str, status: dict) -> None:
        with self.lock:
            self.reports.setdefault(
                report_id,
                {"report_id": report_id, "received_at": datetime.now(UTC).isoformat(), **status},
            )


def create_app(standin: OssStandin) -> Flask:
    app = Flask(__name__)

    @app.before_request
    def behave_as_told():
        if request.path.startswith("/_standin"):
            return None
        standin.calls += 1
        if standin.mode == "down":
            return Response("503 Service Unavailable", status=503, mimetype="text/plain")
        if standin.mode == "slow":
            time.sleep(standin.slow_seconds)
        return None

    @app.post("/inqueryNIB")
    def inquery_nib():
        envelope = "responinqueryNIB"
        refusal = _refusal(standin, envelope)
        if refusal:
            return refusal
        nib = str(((request.get_json(silent=True) or {}).get("INQUERYNIB") or {}).get("nib", ""))
        if not NIB_PATTERN.match(nib):
            return _answer(envelope, 400, "Data Parameter Salah: nib harus 13 digit", 400)
        if nib not in BUSINESSES:
            return _answer(envelope, 404, "Data NIB tidak ditemukan", 404)
        return _answer(envelope, 200, "Sukses", 200, dataNIB={"nib": nib, **BUSINESSES[nib]})

    @app.post("/receiveLicenseStatus")
    def receive_license_status():
        envelope = "responreceiveLicenseStatus"
        refusal = _refusal(standin, envelope)
        if refusal:
            return refusal
        status = (request.get_json(silent=True) or {}).get("IZINSTATUS") or {}
        problem = _status_problem(status)
        if problem:
            return _answer(envelope, 400, f"Data Parameter Salah: {problem}", 400)
        report_id = request.headers.get("X-Request-ID") or _natural_key(status)
        standin.keep(report_id, status)
        return _answer(envelope, 200, "Sukses", 200, dataNIB={})

    @app.get("/_standin/reports")
    def reports():
        return {"reports": standin.received(), "mode": standin.mode, "calls": standin.calls}

    @app.post("/_standin/mode")
    def mode():
        try:
            standin.set_mode(str((request.get_json(silent=True) or {}).get("mode")))
        except ValueError as error:
            return {"error": str(error)}, 400
        return {"mode": standin.mode}

    return app


def _refusal(standin: OssStandin, envelope: str):
    if standin.user_key and request.environ.get("HTTP_USER_KEY") != standin.user_key:
        return _answer(envelope, 401, "User Akses Tidak Valid", 401)
    if standin.mode == "error":
        return _answer(envelope, 500, "Proses Payload Data Di Sistem OSS Gagal", 500)
    return None


def _status_problem(status: dict) -> str | None:
    if status.get("nib") not in BUSINESSES:
        return "nib tidak dikenal"
    for field in ("id_izin", "kd_izin", "kd_status", "nama_status"):
        if not str(status.get(field) or "").strip():
            return f"{field} wajib diisi"
    if not re.match(r"^\d{2}$", str(status["kd_status"])):
        return "kd_status harus 2 digit"
    try:
        datetime.strptime(str(status.get("tgl_status")), STATUS_TIME_FORMAT)
    except ValueError:
        return "tgl_status harus YYYY-MM-DD HH:MM:SS"
    return None


def _natural_key(status: dict) -> str:
    """Without a request id, a report is the same report when it says the same thing."""
    return f"{status['id_izin']}:{status['kd_status']}:{status['tgl_status']}"


def _answer(envelope: str, kode: int, keterangan: str, http_status: int, **extra):
    return jsonify({envelope: {"kode": kode, "keterangan": keterangan, **extra}}), http_status


class _KeepsUserKey(WSGIRequestHandler):
    """OSS names its key header `user_key`; werkzeug drops headers with underscores (so that
    `user-key` cannot pass for it), and the stand-in needs to read this one."""

    def make_environ(self):
        environ = super().make_environ()
        if "user_key" in self.headers:
            environ["HTTP_USER_KEY"] = self.headers["user_key"]
        return environ


class StandinServer:
    """The stand-in served from a thread of the current process (devstack, tests)."""

    def __init__(self, port: int = 0, host: str = "127.0.0.1", user_key: str = ""):
        self.standin = OssStandin(user_key=user_key)
        self.server = make_server(
            host, port, create_app(self.standin), threaded=True, request_handler=_KeepsUserKey
        )
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.server.host}:{self.server.port}"

    def start(self) -> StandinServer:
        self.thread = threading.Thread(
            target=self.server.serve_forever,
            kwargs={"poll_interval": 0.05},  # so that stop() returns at once
            name="oss-standin",
            daemon=True,
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.applications.oss.standin", description=__doc__
    )
    parser.add_argument("--port", type=int, default=8092)
    parser.add_argument("--user-key", default="", help="the user_key to demand (empty: any)")
    args = parser.parse_args(argv)
    server = StandinServer(args.port, user_key=args.user_key)
    print(f"OSS stand-in on {server.url}", flush=True)
    server.server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

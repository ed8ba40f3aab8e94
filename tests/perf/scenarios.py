"""The measurements of `make bench`, numbered as in the issue, each against its ceiling."""

from __future__ import annotations

import hashlib
import itertools
import os
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import requests

from chassis.config import load_settings
from chassis.objectstore import FilesystemObjectStore
from devstack.launcher import Platform, answers_ready
from gateway.rpc import RpcPool
from tests.perf import amqp_echo
from tests.perf.load import CpuMeter, Run, closed_loop, expect, paced, wrk
from tests.perf.office import BILLBOARD, Office, children_of, full_va
from tests.perf.report import Measurement, Report, percentile
from tests.perf.seeding import Seeder, applications_store
from tests.support.large_pdf import pdf_chunks
from tests.support.processes import free_port

REPO = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
DEFAULT_RPC_TIMEOUT = 5.0  # what `make up` and production use (RPC_TIMEOUT)
BENCH_RPC_TIMEOUT = 60
# Which load generator made a row (the JSON says so next to its CPU share).
WRK = "wrk -t1"
THREADS = "Python threads, closed loop"
PACED = "Python threads, paced"


@dataclass
class Settings:
    """How long and how often: `--quick` shrinks every figure for a smoke run."""

    wrk_seconds: int = 10
    creates: int = 300
    submits: int = 60
    rpc_round_trips: int = 2000
    payments: int = 40
    uploads: int = 3
    upload_mb: int = 100
    store_sizes: tuple[int, ...] = (1_000, 20_000)
    store_queries: int = 10


@dataclass
class Bench:
    platform: Platform
    office: Office
    amqp_uri: str
    settings: Settings
    report: Report

    @property
    def threads(self) -> int:
        return load_settings(self.platform.environ)["GATEWAY_THREADS"]


# --- 1, 2, 3: the HTTP path against a bare Flask endpoint on the same server ----------------


def http_ceiling(bench: Bench) -> None:
    report, office, seconds = bench.report, bench.office, bench.settings.wrk_seconds
    connections = bench.threads  # one connection per gunicorn thread: every thread kept busy
    with BareFlaskServer(bench.platform.environ) as (url, pids):
        bare = wrk(f"{url}/ping", {"bare_flask": pids}, connections=connections, seconds=seconds)
    add_run(report, "1_bare_flask", "(1) bare Flask /ping, same gunicorn settings", bare, WRK)
    healthz = wrk(
        f"{office.site}/healthz",
        office.servers("gateway"),
        connections=connections,
        seconds=seconds,
    )
    add_run(report, "2_healthz", "(2) gateway /healthz", healthz, WRK)

    application = office.draft()
    url = f"{office.base}/applications/{application['id']}"
    token = office.token(office.applicant)
    servers = office.servers("gateway", "applications")
    saturated = wrk(url, servers, connections=connections, seconds=seconds, token=token)
    add_run(report, "3_get_saturated", "(3) GET application, saturated", saturated, WRK)

    rate = saturated.per_second / 2

    def get(session, _):
        expect(session.get(url, headers=office.applicant.headers, timeout=10), 200)

    # Enough threads that a slow answer never holds back the next scheduled request.
    half = paced(get, rate, seconds, workers=2 * connections, servers=servers)
    what = f"(3) GET application at half saturation ({rate:.0f}/s)"
    add_run(report, "3_get_half_load", what, half, PACED)
    share = saturated.per_second / bare.per_second
    report.target(
        "(3) throughput vs bare Flask (1)",
        ">= 25 %",
        f"{share:.0%} ({saturated.per_second:.0f} vs {bare.per_second:.0f}/s)",
        share >= 0.25,
    )
    p99 = report["3_get_half_load"].p99_ms
    report.target("(3) p99 at half saturation", "<= 50 ms", f"{p99:.1f} ms", p99 <= 50)


def add_run(report: Report, key: str, what: str, run: Run, generator: str) -> None:
    if run.errors:
        raise RuntimeError(f"{what}: {run.errors} failed requests")
    if run.latencies is None:  # wrk: its own percentiles
        measurement = Measurement(
            key, what, run.requests, run.p50_ms, run.p99_ms, run.per_second, run.notes(generator)
        )
    else:
        measurement = Measurement.of(key, what, run.latencies, run.seconds, **run.notes(generator))
    report.add(measurement)


class BareFlaskServer:
    """The ceiling app in its own process on a free port, the gateway's server settings."""

    def __init__(self, environ: dict):
        self.port = free_port()
        self.environ = {**environ, "GATEWAY_PORT": str(self.port), "PYTHONPATH": str(REPO)}

    def __enter__(self) -> tuple[str, list[int]]:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.perf.bare_flask"],
            env=self.environ,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{self.port}"
        _wait_for(lambda: answers_ready(f"{url}/ping"), "the bare Flask server")
        return url, [self.process.pid, *children_of(self.process.pid)]

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait(timeout=30)


# --- 4: creating and submitting files ----------------------------------------------------------


def create_and_submit(bench: Bench) -> None:
    report, office, settings = bench.report, bench.office, bench.settings
    servers = office.servers("gateway", "applications")
    drafts: list[dict] = []

    def create(session, _):
        answer = session.post(
            f"{office.base}/applications", json=BILLBOARD, headers=office.applicant.headers
        )
        drafts.append(expect(answer, 201).json())

    run = closed_loop(create, settings.creates, workers=4, servers=servers)
    add_run(report, "4_create", "(4) POST /applications (4 clients)", run, THREADS)
    ready = drafts[: settings.submits]
    with_uploads(office, ready)

    def submit(session, index):
        answer = session.post(
            f"{office.base}/applications/{ready[index]['id']}/submit",
            headers=office.applicant.headers,
        )
        expect(answer, 200)

    run = closed_loop(submit, len(ready), workers=4, servers=servers)
    add_run(report, "4_submit", "(4) POST /applications/{id}/submit (4 clients)", run, THREADS)


def with_uploads(office: Office, drafts: list[dict]) -> None:
    """Every required document uploaded and known to the file, so it can be submitted."""
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(office.upload_required, drafts))
    for draft in drafts:
        office.wait_uploads_known(draft)


# --- 5: a nameko RPC hop against a raw AMQP round trip -----------------------------------------


def rpc_hop(bench: Bench, block: int = 200) -> None:
    """Alternating blocks of raw round trips, bare nameko calls and calls to a chassis service,
    so drift on a shared machine hits all three alike."""
    report, total, uri = bench.report, bench.settings.rpc_round_trips, bench.amqp_uri
    with HelperProcess("tests.perf.amqp_echo", uri), HelperProcess("tests.perf.nameko_echo", uri):
        raw_client, pool = amqp_echo.EchoClient(uri), RpcPool(uri, 1, 5.0)
        paths = {
            "raw": raw_client.round_trip,
            "bare": lambda: _timed(lambda: pool.call("echo", "ping")),
            "chassis": lambda: _timed(lambda: pool.call("identity", "health")),
        }
        timings = {name: [] for name in paths}
        for path in paths.values():  # warm every path before timing
            for _ in range(block):
                path()
        while len(timings["raw"]) < total:
            for name, path in paths.items():
                timings[name] += [path() for _ in range(block)]
        raw_client.close()
        pool.close()
    report.add(
        Measurement.of("5_raw_amqp", "(5) raw AMQP round trip (py-amqp echo)", timings["raw"])
    )
    report.add(
        Measurement.of("5_bare_nameko", "(5) bare nameko service (echo.ping)", timings["bare"])
    )
    report.add(
        Measurement.of("5_nameko_hop", "(5) nameko RPC hop, chassis service", timings["chassis"])
    )
    hop_p50, raw_p50 = report["5_nameko_hop"].p50_ms, report["5_raw_amqp"].p50_ms
    report.target("(5) nameko hop p50", "<= 2 ms", f"{hop_p50:.2f} ms", hop_p50 <= 2)
    report.target(
        "(5) nameko hop vs raw AMQP (p50)",
        "<= 3x",
        f"{hop_p50 / raw_p50:.1f}x (raw {raw_p50:.2f}, bare nameko "
        f"{report['5_bare_nameko'].p50_ms:.2f} ms)",
        hop_p50 <= 3 * raw_p50,
    )


class HelperProcess:
    """A helper process of the benchmark (`python -m module AMQP_URI`), up until it says ready."""

    def __init__(self, module: str, amqp_uri: str):
        self.argv = [sys.executable, "-m", module, amqp_uri]

    def __enter__(self):
        self.process = subprocess.Popen(
            self.argv,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"{' '.join(self.argv)} did not start")
        return self.process

    def __exit__(self, *_):
        self.process.terminate()
        self.process.wait(timeout=10)


def _timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


# --- 6: from the bank's payment to the file in approval -----------------------------------------


def payment_to_approval(bench: Bench) -> None:
    report, office = bench.report, bench.office
    files = office.many_awaiting_payment(bench.settings.payments)
    bank, partner, bank_session = office.bank()
    poller = requests.Session()
    to_approval, written, payment_calls = [], [], []
    for file in files:
        status, answer = bank.pay(full_va(partner, file["invoice"]))
        answered = time.perf_counter()
        if answer.get("responseCode") != "2002500":
            raise RuntimeError(f"the bank's payment was refused: {status} {answer}")
        while (shown := office.view(poller, file["id"]))["state"] != "approval":
            time.sleep(0.002)
        seen = time.perf_counter()
        payment_calls.append(answered - bank_session.payment_sent_at)
        to_approval.append(seen - bank_session.payment_sent_at)
        # When the applications service wrote the change (its own clock, the same machine's).
        paid = next(e for e in shown["timeline"] if e["action"] == "payment_received")
        written.append(datetime.fromisoformat(paid["at"]).timestamp() - bank_session.sent_at_wall)
    report.add(Measurement.of("6_snap_payment", "(6) SNAP payment call (bank port)", payment_calls))
    report.add(
        Measurement.of("6_payment_to_write", "(6) SNAP payment -> approval written", written)
    )
    report.add(
        Measurement.of("6_payment_to_approval", "(6) SNAP payment -> file in approval", to_approval)
    )
    p99 = report["6_payment_to_approval"].p99_ms
    report.target("(6) payment -> approval p99", "<= 250 ms", f"{p99:.0f} ms", p99 <= 250)


# --- 7: a 100 MB upload against writing the same bytes straight to the object store -----------


def large_upload(bench: Bench) -> None:
    report, office, settings = bench.report, bench.office, bench.settings
    size = settings.upload_mb * MB
    draft = office.draft({"permit_type": "PBG", "data": {}})
    direct_store = FilesystemObjectStore(bench.platform.data_dir / "bench-direct-objects")
    through, direct, growth = [], [], {"gateway": [], "documents": []}
    cpu_seconds: dict[str, list[float]] = {}
    for attempt in range(settings.uploads):
        digest = hashlib.sha256()
        started = time.perf_counter()
        written = direct_store.put(
            f"bench/{attempt}",
            ChunkReader(pdf_chunks(size, digest)),
            content_type="application/pdf",
        )
        direct.append(time.perf_counter() - started)
        if written.sha256 != digest.hexdigest():
            raise RuntimeError("the direct write stored other bytes than it was given")

        baseline = {name: reset_peak_rss(office.pids(name)) for name in growth}
        meter = CpuMeter(office.servers("gateway", "documents"))
        seconds, stored, sent = upload_through_gateway(office, draft["id"], size)
        for name, cpu in meter.spent().items():
            cpu_seconds.setdefault(name, []).append(round(cpu, 2))
        cpu_seconds.setdefault("client (this process)", []).append(round(meter.own_cpu(), 2))
        if stored["size"] != size or stored["sha256"] != sent:
            raise RuntimeError(f"the upload was stored wrong: {stored}")
        through.append(seconds)
        for name in growth:
            growth[name].append(peak_rss_mb(office.pids(name)) - baseline[name])
    report.add(
        Measurement.of(
            "7_direct_write",
            f"(7) {settings.upload_mb} MB straight to the filesystem object store",
            direct,
            mb_per_second=round(settings.upload_mb / percentile(direct, 50), 1),
        )
    )
    report.add(
        Measurement.of(
            "7_upload",
            f"(7) {settings.upload_mb} MB upload through gateway and documents",
            through,
            mb_per_second=round(settings.upload_mb / percentile(through, 50), 1),
            peak_rss_growth_mb={k: [round(v, 1) for v in values] for k, values in growth.items()},
            cpu_seconds_per_upload=cpu_seconds,
        )
    )
    share = percentile(direct, 50) / percentile(through, 50)
    report.target(
        "(7) upload throughput vs direct write",
        ">= 50 %",
        f"{share:.0%} ({settings.upload_mb / percentile(through, 50):.0f} vs "
        f"{settings.upload_mb / percentile(direct, 50):.0f} MB/s)",
        share >= 0.5,
    )
    worst = {name: max(values) for name, values in growth.items()}
    report.target(
        "(7) peak RSS growth (gateway, documents)",
        "< 30 MB",
        f"{worst['gateway']:.1f} MB, {worst['documents']:.1f} MB",
        all(mb < 30 for mb in worst.values()),
    )


def upload_through_gateway(office: Office, application_id: str, size: int):
    """Seconds taken, the stored document, and the SHA-256 of the bytes sent. The form goes
    with its length, as a browser sends a chosen file, and is streamed, never held whole."""
    boundary = uuid.uuid4().hex
    digest = hashlib.sha256()
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="requirement"\r\n\r\n'
        f"gambar_arsitektur\r\n--{boundary}\r\nContent-Disposition: form-data; "
        f'name="file"; filename="denah.pdf"\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = ChunkReader(
        itertools.chain([head], pdf_chunks(size, digest), [tail]), len(head) + size + len(tail)
    )
    started = time.perf_counter()
    answer = requests.post(
        f"{office.base}/applications/{application_id}/documents",
        data=body,
        headers={
            **office.applicant.headers,
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
        timeout=300,
    )
    seconds = time.perf_counter() - started
    return seconds, expect(answer, 201).json(), digest.hexdigest()


class ChunkReader:
    """A file-like read(n) over chunks, as the object store pulls from an upload; with a
    length, `requests` sends it as the body with its Content-Length."""

    def __init__(self, chunks, length: int | None = None):
        self.chunks, self.pending, self.length = chunks, b"", length

    def __len__(self) -> int:
        return self.length

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self.pending) < size:
            piece = next(self.chunks, b"")
            if not piece:
                break
            self.pending += piece
        cut = len(self.pending) if size < 0 else size
        data, self.pending = self.pending[:cut], self.pending[cut:]
        return data


def reset_peak_rss(pids: list[int]) -> float:
    """Reset the kernel's peak-RSS mark of the processes; their largest RSS now, in MB."""
    for pid in pids:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    return max(_status_mb(pid, "VmRSS") for pid in pids)


def peak_rss_mb(pids: list[int]) -> float:
    return max(_status_mb(pid, "VmHWM") for pid in pids)


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


# --- 8: the officer queue and public tracking as the working set grows -----------------------


def store_growth(bench: Bench) -> None:
    report, office, settings = bench.report, bench.office, bench.settings
    seeder = Seeder(applications_store(bench.platform.data_dir))
    frontdesk = office.officers["frontdesk"].headers
    session = requests.Session()
    queue_url = f"{office.base}/applications?role_queue=frontdesk&page=1&per_page=20"

    receipts: list[str] = []
    for size in settings.store_sizes:
        started = time.perf_counter()
        receipts += seeder.add(size - len(receipts))
        seeding = time.perf_counter() - started
        # The service rebuilds its in-memory index after another writer's inserts, once.
        expect(session.get(queue_url, headers=frontdesk, timeout=BENCH_RPC_TIMEOUT), 200)
        queue = timed_gets(session, [queue_url] * settings.store_queries, frontdesk)
        what = f"(8) frontdesk queue, page 1, {size} open files"
        report.add(
            Measurement.of(
                f"8_queue_{size}",
                what,
                queue,
                seeded_seconds=round(seeding),
                past_default_deadline=sum(seconds > DEFAULT_RPC_TIMEOUT for seconds in queue),
            )
        )
        sample = receipts[:: max(1, len(receipts) // 200)]
        tracking = timed_gets(session, [f"{office.base}/track/{r}" for r in sample], {})
        what = f"(8) public tracking, {size} open files"
        report.add(
            Measurement.of(
                f"8_track_{size}",
                what,
                tracking,
                past_default_deadline=sum(seconds > DEFAULT_RPC_TIMEOUT for seconds in tracking),
            )
        )
    small, large = settings.store_sizes[0], settings.store_sizes[-1]
    for name in ("queue", "track"):
        ratio = report[f"8_{name}_{large}"].p50_ms / report[f"8_{name}_{small}"].p50_ms
        report.target(
            f"(8) {name}: {large} vs {small} files (p50)",
            "<= 2x slower",
            f"{ratio:.1f}x",
            ratio <= 2,
        )
    docker = "a Docker engine answers" if docker_answers() else "no Docker engine answers here"
    report.skipped.append(f"(8) on MongoDB: the bench runs the embedded store only ({docker})")


def timed_gets(session, urls: list[str], headers: dict) -> list[float]:
    latencies = []
    for url in urls:
        started = time.perf_counter()
        expect(session.get(url, headers=headers, timeout=BENCH_RPC_TIMEOUT + 5), 200)
        latencies.append(time.perf_counter() - started)
    return latencies


def docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


def _wait_for(check, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"waited {timeout:.0f} s for {what}")
        time.sleep(0.1)

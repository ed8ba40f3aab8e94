"""Load generators: wrk for saturation, Python threads for paced load and multi-step requests.

wrk (C, one event-loop thread) drives the saturation runs: it needs a fraction of a core to
saturate a single-process Python server, so the server, not the generator, is what is measured;
each run reports the generator's and the server's CPU share to show it. Paced runs (half of
saturation) and requests that need per-request data (create, submit, payments) use Python
threads, whose cost at those rates is small next to the platform's; their CPU share is reported
too.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import requests

# Printed by wrk's done() hook: the run's per-request latency percentiles in microseconds.
WRK_SCRIPT = r"""
local token = os.getenv("BENCH_TOKEN")
if token ~= nil and token ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"socket_errors":%d,"status_errors":%d,' ..
    '"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


Servers = dict[str, list[int]]  # a name ("gateway", "rabbitmq") and its processes


@dataclass
class Run:
    """Per-request latencies (seconds) of one run, its wall time and who spent the CPU."""

    latencies: list[float] | None
    seconds: float
    requests: int
    generator_cpu: float  # share of one core the load generator used
    server_cpu_ms: dict[str, float]  # CPU milliseconds each server spent per request
    p50_ms: float | None = None  # wrk's own percentiles, where it keeps the latencies
    p99_ms: float | None = None
    errors: int = 0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def notes(self, generator: str) -> dict:
        return {
            "generator": generator,
            "generator_cpu_share": round(self.generator_cpu, 2),
            "cpu_ms_per_request": {k: round(v, 3) for k, v in self.server_cpu_ms.items()},
        }


def wrk(url: str, servers: Servers, *, connections: int, seconds: int, token=None) -> Run:
    """One closed-loop wrk run (one thread, `connections` keep-alive connections)."""
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is missing: `make bench` installs it")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    env = {**os.environ, "BENCH_TOKEN": token or ""}
    before_children = _children_cpu()
    meter = CpuMeter(servers)
    try:
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", script.name, url],
            capture_output=True,
            text=True,
            env=env,
            timeout=seconds + 30,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    spent = meter.spent()
    found = re.search(r"^BENCH_JSON (.*)$", done.stdout, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no summary: {done.stdout} {done.stderr}")
    summary = json.loads(found.group(1))
    wall = summary["duration_us"] / 1e6
    count = summary["requests"]
    return Run(
        latencies=None,
        seconds=wall,
        requests=count,
        generator_cpu=(_children_cpu() - before_children) / wall,
        server_cpu_ms={name: cpu * 1000 / count for name, cpu in spent.items()},
        p50_ms=summary["p50_us"] / 1000,
        p99_ms=summary["p99_us"] / 1000,
        errors=summary["socket_errors"] + summary["status_errors"],
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """CPU seconds (user and system) a process has used so far."""
    with open(f"/proc/{pid}/stat") as stat:
        # utime and stime are fields 14 and 15; the command name before them may hold spaces.
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def listening_pids(port: int) -> list[int]:
    """The processes listening on a local TCP port (the broker's Erlang VM for AMQP)."""
    listing = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True, check=True
    ).stdout
    return sorted({int(pid) for pid in re.findall(r"pid=(\d+)", listing)})


class CpuMeter:
    """CPU seconds that groups of processes (and this one, the generator) spend from now on."""

    def __init__(self, servers: Servers):
        self.servers = servers
        self.started = time.monotonic()
        self.own = _own_cpu()
        self.before = self._cpu()

    def _cpu(self) -> dict[str, float]:
        return {name: sum(map(process_cpu, pids)) for name, pids in self.servers.items()}

    def spent(self) -> dict[str, float]:
        now = self._cpu()
        return {name: now[name] - self.before[name] for name in now}

    def own_cpu(self) -> float:
        return _own_cpu() - self.own

    def own_share(self) -> float:
        return self.own_cpu() / (time.monotonic() - self.started)


Request = Callable[[requests.Session, int], None]


def closed_loop(request: Request, count: int, workers: int, servers: Servers) -> Run:
    """`count` requests from `workers` threads, each sending its next as soon as one answers.
    `request(session, i)` performs request i and raises when the answer is wrong."""
    latencies: list[float] = []
    lock = threading.Lock()
    indexes = iter(range(count))
    meter = CpuMeter(servers)

    def work():
        session = requests.Session()
        while True:
            with lock:
                index = next(indexes, None)
            if index is None:
                return
            started = time.perf_counter()
            request(session, index)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)

    started = time.monotonic()
    _run_threads(work, workers)
    return _threaded_run(latencies, time.monotonic() - started, meter)


def paced(request: Request, rate: float, seconds: float, workers: int, servers: Servers) -> Run:
    """Requests sent on a fixed schedule (`rate` per second) whatever the answers do; latency
    counts from the scheduled moment, so a stall shows up in full (no coordinated omission)."""
    total = int(rate * seconds)
    latencies: list[float] = []
    lock = threading.Lock()
    slots = iter(range(total))
    meter = CpuMeter(servers)
    start = time.perf_counter() + 0.1

    def work():
        session = requests.Session()
        while True:
            with lock:
                slot = next(slots, None)
            if slot is None:
                return
            due = start + slot / rate
            time.sleep(max(0.0, due - time.perf_counter()))
            request(session, slot)
            elapsed = time.perf_counter() - due
            with lock:
                latencies.append(elapsed)

    _run_threads(work, workers)
    return _threaded_run(latencies, time.perf_counter() - start, meter)


def _threaded_run(latencies: list[float], seconds: float, meter: CpuMeter) -> Run:
    spent = meter.spent()
    return Run(
        latencies=latencies,
        seconds=seconds,
        requests=len(latencies),
        generator_cpu=meter.own_share(),
        server_cpu_ms={name: cpu * 1000 / len(latencies) for name, cpu in spent.items()},
    )


def _run_threads(work: Callable[[], None], workers: int) -> None:
    errors: list[BaseException] = []

    def guarded():
        try:
            work()
        except BaseException as error:  # re-raised below, in the caller's thread
            errors.append(error)

    threads = [threading.Thread(target=guarded) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def expect(answer: requests.Response, *statuses: int) -> requests.Response:
    if answer.status_code not in statuses:
        raise RuntimeError(
            f"{answer.request.method} {answer.url}: {answer.status_code} {answer.text[:300]}"
        )
    return answer

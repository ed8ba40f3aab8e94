"""What a benchmark run found: measurements, the targets they are held to, a table and JSON."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path


def percentile(samples: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..100) of per-request samples."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Measurement:
    """One row of the table: latencies in milliseconds, throughput in requests per second."""

    key: str
    what: str
    count: int
    p50_ms: float
    p99_ms: float
    per_second: float | None = None
    notes: dict = field(default_factory=dict)

    @classmethod
    def of(cls, key: str, what: str, seconds: list[float], elapsed: float | None = None, **notes):
        """From per-request latencies in seconds; throughput when the run's wall time is given."""
        return cls(
            key=key,
            what=what,
            count=len(seconds),
            p50_ms=percentile(seconds, 50) * 1000,
            p99_ms=percentile(seconds, 99) * 1000,
            per_second=len(seconds) / elapsed if elapsed else None,
            notes=notes,
        )


@dataclass
class Target:
    """A figure the issue asks for, and whether this run met it."""

    name: str
    wanted: str
    measured: str
    met: bool | None  # None: could not be measured on this machine
    evidence: str = ""


@dataclass
class Report:
    measurements: dict[str, Measurement] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    # Other work on a shared machine shows here: the figures compare only within one run.
    load_at_start: tuple[float, ...] = field(default_factory=os.getloadavg)
    seconds: float = 0.0

    def add(self, measurement: Measurement) -> Measurement:
        self.measurements[measurement.key] = measurement
        print(f"  {_row(measurement)}", flush=True)
        return measurement

    def __getitem__(self, key: str) -> Measurement:
        return self.measurements[key]

    def target(self, name: str, wanted: str, measured: str, met: bool | None, evidence=""):
        self.targets.append(Target(name, wanted, measured, met, evidence))

    def table(self) -> str:
        lines = [
            f"{'measurement':<58} {'n':>6} {'p50 ms':>9} {'p99 ms':>9} {'per s':>9}",
            *(_row(m) for m in self.measurements.values()),
            "",
            f"{'target':<44} {'wanted':<26} {'measured':<30} result",
        ]
        for target in self.targets:
            result = {True: "met", False: "MISSED", None: "not measured"}[target.met]
            lines.append(f"{target.name:<44} {target.wanted:<26} {target.measured:<30} {result}")
        lines += [f"skipped: {reason}" for reason in self.skipped]
        loads = (self.load_at_start[0], os.getloadavg()[0])
        lines.append(f"load average (1 min) at start and end: {loads[0]:.1f}, {loads[1]:.1f}")
        return "\n".join(lines)

    def write(self, directory: Path) -> Path:
        """JSON of the run under `directory` (timestamped), and as latest.json beside it."""
        directory.mkdir(parents=True, exist_ok=True)
        document = {
            "started_at": self.started_at,
            "seconds": round(self.seconds, 1),
            "machine": {**machine(), "load_average_at_start": self.load_at_start},
            "measurements": {key: asdict(m) for key, m in self.measurements.items()},
            "targets": [asdict(t) for t in self.targets],
            "skipped": self.skipped,
        }
        text = json.dumps(document, indent=2, default=str)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        path = directory / f"bench-{stamp}.json"
        path.write_text(text)
        (directory / "latest.json").write_text(text)
        (directory / "latest.md").write_text(self.markdown(document["machine"]))
        return path

    def markdown(self, machine: dict) -> str:
        """The same tables for docs/PERFORMANCE.md."""
        lines = [
            f"Run of {self.started_at[:16]} UTC, commit {machine['commit']}, "
            f"{machine['cpus']} CPUs, {self.seconds / 60:.1f} min, load average (1 min) "
            f"{machine['load_average_at_start'][0]:.1f} at start and "
            f"{machine['load_average_at_end'][0]:.1f} at end.",
            "",
            "| measurement | n | p50 ms | p99 ms | per s |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for m in self.measurements.values():
            rate = f"{m.per_second:.1f}" if m.per_second is not None else ""
            lines.append(f"| {m.what} | {m.count} | {m.p50_ms:.2f} | {m.p99_ms:.2f} | {rate} |")
        lines += ["", "| target | wanted | measured | result |", "| --- | --- | --- | --- |"]
        for t in self.targets:
            result = {True: "met", False: "**missed**", None: "not measured"}[t.met]
            lines.append(f"| {t.name} | {t.wanted} | {t.measured} | {result} |")
        lines += ["", *(f"Skipped: {reason}" for reason in self.skipped)]
        return "\n".join(lines) + "\n"


def _row(m: Measurement) -> str:
    rate = f"{m.per_second:9.1f}" if m.per_second is not None else f"{'':>9}"
    return f"{m.what[:58]:<58} {m.count:>6} {m.p50_ms:>9.2f} {m.p99_ms:>9.2f} {rate}"


def machine() -> dict:
    """What the figures were measured on: they only compare within one run."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "kernel": platform.release(),
        "load_average_at_end": os.getloadavg(),
        "commit": _git("rev-parse", "--short", "HEAD"),
    }


def _git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], capture_output=True, text=True, check=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"

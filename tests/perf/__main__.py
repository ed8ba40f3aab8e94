"""`python -m tests.perf` (`make bench`): start the platform, measure it against its ceilings,
print the table and write it as JSON under test-artifacts/bench/."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path

from devstack.launcher import Platform, PlatformError
from tests.e2e.conftest import platform_environ
from tests.perf import scenarios
from tests.perf.office import Office
from tests.perf.report import Report
from tests.support import rabbit

REPO = Path(__file__).resolve().parents[2]
OUTPUT = REPO / "test-artifacts" / "bench"
SCENARIOS = {
    "http": scenarios.http_ceiling,
    "create": scenarios.create_and_submit,
    "rpc": scenarios.rpc_hop,
    "payment": scenarios.payment_to_approval,
    "upload": scenarios.large_upload,
    "store": scenarios.store_growth,
}
QUICK = scenarios.Settings(
    wrk_seconds=3,
    creates=40,
    submits=8,
    rpc_round_trips=400,
    payments=5,
    uploads=1,
    upload_mb=20,
    store_sizes=(200, 1_000),
    store_queries=5,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small figures, for a smoke run")
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these")
    args = parser.parse_args(argv)
    # Stopped from outside (a timeout, a kill): still stop the platform and drop the vhost.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    settings = QUICK if args.quick else scenarios.Settings()
    report, failed = Report(), []
    started = time.monotonic()
    vhost = rabbit.create_vhost()
    amqp_uri = rabbit.amqp_uri(vhost)
    with tempfile.TemporaryDirectory(prefix="gaspol-bench-") as data_dir:
        platform = start_platform(Path(data_dir), amqp_uri)
        try:
            bench = scenarios.Bench(platform, Office(platform), amqp_uri, settings, report)
            for name in args.only or SCENARIOS:
                print(f"[{name}]", flush=True)
                try:
                    SCENARIOS[name](bench)
                except Exception:
                    traceback.print_exc()
                    failed.append(name)
        finally:
            platform.stop()
            rabbit.delete_vhost(vhost)
    report.seconds = time.monotonic() - started
    print()
    print(report.table())
    print(f"\n{report.seconds / 60:.1f} min; written to {report.write(OUTPUT)}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def start_platform(data_dir: Path, amqp_uri: str, attempts: int = 3) -> Platform:
    """The platform on free ports; on a shared machine another program may take a port between
    the check and the bind, so a failed start is tried again on other ports."""
    for attempt in range(1, attempts + 1):
        environ = platform_environ(data_dir / f"attempt-{attempt}", amqp_uri)
        # (8) times how long a 20,000-file queue takes, rather than stopping at the default
        # 5 s deadline; it counts the answers that took longer than that.
        platform = Platform({**environ, "RPC_TIMEOUT": str(scenarios.BENCH_RPC_TIMEOUT)})
        platform.start()
        try:
            print(f"platform ready in {platform.wait_ready(timeout=90):.1f} s", flush=True)
        except PlatformError as error:
            platform.stop(grace=5)
            if attempt == attempts:
                raise
            print(f"platform did not start ({str(error).splitlines()[0]}); again", flush=True)
        else:
            return platform
    raise ValueError("attempts must be at least 1")


if __name__ == "__main__":
    sys.exit(main())

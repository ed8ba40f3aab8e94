"""`python -m devstack up`: start the platform, say where it answers, stop it on Ctrl-C/SIGTERM."""

from __future__ import annotations

import argparse
import signal
import sys

from chassis.config import ConfigError
from devstack.launcher import DEFAULT_GRACE, Platform, PlatformError


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived: stop the platform."""


def _interrupt(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


def say(text: str = "") -> None:
    # Flushed at once: whoever reads our stdout (a test, a pipe) waits for "ready".
    print(text, flush=True)


def print_ready(platform: Platform) -> None:
    say(f"GASPOL is ready: {len(platform.children)} processes in {platform.ready_seconds:.1f} s")
    for label, url in platform.urls():
        say(f"  {label:<22} {url}")
    say(f"  {'logs':<22} {platform.log_dir}/")
    say(f"  {'admin sign-in':<22} {platform.admin[0]} / {platform.admin[1]}")
    say(
        f"  {'pay as a bank':<22} .venv/bin/python -m services.payments.bank_simulator "
        f"--base-url http://127.0.0.1:{platform.bank_port} --partners-file "
        f"{platform.partners_file} pay <VA number>"
    )
    say("Press Ctrl-C to stop.")


def describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:  # Popen's way of saying "killed by a signal"
        return f"killed by {signal.Signals(-code).name}"
    return f"exited with code {code}"


def report_stop(platform: Platform, codes: dict[str, int | None]) -> bool:
    """Print how each process ended; True when all ended cleanly."""
    if not codes:  # nothing was started
        return False
    for name in platform.killed:
        say(f"{name} did not stop in time and was killed")
    unclean = {name: code for name, code in codes.items() if code != 0}
    if unclean:
        say("stopped; " + ", ".join(f"{n} {describe_exit(c)}" for n, c in unclean.items()))
    else:
        say("stopped; every process exited with code 0")
    return not unclean


def up(timeout: float, grace: float) -> int:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    platform = None
    interrupted = False
    try:
        platform = Platform()
        say(f"starting {len(platform.children)} processes, logs in {platform.log_dir}/ ...")
        platform.start()
        platform.wait_ready(timeout)
        print_ready(platform)
        dead = platform.wait_for_exit()
        say(f"{dead.name} {describe_exit(dead.exit_code())}; stopping everything")
        say(dead.log_tail())
    except Interrupted as interrupt:
        interrupted = True
        say(f"{interrupt} received, stopping")
    except (PlatformError, ConfigError) as error:
        say(f"error: {error}")
    finally:
        # A second Ctrl-C must not cut the orderly stop short and leave children behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        clean = report_stop(platform, platform.stop(grace)) if platform else False
    return 0 if interrupted and clean else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="run the whole platform until Ctrl-C")
    up_parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds to wait for every process to be ready (default 60)",
    )
    up_parser.add_argument(
        "--grace",
        type=float,
        default=DEFAULT_GRACE,
        help="seconds each process gets to drain when stopping",
    )
    commands.add_parser("demo", help="with the platform running, walk one permit to issued")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from devstack.demo import main as demo

        return demo()
    return up(args.timeout, args.grace)


if __name__ == "__main__":
    sys.exit(main())

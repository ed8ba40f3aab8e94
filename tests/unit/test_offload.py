"""off_hub: a direct call without eventlet, a native thread that keeps the hub free with it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading

import eventlet.patcher

from chassis.offload import off_hub


def test_without_monkey_patching_the_call_is_direct():
    assert not eventlet.patcher.is_monkey_patched("thread")
    caller = threading.get_ident()
    ran_in, result = off_hub(lambda a, *, b: (threading.get_ident(), a + b), 2, b=3)
    assert (ran_in, result) == (caller, 5)


def test_exceptions_reach_the_caller():
    def fail():
        raise KeyError("missing")

    try:
        off_hub(fail)
    except KeyError as error:
        assert error.args == ("missing",)
    else:
        raise AssertionError("the exception was swallowed")


# Runs in its own process: monkey-patching cannot be undone in this one.
# A green thread ticks every 10 ms while a ~300 ms PBKDF2 job runs, once through off_hub and
# once directly on the hub; it prints how many ticks each job let through.
HUB_PROBE = textwrap.dedent(
    """
    import eventlet
    eventlet.monkey_patch()

    import hashlib, json, time
    from chassis.offload import off_hub

    def job_of_about(seconds):
        started = time.perf_counter()
        hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 20_000)
        per_round = (time.perf_counter() - started) / 20_000
        rounds = int(seconds / per_round)
        return lambda: hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", rounds)

    ticks = 0

    def ticker():
        global ticks
        while True:
            ticks += 1
            eventlet.sleep(0.01)

    job = job_of_about(0.3)
    eventlet.spawn(ticker)
    eventlet.sleep(0.05)

    def ticks_during(run):
        before = ticks
        started = time.perf_counter()
        run()
        return ticks - before, time.perf_counter() - started

    offloaded, offloaded_seconds = ticks_during(lambda: off_hub(job))
    blocking, blocking_seconds = ticks_during(job)
    print(json.dumps({
        "patched": eventlet.patcher.is_monkey_patched("thread"),
        "offloaded": offloaded, "offloaded_seconds": offloaded_seconds,
        "blocking": blocking, "blocking_seconds": blocking_seconds,
    }))
    """
)


def test_with_monkey_patching_a_cpu_job_leaves_the_hub_free():
    finished = subprocess.run(
        [sys.executable, "-c", HUB_PROBE], capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr
    seen = json.loads(finished.stdout.strip().splitlines()[-1])
    assert seen["patched"] is True
    assert seen["offloaded_seconds"] > 0.15, seen
    # ~30 ticks of 10 ms fit in 300 ms; a third of them is proof enough on a busy machine.
    assert seen["offloaded"] >= 10, seen
    # The same job on the hub lets no tick through: the probe can tell the difference.
    assert seen["blocking"] <= 1, seen

"""Polling for a condition that other processes make true, with a deadline."""

from __future__ import annotations

import time


def wait_for(condition, timeout: float, interval: float = 0.1, what: str = "condition"):
    """The condition's first truthy value, polled until the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"{what} not met within {timeout} s")

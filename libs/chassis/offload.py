"""Run CPU-heavy calls in a native thread when an eventlet hub would otherwise be blocked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import eventlet.patcher
import eventlet.tpool

T = TypeVar("T")


def off_hub(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call fn(*args, **kwargs) without blocking the eventlet hub; return what it returns."""
    # Under eventlet every green thread shares one OS thread: a 50 ms argon2 hash or a PDF
    # render freezes all of them, AMQP heartbeats included, and the broker drops the link.
    # tpool runs fn in a real thread and parks only the calling green thread meanwhile.
    # Without monkey-patching (the gateway, tests) plain threads already share the CPU.
    if eventlet.patcher.is_monkey_patched("thread"):
        return eventlet.tpool.execute(fn, *args, **kwargs)
    return fn(*args, **kwargs)

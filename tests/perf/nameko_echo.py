"""A bare nameko service (no chassis) answering `echo.ping`: what nameko alone costs per hop.

`python -m tests.perf.nameko_echo AMQP_URI` runs it as the chassis runner runs a service (eventlet
monkey-patched, nameko's ServiceRunner), so the gap between it and a chassis service is ours,
and the gap between it and a raw AMQP round trip is the framework's.
"""

import warnings

warnings.filterwarnings("ignore", message="\nEventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()

import sys  # noqa: E402

from nameko.rpc import rpc  # noqa: E402
from nameko.runners import ServiceRunner  # noqa: E402


class EchoService:
    name = "echo"

    @rpc
    def ping(self) -> str:
        return "pong"


if __name__ == "__main__":
    runner = ServiceRunner({"AMQP_URI": sys.argv[1]})
    runner.add_service(EchoService)
    runner.start()
    print("ready", flush=True)
    runner.wait()

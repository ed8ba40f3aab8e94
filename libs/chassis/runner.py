"""Run one service as its own process: `python -m chassis.runner <module>:<Class>`."""

import warnings

# eventlet announces its deprecation on import; ARCHITECTURE §3 records why we still run on it.
warnings.filterwarnings("ignore", message="\nEventlet is deprecated")

import eventlet  # noqa: E402

eventlet.monkey_patch()  # before anything else imports socket or threading

import argparse  # noqa: E402
import logging  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from nameko.runners import ServiceRunner  # noqa: E402

from chassis import ops  # noqa: E402
from chassis.config import load_settings  # noqa: E402
from chassis.logs import configure_logging  # noqa: E402
from chassis.service import load_service_class  # noqa: E402

log = logging.getLogger("chassis.runner")

# How long in-flight workers get to finish after SIGTERM before they are killed; their messages,
# unacknowledged, then go back to the queue for another replica.
GRACE_SECONDS = 20


def run(service_path: str) -> int:
    settings = load_settings()
    service_cls = load_service_class(service_path)
    configure_logging(service_cls.name, settings["LOG_LEVEL"], settings["LOG_FORMAT"])
    config = settings.nameko_config()
    http_port_setting = getattr(service_cls, "http_port_setting", None)
    if http_port_setting:
        # nameko's @http entrypoints of this service listen here (one web server per process).
        config["WEB_SERVER_ADDRESS"] = f"0.0.0.0:{settings[http_port_setting]}"
    runner = ServiceRunner(config)
    runner.add_service(service_cls)

    stopping = []

    def shutdown(signum, _frame):
        if stopping:
            return
        stopping.append(signum)
        log.info("signal %s received, draining in-flight work", signum)
        eventlet.spawn_n(_stop, runner)

    signal.signal(signal.SIGTERM, shutdown)
    signal.signal(signal.SIGINT, shutdown)
    runner.start()
    ops.mark_started()
    log.info("service %s started", service_cls.name)
    runner.wait()
    log.info("service %s stopped", service_cls.name)
    return 0


def _stop(runner: ServiceRunner) -> None:
    try:
        with eventlet.Timeout(GRACE_SECONDS):
            runner.stop()
    except eventlet.Timeout:
        log.warning("workers still running after %ss, killing them", GRACE_SECONDS)
        runner.kill()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", help="module:Class of the nameko service")
    return run(parser.parse_args().service)


if __name__ == "__main__":
    sys.exit(main())

"""The ceiling: a bare Flask endpoint under the gateway's own gunicorn settings.

`python -m tests.perf.bare_flask` serves GET /ping on GATEWAY_PORT with exactly the server the
gateway runs under (gateway.__main__.GatewayServer: one gthread worker, GATEWAY_THREADS threads,
the same keep-alive), so the gap to the gateway is the gateway's own work.
"""

from __future__ import annotations

import sys

from flask import Flask, jsonify

from chassis.config import load_settings
from gateway.__main__ import GatewayServer


def bare_app() -> Flask:
    app = Flask(__name__)

    @app.get("/ping")
    def ping():
        return jsonify(status="ok")

    return app


class BareServer(GatewayServer):
    def load(self):
        return bare_app()


if __name__ == "__main__":
    sys.argv = sys.argv[:1]  # gunicorn would read our arguments as its own
    BareServer(load_settings()).run()

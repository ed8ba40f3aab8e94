"""The gateway's Flask app factory: request ids, metrics, problem answers and the blueprints."""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, g, request
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix

from chassis.config import Settings, load_settings
from chassis.metrics import HTTP_DURATION, HTTP_REQUESTS
from gateway.accounts import accounts_blueprint
from gateway.applications import applications_blueprint
from gateway.audit import audit_blueprint
from gateway.auth import EdgeAuth
from gateway.docs import docs_blueprint, swagger_blueprint
from gateway.documents import documents_blueprint
from gateway.help import help_blueprint
from gateway.notifications import notifications_blueprint
from gateway.ops import ops_blueprint
from gateway.payments import payments_blueprint
from gateway.problems import register_problem_handlers
from gateway.reports import reports_blueprint
from gateway.rpc import RpcPool
from gateway.validation import check_query
from gateway.web import web_blueprint

# An incoming X-Request-ID is kept (so a client's id follows the call through every service)
# only when it cannot smuggle anything into logs or headers.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def create_app(settings: Settings | None = None, rpc: RpcPool | None = None) -> Flask:
    settings = settings or load_settings()
    app = Flask(__name__)
    app.config["SETTINGS"] = settings
    app.extensions["rpc"] = rpc or RpcPool(
        settings["AMQP_URI"], settings["RPC_POOL_SIZE"], settings["RPC_TIMEOUT"]
    )
    app.extensions["edge_auth"] = EdgeAuth(app.extensions["rpc"], settings)
    if settings["GATEWAY_TRUSTED_PROXIES"]:
        # Behind N reverse proxies, the client's address is the Nth from the right.
        hops = settings["GATEWAY_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.json.ensure_ascii = False  # Bahasa Indonesia names travel as they are written
    _install_request_context(app)
    app.before_request(check_query)
    register_problem_handlers(app)
    app.register_blueprint(ops_blueprint)
    app.register_blueprint(docs_blueprint)
    app.register_blueprint(swagger_blueprint)
    app.register_blueprint(accounts_blueprint)
    app.register_blueprint(applications_blueprint)
    app.register_blueprint(documents_blueprint)
    app.register_blueprint(payments_blueprint)
    app.register_blueprint(notifications_blueprint)
    app.register_blueprint(reports_blueprint)
    app.register_blueprint(help_blueprint)
    # Last: its catch-all answers only the paths no API route claimed.
    app.register_blueprint(web_blueprint)
    app.register_blueprint(audit_blueprint)
    # Phones on slow links: text (the shell, JSON, metrics) goes compressed when the client asks.
    app.config["COMPRESS_STREAMS"] = False  # documents stream through untouched
    Compress(app)
    return app


def _install_request_context(app: Flask) -> None:
    @app.before_request
    def start_request():
        incoming = request.headers.get("X-Request-ID", "")
        g.correlation_id = incoming if REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def finish_request(response):
        response.headers["X-Request-ID"] = g.get("correlation_id", "")
        route = request.url_rule.rule if request.url_rule else "unmatched"
        HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        started = g.get("started")
        if started is not None:
            HTTP_DURATION.labels(route, request.method).observe(time.perf_counter() - started)
        return response

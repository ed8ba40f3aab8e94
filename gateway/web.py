"""The web client: static files of the PWA, and its shell for every page path (reloads work)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

WEB_DIR = Path(__file__).with_name("web")

web_blueprint = Blueprint("web", __name__)


@web_blueprint.get("/")
@web_blueprint.get("/<path:path>")
def page(path: str = ""):
    if path.startswith("api/"):
        abort(404)  # an unknown API path is a problem, never the app's page
    return _shell_file(path if path and (WEB_DIR / path).is_file() else "index.html")


def _shell_file(path: str):
    response = send_from_directory(WEB_DIR, path)
    # The service worker decides freshness; browsers revalidate so new releases show at once.
    response.headers["Cache-Control"] = "no-cache"
    # The shell's files are small: read whole, they can be compressed (streams are not).
    response.direct_passthrough = False
    response.make_sequence()
    return response

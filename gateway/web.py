"""The web client: static files of the PWA, and its shell for every page path (reloads work)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, send_from_directory
from werkzeug.routing import PathConverter

WEB_DIR = Path(__file__).with_name("web")


class PagePath(PathConverter):
    """Any path but the API's: an unknown API path is a problem, never the app's page, and a
    known one asked with the wrong method is a 405 naming the right ones (the catch-all made
    it a 404 and offered GET in Allow)."""

    regex = r"(?!api/)[^/].*?"


web_blueprint = Blueprint("web", __name__)
web_blueprint.record_once(lambda state: state.app.url_map.converters.update(page=PagePath))


@web_blueprint.get("/")
@web_blueprint.get("/<page:path>")
def page(path: str = ""):
    return _shell_file(path if path and (WEB_DIR / path).is_file() else "index.html")


def _shell_file(path: str):
    response = send_from_directory(WEB_DIR, path)
    # The service worker decides freshness; browsers revalidate so new releases show at once.
    response.headers["Cache-Control"] = "no-cache"
    # The shell's files are small: read whole, they can be compressed (streams are not).
    response.direct_passthrough = False
    response.make_sequence()
    return response

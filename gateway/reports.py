"""Reports for the office (JSON or CSV), the public figures, and complaints from the survey."""

from __future__ import annotations

import csv
import io
import threading
import time

from flask import Blueprint, Response, request

from gateway.auth import signed_in
from gateway.services import call_service
from gateway.validation import json_body

reports_blueprint = Blueprint("reports", __name__, url_prefix="/api/v1")

# The public figures change slowly and anyone may ask for them: one computation a minute.
STATS_TTL_SECONDS = 60
_stats_cache: dict[int | None, tuple[float, dict]] = {}
_stats_lock = threading.Lock()


@reports_blueprint.get("/reports/<section>")
@signed_in
def report(section):
    figures = call_service(
        "applications",
        "report",
        section=section,
        start=request.args.get("from"),
        end=request.args.get("to"),
    )
    if request.args.get("format") == "csv" and section != "summary":
        return _csv(section, figures)
    return figures


@reports_blueprint.get("/stats")
def stats():
    year = request.args.get("year", type=int)
    now = time.monotonic()
    with _stats_lock:
        cached = _stats_cache.get(year)
    if cached is None or cached[0] < now:
        cached = (now + STATS_TTL_SECONDS, call_service("applications", "public_stats", year=year))
        with _stats_lock:
            _stats_cache[year] = cached
    return cached[1], 200, {"Cache-Control": f"public, max-age={STATS_TTL_SECONDS}"}


@reports_blueprint.get("/complaints")
@signed_in
def complaints():
    return call_service(
        "applications",
        "list_complaints",
        status=request.args.get("status"),
        page=request.args.get("page", 1, type=int),
        per_page=request.args.get("per_page", 20, type=int),
    )


@reports_blueprint.post("/complaints/<application_id>/answer")
@signed_in
def answer_complaint(application_id):
    body = json_body("ComplaintAnswer")
    return call_service(
        "applications", "answer_complaint", application_id=application_id, answer=body["answer"]
    )


def _csv(section: str, figures: dict) -> Response:
    text = io.StringIO()
    writer = csv.writer(text)
    for title, rows in _tables(figures):
        if not rows:
            continue
        columns = list(_flat(rows[0]))
        writer.writerow([title, *[""] * (len(columns) - 1)])
        writer.writerow(columns)
        writer.writerows([list(_flat(row).values()) for row in rows])
        writer.writerow([])
    period = f"{figures['from']}-{figures['to']}" if "from" in figures else "kini"
    filename = f"laporan-{section}-{period}.csv"
    return Response(
        text.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _tables(figures: dict) -> list[tuple[str, list[dict]]]:
    """Every list of rows in a report, and its totals as a one-row table."""
    tables = [(key, value) for key, value in figures.items() if _is_rows(value)]
    for key, value in figures.items():
        if isinstance(value, dict) and value and not any(_is_rows(v) for v in value.values()):
            tables.append((key, [value]))
    return tables


def _is_rows(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _flat(row: dict, prefix: str = "") -> dict:
    """Nested figures (scores per element) as columns of their own: `element_scores.time`."""
    flat = {}
    for key, value in row.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat

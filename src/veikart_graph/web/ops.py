"""Operations: /healthz (alive), /readyz (snapshot loaded; on a remote store also: the store answers
and holds this server's release, else 503), /metrics (Prometheus), a structured
access log line per request (JSON, query text truncated), and the ``X-Snapshot`` header that
says which snapshot answered."""

from __future__ import annotations

import ipaddress
import json
import logging
import time

from flask import Blueprint, Flask, Response, g, request

from ..errors import Forbidden, VeikartError
from ..metrics import CONTENT_TYPE, Metrics
from ..snapshot import read_rejection
from .state import get_state

bp = Blueprint("ops", __name__)
access_log = logging.getLogger("veikart_graph.access")
QUERY_LOG_CHARS = 200
RETRY_AFTER = 2  # seconds a client should wait when the store is unavailable
STORE_ERRORS = ("StoreUnavailable", "StoreTimeout", "ReleaseMismatch")


@bp.route("/healthz")
def healthz() -> Response:
    return Response("ok\n", 200, mimetype="text/plain")


@bp.route("/readyz")
def readyz() -> Response:
    """200 when this server can answer; 503 with the reason when its store cannot (load balancers
    take it out of rotation until the store is back or holds this server's release).

    A newer snapshot that failed verification does not make the server unready (it keeps serving
    the last good one), but ``rejected`` names it and says why, for the operator."""
    state = get_state()
    body = {"ready": True, "snapshot": state.graph.snapshot_hash,
            "built_at": state.snapshot.manifest.built_at if state.snapshot else None,
            "store": "embedded" if not state.remote else state.graph.where,
            "query_network": state.query_network()}
    rejected = read_rejection(state.settings.snapshot_root)
    if rejected is not None:
        body["rejected"] = rejected
    try:
        if state.remote:
            state.graph.ping()
        state.check()
    except VeikartError as exc:
        body.update(ready=False, reason=exc.message)
        return Response(json.dumps(body, ensure_ascii=False), 503, mimetype="application/json",
                        headers={"Retry-After": str(RETRY_AFTER)})
    return Response(json.dumps(body), 200, mimetype="application/json")


@bp.route("/metrics")
def metrics() -> Response:
    """Prometheus metrics of all workers; only for the networks in ``metrics_allow`` (403 else)."""
    state = get_state()
    if not _may_scrape(request.remote_addr, state.settings.metrics_allow):
        raise Forbidden("/metrics is only for the monitoring networks set in metrics_allow")
    text = _metrics().render(rejected=read_rejection(state.settings.snapshot_root))
    return Response(text, 200, content_type=CONTENT_TYPE)


def _may_scrape(address: str | None, allowed: str) -> bool:
    if not allowed.strip():
        return True
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(net, strict=False) for net in allowed.split())


def _metrics() -> Metrics:
    from flask import current_app

    return current_app.extensions["veikart_metrics"]


def _endpoint_name() -> str:
    path = request.path
    for prefix, name in (("/sparql", "sparql"), ("/id/", "id"), ("/def", "def"), ("/page/", "page"),
                         ("/data/", "data"), ("/search", "search"), ("/veikart", "views"),
                         ("/query", "query"), ("/download", "download"), ("/dataset", "dataset")):
        if path.startswith(prefix):
            return name
    return "other"


def _query_text() -> str:
    """The query for the log, truncated; never reads a body the app refused (too large)."""
    limit = get_state().settings.max_query_bytes
    if request.method == "POST" and (request.content_length or 0) > limit:
        return ""
    try:
        if request.mimetype == "application/sparql-query":
            text = request.get_data(as_text=True)
        else:
            text = request.values.get("query", "")
    except Exception:  # a body Werkzeug cannot decode: the request was already answered
        return ""
    return text[:QUERY_LOG_CHARS]


def init_app(app: Flask) -> None:
    metrics = app.extensions["veikart_metrics"] = Metrics()
    state = app.extensions["veikart"]
    metrics.serving(state.graph.snapshot_hash[:12], state.snapshot.manifest.built_at if state.snapshot else "")
    app.register_blueprint(bp)

    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def record(response: Response) -> Response:
        seconds = time.perf_counter() - g.get("started", time.perf_counter())
        endpoint = _endpoint_name()
        _metrics().observe(endpoint, response.status_code, seconds)
        if g.get("error_kind") == "QueryTimeout":
            _metrics().count_timeout()
        if g.get("error_kind") in STORE_ERRORS:
            response.headers.setdefault("Retry-After", str(RETRY_AFTER))
        response.headers["X-Snapshot"] = get_state().graph.snapshot_hash[:12]
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(json.dumps({
                "method": request.method, "path": request.path, "status": response.status_code,
                "ms": round(seconds * 1000, 2), "endpoint": endpoint,
                "query": _query_text() if endpoint in ("sparql", "query") else None,
                "snapshot": get_state().graph.snapshot_hash[:12],
            }, ensure_ascii=False))
        return response

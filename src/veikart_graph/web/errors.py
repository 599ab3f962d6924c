"""One place that turns any error into a response, negotiated as text, JSON or HTML.

``VeikartError`` carries its status; Werkzeug's HTTP errors (404 route, 405 method) are mapped
to the same body; anything else is a bug: logged with its traceback, answered as a plain 500
without internals.
"""

from __future__ import annotations

import json
import logging

from flask import Flask, Response, g, render_template, request
from werkzeug.exceptions import HTTPException

from ..errors import Overloaded, VeikartError

log = logging.getLogger(__name__)
ERROR_TYPES = ["text/plain", "application/json", "text/html"]


def wants(request_accept: str) -> str:
    if request.args.get("format") in ("json",) or request.path.endswith(".json"):
        return "application/json"
    return request.accept_mimetypes.best_match(ERROR_TYPES, default="text/plain") or "text/plain"


def error_response(status: int, message: str, *, where: str | None = None,
                   link: str | None = None, headers: dict[str, str] | None = None) -> Response:
    body: dict[str, object] = {"error": message, "status": status}
    if where:
        body["where"] = where
    if link:
        body["link"] = link
    media = wants(request.headers.get("Accept", ""))
    if media == "application/json":
        response = Response(json.dumps(body, ensure_ascii=False), status,
                            mimetype="application/json")
    elif media == "text/html":
        html = render_template("error.html", status=status, message=message, where=where,
                               link=link)
        response = Response(html, status, mimetype="text/html")
    else:
        text = message + (f"\nWhere: {where}" if where else "") + (f"\nSee: {link}" if link else "")
        response = Response(text + "\n", status, mimetype="text/plain")
    response.headers["Vary"] = "Accept"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(VeikartError)
    def handle_veikart(exc: VeikartError) -> Response:
        g.error_kind = type(exc).__name__
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, Overloaded) else None
        if exc.status == 405:
            headers = {"Allow": "GET, POST, OPTIONS"}
        return error_response(exc.status, exc.message, where=exc.where, link=exc.link,
                              headers=headers)

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException) -> Response:
        response = error_response(exc.code or 500, exc.description or exc.name)
        if exc.code == 405:
            allow = exc.get_headers()
            response.headers.update({k: v for k, v in allow if k == "Allow"})
        return response

    @app.errorhandler(Exception)
    def handle_bug(exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal server error; the problem has been logged")

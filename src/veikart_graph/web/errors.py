"""One place that turns any error into a response, negotiated as text, JSON or HTML.

``VeikartError`` carries its status; Werkzeug's HTTP errors (404 route, 405 method) are mapped
to the same body; anything else is a bug: logged with its traceback, answered as a plain 500
without internals. A query string or form body that is not UTF-8 is a 400 naming the parameter
(Werkzeug would raise on the query string, and silently drop such a form body).
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl, unquote_to_bytes

import flask
from flask import Flask, Response, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.utils import cached_property

from ..errors import BadRequest, Overloaded, VeikartError

log = logging.getLogger(__name__)
ERROR_TYPES = ["text/plain", "application/json", "text/html"]
FORM = "application/x-www-form-urlencoded"
PERCENT_ENCODING = "https://www.rfc-editor.org/rfc/rfc3986#section-2.5"
DRAIN_BYTES = 1 << 20


class Request(flask.Request):
    """Flask's request, reading a query string that is not UTF-8 leniently (as U+FFFD), so the
    400 about it can still be rendered (``check_encoding`` raises it)."""

    @cached_property
    def args(self):  # type: ignore[override]
        try:
            return super().args
        except UnicodeDecodeError:
            text = self.query_string.decode("utf-8", "replace")
            return self.parameter_storage_class(parse_qsl(text, keep_blank_values=True))


def undecodable_parameter(raw: bytes) -> str | None:
    """The name of the first pair of URL-encoded ``raw`` that is not UTF-8 once decoded, else None."""
    for pair in raw.split(b"&"):
        name, _, value = pair.partition(b"=")
        try:
            for part in (name, value):
                unquote_to_bytes(part.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return unquote_to_bytes(name).decode("utf-8", "replace")
    return None


def check_encoding() -> None:
    """400 if the query string, or a form body within the size limit, is not UTF-8."""
    name = undecodable_parameter(request.query_string)
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    if name is None and request.mimetype == FORM and (limit is None or (request.content_length or 0) <= limit):
        name = undecodable_parameter(request.get_data(cache=True))
    if name is not None:
        raise BadRequest(f"the value of parameter {name!r} is not valid UTF-8; percent-encode text as UTF-8",
                         link=PERCENT_ENCODING)


def wants(request_accept: str) -> str:
    if request.args.get("format") in ("json",) or request.path.endswith(".json"):
        return "application/json"
    return request.accept_mimetypes.best_match(ERROR_TYPES, default="text/plain") or "text/plain"


def discard_unread_body() -> None:
    """Read and drop what is left of a refused request body (at most ``DRAIN_BYTES``), so the
    keep-alive connection can carry the next request: gunicorn drains only 64 KiB itself, and
    past that closes the connection after having answered ``Connection: keep-alive``."""
    stream = request.environ.get("wsgi.input")
    if stream is None or not (request.content_length or request.headers.get("Transfer-Encoding")):
        return
    left = DRAIN_BYTES
    while left > 0:
        chunk = stream.read(min(left, 65536))
        if not chunk:
            return
        left -= len(chunk)


def error_response(status: int, message: str, *, where: str | None = None,
                   link: str | None = None, headers: dict[str, str] | None = None) -> Response:
    discard_unread_body()
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
    app.request_class = Request
    app.before_request(check_encoding)

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

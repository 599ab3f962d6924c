"""HTTP caching on every response (RFC 9110 §8.8.3 ETag, §13 conditional requests; RFC 9111 §5.2
Cache-Control).

Every answer is a function of the served snapshot and the request, so a successful ``GET``/``HEAD``
gets a strong ``ETag`` derived from the snapshot hash and the representation itself (its media type
and bytes): two snapshots never share one, and two representations of one resource (nb/en, Turtle/
JSON-LD) never do either. ``If-None-Match`` with it answers ``304 Not Modified`` without a body
(werkzeug's ``make_conditional``). A route that sets its own ``ETag`` (downloads) keeps it.

``Cache-Control`` by what can change:

- a frozen older release's RDF (``/release/<version>/id/…`` in an RDF format): one day — the
  content never changes, the page around it might with the software;
- operations (``/healthz``, ``/readyz``, ``/metrics``) and every 5xx: ``no-store``;
- everything else (the current release's pages, data and query results): ``public, max-age=60,
  must-revalidate`` — a minute, then revalidated with the ``ETag`` (a cheap 304).

Streamed bodies are left alone (they set their own validators).
"""

from __future__ import annotations

import hashlib

from flask import Flask, Response, request

from ..releases.index import release_index
from .state import get_state

SHORT = "public, max-age=60, must-revalidate"
FROZEN = "public, max-age=86400"
NO_STORE = "no-store"
OPERATIONS = ("/healthz", "/readyz", "/metrics")


def representation_etag(snapshot_hash: str, response: Response) -> str:
    """A strong validator for this snapshot's representation in ``response``."""
    digest = hashlib.sha256(snapshot_hash.encode())
    digest.update(b"\0" + (response.content_type or "").encode() + b"\0")
    digest.update(response.get_data())
    return digest.hexdigest()[:32]


def cache_control(path: str, status: int, mimetype: str) -> str:
    if status >= 500 or path.startswith(OPERATIONS):
        return NO_STORE
    if path.startswith("/release/") and mimetype != "text/html" and status == 200:
        version = path.split("/", 3)[2]
        current = release_index(get_state().graph).current
        if current is not None and version != current.version:
            return FROZEN
    return SHORT


def init_app(app: Flask) -> None:
    @app.after_request
    def validators(response: Response) -> Response:
        response.headers.setdefault("Cache-Control",
                                    cache_control(request.path, response.status_code, response.mimetype))
        if (request.method in ("GET", "HEAD") and response.status_code == 200 and not response.is_streamed
                and not request.path.startswith(OPERATIONS)):
            if "ETag" not in response.headers:
                response.set_etag(representation_etag(get_state().graph.snapshot_hash, response))
            response.make_conditional(request)
        return response

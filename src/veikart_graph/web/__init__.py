"""The Flask application: ``create_app(settings, graph)``. Only this package imports Flask."""

from __future__ import annotations

from flask import Flask

from ..settings import Settings
from ..snapshot import Snapshot
from ..store import GraphReader
from . import caching, errors, headers, i18n
from .state import KEY, State, open_graph


def create_app(settings: Settings | None = None, graph: GraphReader | None = None,
               snapshot: Snapshot | None = None) -> Flask:
    """Create and configure an instance of the Flask application.

    With no ``graph``, the current snapshot is loaded (built first if missing or stale), or with
    ``settings.store`` a URL, the store is read through it (``state.open_graph``).
    """
    settings = settings or Settings.from_env()
    if graph is None:
        if snapshot is None:
            from ..build import ensure_snapshot

            snapshot = ensure_snapshot(settings)
        graph = open_graph(settings, snapshot)
    app = Flask(__name__)
    if settings.proxy_hops > 0:  # the client address from X-Forwarded-For, set by trusted proxies only
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)  # type: ignore[method-assign]
    app.config.update(JSON_AS_ASCII=False, MAX_CONTENT_LENGTH=settings.max_query_bytes + 1024)
    app.extensions[KEY] = State(settings=settings, graph=graph, snapshot=snapshot)
    i18n.init_app(app)
    errors.init_app(app)
    headers.init_app(app)
    caching.init_app(app)
    from . import sparql

    app.register_blueprint(sparql.bp)
    _register_optional(app)
    return app


def _register_optional(app: Flask) -> None:
    """Blueprints of the browser and other features, registered when present."""
    import importlib

    for name in ("pages", "views", "search", "dataset", "ops", "changes"):
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.init_app(app)

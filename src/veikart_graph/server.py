"""Running the app under gunicorn (pre-fork WSGI server, several worker processes)."""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from .settings import Settings


class VeikartServer(BaseApplication):
    """gunicorn with our settings; each worker creates its own app (and loads the snapshot)."""

    def __init__(self, settings: Settings, options: dict[str, Any] | None = None) -> None:
        self.settings = settings
        self.options = {
            "bind": f"{settings.host}:{settings.port}",
            "workers": settings.workers,
            "threads": settings.threads,
            "worker_class": "gthread",
            # a worker blocked longer than this is restarted; queries are cut off far earlier
            "timeout": int(settings.query_timeout * 3 + 30),
            "graceful_timeout": 10,
            "keepalive": 5,
            "limit_request_line": 8190,
            "accesslog": "-",
            "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
            **(options or {}),
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):  # noqa: ANN201 - gunicorn's API
        from .web import create_app

        return create_app(self.settings)


def run_server(settings: Settings) -> None:
    VeikartServer(settings).run()

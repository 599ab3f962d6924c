"""A loopback HTTP proxy in front of a store that fails chosen requests, for publish tests.

``FaultyProxy(target, fail=rule)`` forwards every request to ``target`` (a store's origin) and
answers ``500`` instead for the requests ``rule(method, path, count)`` picks (``count``: how
many requests with that method and path came before, from 0).
"""

from __future__ import annotations

import http.client
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Rule = Callable[[str, str, int], bool]


class FaultyProxy:
    def __init__(self, target: str, fail: Rule) -> None:
        self.target = urlsplit(target)
        self.fail = fail
        self.seen: Counter[tuple[str, str]] = Counter()
        self.failed: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                path = urlsplit(self.path).path
                count = proxy.seen[(self.command, path)]
                proxy.seen[(self.command, path)] += 1
                if proxy.fail(self.command, path, count):
                    proxy.failed.append(f"{self.command} {path}")
                    self._answer(500, b"injected failure", "text/plain")
                    return
                upstream = http.client.HTTPConnection(proxy.target.hostname, proxy.target.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
                upstream.request(self.command, self.path, body=body or None, headers=headers)
                answer = upstream.getresponse()
                self._answer(answer.status, answer.read(), answer.getheader("Content-Type") or "text/plain")
                upstream.close()

            def _answer(self, status: int, data: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward  # noqa: N815

        return Handler

"""Errors that carry their HTTP status, a message a person can act on, and a spec link.

Every layer raises these; the web package renders them (negotiated JSON, HTML or text) and the
CLI maps them to exit codes. Anything else that escapes is a bug and becomes a 500.
"""

from __future__ import annotations

from pathlib import Path


class VeikartError(Exception):
    """Base class: ``status`` is the HTTP status, ``link`` points to the spec section that applies."""

    status = 500
    exit_code = 2

    def __init__(self, message: str, *, link: str | None = None, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.link = link
        self.where = where

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}\nFor reference, see {self.link}" if self.link else text

    def to_dict(self) -> dict[str, object]:
        """The canonical JSON error body."""
        body: dict[str, object] = {"error": self.message, "status": self.status}
        if self.where:
            body["where"] = self.where
        if self.link:
            body["link"] = self.link
        return body


class SourceError(VeikartError):
    """A source file (Turtle, CSV) cannot be read or parsed; ``where`` is ``file:line``."""

    status = 422


def read_source_text(path: Path) -> str:
    """The UTF-8 text of a source file; ``SourceError`` naming the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"not UTF-8 text: {exc.reason}", where=str(path)) from exc
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror}", where=str(path)) from exc


class NotConformingError(VeikartError):
    """Data breaks the SHACL shapes; ``report`` holds the violations."""

    status = 422
    exit_code = 1

    def __init__(self, message: str, report: object) -> None:
        super().__init__(message, link="https://www.w3.org/TR/shacl/#validation-report")
        self.report = report


class BadRequest(VeikartError):
    status = 400
    exit_code = 2


class QueryError(BadRequest):
    """A malformed SPARQL query (the parser's message, with line and column)."""

    def __init__(self, message: str, *, where: str | None = None) -> None:
        super().__init__(
            message,
            link="https://www.w3.org/TR/sparql11-protocol/#query-bindings-http",
            where=where,
        )


class NotFound(VeikartError):
    status = 404


class Gone(VeikartError):
    status = 410


class MethodNotAllowed(VeikartError):
    status = 405


class NotAcceptable(VeikartError):
    status = 406


class PayloadTooLarge(VeikartError):
    status = 413


class UnsupportedMediaType(VeikartError):
    status = 415


class Forbidden(VeikartError):
    """Refused by policy, e.g. an update on the read-only endpoint or SERVICE to a host not allowed."""

    status = 403


class QueryTimeout(VeikartError):
    """The query ran past the time limit and was stopped; nothing partial is returned."""

    status = 503


class ResultTooLarge(VeikartError):
    """The result has more rows or triples than the configured cap; never silently truncated."""

    status = 422


class Overloaded(VeikartError):
    """All query slots are busy; the client should retry after ``retry_after`` seconds."""

    status = 503

    def __init__(self, message: str, *, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StoreUnavailable(VeikartError):
    status = 503

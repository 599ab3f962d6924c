"""Every setting in one declarative table: name, environment variable, default and help.

The table feeds ``Settings.from_env()``, the CLI and the README (a test checks that every
setting is documented there).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, NamedTuple


class Setting(NamedTuple):
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("root", ".", "Project folder holding ontology/, shapes/ and data/."),
    Setting("build_dir", "build", "Where snapshots are written (relative to root)."),
    Setting("host", "127.0.0.1", "Interface `serve` listens on."),
    Setting("port", 8000, "Port `serve` listens on."),
    Setting("workers", 2, "Worker processes of the WSGI server (gunicorn)."),
    Setting("threads", 8, "Threads per worker process (pages and queries waiting on a query process)."),
    Setting("query_timeout", 10.0, "Seconds a SPARQL query may run before it is stopped (503)."),
    Setting("max_rows", 10000, "Most result rows/triples a query may return; more is an error."),
    Setting("max_result_mb", 32, "Largest answer of a SPARQL query in MiB; more is an error (422), never cut short."),
    Setting("max_query_bytes", 65536, "Largest query text or POST body accepted (413 above)."),
    Setting("query_slots", 6, "Query processes per worker: concurrent SPARQL queries per worker."),
    Setting("queue_wait", 10.0, "Seconds a query waits for a query process that is restarting before 503."),
    Setting("client_queries", 4, "Most SPARQL queries one client address may run at once in a worker (503 above)."),
    Setting("proxy_hops", 0, "Trusted reverse proxies in front (client address from X-Forwarded-For); 0 = none."),
    Setting("query_memory_mb", 0, "Address-space limit of each query process in MiB; 0 = memory_budget_mb shared "
            "by all query processes (workers x query_slots), between 512 and 2048."),
    Setting("memory_budget_mb", 0, "Memory the query processes may use together, in MiB; 0 = half the machine's."),
    Setting("service_allowlist", "", "Space-separated endpoint IRIs SERVICE may call (off if empty)."),
    Setting("public_url", "", "Public base URL of the service (service description, feeds, links); "
            "empty = http://HOST:PORT of `serve`. Never taken from a request's Host header."),
    Setting("metrics_allow", "127.0.0.0/8 ::1",
            "Networks (CIDR, space-separated) that may read /metrics; empty = all."),
    Setting("store", "embedded", "`embedded` (the built snapshot in-process) or a SPARQL store URL."),
)


def physical_memory_mb() -> int:
    """The machine's memory in MiB (Linux and macOS: ``sysconf``)."""
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // (1024 * 1024)


def _coerce(value: str, default: Any) -> Any:
    if isinstance(default, bool):
        return value.lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


@dataclass(frozen=True)
class Settings:
    root: Path = Path(".")
    build_dir: Path = Path("build")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    threads: int = 8
    query_timeout: float = 10.0
    max_rows: int = 10000
    max_result_mb: int = 32
    max_query_bytes: int = 65536
    query_slots: int = 6
    queue_wait: float = 10.0
    client_queries: int = 4
    proxy_hops: int = 0
    query_memory_mb: int = 0
    memory_budget_mb: int = 0
    service_allowlist: str = ""
    public_url: str = ""
    metrics_allow: str = "127.0.0.0/8 ::1"
    store: str = "embedded"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``VEIKART_<NAME>`` environment variables, then ``overrides``."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            raw = env.get(f"VEIKART_{setting.name.upper()}")
            if raw is not None and raw != "":
                values[setting.name] = _coerce(raw, setting.default)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls().updated(**values)

    def updated(self, **values: Any) -> Settings:
        known = {f.name for f in fields(self)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        for key in ("root", "build_dir"):
            if key in values:
                values[key] = Path(values[key])
        return replace(self, **values)

    @property
    def root_dir(self) -> Path:
        return self.root.resolve()

    @property
    def public_base(self) -> str:
        """The service's own base URL, without a trailing slash: ``public_url``, else the address
        ``serve`` listens on. Client-sent Host headers never decide it (cache poisoning, spoofed
        links in the service description and feeds)."""
        if self.public_url:
            return self.public_url.rstrip("/")
        host = "localhost" if self.host in ("", "0.0.0.0", "::") else self.host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def query_process_mb(self) -> int:
        """The address-space limit of one query process: ``query_memory_mb``, or the memory budget
        (half the machine's unless set) shared by every query process of every worker."""
        if self.query_memory_mb > 0:
            return self.query_memory_mb
        budget = self.memory_budget_mb or physical_memory_mb() // 2
        return max(512, min(2048, budget // max(1, self.workers * self.query_slots)))

    @property
    def snapshot_root(self) -> Path:
        build = self.build_dir if self.build_dir.is_absolute() else self.root / self.build_dir
        return build.resolve()

    @property
    def service_endpoints(self) -> tuple[str, ...]:
        return tuple(self.service_allowlist.split())

    def as_env(self) -> dict[str, str]:
        """The settings as ``VEIKART_*`` variables, to hand to worker processes."""
        return {
            f"VEIKART_{s.name.upper()}": str(getattr(self, s.name)) for s in SETTINGS
        }

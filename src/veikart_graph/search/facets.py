"""Search parameters: the query text, the facets and paging, checked before anything runs.

Every bad value is a ``BadRequest`` (400) whose message names the parameter, so the web
pages, ``/search.json`` and the CLI report the same thing.

| parameter | format | meaning |
|---|---|---|
| ``q`` | text, at most 500 characters | words to find (all of them); empty lists everything |
| ``type`` | class name (``Activity``) or prefixed name (``dcat:Dataset``) | entity type |
| ``goal`` | goal key (``1`` … ``5``) | strategic goal served |
| ``owner`` | organisation key (``helsedirektoratet``) | ``vk:owner`` |
| ``usergroup`` | user-group key (``fastleger``) | ``vk:userGroup`` |
| ``phase`` | phase key (``konsept``) | ``vk:phase`` |
| ``year`` | four digits | a year the entity is dated in |
| ``limit`` | integer 0–100, default 20 | results per page |
| ``offset`` | integer ≥ 0, default 0 | results to skip |

Facet parameters repeat: values of one facet are alternatives (OR), different facets must all
hold (AND).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import BadRequest
from ..namespaces import PREFIXES, VK

FACETS = ("type", "goal", "owner", "usergroup", "phase", "year")
KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")
FORMATS = {
    "type": re.compile(r"^(?:[a-z][a-z0-9-]{0,19}:)?[A-Za-z][A-Za-z0-9_-]{0,99}$"),
    "goal": KEY,
    "owner": KEY,
    "usergroup": KEY,
    "phase": KEY,
    "year": re.compile(r"^[0-9]{4}$"),
}
FORMAT_HELP = {
    "type": "a class name such as Activity or a prefixed name such as dcat:Dataset",
    "year": "four digits, e.g. 2024",
}
MAX_Q = 500
MAX_WORDS = 32
MAX_VALUES = 20
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

Filters = dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    filters: Filters = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    lang: str = "nb"


def value_key(facet: str, value: str) -> str:
    """The URL form of a facet value held as an IRI (class name for types)."""
    if facet == "year":
        return value
    if facet == "type":
        from .documents import type_key

        return type_key(value)
    return value.rstrip("/").rsplit("/", 1)[-1]


def type_iri(key: str) -> str:
    prefix, sep, local = key.partition(":")
    if not sep:
        return str(VK) + key
    return PREFIXES.get(prefix, prefix + ":") + local


def parse_q(raw: str | None) -> str:
    text = CONTROL.sub(" ", unicodedata.normalize("NFC", raw or "")).strip()
    if len(text) > MAX_Q:
        raise BadRequest(f"q is {len(text)} characters long; at most {MAX_Q} are allowed",
                         where="q")
    return text


def parse_filters(params: Mapping[str, Sequence[str]]) -> Filters:
    """``{facet: values}`` from repeated parameters; empty values are ignored."""
    filters: Filters = {}
    for facet in FACETS:
        values = [v.strip() for v in params.get(facet, ()) if v.strip()]
        if len(values) > MAX_VALUES:
            raise BadRequest(f"{facet} is given {len(values)} times; at most {MAX_VALUES}",
                             where=facet)
        for value in values:
            if not FORMATS[facet].match(value):
                expected = FORMAT_HELP.get(facet, "a key of lower-case letters, digits and '-'")
                raise BadRequest(f"{facet}={value[:60]!r} is not {expected}", where=facet)
        if values:
            filters[facet] = tuple(dict.fromkeys(values))
    return filters


def parse_int(raw: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if raw is None or raw == "":
        return default
    text = raw.strip()
    if not re.fullmatch(r"[+-]?[0-9]{1,12}", text):
        raise BadRequest(f"{name} must be an integer, got {raw[:40]!r}", where=name)
    value = int(text)
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"of at least {low}"
        raise BadRequest(f"{name} must be an integer {bounds}, got {value}", where=name)
    return value


def parse_request(params: Mapping[str, Sequence[str]], lang: str = "nb") -> SearchRequest:
    """A whole search request from (multi-valued) parameters; raises ``BadRequest``."""

    def first(name: str) -> str | None:
        values = params.get(name) or ()
        if len(values) > 1:
            raise BadRequest(f"{name} is given {len(values)} times; give it once", where=name)
        return values[0] if values else None

    return SearchRequest(
        q=parse_q(first("q")),
        filters=parse_filters(params),
        limit=parse_int(first("limit"), "limit", DEFAULT_LIMIT, 0, MAX_LIMIT),
        offset=parse_int(first("offset"), "offset", 0, 0, None),
        lang=lang if lang in ("nb", "en") else "nb",
    )

"""The change list behind ``/changes``, ``/changes.json`` and ``/changes.atom``: for each pair of
releases compared, the entities added, removed and changed, in words, optionally filtered."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..errors import BadRequest, NotFound
from .filters import ChangeFilter, matches
from .index import ReleaseIndex, ReleaseInfo
from .words import EntitySummary, overview, summarise


@dataclass(frozen=True)
class Comparison:
    old: ReleaseInfo
    new: ReleaseInfo
    entities: tuple[EntitySummary, ...]

    def counts(self) -> dict[str, int]:
        found = Counter(e.kind for e in self.entities)
        return {kind: found.get(kind, 0) for kind in ("added", "removed", "changed")}

    def overview(self, lang: str) -> list[str]:
        """The comparison in a few sentences: counts by kind, renumbered, renamed (words.overview)."""
        return overview(self.entities, lang)


def pairs(index: ReleaseIndex, old: str | None = None, new: str | None = None) -> list[tuple[ReleaseInfo, ReleaseInfo]]:
    """The pairs to compare: the two asked for, or each release with its previous one, newest
    first. Only ``new``: it and its previous release; only ``old``: it and the current one."""
    try:
        if old or new:
            newer = index.get(new) if new else index.current
            older = index.get(old) if old else index.previous(newer)
            return [(older, newer)] if older is not None and newer is not None else []
    except NotFound as exc:
        raise BadRequest(exc.message) from exc
    releases = index.releases
    return [(releases[i - 1], releases[i]) for i in range(len(releases) - 1, 0, -1)]


def comparisons(index: ReleaseIndex, flt: ChangeFilter, lang: str, old: str | None = None,
                new: str | None = None) -> list[Comparison]:
    found = []
    for older, newer in pairs(index, old, new):
        diff = index.diff(older.version, newer.version)
        keep = None
        if flt.active:
            graphs = [index.content(older.version), index.content(newer.version)]
            keep = [str(e.iri) for e in diff.entities if matches(flt, str(e.iri), graphs)]
        found.append(Comparison(older, newer, tuple(summarise(diff, index.labeller, lang, keep))))
    return found

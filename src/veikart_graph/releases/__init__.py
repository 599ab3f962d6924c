"""Roadmap releases: composing them from ``releases/``, diffing them, describing the changes.

No Flask here; ``web/changes.py`` serves what these modules compute.
"""

from __future__ import annotations

from .compose import Release, Releases, compose_releases, release_files, release_graph_iri, release_iri

__all__ = ["Release", "Releases", "compose_releases", "release_files", "release_graph_iri", "release_iri"]

"""Roadmap releases on the web: what changed (``/changes``, ``.json``, ``.atom``), entities as
they were in a release (``/release/<version>/id/…``), and ``410 Gone`` for removed entities.

- ``/changes`` compares each release with its previous one (newest first), or ``from`` and ``to``;
  ``goal``, ``owner`` and ``usergroup`` filter (``releases.filters``).
- ``/id/…`` and ``/page/…`` with ``?release=<version>`` answer ``303`` to the release page.
- An entity an older release had and the current one does not answers ``410 Gone`` (RFC 9110
  §15.5.11) on ``/id/``, ``/page/`` and ``/data/``, with links to the last release that had it
  and to its replacement (``dct:isReplacedBy``), also as ``Link`` headers (RFC 5829 relations).
- ``release_history(iri)`` in every template: the entity's releases and changes, for
  ``_history.html``.
"""

from __future__ import annotations

import json
import re

from flask import Blueprint, Flask, Response, g, redirect, render_template, request, url_for

from ..describe import describe, entity_graph, schema_org
from ..errors import NotFound
from ..formats import DATASET_TYPES, GRAPH_TYPES, MediaType, negotiate
from ..namespaces import BASE
from ..releases import feed
from ..releases.filters import KINDS, ChangeFilter, resolve
from ..releases.index import Removal, release_index
from ..releases.listing import Comparison, comparisons
from ..releases.words import heading, kind_word
from .errors import wants
from .i18n import MESSAGES
from .state import get_graph, get_state

bp = Blueprint("changes", __name__)

HTML = MediaType("html", "text/html", "html", "HTML")
DOCUMENT_TYPES = (*GRAPH_TYPES, *DATASET_TYPES)
ENTITY_PATH = re.compile(r"^/(id|page|data)/(.+)$")
SUFFIX = re.compile(r"\.(ttl|nt|jsonld|rdf|trig|nq)$")

MESSAGES.update({
    "ch_title": {"nb": "Endringer i veikartet", "en": "Changes to the roadmap"},
    "ch_intro": {"nb": "Hva som er lagt til, fjernet og endret fra én utgave av veikartet til den neste.",
                 "en": "What was added, removed and changed from one release of the roadmap to the next."},
    "ch_from_to": {"nb": "Fra utgave {old} til utgave {new}", "en": "From release {old} to release {new}"},
    "ch_none": {"nb": "Ingen endringer.", "en": "No changes."},
    "ch_no_pairs": {"nb": "Det finnes bare én utgave, så det er ingenting å sammenligne.",
                    "en": "There is only one release, so there is nothing to compare."},
    "ch_filter": {"nb": "Avgrens", "en": "Filter"},
    "ch_goal": {"nb": "Mål (nummer)", "en": "Goal (number)"},
    "ch_owner": {"nb": "Eier (organisasjonsnummer)", "en": "Owner (organisation number)"},
    "ch_usergroup": {"nb": "Brukergruppe", "en": "User group"},
    "ch_apply": {"nb": "Vis", "en": "Show"},
    "ch_feed": {"nb": "Abonner (Atom)", "en": "Subscribe (Atom)"},
    "ch_json": {"nb": "Som JSON", "en": "As JSON"},
    "ch_releases": {"nb": "Utgaver", "en": "Releases"},
    "ch_current": {"nb": "gjeldende", "en": "current"},
    "ch_counts": {"nb": "{added} nye, {removed} fjernet, {changed} endret",
                  "en": "{added} new, {removed} removed, {changed} changed"},
    "ch_history": {"nb": "Historikk", "en": "History"},
    "ch_history_intro": {"nb": "Utgavene av veikartet denne ressursen er med i, og hva som endret seg.",
                         "en": "The releases of the roadmap this resource is in, and what changed."},
    "ch_first": {"nb": "med fra første utgave", "en": "in the first release"},
    "ch_added": {"nb": "lagt til", "en": "added"},
    "ch_changed": {"nb": "endret", "en": "changed"},
    "ch_unchanged": {"nb": "uendret", "en": "unchanged"},
    "ch_removed": {"nb": "fjernet", "en": "removed"},
    "ch_as_in": {"nb": "slik den var", "en": "as it was"},
    "ch_release_banner": {"nb": "Du ser ressursen slik den var i utgave {version} av veikartet.",
                          "en": "You are looking at this resource as it was in release {version} of the roadmap."},
    "ch_current_page": {"nb": "Se gjeldende side", "en": "See the current page"},
    "ch_gone_title": {"nb": "Fjernet fra veikartet", "en": "Removed from the roadmap"},
    "ch_gone_text": {"nb": "«{label}» var med til og med utgave {version}, men er ikke med i gjeldende utgave.",
                     "en": "“{label}” was in the roadmap up to release {version}, but is not in the current release."},
    "ch_gone_last": {"nb": "Se den slik den var i utgave {version}", "en": "See it as it was in release {version}"},
    "ch_replaced_by": {"nb": "Erstattet av", "en": "Replaced by"},
    "ch_what_changed": {"nb": "Se hva som endret seg", "en": "See what changed"},
})


def _index():
    return release_index(get_graph())


def _t(key: str, **values: str) -> str:
    entry = MESSAGES[key]
    return entry.get(g.get("lang", "nb"), entry["nb"]).format(**values)


# ----------------------------------------------------------------------------- change lists


def _listing() -> tuple[ChangeFilter, list[Comparison]]:
    index = _index()
    flt = resolve(index, request.args)
    found = comparisons(index, flt, g.lang, request.args.get("from"), request.args.get("to"))
    return flt, found


@bp.route("/changes")
def changes_page() -> Response:
    flt, found = _listing()
    args = {k: request.args[k] for k in (*KINDS, "from", "to") if request.args.get(k, "").strip()}
    html = render_template("changes.html", comparisons=found, index=_index(), fmt=_t, args=args)
    return Response(html, mimetype="text/html")


@bp.route("/changes.json")
def changes_json() -> Response:
    flt, found = _listing()
    index = _index()
    body = {
        "releases": [_release_dict(r) for r in index.releases],
        "current": index.current.version if index.current else None,
        "filter": flt.args(),
        "comparisons": [
            {"from": c.old.version, "to": c.new.version, "counts": c.counts(), "overview": c.overview(g.lang),
             "entities": [{**e.to_dict(), "page": _absolute(e.path)} for e in c.entities]}
            for c in found
        ],
    }
    return Response(json.dumps(body, ensure_ascii=False, indent=1), mimetype="application/json")


def _release_dict(release) -> dict[str, object]:
    return {"version": release.version, "iri": release.iri, "graph": release.graph_iri,
            "label": release.label(g.lang), "previous": release.previous, "issued": release.issued}


@bp.route("/changes.atom")
def changes_atom() -> Response:
    flt, found = _listing()
    built = _built_at()
    entries = tuple(_entry(c, e, built) for c in found for e in c.entities)
    query = "&".join(f"{k}={v}" for k, v in sorted(flt.args().items()))
    suffix = f"?{query}" if query else ""
    document = feed.Feed(
        id=f"{BASE}changes.atom{suffix}", title=MESSAGES["ch_title"][g.lang], updated=feed.newest(entries, built),
        self_url=_absolute(f"/changes.atom{suffix}"), alternate_url=_absolute(f"/changes{suffix}"),
        author="veikart-graph", lang=g.lang, entries=entries,
    )
    return Response(feed.render(document), mimetype=feed.MEDIA_TYPE)


def _entry(comparison: Comparison, entity, built: str) -> feed.Entry:
    lines = [line.text for line in entity.lines]
    text = "\n".join([_t("ch_from_to", old=comparison.old.version, new=comparison.new.version), *lines])
    link = entity.path if entity.kind != "removed" else release_url(comparison.old.version, entity.iri)
    return feed.Entry(
        id=feed.entry_id(comparison.new.iri, entity.iri, BASE), title=heading(entity, g.lang),
        updated=feed.rfc3339(comparison.new.issued, built), link=_absolute(link), text=text,
        category=entity.kind, category_label=_t(f"ch_{entity.kind}"),
    )


def _built_at() -> str:
    snapshot = get_state().snapshot
    if snapshot is not None:
        return snapshot.manifest.built_at
    return "1970-01-01T00:00:00Z"  # no snapshot on disk (a graph built in memory): no real date


def _absolute(path: str) -> str:
    return get_state().settings.public_base + path


# ----------------------------------------------------------------------------- one release


@bp.route("/release/<version>/id/<path:rest>")
def release_entity(version: str, rest: str) -> Response:
    """The entity as it was in ``version``: HTML, or RDF by ``format=`` or ``Accept``."""
    index = _index()
    release = index.get(version)
    path, iri = f"id/{rest}", f"{BASE}id/{rest}"
    graph = index.release_graph(release.version)
    media = negotiate(request.headers.get("Accept"), (HTML, *DOCUMENT_TYPES), request.args.get("format"))
    if media is not HTML:
        document = entity_graph(graph, iri)
        if document is None:
            raise NotFound(f"{iri} is not in release {version}")
        response = Response(document.serialize(media.key), content_type=f"{media.media_type}; charset=utf-8")
        response.headers["Vary"] = "Accept"
        return response
    entity = describe(graph, iri, g.lang)
    if entity is None:
        raise NotFound(f"{iri} is not in release {version}")
    html = render_template(
        "release_entity.html", entity=entity, path=path, jsonld=schema_org(entity, g.lang),
        formats=DOCUMENT_TYPES, data_url=lambda p, m: f"/release/{version}/{p}?format={m.key}", snapshot=None,
        query_in=lambda i, p: f"SELECT ?s WHERE {{ GRAPH <{release.graph_iri}> {{ ?s <{p}> <{i}> }} }} ORDER BY ?s",
        release=release, removed=index.removal(iri) is not None, fmt=_t,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Vary"] = "Accept"
    return response


# ----------------------------------------------------------------------------- /id, /page, /data


def release_or_gone() -> Response | None:
    """``?release=`` → 303 to the release page; an entity gone from the current release → 410."""
    match = ENTITY_PATH.match(request.path)
    if not match:
        return None
    kind, path = match.groups()
    path = f"id/{path}" if kind == "id" else SUFFIX.sub("", path) if kind == "data" else path
    if not path.startswith("id/"):
        return None
    version = request.args.get("release")
    if version and kind in ("id", "page"):
        index = _index()
        target = url_for("changes.release_entity", version=index.get(version).version, rest=path[3:])
        lang = request.args.get("lang")
        return redirect(f"{target}?lang={lang}" if lang in ("nb", "en") else target, 303)
    removal = _index().removal(BASE + path)
    return gone(removal) if removal is not None else None


def gone(removal: Removal) -> Response:
    """410 with the last release that had the entity and its replacement, as text, JSON or HTML."""
    index = _index()
    label = index.labeller.label(removal.iri, g.lang) or removal.iri
    version = removal.last.version
    old_page = release_url(version, removal.iri)
    newer = index.releases[index.releases.index(removal.last) + 1]
    changes = f"/changes?from={version}&to={newer.version}"
    replacements = [{"iri": r, "label": index.labeller.label(r, g.lang) or r, "page": _local(r)}
                    for r in removal.replaced_by]
    message = _t("ch_gone_text", label=label, version=version)
    media = wants(request.headers.get("Accept", ""))
    if media == "text/html":
        body = render_template("gone.html", label=label, message=message, version=version, old_page=old_page,
                               replacements=replacements, changes=changes, fmt=_t)
        response = Response(body, 410, mimetype="text/html")
    elif media == "application/json":
        data = {"error": message, "status": 410, "iri": removal.iri,
                "last_release": {"version": version, "iri": removal.last.iri, "page": _absolute(old_page)},
                "replaced_by": [{**r, "page": _absolute(r["page"])} for r in replacements],
                "changes": _absolute(changes)}
        response = Response(json.dumps(data, ensure_ascii=False), 410, mimetype="application/json")
    else:
        lines = [message, f"{_t('ch_gone_last', version=version)}: {_absolute(old_page)}"]
        lines += [f"{_t('ch_replaced_by')}: {_absolute(r['page'])}" for r in replacements]
        response = Response("\n".join(lines) + "\n", 410, mimetype="text/plain")
    links = [f'<{old_page}>; rel="predecessor-version"']
    links += [f'<{r["page"]}>; rel="successor-version"' for r in replacements]
    response.headers["Link"] = ", ".join(links)
    response.headers["Vary"] = "Accept"
    return response


def _local(iri: str) -> str:
    return "/" + iri.removeprefix(BASE) if iri.startswith(BASE) else iri


def release_history(iri: str) -> list:
    """The history entries of ``iri`` for ``_history.html`` (empty when there are no releases)."""
    index = _index()
    return index.history(iri, g.get("lang", "nb")) if len(index.releases) > 1 else []


def release_url(version: str, iri: str) -> str:
    """``/release/<version>/id/…``: the page of ``iri`` as it was in ``version``."""
    return f"/release/{version}/{iri.removeprefix(BASE)}"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.before_request(release_or_gone)

    @app.context_processor
    def history_helpers() -> dict:
        lang = g.get("lang", "nb")
        return {"release_history": release_history, "release_url": release_url,
                "change_kind": lambda kind: kind_word(kind, lang)}

"""``/search`` (HTML) and ``/search.json``: full-text search with facets over the snapshot's
search index (``veikart_graph.search``). Both take the same parameters (``search.facets``);
every state of the page is a plain GET URL, so it can be shared and bookmarked."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, render_template, request
from markupsafe import Markup

from ..search import INDEX_FILE
from ..search.facets import FACETS, SearchRequest, parse_request
from ..search.index import ensure_index, write_index
from ..search.query import SearchIndex
from ..search.results import SearchResult, page_path
from .i18n import MESSAGES
from .state import get_state

bp = Blueprint("search", __name__)
EXTENSION = "veikart.search"
PARAMS = ("q", *FACETS, "limit", "offset")

MESSAGES.update({
    "search_title": {"nb": "Søk i veikartet", "en": "Search the roadmap"},
    "search_query": {"nb": "Søkeord", "en": "Search words"},
    "search_hits": {"nb": "treff for", "en": "results for"},
    "search_all": {"nb": "oppføringer i veikartet", "en": "entries in the roadmap"},
    "search_none": {"nb": "Ingen treff for", "en": "No results for"},
    "search_none_filtered": {"nb": "Ingen treff med de valgte filtrene.",
                             "en": "No results with the chosen filters."},
    "search_suggest": {"nb": "Prøv heller", "en": "Try instead"},
    "search_no_suggest": {"nb": "Vi fant ingen lignende ord i veikartet.",
                          "en": "We found no similar words in the roadmap."},
    "search_corrected": {"nb": "Fant ikke ordet; viser treff for", "en": "Word not found; showing results for"},
    "search_filters": {"nb": "Avgrens", "en": "Refine"},
    "search_clear": {"nb": "Fjern alle filtre", "en": "Clear all filters"},
    "search_selected": {"nb": "valgt, klikk for å fjerne", "en": "selected, click to remove"},
    "search_belongs": {"nb": "Hører til", "en": "Part of"},
    "search_results": {"nb": "Resultater", "en": "Results"},
    "search_showing": {"nb": "Viser", "en": "Showing"},
    "search_of": {"nb": "av", "en": "of"},
    "search_previous": {"nb": "Forrige side", "en": "Previous page"},
    "search_next": {"nb": "Neste side", "en": "Next page"},
    "search_json": {"nb": "Dette søket som JSON", "en": "This search as JSON"},
    "search_pages": {"nb": "Sider", "en": "Pages"},
    "facet_type": {"nb": "Type", "en": "Type"},
    "facet_goal": {"nb": "Strategisk mål", "en": "Strategic goal"},
    "facet_owner": {"nb": "Eier", "en": "Owner"},
    "facet_usergroup": {"nb": "Brukergruppe", "en": "User group"},
    "facet_phase": {"nb": "Fase", "en": "Phase"},
    "facet_year": {"nb": "År", "en": "Year"},
})


class _Holder:
    """The process's open index (one per app); opened on first use, never rebuilt per request."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.index: SearchIndex | None = None

    def get(self) -> SearchIndex:
        with self.lock:
            if self.index is None:
                self.index = SearchIndex(_index_path())
            return self.index


def _index_path() -> Path:
    state = get_state()
    if state.snapshot is not None:
        return ensure_index(state.snapshot.path)
    folder = Path(tempfile.mkdtemp(prefix="veikart-search-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    write_index(state.graph, folder / INDEX_FILE, state.graph.snapshot_hash)
    return folder / INDEX_FILE


def search_index() -> SearchIndex:
    return current_app.extensions[EXTENSION].get()


def _search() -> SearchResult:
    params = {name: request.args.getlist(name) for name in PARAMS}
    return search_index().search(parse_request(params, g.get("lang", "nb")))


def search_url(req: SearchRequest, *, path: str = "/search", toggle: tuple[str, str] | None = None,
               offset: int | None = None, clear: bool = False, q: str | None = None) -> str:
    """The URL of ``req`` with one facet value switched, another page or query, or no filters.
    Any change but paging goes back to the first page."""
    filters = {} if clear else {k: list(v) for k, v in req.filters.items()}
    if toggle:
        facet, value = toggle
        values = filters.setdefault(facet, [])
        if value in values:
            values.remove(value)
        else:
            values.append(value)
    text = req.q if q is None else q
    pairs: list[tuple[str, str]] = [("q", text)] if text else []
    pairs += [(facet, v) for facet in FACETS for v in filters.get(facet, [])]
    if req.limit != 20:
        pairs.append(("limit", str(req.limit)))
    unchanged = toggle is None and not clear and q is None
    chosen = offset if offset is not None else (req.offset if unchanged else 0)
    if chosen:
        pairs.append(("offset", str(chosen)))
    pairs.append(("lang", req.lang))
    return path + "?" + urlencode(pairs)


@bp.route("/search")
def page() -> Response:
    """The search page: results with snippets, facets, paging; every state is a URL."""
    result = _search()
    index = search_index()
    lang = result.request.lang
    html = render_template(
        "search.html", result=result, req=result.request, facets=FACETS,
        type_labels=index.type_labels(lang), Markup=Markup, page_path=page_path,
        search_url=search_url)
    return Response(html, 200, mimetype="text/html")


@bp.route("/search.json")
def api() -> Response:
    """The same search as JSON (shape in the README): results, total, facets, suggestions."""
    result = _search()
    body = result.to_dict(search_index().type_labels(result.request.lang))
    body["next"] = (search_url(result.request, path="/search.json", offset=result.request.offset + result.request.limit)
                    if result.request.offset + result.request.limit < result.total and result.request.limit
                    else None)
    response = Response(json.dumps(body, ensure_ascii=False), 200,
                        content_type="application/json; charset=utf-8")
    response.headers["X-Search-Time"] = f"{result.elapsed:.4f}"
    return response


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = _Holder()
    app.register_blueprint(bp)

"""The roadmap views: home, goals, sub-goals, owners, user groups, phases, timeline, indicators.

URLs (all GET; ``?lang=nb|en`` everywhere):

- ``/`` the strategy, its goals with counts, and entry points;
- ``/veikart/mal/<key>``, ``/veikart/delmal/<key>``;
- ``/veikart/eiere``, ``/veikart/eier/<key>``; ``/veikart/brukergrupper``, ``/veikart/brukergruppe/<key>``;
- ``/veikart/faser``, ``/veikart/fase/<key>``; ``/veikart/indikatorer``, ``/veikart/indikator/<key>``;
- ``/veikart/tidslinje?mal=&delmal=&gruppe=&fase=&status=&eier=&brukergruppe=`` the timeline
  (filters are keys; a plain GET form, no JavaScript);
- ``/static-gen/phases.css`` the phase colours from the graph, as CSS classes (no inline styles).

A malformed key or parameter is a 400 with a message; a well-formed key of nothing is a 404.
The timeline refuses parameters it does not know (a misspelt filter must not pass silently).
The data comes from ``veikart_graph.views_data``; this module only validates and renders.
"""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, render_template, request

from .. import views_data as vd
from ..errors import BadRequest, NotFound
from .i18n import LANGUAGES, MESSAGES, t
from .indicator_chart import chart_for, qualifier_sign, unit_text
from .state import get_graph, get_state
from .views_messages import MESSAGES as VIEW_MESSAGES

MESSAGES.update(VIEW_MESSAGES)
bp = Blueprint("views", __name__)

# Type segment of an IRI → the view that shows it (others link to their entity page).
VIEW_PATHS = {"mal": "/veikart/mal/", "delmal": "/veikart/delmal/", "organisasjon": "/veikart/eier/",
              "brukergruppe": "/veikart/brukergruppe/", "fase": "/veikart/fase/",
              "indikator": "/veikart/indikator/"}
# Query parameter → (type segment of its IRI, TimelineFilter field).
TIMELINE_FILTERS = {"mal": ("mal", "goal"), "delmal": ("delmal", "subgoal"), "gruppe": ("gruppe", "group"),
                    "fase": ("fase", "phase"), "status": ("planleggingsstatus", "status"),
                    "eier": ("organisasjon", "owner"), "brukergruppe": ("brukergruppe", "user_group")}


def view_href(ref: vd.Ref) -> str:
    """The roadmap view of ``ref`` if it has one, else its entity page; keeps the language."""
    segment, _, key = ref.iri[len(vd.VKID):].partition("/") if ref.iri.startswith(str(vd.VKID)) else ("", "", "")
    if segment in VIEW_PATHS and "#" not in key:
        return f"{VIEW_PATHS[segment]}{key}?lang={g.get('lang', 'nb')}"
    return f"{ref.href}?lang={g.get('lang', 'nb')}" if ref.href.startswith("/") else ref.href


def check_lang() -> None:
    values = request.args.getlist("lang")
    if len(values) > 1 or (values and values[0] not in LANGUAGES):
        raise BadRequest(t("vk_bad_lang").format(value=", ".join(values), allowed=", ".join(LANGUAGES)))


def entity(segment: str, key: str) -> str:
    """The IRI of ``key`` under ``segment``; 400 if the key is malformed, 404 if unknown."""
    check_lang()
    if not vd.valid_key(key):
        raise BadRequest(t("vk_bad_key").format(key=key))
    if not vd.exists_as(get_graph(), segment, key):
        raise NotFound(t("vk_not_found_" + segment).format(key=key))
    return vd.iri_of(segment, key)


def timeline_filter() -> vd.TimelineFilter:
    """The timeline's filters from the query string, each a key of an existing entity."""
    check_lang()
    unknown = sorted(set(request.args) - set(TIMELINE_FILTERS) - {"lang"})
    if unknown:
        raise BadRequest(t("vk_bad_params").format(names=", ".join(unknown),
                                                   allowed=", ".join([*TIMELINE_FILTERS, "lang"])))
    chosen: dict[str, str | None] = {}
    for name, (segment, field) in TIMELINE_FILTERS.items():
        values = [v for v in request.args.getlist(name) if v != ""]
        if len(values) > 1:
            raise BadRequest(t("vk_one_value").format(name=name))
        if values and not vd.exists_as(get_graph(), segment, values[0]):
            raise BadRequest(t("vk_bad_filter").format(name=name, value=values[0]))
        chosen[field] = vd.iri_of(segment, values[0]) if values else None
    return vd.TimelineFilter(**chosen)


def lang() -> str:
    return g.get("lang", "nb")


@bp.route("/")
def home() -> str:
    check_lang()
    return render_template("home.html", page=vd.home(get_graph(), lang()))


@bp.route("/veikart/mal/<key>")
def goal(key: str) -> str:
    return render_template("goal.html", page=vd.goal_page(get_graph(), entity("mal", key), lang()))


@bp.route("/veikart/delmal/<key>")
def subgoal(key: str) -> str:
    return render_template("subgoal.html", page=vd.subgoal_page(get_graph(), entity("delmal", key), lang()))


@bp.route("/veikart/eiere")
def owners() -> str:
    check_lang()
    return render_template("owners.html", owners=vd.owners(get_graph(), lang()))


@bp.route("/veikart/eier/<key>")
def owner(key: str) -> str:
    return render_template("owner.html", page=vd.owner_page(get_graph(), entity("organisasjon", key), lang()))


@bp.route("/veikart/brukergrupper")
def user_groups() -> str:
    check_lang()
    return render_template("usergroups.html", groups=vd.user_groups(get_graph(), lang()))


@bp.route("/veikart/brukergruppe/<key>")
def user_group(key: str) -> str:
    page = vd.user_group_page(get_graph(), entity("brukergruppe", key), lang())
    return render_template("usergroup.html", page=page)


@bp.route("/veikart/faser")
def phases() -> str:
    check_lang()
    return render_template("phases.html", overview=vd.phase_overview(get_graph(), lang()))


@bp.route("/veikart/fase/<key>")
def phase(key: str) -> str:
    return render_template("phase.html", page=vd.phase_page(get_graph(), entity("fase", key), lang()))


@bp.route("/veikart/tidslinje")
def timeline() -> str:
    chosen = timeline_filter()
    graph = get_graph()
    return render_template("timeline.html", timeline=vd.timeline(graph, lang(), chosen), chosen=chosen,
                           options=vd.filter_options(graph, lang()), filtered=chosen.active,
                           this_year=_this_year())


@bp.route("/veikart/indikatorer")
def indicators() -> str:
    check_lang()
    return render_template("indicators.html", indicators=vd.indicators(get_graph(), lang()))


@bp.route("/veikart/indikator/<key>")
def indicator(key: str) -> str:
    page = vd.indicator_page(get_graph(), entity("indikator", key), lang())
    return render_template("indicator.html", page=page, chart=chart_for(page, lang()))


@bp.route("/static-gen/phases.css")
def phase_css() -> Response:
    """The phase colours of the graph as CSS classes ``.phase-<key>`` (text colour ≥ 4.5:1), and the
    timeline's month grid for the graph's axis (CSP allows no inline styles)."""
    graph = get_graph()
    response = Response(vd.phase_stylesheet(graph) + vd.grid_stylesheet(vd.timeline_axis(graph)), mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.set_etag(get_state().graph.snapshot_hash or "dev")
    return response.make_conditional(request)


def _this_year() -> int:
    from datetime import date

    return date.today().year


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.add_template_global(view_href, "view_href")
    app.add_template_global(unit_text, "unit_text")
    app.add_template_global(qualifier_sign, "qualifier_sign")
    from ..charts import format_date, format_number, timeline_cells

    app.add_template_global(timeline_cells, "timeline_cells")
    app.add_template_filter(lambda v: format_number(v, g.get("lang", "nb")), "number")
    app.add_template_filter(lambda v: format_date(v, g.get("lang", "nb")), "vkdate")

"""UI language: bokmål by default, English by ``?lang=en`` or ``Accept-Language``.

``t(key)`` looks a UI string up in ``MESSAGES``; a missing key is shown as the key itself so a
gap is visible rather than a crash.
"""

from __future__ import annotations

from flask import Flask, g, request

LANGUAGES = ("nb", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "site_name": {"nb": "Veikart for nasjonal e-helsestrategi", "en": "National e-health strategy roadmap"},
    "skip": {"nb": "Hopp til hovedinnhold", "en": "Skip to main content"},
    "home": {"nb": "Forside", "en": "Home"},
    "search": {"nb": "Søk", "en": "Search"},
    "search_label": {"nb": "Søk i veikartet", "en": "Search the roadmap"},
    "sparql": {"nb": "SPARQL", "en": "SPARQL"},
    "dataset": {"nb": "Om datasettet", "en": "About the dataset"},
    "changes": {"nb": "Endringer", "en": "Changes"},
    "other_lang": {"nb": "English", "en": "Norsk (bokmål)"},
    "error": {"nb": "Feil", "en": "Error"},
    "where": {"nb": "Hvor", "en": "Where"},
    "see_spec": {"nb": "Se spesifikasjonen", "en": "See the specification"},
    "query_title": {"nb": "SPARQL-spørring", "en": "SPARQL query"},
    "query_label": {"nb": "Spørring (SPARQL 1.1)", "en": "Query (SPARQL 1.1)"},
    "run": {"nb": "Kjør spørring", "en": "Run query"},
    "examples": {"nb": "Eksempelspørringer", "en": "Example queries"},
    "results": {"nb": "Resultat", "en": "Result"},
    "rows": {"nb": "rader", "en": "rows"},
    "download": {"nb": "Last ned resultatet som", "en": "Download the result as"},
    "endpoint_note": {"nb": "Endepunkt for verktøy (SPARQL 1.1-protokollen):",
                      "en": "Endpoint for tools (SPARQL 1.1 Protocol):"},
    "use_example": {"nb": "Bruk", "en": "Use"},
    "footer": {"nb": "Data: NLOD 2.0. Kilde oppgitt for hvert faktum.",
               "en": "Data: NLOD 2.0. Every fact cites its source."},
}


def current_lang() -> str:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(["nb", "no", "nn", "en"], default="nb").replace(
        "no", "nb").replace("nn", "nb")


def t(key: str, lang: str | None = None) -> str:
    lang = lang or g.get("lang", "nb")
    entry = MESSAGES.get(key)
    return entry.get(lang, entry["nb"]) if entry else key


def init_app(app: Flask) -> None:
    @app.before_request
    def set_lang() -> None:
        g.lang = current_lang()

    @app.context_processor
    def inject() -> dict:
        return {"t": t, "lang": g.get("lang", "nb"), "other_lang": "en" if g.get("lang") != "en" else "nb"}

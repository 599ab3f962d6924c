"""Full-text search over every entity that has a page.

The index is a SQLite FTS5 database (``search.sqlite``) written into each snapshot by a build
hook (``hook``), so it always matches the graph it was built from and is never edited by hand.

- ``analysis``: Norwegian-aware text analysis, shared by the index and the queries.
- ``documents``: the graph → one searchable document per entity (SPARQL over the snapshot).
- ``index``: documents → the SQLite file.
- ``typos``: the vocabulary's edit-distance neighbourhood (typo tolerance and suggestions).
- ``abbreviations``: abbreviations the data's text defines ("pasientens legemiddelliste (PLL)").
- ``query``: running a search (FTS5 expression, BM25 ranking, facets, paging).
- ``results``: what a search answers, and its JSON form (``/search.json``).
- ``snippets``: FTS5 ``snippet()`` mapped back onto the original text, HTML-escaped.
- ``facets``: facet names and the validation of their parameters.
- ``hook``: the build hook; ``cli``: ``veikart-graph search``; ``sparql``: ``vk:textScore`` and
  ``vk:matches`` for SPARQL queries.

Importing this package is cheap: it does not import the build (``hook`` does).
"""

INDEX_FILE = "search.sqlite"

"""Example queries: ``queries/*.rq`` files with a header of ``# title:`` / ``# description:``
comments (``@nb`` and ``@en`` variants), loaded once and shared by the query page, the JSON
index and the tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

HEADER = re.compile(r"^#\s*(title|description)(?:@(nb|en))?\s*:\s*(.+)$")


@dataclass(frozen=True)
class Example:
    key: str
    title: dict[str, str]
    description: dict[str, str]
    text: str

    def to_dict(self) -> dict[str, object]:
        return {"id": self.key, "title": self.title, "description": self.description,
                "query": self.text}


def parse_example(path: Path) -> Example:
    title: dict[str, str] = {}
    description: dict[str, str] = {}
    text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        match = HEADER.match(line.strip())
        if match:
            field, lang, value = match.groups()
            (title if field == "title" else description)[lang or "nb"] = value.strip()
    return Example(path.stem, title, description, text)


def load_examples(folder: Path) -> list[Example]:
    if not folder.is_dir():
        return []
    return [parse_example(p) for p in sorted(folder.glob("*.rq"))]

"""The reader-facing words of the generated pages: English defaults, an editor's own in
`data/labels.yml` (optional; e.g. for a briefing in another language).

The label names, their English defaults and what each may hold (`{name}` placeholders, filled
in by the pages) are written once, in `schemas/labels.schema.json`: the build validates
`data/labels.yml` with it, editors' tools autocomplete from it, and the defaults are read from
it here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

SCHEMA = Path(__file__).parent / "schemas" / "labels.schema.json"
SEPARATOR = "/"  # "statuses/proposed": a label inside a group
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def _flatten(properties: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for name, rule in properties.items():
        if "properties" in rule:
            yield from _flatten(rule["properties"], f"{prefix}{name}{SEPARATOR}")
        else:
            yield f"{prefix}{name}", rule


@cache
def defaults() -> Mapping[str, str]:
    """Every label name (groups joined by '/') and its English text, from the schema."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return MappingProxyType({n: r["default"] for n, r in _flatten(schema["properties"])})


def placeholders(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def flatten(value: object, prefix: str = "") -> Iterator[tuple[tuple[str, ...], str]]:
    """The labels an editor wrote, by their path in data/labels.yml (strings only)."""
    if not isinstance(value, dict):
        return
    for name, item in value.items():
        path = (*prefix.split(SEPARATOR)[:-1], str(name)) if prefix else (str(name),)
        if isinstance(item, dict):
            yield from flatten(item, SEPARATOR.join(path) + SEPARATOR)
        elif isinstance(item, str):
            yield path, item


@dataclass(frozen=True)
class Labels:
    """The words of one briefing's pages: the editor's, else the English defaults."""

    own: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __call__(self, name: str, escape: Callable[[str], str] = str, **values: object) -> str:
        """The label `name` with its `{placeholders}` filled in.

        `escape` makes the label's own words safe where they go (Markdown, HTML); the values
        are put in as given, so the caller escapes them (they may be links).
        """
        text = self.own.get(name) or defaults()[name]
        parts = _PLACEHOLDER.split(text)  # literal, name, literal, name, ...
        shown = [
            escape(part) if i % 2 == 0 else str(values.get(part, "{" + part + "}"))
            for i, part in enumerate(parts)
        ]
        return "".join(shown)

    def has(self, name: str) -> bool:
        return name in defaults()

    @property
    def english(self) -> bool:
        """Whether the briefing keeps every default (no label of its own)."""
        return not self.own


def read(value: object) -> Labels:
    """Labels from the parsed data/labels.yml (already checked by its schema)."""
    own = {SEPARATOR.join(path): text.strip() for path, text in flatten(value)}
    return Labels(MappingProxyType({k: v for k, v in own.items() if k in defaults()}))

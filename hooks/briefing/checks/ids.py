"""Ids and relations: each id once in the whole briefing, and every id a field names known.

The kinds whose file could not be read as a list are left out (`unreadable`): checking
references to them would only repeat that file's error once per reference.
"""

from __future__ import annotations

import re

from ..model import Briefing, Span
from ..problems import Code, Problem, suggestion
from ..sources import markup
from ..sources.load import Sources

NAMES = {
    "theme": "theme",
    "finding": "finding",
    "quote": "quote",
    "stat": "statistic",
    "rec": "recommendation",
}
FILES = {
    "themes": "theme",
    "findings": "finding",
    "quotes": "quote",
    "statistics": "stat",
    "recommendations": "rec",
}
ID = re.compile(rf"^{markup.ID_PATTERN}$")


def unreadable(sources: Sources) -> set[str]:
    """Kinds whose data file exists but could not be read as a list (already reported).

    Checking references to them would only repeat that error once per reference.
    """
    kinds: set[str] = set()
    for name, kind in FILES.items():
        document = sources.documents.get(name)
        if document is None:
            if (sources.root / "data" / f"{name}.yml").is_file():
                kinds.add(kind)
        elif not isinstance(document.value, list):
            kinds.add(kind)
    return kinds


def duplicates(sources: Sources) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Span] = {}
    for name in FILES:
        document = sources.documents.get(name)
        if document is None or not isinstance(document.value, list):
            continue
        for i, item in enumerate(document.value):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                continue  # the schema reports it
            span = document.span((i, "id"))
            identifier = item["id"]
            if identifier in seen:
                first = seen[identifier]
                problems.append(
                    Problem.at(
                        span,
                        f"duplicate id '{identifier}' (first at {first}); ids are unique "
                        "across the whole briefing: rename one",
                        code=Code.DATA_DUPLICATE_ID,
                    )
                )
            else:
                seen[identifier] = span
    return problems


def _known(briefing: Briefing, kind: str) -> list[str]:
    return [i for i in briefing.items if i.startswith(kind + "-")]


def unknown(briefing: Briefing, identifier: str) -> str:
    """An unknown id of a known kind (a wrong kind is the schema's to report)."""
    kind = identifier.split("-", 1)[0]
    known = _known(briefing, kind)
    return f"unknown {NAMES[kind]} '{identifier}'; {suggestion(identifier, known, NAMES[kind])}"


def relations(sources: Sources, briefing: Briefing, unreadable: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    checks = (
        ("findings", "theme", ("theme",)),
        ("findings", "evidence", ("quote", "stat")),
        ("recommendations", "addresses", ("finding",)),
    )
    for name, field, kinds in checks:
        document = sources.documents.get(name)
        if document is None or not isinstance(document.value, list):
            continue
        for i, item in enumerate(document.value):
            if not isinstance(item, dict):
                continue
            value = item.get(field)
            targets = (
                [((i, field), value)]
                if isinstance(value, str)
                else [((i, field, j), v) for j, v in enumerate(value)]
                if isinstance(value, list)
                else []
            )
            for path, target in targets:
                if not isinstance(target, str) or not ID.match(target):
                    continue  # the schema reports it
                kind = target.split("-", 1)[0]
                if kind not in kinds or kind in unreadable:
                    continue  # the schema reports a wrong kind; a broken file is reported
                if target not in briefing.items:
                    problems.append(
                        Problem.at(
                            document.span(path),
                            unknown(briefing, target),
                            code=Code.REF_UNKNOWN_ID,
                        )
                    )
    return problems

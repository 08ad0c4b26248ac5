"""Web addresses in data and in references.bib: only http(s) and mailto, as a browser reads them."""

from __future__ import annotations

import re
from pathlib import Path

from .. import weblinks
from ..model import Briefing, Reference, Span
from ..problems import Code, Problem
from ..sources.load import Sources


def urls(sources: Sources, briefing: Briefing) -> list[Problem]:
    """URLs written in data that a browser would read as another scheme than http(s) or
    mailto, or not as an address at all (`weblinks.problem`)."""
    problems: list[Problem] = []
    report = sources.documents.get("report")
    if report is not None and isinstance(report.value, dict):
        url = report.value.get("url")
        # One the schema's pattern refuses is reported once, by the schema.
        if isinstance(url, str) and _SCHEMA_URL.match(url) and (why := weblinks.problem(url)):
            problems.append(Problem.at(report.span(("url",)), f"'url': {why}", code=Code.DATA_URL))
    for reference in briefing.references.values():
        problems += referenceurls(sources.root, reference)
    return problems


_SCHEMA_URL = re.compile(r"^(https?://|mailto:)\S+$")  # common.schema.json's url pattern
_URL_MACRO = re.compile(r"^\s*\\url\{([^{}]*)\}\s*$")


def referenceurls(root: Path, reference: Reference) -> list[Problem]:
    """A BibTeX entry's `url` (and `howpublished = {\\url{...}}`) refused at its field unless
    it is an http(s) or mailto address: the downloads and the head metadata carry it."""
    problems: list[Problem] = []
    for name, value in reference.fields.items():
        field = name.lower()
        if field == "howpublished" and (match := _URL_MACRO.match(value)):
            value = match.group(1)
        elif field != "url" or not value.strip():
            continue
        why = weblinks.problem(value.strip())
        if why is not None:
            span = _field_span(root, reference, name)
            problems.append(
                Problem.at(
                    span,
                    f"entry '{reference.key}', field '{field}': the URL '{value.strip()}' is "
                    f"refused: {why}",
                    code=Code.BIB_URL,
                )
            )
    return problems


def _field_span(root: Path, reference: Reference, name: str) -> Span:
    """Where field `name` of `reference` is written in its file (else the entry's start)."""
    span = reference.span
    try:
        lines = (root / span.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return span
    field = re.compile(rf"(?<![\w-]){re.escape(name)}\s*=", re.IGNORECASE)
    for number in range(span.line - 1, len(lines)):
        match = field.search(lines[number])
        if match:
            return Span(span.path, number + 1, match.start() + 1)
        if number > span.line - 1 and lines[number].lstrip().startswith("@"):
            break  # the next entry
    return span

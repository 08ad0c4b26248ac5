"""Load a briefing from its files into records, with every problem found on the way."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .. import labels
from ..model import (
    Briefing,
    Finding,
    Markdown,
    Quote,
    Recommendation,
    Reference,
    Report,
    Response,
    Span,
    Statistic,
    StatusChange,
    Theme,
)
from ..problems import Code, Problem
from . import frontmatter, safefile, schema, yamlfile
from .yamlfile import Document, JSONPath


@dataclass(frozen=True)
class Sources:
    """The raw inputs of one briefing: parsed data files, references and prose pages."""

    root: Path
    documents: Mapping[str, Document]
    pages: Mapping[str, Markdown]  # docs-relative path -> page text


class _Reader:
    """Typed access to a document's values that never fails on a wrong type (schema reports it)."""

    def __init__(self, document: Document) -> None:
        self.document = document

    def span(self, path: JSONPath) -> Span:
        return self.document.span(path)

    def text(self, item: Mapping[str, Any], path: JSONPath, name: str) -> str | None:
        value = item.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def markdown(self, item: Mapping[str, Any], path: JSONPath, name: str) -> Markdown | None:
        value = self.text(item, path, name)
        if value is None:
            return None
        node = self.document.nodes.get((*path, name))
        raw = self.document.text[node.start : node.end] if node else value
        return Markdown(item[name], self.span((*path, name)), raw)

    def strings(self, item: Mapping[str, Any], name: str) -> tuple[str, ...]:
        value = item.get(name)
        if not isinstance(value, list):
            return ()
        return tuple(v.strip() for v in value if isinstance(v, str))


def read_sources(root: Path, docs_dir: Path | None = None) -> tuple[Sources, list[Problem]]:
    """Parse every data file and prose page under `root`."""
    problems: list[Problem] = []
    documents: dict[str, Document] = {}
    for name in schema.DATA_FILES:
        relative = f"data/{name}.yml"
        if not (root / relative).is_file():
            if name == "report":
                problems.append(
                    Problem(
                        relative,
                        1,
                        1,
                        "missing: every briefing needs data/report.yml",
                        code=Code.FILE_MISSING,
                    )
                )
            continue
        document, found = yamlfile.load(root, relative)
        problems += found
        if document is not None:
            problems += schema.check(document, name)
            documents[name] = document
    pages: dict[str, Markdown] = {}
    docs = docs_dir or root / "docs"
    if docs.is_dir():
        for file in sorted(docs.rglob("*.md")):
            relative = file.relative_to(docs).as_posix()
            shown = _shown(root, file)
            data, found = safefile.read_bytes(root, file, shown, "a page")
            if data is not None:
                text, found = safefile.decode(shown, data)
                if text is not None:
                    pages[relative] = Markdown(text, Span(shown, 1, 1), text)
                    # Text-reordering and invisible characters (Trojan Source).
                    found += safefile.check_characters(shown, text)
                    found += safefile.nul_characters(shown, text)
                    found += frontmatter.check(shown, text)
            problems += found
        problems += safefile.foreign_files(root, docs)
    return Sources(root, documents, pages), problems


def _shown(root: Path, file: Path) -> str:
    try:  # the file's own name, not its target's, if it is a symbolic link
        return (file.parent.resolve() / file.name).relative_to(root.resolve()).as_posix()
    except ValueError:
        return file.as_posix()


def _items(document: Document | None) -> list[tuple[JSONPath, Mapping[str, Any]]]:
    if document is None or not isinstance(document.value, list):
        return []
    return [((i,), v) for i, v in enumerate(document.value) if isinstance(v, dict)]


def build(sources: Sources, references: Mapping[str, Reference]) -> Briefing | None:
    """Records from the parsed sources; None when report.yml is unusable."""
    documents = sources.documents
    report = _report(documents.get("report"))
    if report is None:
        return None
    glossary_value = documents["glossary"].value if "glossary" in documents else None
    if not isinstance(glossary_value, dict):  # a list or a text: the schema has said so
        glossary_value = {}
    glossary = {str(k): str(v).strip() for k, v in glossary_value.items() if isinstance(v, str)}
    themes = tuple(
        _theme(documents["themes"], p, v, n)
        for n, (p, v) in enumerate(_identified(documents.get("themes")), start=1)
    )
    findings = tuple(
        _finding(documents["findings"], p, v) for p, v in _identified(documents.get("findings"))
    )
    quotes = tuple(
        _quote(documents["quotes"], p, v) for p, v in _identified(documents.get("quotes"))
    )
    statistics = tuple(
        _statistic(documents["statistics"], p, v)
        for p, v in _identified(documents.get("statistics"))
    )
    recommendations = tuple(
        _recommendation(documents["recommendations"], p, v, n)
        for n, (p, v) in enumerate(_identified(documents.get("recommendations")), start=1)
    )
    items: dict[str, object] = {}
    records: tuple[Theme | Finding | Quote | Statistic | Recommendation, ...] = (
        *themes,
        *findings,
        *quotes,
        *statistics,
        *recommendations,
    )
    for record in records:
        items.setdefault(record.id, record)
    return Briefing(
        report=report,
        glossary=MappingProxyType(glossary),
        themes=themes,
        findings=findings,
        quotes=quotes,
        statistics=statistics,
        recommendations=recommendations,
        references=MappingProxyType(dict(references)),
        items=MappingProxyType(items),
        labels=labels.read(documents["labels"].value) if "labels" in documents else labels.Labels(),
    )


def _identified(document: Document | None) -> list[tuple[JSONPath, Mapping[str, Any]]]:
    return [(p, v) for p, v in _items(document) if isinstance(v.get("id"), str)]


def _report(document: Document | None) -> Report | None:
    if document is None or not isinstance(document.value, dict):
        return None
    r = _Reader(document)
    v = document.value
    summary = r.markdown(v, (), "summary")
    return Report(
        title=r.text(v, (), "title") or "",
        publisher=r.text(v, (), "publisher") or "",
        authors=r.strings(v, "authors"),
        date=r.text(v, (), "date") or "",
        summary=summary,
        subtitle=r.text(v, (), "subtitle"),
        keywords=r.strings(v, "keywords"),
        licence=r.text(v, (), "licence"),
        doi=r.text(v, (), "doi"),
        url=r.text(v, (), "url"),
        note=r.markdown(v, (), "note"),
    )


def _theme(document: Document, path: JSONPath, v: Mapping[str, Any], number: int) -> Theme:
    r = _Reader(document)
    return Theme(
        id=v["id"],
        number=number,
        title=r.text(v, path, "title") or v["id"],
        summary=r.markdown(v, path, "summary"),
        note=r.markdown(v, path, "note"),
        span=r.span(path),
    )


def _finding(document: Document, path: JSONPath, v: Mapping[str, Any]) -> Finding:
    r = _Reader(document)
    return Finding(
        id=v["id"],
        theme=r.text(v, path, "theme") or "",
        title=r.text(v, path, "title") or v["id"],
        statement=r.markdown(v, path, "statement") or Markdown("", r.span(path), ""),
        evidence=r.strings(v, "evidence"),
        note=r.markdown(v, path, "note"),
        span=r.span(path),
    )


def _quote(document: Document, path: JSONPath, v: Mapping[str, Any]) -> Quote:
    r = _Reader(document)
    text = v.get("text")
    return Quote(
        id=v["id"],
        text=text.strip() if isinstance(text, str) else "",
        attribution=r.text(v, path, "attribution") or "",
        context=r.text(v, path, "context"),
        note=r.markdown(v, path, "note"),
        span=r.span(path),
    )


def _number(value: Any) -> float | int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _statistic(document: Document, path: JSONPath, v: Mapping[str, Any]) -> Statistic:
    r = _Reader(document)
    rows = v.get("rows")
    units = v.get("units")
    return Statistic(
        id=v["id"],
        title=r.text(v, path, "title") or v["id"],
        source=r.markdown(v, path, "source") or Markdown("", r.span(path), ""),
        value=_number(v.get("value")),
        unit=r.text(v, path, "unit"),
        qualifier=r.text(v, path, "qualifier"),
        columns=r.strings(v, "columns"),
        rows=tuple(tuple(row) for row in rows if isinstance(row, list))
        if isinstance(rows, list)
        else (),
        chart=r.text(v, path, "chart"),
        key=v.get("key") is True,
        note=r.markdown(v, path, "note"),
        span=r.span(path),
        units=MappingProxyType(
            {str(k): u.strip() for k, u in units.items() if isinstance(u, str)}
            if isinstance(units, dict)
            else {}
        ),
    )


def _recommendation(
    document: Document, path: JSONPath, v: Mapping[str, Any], number: int
) -> Recommendation:
    r = _Reader(document)
    responses = []
    raw_responses = v.get("responses")
    for i, item in enumerate(raw_responses if isinstance(raw_responses, list) else []):
        if not isinstance(item, dict):
            continue
        where = (*path, "responses", i)
        responses.append(
            Response(
                date=r.text(item, where, "date") or "",
                actor=r.text(item, where, "actor") or "",
                text=r.markdown(item, where, "text") or Markdown("", r.span(where), ""),
                source=r.markdown(item, where, "source"),
                span=r.span(where),
            )
        )
    history = []
    raw_history = v.get("history")
    for i, item in enumerate(raw_history if isinstance(raw_history, list) else []):
        if not isinstance(item, dict):
            continue
        where = (*path, "history", i)
        history.append(
            StatusChange(
                date=r.text(item, where, "date") or "",
                status=r.text(item, where, "status") or "proposed",
                summary=r.markdown(item, where, "summary"),
                source=r.markdown(item, where, "source"),
                actor=r.text(item, where, "actor"),
                span=r.span(where),
            )
        )
    # The current status: as written, else the latest change's (a contradiction is an error).
    latest = history[-1].status if history else "proposed"
    return Recommendation(
        id=v["id"],
        number=number,
        title=r.text(v, path, "title") or v["id"],
        text=r.markdown(v, path, "text") or Markdown("", r.span(path), ""),
        rationale=r.markdown(v, path, "rationale"),
        addresses=r.strings(v, "addresses"),
        actors=r.strings(v, "actors"),
        status=r.text(v, path, "status") or latest,
        responses=tuple(responses),
        note=r.markdown(v, path, "note"),
        span=r.span(path),
        history=tuple(history),
    )

"""Typed, immutable records for every entity of a briefing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .labels import Labels

KINDS = ("theme", "finding", "quote", "stat", "rec")


@dataclass(frozen=True)
class Span:
    """Where something was written: a file relative to the project, 1-based line and column."""

    path: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Markdown:
    """A Markdown field's text and where its value starts, so problems in it can be placed."""

    text: str
    span: Span
    raw: str = ""  # the source characters of the YAML node (or the page), to place tokens

    def __str__(self) -> str:
        return self.text

    def locate(self, source: str, before: int) -> Span:
        """Where the occurrence of `source` at offset `before` of the text was written."""
        occurrence = self.text.count(source, 0, before)
        index = -1
        for _ in range(occurrence + 1):
            index = self.raw.find(source, index + 1)
            if index < 0:
                return self.span
        lines = self.raw.count("\n", 0, index)
        if lines == 0:
            return Span(self.span.path, self.span.line, self.span.column + index)
        return Span(self.span.path, self.span.line + lines, index - self.raw.rfind("\n", 0, index))


@dataclass(frozen=True)
class Response:
    date: str
    actor: str
    text: Markdown
    source: Markdown | None
    span: Span


@dataclass(frozen=True)
class StatusChange:
    """One dated change of a recommendation's status (an entry of its `history`)."""

    date: str
    status: str
    summary: Markdown | None
    source: Markdown | None
    actor: str | None
    span: Span


@dataclass(frozen=True)
class Report:
    title: str
    publisher: str
    authors: tuple[str, ...]
    date: str
    summary: Markdown | None  # optional: a report without an executive summary has none
    subtitle: str | None = None
    keywords: tuple[str, ...] = ()
    licence: str | None = None
    doi: str | None = None
    url: str | None = None  # the original report's address (the briefing's own is site_url)
    note: Markdown | None = None


@dataclass(frozen=True)
class Theme:
    id: str
    number: int
    title: str
    summary: Markdown | None
    note: Markdown | None
    span: Span


@dataclass(frozen=True)
class Finding:
    id: str
    theme: str
    title: str
    statement: Markdown
    evidence: tuple[str, ...]
    note: Markdown | None
    span: Span


@dataclass(frozen=True)
class Quote:
    id: str
    text: str
    attribution: str
    context: str | None
    note: Markdown | None
    span: Span


@dataclass(frozen=True)
class Statistic:
    id: str
    title: str
    source: Markdown
    value: float | int | None
    unit: str | None
    qualifier: str | None
    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    chart: str | None
    key: bool
    note: Markdown | None
    span: Span
    units: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # by column

    @property
    def is_table(self) -> bool:
        return bool(self.columns)


@dataclass(frozen=True)
class Recommendation:
    id: str
    number: int
    title: str
    text: Markdown
    rationale: Markdown | None
    addresses: tuple[str, ...]
    actors: tuple[str, ...]
    status: str
    responses: tuple[Response, ...]
    note: Markdown | None
    span: Span
    history: tuple[StatusChange, ...] = ()  # oldest first; `status` is the latest entry's

    @property
    def slug(self) -> str:
        return self.id.removeprefix("rec-")

    @property
    def status_date(self) -> str | None:
        """When the current status was reached: the latest history entry's date, if any."""
        return self.history[-1].date if self.history else None


@dataclass(frozen=True)
class Reference:
    """One BibTeX entry: its key, entry type (lower case) and fields by lower-case name: each
    value as BibTeX reads it (macros resolved, inner braces and LaTeX kept), crossref and xdata
    fields inherited."""

    key: str
    type: str
    fields: Mapping[str, str]
    span: Span


@dataclass(frozen=True)
class Briefing:
    """A whole briefing, loaded and checked; relations are by id, resolved through the indexes."""

    report: Report
    glossary: Mapping[str, str]
    themes: tuple[Theme, ...]
    findings: tuple[Finding, ...]
    quotes: tuple[Quote, ...]
    statistics: tuple[Statistic, ...]
    recommendations: tuple[Recommendation, ...]
    references: Mapping[str, Reference]
    items: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    labels: Labels = field(default_factory=Labels)  # data/labels.yml, else English defaults

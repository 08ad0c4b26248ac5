"""Semantic checks: what a schema cannot say about ids, references, citations and use."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date

from . import markup
from .load import Sources
from .model import KINDS, Briefing, Markdown, Span
from .problems import Problem, ascii_spelling, non_ascii, suggestion
from .yamlfile import Document, JSONPath

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
ID = re.compile(rf"^(?:{'|'.join(KINDS)})-[a-z0-9]+(?:-[a-z0-9]+)*$")
DAY = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def markdown_fields(briefing: Briefing) -> Iterator[tuple[str, Markdown]]:
    """Every Markdown field with the id of the item that holds it, in file order."""
    report = briefing.report
    yield "report", report.summary
    if report.note:
        yield "report", report.note
    for theme in briefing.themes:
        yield from ((theme.id, m) for m in (theme.summary, theme.note) if m)
    for finding in briefing.findings:
        yield from ((finding.id, m) for m in (finding.statement, finding.note) if m)
    for quote in briefing.quotes:
        if quote.note:
            yield quote.id, quote.note
    for stat in briefing.statistics:
        yield from ((stat.id, m) for m in (stat.source, stat.note) if m)
    for rec in briefing.recommendations:
        yield from ((rec.id, m) for m in (rec.text, rec.rationale, rec.note) if m)
        for response in rec.responses:
            yield from ((rec.id, m) for m in (response.text, response.source) if m)


def check(sources: Sources, briefing: Briefing, shared_bibliography: bool = False) -> list[Problem]:
    """Every semantic problem; warnings for content that nothing uses.

    A shared bibliography (a publisher's, used by many briefings) may hold works this briefing
    never cites: they are not reported.
    """
    problems: list[Problem] = []
    unreadable = _unreadable(sources)
    problems += _ids(sources)
    problems += _relations(sources, briefing, unreadable)
    problems += _tables(sources)
    problems += _dates(sources)
    used, cited, found = _markdown(sources, briefing, unreadable)
    problems += found
    if not unreadable:  # what an unreadable file uses is unknown: no "not used" guesses
        problems += _unused(briefing, used, cited, shared_bibliography)
    return problems


def _unreadable(sources: Sources) -> set[str]:
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


def _ids(sources: Sources) -> list[Problem]:
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
                    )
                )
            else:
                seen[identifier] = span
    return problems


def _known(briefing: Briefing, kind: str) -> list[str]:
    return [i for i in briefing.items if i.startswith(kind + "-")]


def _unknown(briefing: Briefing, identifier: str, kinds: tuple[str, ...]) -> str:
    kind = identifier.split("-", 1)[0]
    if kind not in kinds:
        wanted = " or ".join(NAMES[k] for k in kinds)
        return f"'{identifier}' is not a {wanted} id"
    known = _known(briefing, kind)
    return f"unknown {NAMES[kind]} '{identifier}'; {suggestion(identifier, known, NAMES[kind])}"


def _relations(sources: Sources, briefing: Briefing, unreadable: set[str]) -> list[Problem]:
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
                        Problem.at(document.span(path), _unknown(briefing, target, kinds))
                    )
    return problems


def _tables(sources: Sources) -> list[Problem]:
    problems: list[Problem] = []
    document = sources.documents.get("statistics")
    if document is None or not isinstance(document.value, list):
        return problems
    for i, item in enumerate(document.value):
        if not isinstance(item, dict):
            continue
        columns, rows = item.get("columns"), item.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            continue
        for j, row in enumerate(rows):
            if isinstance(row, list) and len(row) != len(columns):
                problems.append(
                    Problem.at(
                        document.span((i, "rows", j)),
                        f"this row has {len(row)} value(s) but the table has "
                        f"{len(columns)} column(s) ({', '.join(map(str, columns))}); "
                        "give one value per column",
                    )
                )
    return problems


def _dates(sources: Sources) -> list[Problem]:
    """Dates the schema's pattern lets through but no calendar has, such as 2025-02-30."""
    places: list[tuple[Document, JSONPath, object]] = []
    report = sources.documents.get("report")
    if report is not None and isinstance(report.value, dict):
        places.append((report, ("date",), report.value.get("date")))
    recommendations = sources.documents.get("recommendations")
    if recommendations is not None and isinstance(recommendations.value, list):
        for i, item in enumerate(recommendations.value):
            responses = item.get("responses") if isinstance(item, dict) else None
            for j, response in enumerate(responses if isinstance(responses, list) else []):
                if isinstance(response, dict):
                    where = (i, "responses", j, "date")
                    places.append((recommendations, where, response.get("date")))
    problems: list[Problem] = []
    for document, path, value in places:
        match = DAY.match(value) if isinstance(value, str) else None
        if match is None:
            continue  # absent, or not YYYY-MM-DD: the schema reports it
        year, month, day = (int(part) for part in match.groups())
        try:
            date(year, month, day)
        except ValueError:
            why = "no such day"
            if year >= 1 and 1 <= month <= 12:
                days = calendar.monthrange(year, month)[1]
                why = f"{calendar.month_name[month]} {year} has {days} days"
            problems.append(
                Problem.at(document.span(path), f"'date': '{value}' is not a date: {why}")
            )
    return problems


def _markdown(
    sources: Sources, briefing: Briefing, unreadable: set[str]
) -> tuple[set[str], set[str], list[Problem]]:
    """Check every citation and cross-reference; return the ids and keys they use."""
    used: set[str] = set()
    cited: set[str] = set()
    problems: list[Problem] = []
    texts: list[Markdown] = [m for _, m in markdown_fields(briefing)]
    texts += list(sources.pages.values())
    references = briefing.references
    for text in texts:
        for token in markup.scan(text.text):
            where = text.locate(token.source, token.start)
            for cite in token.cites:
                cited.add(cite.key)
                if cite.key not in references:
                    problems.append(Problem.at(where, _unknown_key(cite.key, references)))
            if token.target is not None:
                used.add(token.target)
                kind = token.target.split("-", 1)[0]
                if token.target not in briefing.items and kind not in unreadable:
                    problems.append(Problem.at(where, _unknown(briefing, token.target, (kind,))))
        for offset, written in markup.near_misses(text.text):
            if not written.isascii():  # a look-alike letter: it reads as an id and links nowhere
                problems.append(
                    Problem.at(
                        text.locate(written, offset),
                        f"'{written}' looks like a cross-reference but {non_ascii(written)}; "
                        f"ids are ASCII: write '{ascii_spelling(written)}'",
                    )
                )
                continue
            problems.append(
                Problem.at(
                    text.locate(written, offset),
                    f"'{written}' looks like a cross-reference but ids are lower-case with "
                    f"hyphens, e.g. '@{written[1:].lower().replace('_', '-')}'; "
                    "write it that way, or put it in `code` if it is meant literally",
                    "warning",
                )
            )
    return used, cited, problems


def _unknown_key(key: str, references: Mapping[str, object]) -> str:
    kind = key.split("-", 1)[0]
    if kind in KINDS and key.startswith(kind + "-"):
        return (
            f"'[@{key}]' cites '{key}', which is an item id, not a reference: "
            f"write @{key} without brackets to cross-reference it"
        )
    return f"unknown citation key '{key}'; {suggestion(key, references, 'reference')} " + (
        "(add the work to references.bib or fix the key)"
    )


def _unused(
    briefing: Briefing, used: set[str], cited: set[str], shared_bibliography: bool = False
) -> list[Problem]:
    problems: list[Problem] = []
    evidence: dict[str, int] = defaultdict(int)
    for finding in briefing.findings:
        for identifier in finding.evidence:
            evidence[identifier] += 1
    for quote in briefing.quotes:
        if quote.id not in evidence and quote.id not in used:
            problems.append(
                Problem.at(
                    quote.span,
                    f"quote '{quote.id}' is not used: list it in a finding's evidence or "
                    "cross-reference it, or delete it",
                    "warning",
                )
            )
    for stat in briefing.statistics:
        if stat.id not in evidence and stat.id not in used and not stat.key:
            problems.append(
                Problem.at(
                    stat.span,
                    f"statistic '{stat.id}' is not used: list it in a finding's evidence, "
                    "cross-reference it or mark it `key: true`, or delete it",
                    "warning",
                )
            )
    # A crossref parent (a proceedings, say) is cited through the entries that inherit from it.
    parents = {
        parent.strip()
        for reference in briefing.references.values()
        for parent in reference.fields.get("crossref", "").split(",")
    }
    for key, reference in briefing.references.items():
        if key not in cited and key not in parents and not shared_bibliography:
            problems.append(
                Problem.at(
                    reference.span,
                    f"reference '{key}' is never cited: cite it with [@{key}] or delete it",
                    "warning",
                )
            )
    return problems

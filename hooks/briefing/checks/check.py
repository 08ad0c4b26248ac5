"""Semantic checks: what a schema cannot say about ids, references, citations and use."""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from itertools import pairwise
from pathlib import Path

from .. import labels, weblinks
from ..model import KINDS, Briefing, Markdown, Reference, Span
from ..problems import Code, Problem, ascii_spelling, non_ascii, suggestion
from ..sources import markup
from ..sources.load import Sources
from ..sources.yamlfile import Document, JSONPath
from . import anchors, check_progress

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
    yield from (("report", m) for m in (report.summary, report.note) if m)
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
        for change in rec.history:
            yield from ((rec.id, m) for m in (change.summary, change.source) if m)


def check(
    sources: Sources,
    briefing: Briefing,
    shared_bibliography: bool = False,
    today: date | None = None,
) -> list[Problem]:
    """Every semantic problem; warnings for content that nothing uses.

    A shared bibliography (a publisher's, used by many briefings) may hold works this briefing
    never cites: they are not reported. `today` (the real clock's by default) bounds the dates
    of status changes and responses.
    """
    problems: list[Problem] = []
    unreadable = _unreadable(sources)
    problems += _ids(sources)
    problems += _relations(sources, briefing, unreadable)
    problems += _tables(sources)
    problems += _no_recommendations(sources)
    problems += _labels(sources)
    problems += _dates(sources)
    problems += _urls(sources, briefing)
    problems += _numbers(sources)
    problems += check_progress.check(sources, briefing, today)
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
                        code=Code.DATA_DUPLICATE_ID,
                        subject=identifier,
                    )
                )
            else:
                seen[identifier] = span
    return problems


def _known(briefing: Briefing, kind: str) -> list[str]:
    return [i for i in briefing.items if i.startswith(kind + "-")]


def _unknown(briefing: Briefing, identifier: str) -> str:
    """An unknown id of a known kind (a wrong kind is the schema's to report)."""
    kind = identifier.split("-", 1)[0]
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
                        Problem.at(
                            document.span(path),
                            _unknown(briefing, target),
                            code=Code.REF_UNKNOWN_ID,
                            subject=target,
                        )
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
                span, hint = document.span((i, "rows", j)), ""
                if len(row) > len(columns):
                    span, hint = _comma_hint(document, (i, "rows", j), len(row), len(columns))
                problems.append(
                    Problem.at(
                        span,
                        f"this row has {len(row)} value(s) but the table has "
                        f"{len(columns)} column(s) ({', '.join(map(str, columns))}); "
                        "give one value per column" + hint,
                        code=Code.DATA_ROW_LENGTH,
                    )
                )
        units = item.get("units")
        if isinstance(units, dict):
            for name in units:
                if name not in columns:
                    problems.append(
                        Problem.at(
                            document.key_span((i, "units", name)),
                            f"'units' names '{name}', which is not a column of this table; "
                            f"{suggestion(str(name), [str(c) for c in columns], 'column')}",
                            code=Code.DATA_UNIT_COLUMN,
                        )
                    )
    return problems


def _comma_hint(
    document: Document, path: tuple[int, str, int], values: int, columns: int
) -> tuple[Span, str]:
    """Where a flow-style row (`- [Less than £20,000, 39]`) has an unquoted comma inside a
    cell, and how to write it: YAML reads `[a, b]`'s commas as separators, so the cell splits."""
    row = document.nodes.get(path)
    if row is None or not document.text[row.start : row.end].lstrip().startswith("["):
        return document.span(path), ""
    extra = values - columns
    cells = [document.nodes.get((*path, k)) for k in range(values)]
    best: tuple[int, Span, str] | None = None
    for k in range(values - extra):
        group = cells[k : k + extra + 1]
        if any(c is None or c.style for c in group):
            continue  # a quoted value holds its commas
        found = [c for c in group if c is not None]
        between = [document.text[a.end : b.start] for a, b in pairwise(found)]
        if not all(t.strip() == "," for t in between):
            continue
        tight = sum(t == "," for t in between)  # "20,000": no space after the comma
        i, _, j = path
        row_value = document.value[i]["rows"][j]
        words = all(isinstance(row_value[k + n + 1], str) for n in range(extra))
        if not tight and not words:
            continue  # "[East, 12, 4]": a value too many, not a cell cut in two
        if best is None or tight > best[0]:
            written = document.text[found[0].start : found[-1].end]
            best = (tight, found[0].span, written)
    if best is None:
        return document.span(path), ""
    written = best[2].replace('"', '\\"')
    return best[1], (
        "; the row is written in flow style ([...]), where a comma separates values, and "
        f'this cell holds an unquoted comma: quote the cell: "{written}"'
    )


def _no_recommendations(sources: Sources) -> list[Problem]:
    """A briefing is its recommendations: none at all is reported at their file."""
    document = sources.documents.get("recommendations")
    path = "data/recommendations.yml"
    if document is None and not (sources.root / path).is_file():
        return [
            Problem(
                path,
                1,
                1,
                "missing: every briefing needs data/recommendations.yml, a list of its "
                "recommendations (`- id: rec-...`, with title, text and addresses)",
                code=Code.FILE_MISSING,
            )
        ]
    if document is not None and document.value in (None, []):
        return [
            Problem.at(
                document.span(()),
                "the briefing has no recommendations: list them here "
                "(`- id: rec-...`, with title, text and addresses)",
                code=Code.DATA_NO_RECOMMENDATIONS,
            )
        ]
    return []


def _labels(sources: Sources) -> list[Problem]:
    """Labels whose `{placeholders}` the page cannot fill (the schema checks their names)."""
    document = sources.documents.get("labels")
    if document is None:
        return []
    defaults = labels.defaults()
    problems: list[Problem] = []
    for path, text in labels.flatten(document.value):
        name = labels.SEPARATOR.join(path)
        if name not in defaults:
            continue  # the schema reports an unknown label
        allowed = labels.placeholders(defaults[name])
        unknown = sorted(labels.placeholders(text) - allowed)
        missing = sorted({"value"} & allowed - labels.placeholders(text))
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "none"
            problems.append(
                Problem.at(
                    document.span(path),
                    f"label '{name}' uses {', '.join(f'{{{p}}}' for p in unknown)}, which it "
                    f"cannot fill; the values this label has: {known}",
                    code=Code.DATA_LABEL_PLACEHOLDER,
                )
            )
        if missing:
            problems.append(
                Problem.at(
                    document.span(path),
                    f"label '{name}' must hold {{value}}, where the number goes: "
                    f"e.g. '{defaults[name]}'",
                    code=Code.DATA_LABEL_VALUE,
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
            for name in ("responses", "history"):
                entries = item.get(name) if isinstance(item, dict) else None
                for j, entry in enumerate(entries if isinstance(entries, list) else []):
                    if isinstance(entry, dict):
                        where = (i, name, j, "date")
                        places.append((recommendations, where, entry.get("date")))
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
                Problem.at(
                    document.span(path),
                    f"'date': '{value}' is not a date: {why}",
                    code=Code.DATA_NO_SUCH_DAY,
                )
            )
    return problems


SMALLEST = 0.0001  # the smallest figure in size but 0 (CONTRIBUTING, "Numbers")
DIGITS = 15  # significant digits a float holds exactly
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(?:inf|nan)$", re.IGNORECASE)
_EXPONENT = re.compile(r"[-+]?[0-9]+[eE][-+]?[0-9]+")
_MANTISSA = re.compile(r"^[-+]?([0-9.]*)")


def _numbers(sources: Sources) -> list[Problem]:
    """Figures a briefing cannot mean, where the schema's bounds (at most 10^15 in size) do not
    reach: more significant digits than a float holds, a size below 0.0001 (shown as 1e-05),
    and YAML's `.nan` and `.inf`, which the reader keeps as text."""
    document = sources.documents.get("statistics")
    if document is None or not isinstance(document.value, list):
        return []
    problems: list[Problem] = []
    for i, item in enumerate(document.value):
        if not isinstance(item, dict):
            continue
        places: list[tuple[JSONPath, object]] = [((i, "value"), item.get("value"))]
        rows = item.get("rows")
        for j, row in enumerate(rows if isinstance(rows, list) else []):
            for k, cell in enumerate(row if isinstance(row, list) else []):
                places.append(((i, "rows", j, k), cell))
        for path, value in places:
            node = document.nodes.get(path)
            if node is None:
                continue
            written = document.text[node.start : node.end].strip()
            flaw = _figure(value, written, node.style)
            if flaw:
                code, why = flaw
                problems.append(Problem.at(node.span, f"'{written}' {why}", code=code))
    return problems


def _figure(value: object, written: str, style: str | None) -> tuple[Code, str] | None:
    """Why a figure as written cannot be shown as the editor meant it, or None."""
    if isinstance(value, str):
        if style not in (None, ""):  # quoted or a block: text, as the editor meant
            return None
        if _SPECIAL_FLOAT.match(value):
            return Code.DATA_FIGURE_SPECIAL, (
                "is not a figure a briefing can show: leave the cell empty (null), or quote "
                "it if it is meant as text"
            )
        if _EXPONENT.fullmatch(value):
            return Code.DATA_FIGURE_EXPONENT, (
                "is read as text, not as a number (YAML wants a decimal point before an "
                "exponent): write the number in full, or quote it if it is meant as text"
            )
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    mantissa = _MANTISSA.match(written.replace("_", ""))
    digits = (mantissa.group(1) if mantissa else "").replace(".", "").strip("0")
    if len(digits) > DIGITS:
        return Code.DATA_FIGURE_DIGITS, (
            f"has {len(digits)} significant digits, more than the {DIGITS} a figure keeps "
            "exactly; round it"
        )
    if value != 0 and abs(value) < SMALLEST:
        return Code.DATA_FIGURE_SMALL, (
            f"is smaller than a briefing's figures can be (0, or at least {SMALLEST} in size); "
            "give it in a smaller unit (per thousand, per million)"
        )
    return None


def _urls(sources: Sources, briefing: Briefing) -> list[Problem]:
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
        problems += reference_urls(sources.root, reference)
    return problems


_SCHEMA_URL = re.compile(r"^(https?://|mailto:)\S+$")  # common.schema.json's url pattern
_URL_MACRO = re.compile(r"^\s*\\url\{([^{}]*)\}\s*$")


def reference_urls(root: Path, reference: Reference) -> list[Problem]:
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
                    subject=reference.key,
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
                    code, message = _unknown_key(cite.key, references)
                    problems.append(Problem.at(where, message, code=code, subject=cite.key))
            if token.target is not None:
                used.add(token.target)
                kind = token.target.split("-", 1)[0]
                if token.target not in briefing.items and kind not in unreadable:
                    problems.append(
                        Problem.at(
                            where,
                            _unknown(briefing, token.target),
                            code=Code.REF_UNKNOWN_ID,
                            subject=token.target,
                        )
                    )
        problems += anchors.forged(text)
        for offset, written in markup.near_misses(text.text):
            if not written.isascii():  # a look-alike letter: it reads as an id and links nowhere
                problems.append(
                    Problem.at(
                        text.locate(written, offset),
                        f"'{written}' looks like a cross-reference but {non_ascii(written)}; "
                        f"ids are ASCII: write '{ascii_spelling(written)}'",
                        code=Code.REF_LOOKALIKE,
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
                    code=Code.REF_NEAR_MISS,
                )
            )
    return used, cited, problems


def _unknown_key(key: str, references: Mapping[str, object]) -> tuple[Code, str]:
    kind = key.split("-", 1)[0]
    if kind in KINDS and key.startswith(kind + "-"):
        return Code.REF_CITES_ITEM, (
            f"'[@{key}]' cites '{key}', which is an item id, not a reference: "
            f"write @{key} without brackets to cross-reference it"
        )
    return Code.BIB_UNKNOWN_KEY, (
        f"unknown citation key '{key}'; {suggestion(key, references, 'reference')} "
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
                    code=Code.UNUSED_QUOTE,
                    subject=quote.id,
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
                    code=Code.UNUSED_STATISTIC,
                    subject=stat.id,
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
                    code=Code.UNUSED_REFERENCE,
                    subject=key,
                )
            )
    return problems

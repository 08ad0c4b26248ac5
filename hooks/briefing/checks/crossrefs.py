"""Citations and cross-references in every Markdown field and docs page: each key and id known,
no id an author writes passing for one of the engine's, no near miss left unsaid."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from ..model import KINDS, Briefing, Markdown
from ..problems import Code, Problem, ascii_spelling, non_ascii, suggestion
from ..sources import markup
from ..sources.load import Sources
from . import anchors
from .ids import unknown


def markdown_fields(briefing: Briefing) -> Iterator[Markdown]:
    """Every Markdown field of the data, in file order."""
    report = briefing.report
    yield from (m for m in (report.summary, report.note) if m)
    for theme in briefing.themes:
        yield from (m for m in (theme.summary, theme.note) if m)
    for finding in briefing.findings:
        yield from (m for m in (finding.statement, finding.note) if m)
    for quote in briefing.quotes:
        if quote.note:
            yield quote.note
    for stat in briefing.statistics:
        yield from (m for m in (stat.source, stat.note) if m)
    for rec in briefing.recommendations:
        yield from (m for m in (rec.text, rec.rationale, rec.note) if m)
        for response in rec.responses:
            yield from (m for m in (response.text, response.source) if m)
        for change in rec.history:
            yield from (m for m in (change.summary, change.source) if m)


def markdown(
    sources: Sources, briefing: Briefing, unreadable: set[str]
) -> tuple[set[str], set[str], list[Problem]]:
    """Check every citation and cross-reference; return the ids and keys they use."""
    used: set[str] = set()
    cited: set[str] = set()
    problems: list[Problem] = []
    texts = [*markdown_fields(briefing), *sources.pages.values()]
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
                            unknown(briefing, token.target),
                            code=Code.REF_UNKNOWN_ID,
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

"""The briefing as one document for paper, in the report's order, each item printed once.

Made from the engine's records (what is a theme, a finding, a recommendation, and their
numbers) and the site's rendered page fragments (the words as readers get them, citations
numbered, abbreviations marked). The order: cover, contents, the summary, the recommendations,
the prose pages and the survey figures in reading order, each theme with its findings, then the
references and the glossary. What only makes sense on screen is left out: the home page's
cards, downloads and cite box, the indexes of themes and recommendations, the change log,
"last updated" lines, permalinks, pagers, "cited in" lists. A recommendation refers to the
findings it addresses instead of printing them again; a quote shown under two findings is
printed under the first and referred to from the second.

Links become links inside the document, and the print style (`style`) adds the page each one
leads to ("Finding 3.2, p. 12"): paper cannot follow a link. Item ids (finding-…, rec-…, ref-…)
stay as they are, so each item is one named destination of the PDF; other ids are prefixed by
their section, so two pages' "why" headings cannot clash.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from ...labels import Labels
from ...model import Briefing, Report
from ...render import pages as generated
from ...render.formats import Formats
from .builder import Builder, generated_sources
from .fragment import page_key
from .items import (
    finding_numbers,
    print_recommendation,
    print_summary,
    print_theme,
)
from .records import Document, Entry, PrintPage

Printed = Callable[[PrintPage, str], str]  # an item's page as printed, given its id

__all__ = ["Document", "Entry", "PrintPage", "document", "finding_numbers"]


def _cover(
    report: Report, formats: Formats, labels: Labels, site_url: str | None, citation: str | None
) -> str:
    """The cover: the report's title, publisher and date, and where to read and how to cite
    it (each line's words from `labels`, the values escaped; `citation` is HTML)."""

    def link(address: str) -> str:
        return f'<a href="{html.escape(address)}">{html.escape(address)}</a>'

    parts = [f'<h1 class="cover-title">{html.escape(report.title)}</h1>']
    if report.subtitle:
        parts.append(f'<p class="cover-subtitle">{html.escape(report.subtitle)}</p>')
    parts.append(f'<p class="cover-publisher">{html.escape(report.publisher)}</p>')
    parts.append(f'<p class="cover-date">{html.escape(formats.date(report.date))}</p>')
    authors = ", ".join(report.authors)
    if authors and authors != report.publisher:
        parts.append(f'<p class="cover-authors">{html.escape(authors)}</p>')
    details = []
    if report.doi:
        details.append(labels("print/doi", html.escape, doi=link(f"https://doi.org/{report.doi}")))
    address = site_url  # the briefing's own address; report.url is the original report's
    if address:
        details.append(labels("print/read_online", html.escape, address=link(address)))
    if report.licence:
        details.append(labels("print/licence", html.escape, licence=html.escape(report.licence)))
    if citation:
        details.append(labels("print/cite_as", html.escape, citation=citation))
    if details:
        parts.append('<div class="cover-details">' + "".join(f"<p>{d}</p>" for d in details))
        parts[-1] += "</div>"
    return '<section class="cover" id="cover">' + "".join(parts) + "</section>"


def _contents(entries: Sequence[Entry], labels: Labels) -> str:
    items = "".join(
        f'<li class="level-{e.level}"><a href="#{html.escape(e.anchor)}">'
        f"{html.escape(e.title)}</a></li>"
        for e in entries
    )
    return (
        '<nav class="contents" id="contents" aria-labelledby="contents-title">'
        f'<h1 id="contents-title">{html.escape(labels("print/contents"))}</h1>'
        f"<ul>{items}</ul></nav>"
    )


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html.escape(value)}">\n' if value else ""


def document(
    pages: Sequence[PrintPage],
    briefing: Briefing,
    *,
    site_url: str | None = None,
    site_dir: Path | None = None,
    citation: str | None = None,
    language: str = "en",
    css: str = "",
    created: str | None = None,
    formats: Formats | None = None,
) -> Document:
    """The print document from the built pages (any order: the records give the order).

    `citation` is the briefing's formatted citation (HTML); `site_dir` is the built site, the
    only place images are read from; links to site files that are not in the document go to
    `site_url`, or are dropped when the site's address is unknown. `created` (ISO 8601) is the
    PDF's date. Every word the document adds is one of the briefing's labels; its dates are
    written by `formats` (the site's: its locale and labels).
    """
    report = briefing.report
    labels = briefing.labels
    formats = formats or Formats(labels=labels)
    by_src = {p.src: p for p in pages}
    fixed = generated_sources(briefing)
    base = (site_url.rstrip("/") + "/") if site_url else None
    builder = Builder(briefing, by_src, site_dir, base)
    numbers = finding_numbers(briefing)
    themes = [(t, generated.theme_page(t.id)) for t in briefing.themes]
    recs = [(r, generated.rec_page(r)) for r in briefing.recommendations]
    prose = [
        p
        for p in pages
        if p.src not in fixed or p.src == generated.SURVEY
        if p.src not in (generated.REFERENCES, generated.GLOSSARY)
    ]

    def slug(src: str) -> str:
        key = page_key(by_src[src].url) if src in by_src else src
        return re.sub(r"[^A-Za-z0-9_-]+", "-", key.removesuffix(".html")).strip("-") or "page"

    # Where each page's links go in the document, and how a link names what it leads to.
    if generated.HOME in by_src:
        builder.section_of[page_key(by_src[generated.HOME].url)] = "cover"
    if generated.RECOMMENDATIONS in by_src:
        builder.section_of[page_key(by_src[generated.RECOMMENDATIONS].url)] = "recommendations"
    if generated.THEMES in by_src:
        builder.section_of[page_key(by_src[generated.THEMES].url)] = "themes"
    for rec, src in recs:
        if src in by_src:
            builder.section_of[page_key(by_src[src].url)] = rec.id
        builder.where[rec.id] = labels("recommendation", number=rec.number)
    for theme, src in themes:
        if src in by_src:
            builder.section_of[page_key(by_src[src].url)] = theme.id
        builder.where[theme.id] = labels("theme", number=theme.number)
    for finding_id, number in numbers.items():
        builder.where[finding_id] = labels("print/finding", number=number)
    for page in [
        *prose,
        *(by_src[s] for s in (generated.REFERENCES, generated.GLOSSARY) if s in by_src),
    ]:
        builder.section_of[page_key(page.url)] = slug(page.src)

    body: list[str] = []  # one section a part, each starting a new page
    entries: list[Entry] = []

    def part(ident: str, heading: str, inner: str) -> None:
        entries.append(Entry(ident, heading, 1))
        body.append(f'<section class="part" id="{html.escape(ident)}">{inner}</section>')

    def page_part(page: PrintPage) -> None:
        ident = slug(page.src)
        part(ident, builder.heading(page), builder.section(page, ident))

    def group(ident: str, items: list[tuple[str, str]], printed: Printed) -> None:
        """A part of item pages (the recommendations, the themes): each a contents entry."""
        shown = [(item_id, by_src[src]) for item_id, src in items if src in by_src]
        if not shown:
            return
        heading = labels(f"pages/{ident}")
        entries.append(Entry(ident, heading, 1))
        sections = []
        for item_id, page in shown:
            entries.append(Entry(item_id, builder.heading(page), 2))
            sections.append(
                f'<section class="item" id="{html.escape(item_id)}-section">'
                f"{printed(page, item_id)}</section>"
            )
        body.append(
            f'<section class="part group" id="{ident}"><h1>{html.escape(heading)}</h1>'
            + "".join(sections)
            + "</section>"
        )

    if generated.HOME in by_src:
        summary = print_summary(builder, by_src[generated.HOME])
        if summary is not None:
            heading, inner = summary
            part("summary", heading, f"<h1>{html.escape(heading)}</h1>{inner}")
    group(
        "recommendations",
        [(r.id, src) for r, src in recs],
        lambda page, rec_id: print_recommendation(builder, page, rec_id, rec_id),
    )
    for page in prose:
        page_part(page)
    group(
        "themes",
        [(t.id, src) for t, src in themes],
        lambda page, theme_id: print_theme(builder, page, theme_id),
    )
    for src in (generated.REFERENCES, generated.GLOSSARY):
        if src in by_src:
            page_part(by_src[src])
    parts = 2 + len(body)  # the cover and the contents, then each part
    head = (
        '<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n"
        + _meta("author", ", ".join(report.authors))
        + _meta("description", report.subtitle or report.title)
        + _meta("keywords", ", ".join(report.keywords))
        + _meta("generator", "briefing")
        + _meta("dcterms.created", created or "")
        + _meta("dcterms.modified", created or "")
        + f"<style>\n{css}</style>\n"
    )
    text = (
        f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head>\n{head}</head>\n<body>\n'
        + _cover(report, formats, labels, base, citation)
        + "\n"
        + _contents(entries, labels)
        + "\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return Document(
        text,
        tuple(entries),
        tuple(builder.images),
        tuple(builder.problems),
        parts,
        tuple(dict.fromkeys(builder.notes)),
    )

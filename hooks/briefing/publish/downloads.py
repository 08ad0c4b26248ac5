"""The briefing as files to download: JSON (with its schema), CSV, BibTeX and CSL-JSON.

Everything here is a plain function of the numbered site: the same briefing gives the same
bytes. `write` puts the files under `downloads/` of a built site; the PDF is `pdf.py`'s.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin

import markdown as markdown_lib  # type: ignore[import-untyped]  # no stubs; one call

from .. import weblinks
from ..citations.cite import Citation
from ..citations.csljson import to_csl_json
from ..citations.groups import citation_group
from ..model import Markdown, Recommendation
from ..render import timeline
from ..render.formats import column_unit
from ..render.resolve import cited_in
from ..render.urls import page_url
from ..sources import bib, markup
from . import pdf

if TYPE_CHECKING:
    from ..render.site import Site

FOLDER = "downloads"
SCHEMA = Path(__file__).parent.parent / "schemas" / "briefing-download.schema.json"
CSV_COLUMNS: tuple[str, ...] = (
    "number",
    "id",
    "title",
    "text",
    "status",
    "actors",
    "addresses",
    "url",
    "status_date",  # what became of it (render/timeline.py)
    "history",
)
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Download:
    """One file under downloads/: its name, what a reader is told about it, its media type."""

    name: str
    label: str
    about: str
    media_type: str


FILES = (
    Download(
        "briefing.pdf",
        "The whole briefing (PDF)",
        "the briefing as a printed report: contents with page numbers, every item once",
        "application/pdf",
    ),
    Download(
        "briefing.json",
        "Every item as data (JSON)",
        "themes, findings, quotes, figures, recommendations and references, with their "
        "relations resolved",
        "application/json",
    ),
    Download(
        "briefing.schema.json",
        "The JSON's schema (JSON Schema)",
        "what each field of briefing.json holds",
        "application/schema+json",
    ),
    Download(
        "recommendations.csv",
        "The recommendations (CSV)",
        "one row each, for spreadsheets and trackers",
        "text/csv",
    ),
    Download(
        "references.bib",
        "The references (BibTeX)",
        "every work cited, as the briefing's own file",
        "application/x-bibtex",
    ),
    Download(
        "references.json",
        "The references (CSL-JSON)",
        "for Zotero and other reference managers, in reference-number order",
        "application/vnd.citationstyles.csl+json",
    ),
)


# --- addresses and text ----------------------------------------------------------------------


def _url(site: Site, src: str, anchor: str = "", site_url: str | None = None) -> str:
    """An item's address: site-relative, or absolute when the site's address is known."""
    path = page_url(src, site.resolver.directory_urls) + (f"#{anchor}" if anchor else "")
    return (
        urljoin(site_url if site_url.endswith("/") else site_url + "/", path) if site_url else path
    )


def item_url(site: Site, item_id: str, site_url: str | None = None) -> str:
    target = site.resolver.targets[item_id]
    return _url(site, target.page, target.anchor, site_url)


def _source(text: Markdown | None) -> str | None:
    return text.text.strip() if text is not None else None


def plain_text(site: Site, text: Markdown | str) -> str:
    """A Markdown field as plain text: citations as their numbers ([3], [3, p. 4]), cross-
    references as their labels, paragraphs apart by a blank line."""
    numbers, targets = site.resolver.numbers, site.resolver.targets

    def render(token: markup.Token) -> str:
        if token.is_citation:  # as the pages show it (citation_group)
            return citation_group(token.cites, numbers, site.resolver.grouping)
        assert token.target is not None
        return token.label if token.label is not None else targets[token.target].label

    source = text.text if isinstance(text, Markdown) else text
    rendered = markdown_lib.markdown(markup.replace(source, render))
    blocks = re.split(r"</(?:p|li|h\d|blockquote)>", rendered)
    lines = [" ".join(html.unescape(re.sub(r"<[^>]*>", " ", b)).split()) for b in blocks]
    return "\n\n".join(line for line in lines if line)


# --- briefing.json ---------------------------------------------------------------------------


def briefing(
    site: Site, citation: Citation | None = None, site_url: str | None = None
) -> dict[str, object]:
    """Every item with its fields as written (Markdown fields as Markdown), its address, and its
    relations resolved both ways; references with their numbers. Keys in a fixed order."""
    b = site.briefing
    numbers = site.resolver.numbers
    shown = site.formats  # display fields in the briefing's language; the data stay numbers
    themes = {t.id: t for t in b.themes}
    findings = {f.id: f for f in b.findings}
    addressed_by: dict[str, list[Recommendation]] = {f.id: [] for f in b.findings}
    for rec in b.recommendations:
        for finding_id in rec.addresses:
            addressed_by.setdefault(finding_id, []).append(rec)
    evidence_for: dict[str, list[str]] = {}
    for finding in b.findings:
        for evidence in finding.evidence:
            evidence_for.setdefault(evidence, []).append(finding.id)

    def url(item_id: str) -> str:
        return item_url(site, item_id, site_url)

    def theme_ref(theme_id: str) -> dict[str, object]:
        theme = themes[theme_id]
        return {"id": theme.id, "number": theme.number, "title": theme.title}

    def finding_ref(finding_id: str) -> dict[str, object]:
        finding = findings[finding_id]
        return {"id": finding.id, "title": finding.title, "theme": finding.theme}

    def rec_ref(rec: Recommendation) -> dict[str, object]:
        return {"id": rec.id, "number": rec.number, "title": rec.title}

    report = b.report
    data: dict[str, object] = {
        "$schema": "briefing.schema.json",
        "format_version": FORMAT_VERSION,
        "report": {
            "title": report.title,
            "subtitle": report.subtitle,
            "publisher": report.publisher,
            "authors": list(report.authors),
            "date": report.date,
            "summary": _source(report.summary),
            "keywords": list(report.keywords),
            "licence": report.licence,
            "doi": report.doi,
            "url": weblinks.web(report.url),
            "site_url": weblinks.web(site_url),
            "note": _source(report.note),
            "citation": (
                {"key": citation.reference.key, "text": citation.text, "bibtex": citation.bibtex}
                if citation
                else None
            ),
        },
        "glossary": [
            {"term": term, "expansion": b.glossary[term]}
            for term in sorted(b.glossary, key=str.casefold)
        ],
        "themes": [
            {
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "summary": _source(t.summary),
                "note": _source(t.note),
                "url": url(t.id),
                "findings": [f.id for f in b.findings if f.theme == t.id],
            }
            for t in b.themes
        ],
        "findings": [
            {
                "id": f.id,
                "title": f.title,
                "statement": _source(f.statement),
                "note": _source(f.note),
                "url": url(f.id),
                "theme": theme_ref(f.theme),
                "evidence": [
                    {
                        "id": e,
                        "kind": "quote" if e.startswith("quote-") else "stat",
                        "label": site.resolver.targets[e].label,
                    }
                    for e in f.evidence
                ],
                "addressed_by": [rec_ref(r) for r in addressed_by.get(f.id, [])],
            }
            for f in b.findings
        ],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "attribution": q.attribution,
                "context": q.context,
                "note": _source(q.note),
                "url": url(q.id),
                "evidence_for": evidence_for.get(q.id, []),
            }
            for q in b.quotes
        ],
        "statistics": [
            {
                "id": s.id,
                "title": s.title,
                "source": _source(s.source),
                "value": s.value,
                "unit": s.unit,
                "qualifier": s.qualifier,
                "shown": None if s.is_table else shown.figure(s.value, s.unit, s.qualifier),
                "columns": list(s.columns) if s.is_table else None,
                "rows": [list(row) for row in s.rows] if s.is_table else None,
                "units": {c: column_unit(s, i) for i, c in enumerate(s.columns)}
                if s.is_table
                else None,
                "shown_rows": [[shown.cell(s, i, v) for i, v in enumerate(row)] for row in s.rows]
                if s.is_table
                else None,
                "chart": s.chart,
                "key": s.key,
                "note": _source(s.note),
                "url": url(s.id),
                "evidence_for": evidence_for.get(s.id, []),
            }
            for s in b.statistics
        ],
        "recommendations": [
            {
                "id": r.id,
                "number": r.number,
                "title": r.title,
                "text": _source(r.text),
                "rationale": _source(r.rationale),
                "status": r.status,
                "actors": list(r.actors),
                "responses": [
                    {
                        "date": response.date,
                        "actor": response.actor,
                        "text": _source(response.text),
                        "source": _source(response.source),
                    }
                    for response in r.responses
                ],
                "status_date": r.status_date,
                "history": history_of(site, r, site_url),
                "note": _source(r.note),
                "url": url(r.id),
                "addresses": [finding_ref(f) for f in r.addresses],
            }
            for r in b.recommendations
        ],
        "references": [
            {
                "key": key,
                "number": numbers.get(key),
                "url": _url(site, "references.md", f"ref-{key}", site_url),
                "cited_in": [
                    {
                        "title": page.link.title,
                        "url": _url(site, page.link.page, page.link.anchor, site_url),
                        "count": page.count,
                    }
                    for page in cited_in(site.resolver.backlinks.get(key, []))
                ],
                "csl": csl_item(site, key),
            }
            for key in reference_order(site)
        ],
    }
    return data


def history_of(
    site: Site, rec: Recommendation, site_url: str | None = None
) -> list[dict[str, object]]:
    """A recommendation's status changes, each with its address on the recommendation's page."""
    page = url_of_rec(site, rec, site_url)
    anchors = {id(e.change): e.anchor for e in timeline.events(rec) if e.change is not None}
    return [
        {
            "date": c.date,
            "status": c.status,
            "summary": _source(c.summary),
            "source": _source(c.source),
            "actor": c.actor,
            "url": f"{page}#{anchors[id(c)]}",
        }
        for c in rec.history
    ]


def url_of_rec(site: Site, rec: Recommendation, site_url: str | None = None) -> str:
    """The address of a recommendation's page (no anchor)."""
    return item_url(site, rec.id, site_url).split("#")[0]


def reference_order(site: Site) -> list[str]:
    """Reference keys by number, then the uncited ones in file order (a shared bibliography's
    uncited works are left out, as on the site)."""
    numbers = site.resolver.numbers
    cited = sorted(numbers, key=numbers.__getitem__)
    if site.shared_bibliography:
        return cited
    return cited + [k for k in site.briefing.references if k not in numbers]


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- the other files -------------------------------------------------------------------------


# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): =, +, -, @, a
# tab or a carriage return first, and the full-width forms spreadsheets also accept. Leading
# spaces and line breaks do not protect: some spreadsheets trim them before they look.
FORMULA_START = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")


def cell(text: str) -> str:
    """A text cell no spreadsheet reads as a formula: one that would start with a formula
    character (after any leading white space) is given a leading `'`, as OWASP describes."""
    stripped = text.lstrip()
    return "'" + text if stripped[:1] in FORMULA_START or text[:1] in FORMULA_START else text


def recommendations_csv(site: Site, site_url: str | None = None) -> str:
    """One row per recommendation (RFC 4180: CRLF line ends). Every text cell is quoted and
    neutralised (`cell`): a title such as `=HYPERLINK(...)` stays text in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)
    writer.writerow(CSV_COLUMNS)
    for rec in site.briefing.recommendations:
        texts = [
            rec.id,
            rec.title,
            plain_text(site, rec.text),
            rec.status,
            "; ".join(rec.actors),
            "; ".join(rec.addresses),
            item_url(site, rec.id, site_url).split("#")[0],
            rec.status_date or "",
            "; ".join(f"{c.date} {c.status}" for c in rec.history),
        ]
        writer.writerow([rec.number, *map(cell, texts)])
    return out.getvalue()


def references_csl(site: Site) -> list[Mapping[str, object]]:
    """Every reference as CSL-JSON, by reference number, then the uncited ones."""
    return [csl_item(site, k) for k in reference_order(site)]


def csl_item(site: Site, key: str) -> dict[str, object]:
    """A reference as CSL-JSON, with only a URL a reader may follow (`weblinks.web`): the
    downloads and the head metadata are read away from the site's sanitiser."""
    return weblinks.csl_item(to_csl_json(site.briefing.references[key]))


def write(
    site: Site,
    site_dir: Path,
    bib_file: Path,
    citation: Citation | None = None,
    site_url: str | None = None,
) -> list[Path]:
    """Write every download but the PDF under `site_dir/downloads/`; the paths written."""
    folder = site_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "briefing.json": dump_json(briefing(site, citation, site_url)),
        "recommendations.csv": recommendations_csv(site, site_url),
        "references.json": dump_json(references_csl(site)),
    }
    written = []
    for name, text in files.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        written.append(path)
    shutil.copyfile(SCHEMA, folder / "briefing.schema.json")
    written.append(folder / "briefing.schema.json")
    if site.shared_bibliography:  # only the works the briefing cites, not the publisher's all
        kept = bib.only(bib_file.read_text(encoding="utf-8"), set(reference_order(site)))
        text = re.sub(r"\n\s*\n(?:\s*\n)+", "\n\n", kept).strip() + "\n"
        (folder / "references.bib").write_text(text, encoding="utf-8")
    else:  # the briefing's own file, as its editors wrote it
        shutil.copyfile(bib_file, folder / "references.bib")
    written.append(folder / "references.bib")
    return written


@dataclass(frozen=True)
class Published:
    """What `publish` wrote, how long the PDF took, and what the PDF left out (and why)."""

    files: list[Path]
    pdf_seconds: float
    pdf: str  # "printed"; "cached": printed before, from the build cache; "background"
    problems: tuple[str, ...] = ()  # warnings: what the PDF refused to show
    notes: tuple[str, ...] = ()  # for the log: images missing from the site, left out


def publish(
    site: Site,
    site_dir: Path,
    bib_file: Path,
    pages: Sequence[pdf.PrintPage],
    *,
    site_url: str | None = None,
    language: str = "en",
    epoch: int | None = None,
    paper: str = "a4",
    background: pdf.Background | None = None,
) -> Published:
    """Every download, the PDF included (made from the built `pages` and the records).

    Raises pdf.PdfError when the PDF cannot be made: a site without it is not finished.
    With `background` (`mkdocs serve`) a PDF not in the build cache is printed in a thread,
    which reports to the `Background`'s owner.
    """
    files = write(site, site_dir, bib_file, site.citation, site_url)
    job = pdf.Job(
        pages,
        site.briefing,
        site_url=site_url,
        site_dir=site_dir,
        citation=site.citation.html if site.citation else None,
        language=language,
        paper=paper,
        epoch=epoch,
        formats=site.formats,
    )
    started = time.perf_counter()
    target = site_dir / FOLDER / "briefing.pdf"
    if background is not None:
        cached = background.submit(job, target)
        state = "cached" if cached else "background"
        problems = job.document().problems
    else:
        printed = pdf.print_pdf(job, target)
        state = "printed" if printed.ran else "cached"
        problems = printed.problems
    notes = job.document().notes
    return Published([*files, target], time.perf_counter() - started, state, problems, notes)


def reading_order(pages: Sequence[pdf.PrintPage], order: Sequence[str]) -> list[pdf.PrintPage]:
    """`pages` in the reading order `order` (source paths); the rest after, by path."""
    rank = {src: n for n, src in enumerate(dict.fromkeys(order))}
    return sorted(pages, key=lambda p: (rank.get(p.src, len(rank)), p.src))

"""The briefing as files to download: JSON (with its schema), CSV, BibTeX and CSL-JSON.

Everything here is a plain function of the numbered site: the same briefing gives the same
bytes. `write` puts the files under `downloads/` of a built site (briefing.json is
briefing_json.py's, the items' addresses and plain text items.py's); `publish` writes them all,
the PDF (pdf.py) included.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..citations.cite import Citation
from ..render import download_list
from ..sources import bib
from . import pdf
from .briefing_json import FORMAT_VERSION, SCHEMA, briefing, dump_json
from .items import csl_item, item_url, plain_text

if TYPE_CHECKING:
    from ..render.site import Site

# Re-exported: what the downloads are made of.
__all__ = ["FORMAT_VERSION", "SCHEMA", "briefing", "dump_json", "item_url", "plain_text"]

FOLDER = download_list.FOLDER
FILES = download_list.FILES  # every file written here and by the PDF step
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


def reference_order(site: Site) -> list[str]:
    """Reference keys by number, then the uncited ones in file order (the numbering's)."""
    return list(site.numbering.order)


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
    return [csl_item(site, k) for k in site.numbering.order]


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
        kept = bib.only(bib_file.read_text(encoding="utf-8"), set(site.numbering.order))
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

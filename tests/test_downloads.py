"""The downloads: each parses with a standard tool and holds every item of the briefing."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from typing import Any

import pypdf
import pytest
from bibtexparser.entrypoint import parse_string
from briefing import cache
from briefing.checks.validate import validate
from briefing.model import Briefing
from briefing.publish import downloads, pdf
from bs4 import BeautifulSoup
from conftest import make_project
from jsonschema import Draft202012Validator
from sitetools import ROOT, Site, build_env
from test_site import REPORT_ORDER

FOLDER = "downloads"


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return validate(ROOT).checked()


def _json(site: Site, name: str) -> Any:
    return json.loads((site.root / FOLDER / name).read_text(encoding="utf-8"))


def _pdf_text(site: Site) -> str:
    reader = pypdf.PdfReader(site.root / FOLDER / "briefing.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


# --- what the build writes -------------------------------------------------------------------


def test_every_download_is_written_and_linked_from_home(site: Site) -> None:
    names = {d.name for d in downloads.FILES}
    assert names == {p.name for p in (site.root / FOLDER).iterdir() if p.is_file()}
    home = BeautifulSoup((site.root / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {str(a["href"]) for a in home.select("ul.downloads a")}
    assert links == {f"{FOLDER}/{name}" for name in names}
    for name in names:
        assert (site.root / FOLDER / name).stat().st_size > 0, name


def test_json_validates_against_its_published_schema(site: Site) -> None:
    schema = _json(site, "briefing.schema.json")
    assert schema == json.loads(downloads.SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = sorted(Draft202012Validator(schema).iter_errors(_json(site, "briefing.json")), key=str)
    assert [f"{list(e.absolute_path)}: {e.message}" for e in errors] == []


def test_json_holds_every_item_with_resolved_relations(site: Site, briefing: Briefing) -> None:
    data = _json(site, "briefing.json")
    ids = [
        item["id"]
        for kind in ("themes", "findings", "quotes", "statistics", "recommendations")
        for item in data[kind]
    ]
    assert sorted(ids) == sorted(briefing.items)
    assert data["report"]["title"] == briefing.report.title
    findings = {f["id"]: f for f in data["findings"]}
    for finding in briefing.findings:
        entry = findings[finding.id]
        assert entry["theme"]["id"] == finding.theme
        assert [e["id"] for e in entry["evidence"]] == list(finding.evidence)
    for rec in data["recommendations"]:
        assert [f["id"] for f in rec["addresses"]] == next(
            list(r.addresses) for r in briefing.recommendations if r.id == rec["id"]
        )
        for finding in rec["addresses"]:
            backlinks = [r["id"] for r in findings[finding["id"]]["addressed_by"]]
            assert rec["id"] in backlinks
    assert [r["number"] for r in data["recommendations"]] == [1, 2, 3, 4, 5]
    references = data["references"]
    assert [r["key"] for r in references] == REPORT_ORDER
    assert [r["number"] for r in references] == list(range(1, 14))
    assert all(r["cited_in"] for r in references)


def test_json_urls_lead_to_the_items(site: Site) -> None:
    data = _json(site, "briefing.json")
    for kind in ("themes", "findings", "quotes", "statistics", "recommendations"):
        for item in data[kind]:
            target = site.resolve("index.html", item["url"])
            assert target is not None
            file, anchor = target
            assert anchor == item["id"], item["url"]
            assert anchor in site.ids(file), item["url"]


def test_csv_has_one_row_per_recommendation(site: Site, briefing: Briefing) -> None:
    raw = (site.root / FOLDER / "recommendations.csv").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n"), "RFC 4180: every line ends with CRLF"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert list(rows[0]) == list(downloads.CSV_COLUMNS)
    assert [r["id"] for r in rows] == [r.id for r in briefing.recommendations]
    for row, rec in zip(rows, briefing.recommendations, strict=True):
        assert row["number"] == str(rec.number)
        assert row["title"] == rec.title
        assert row["text"] == " ".join(rec.text.text.split())
        assert row["addresses"].split("; ") == list(rec.addresses)
        assert row["url"] == f"recommendations/{rec.slug}/"
        assert (site.root / row["url"] / "index.html").is_file()


def test_references_bib_is_the_projects_file(site: Site) -> None:
    written = site.root / FOLDER / "references.bib"
    assert written.read_bytes() == (ROOT / "references.bib").read_bytes()
    library = parse_string(written.read_text(encoding="utf-8"))
    assert sorted(e.key for e in library.entries) == sorted(REPORT_ORDER)


def test_references_json_is_csl_in_reference_order(site: Site) -> None:
    items = _json(site, "references.json")
    assert [i["id"] for i in items] == REPORT_ORDER
    for item in items:
        assert item["type"] and item["title"], item


def test_pdf_holds_the_whole_briefing(site: Site, briefing: Briefing) -> None:
    reader = pypdf.PdfReader(site.root / FOLDER / "briefing.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == briefing.report.title
    text = _pdf_text(site)
    assert text.startswith(" ".join(briefing.report.title.split()))
    assert "Contents" in text
    for rec in briefing.recommendations:
        assert rec.title in text, rec.title
    start = text.index("Numbered in order of first citation")
    listing = text[start:]
    items = _json(site, "references.json")
    positions = []
    for number, item in enumerate(items, start=1):
        title = " ".join(str(item["title"]).split())
        match = re.search(rf"(?<![\d.]){number}\. [^\n]{{0,200}}?{re.escape(title[:30])}", listing)
        assert match, f"reference {number} ({item['id']}) is not listed with its number"
        positions.append(match.start())
    assert positions == sorted(positions)


def test_pdf_links_work_and_it_has_an_outline(site: Site) -> None:
    reader = pypdf.PdfReader(site.root / FOLDER / "briefing.pdf")
    internal = external = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            if "/Dest" in link:
                internal += 1
            elif str(link.get("/A", {}).get("/URI", "")).startswith("http"):
                external += 1
    assert internal > 50, "links between pages became links inside the document"
    assert external > 5
    titles = [str(o["/Title"]) for o in reader.outline if isinstance(o, dict)]
    assert "References" in titles


def test_pdf_dates_come_from_source_date_epoch(site: Site) -> None:
    reader = pypdf.PdfReader(site.root / FOLDER / "briefing.pdf")
    assert reader.metadata is not None
    epoch = int(build_env()["SOURCE_DATE_EPOCH"])
    stamp = time.strftime("D:%Y%m%d%H%M%S", time.gmtime(epoch))
    assert str(reader.metadata["/CreationDate"]).startswith(stamp)
    assert str(reader.metadata["/ModDate"]).startswith(stamp)


def test_a_build_whose_pdf_cannot_be_made_fails_and_says_why(tmp_path: Path) -> None:
    """The typesetter fails (here: a stand-in that exits 3): the build fails with the file's
    name and the reason, and no traceback."""
    project = make_project(tmp_path, "mini")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, runpy; import briefing.publish.pdf as p; "
            "p._command = lambda job: [sys.executable, '-c', 'import sys; sys.exit(3)']; "
            "sys.argv = ['mkdocs', 'build', '--strict', '-f', sys.argv[1]]; "
            "runpy.run_module('mkdocs', run_name='__main__')",
            str(project / "mkdocs.yml"),
        ],
        capture_output=True,
        text=True,
        env=dict(build_env(), BRIEFING_CACHE="off"),
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert "downloads/briefing.pdf: the typesetter failed (exit 3)" in result.stderr
    assert "Traceback" not in result.stderr


# --- the engine, without a build -------------------------------------------------------------


def _pages() -> list[pdf.PrintPage]:
    return [
        pdf.PrintPage("index.md", "", "Home", "<h1>Home</h1>"),
        pdf.PrintPage("a.md", "a/", "A", "<h1>A</h1>"),
    ]


def test_reading_order_puts_pages_in_nav_order() -> None:
    pages = _pages()
    ordered = downloads.reading_order(list(reversed(pages)), ["index.md", "a.md"])
    assert [p.src for p in ordered] == ["index.md", "a.md"]
    assert [p.src for p in downloads.reading_order(pages, ["a.md"])] == ["a.md", "index.md"]


def test_the_pdf_is_the_same_bytes_when_made_again(tmp_path: Path, briefing: Briefing) -> None:
    page = pdf.PrintPage("a.md", "a/", "A", '<h1 id="a">A</h1><p>Words.</p>')
    job = pdf.Job([page], briefing, site_dir=tmp_path, epoch=1714521600)
    fresh = cache.Cache(None, enabled=False)  # both typeset
    assert pdf.print_pdf(job, tmp_path / "one.pdf", store=fresh).ran
    again = pdf.Job([page], briefing, site_dir=tmp_path, epoch=1714521600)
    assert pdf.print_pdf(again, tmp_path / "two.pdf", store=fresh).ran
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    reader = pypdf.PdfReader(tmp_path / "one.pdf")
    assert reader.metadata is not None
    assert str(reader.metadata["/CreationDate"]).startswith("D:20240501000000")
    assert "Words." in "".join(p.extract_text() for p in reader.pages)

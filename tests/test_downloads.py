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
from briefing import cache, downloads, pdf
from briefing.model import Briefing, Report
from briefing.validate import validate
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


def test_a_build_without_chromium_fails_and_says_why(tmp_path: Path) -> None:
    project = make_project(tmp_path, "mini")
    env = build_env()
    env[pdf.ENVIRONMENT] = str(tmp_path / "no-such-chromium")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(project / "mkdocs.yml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode != 0
    assert f"downloads/briefing.pdf: {pdf.ENVIRONMENT}=" in result.stderr
    assert "Traceback" not in result.stderr


# --- the engine, without a build -------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "on_path", "expected"),
    [
        ({}, {"chromium": "/usr/bin/chromium"}, "/usr/bin/chromium"),
        ({}, {"google-chrome": "/opt/chrome"}, "/opt/chrome"),
        ({pdf.ENVIRONMENT: "/x/chrome"}, {"/x/chrome": "/x/chrome"}, "/x/chrome"),
        ({pdf.ENVIRONMENT: "/x/chrome"}, {"chromium": "/usr/bin/chromium"}, None),
        ({"CHROMIUM": "/y/chromium"}, {"/y/chromium": "/y/chromium"}, "/y/chromium"),
        ({}, {}, None),
    ],
)
def test_find_chromium(environ: dict[str, str], on_path: dict[str, str], expected: str) -> None:
    if expected is None:
        with pytest.raises(pdf.PdfError, match=r"[Cc]hromium"):
            pdf.find_chromium(environ, on_path.get)
    else:
        assert pdf.find_chromium(environ, on_path.get) == expected


def test_fix_dates_keeps_the_length() -> None:
    original = b"<</CreationDate (D:20261127190019+00'00')\n/ModDate (D:20261127190019+00'00')>>"
    fixed = pdf.fix_dates(original, 1714521600)
    assert len(fixed) == len(original)
    assert fixed.count(b"D:20240501000000+00'00'") == 2


def _pages() -> list[pdf.PrintPage]:
    return [
        pdf.PrintPage("index.md", "", "Home", '<h1 id="top">Home</h1><p><a href="a/#x">A</a></p>'),
        pdf.PrintPage(
            "a.md",
            "a/",
            "A &amp; B",
            '<h2 id="x">X</h2><a href="../">home</a> <a href="#x">here</a> '
            '<a href="https://example.org/?a=1&amp;b=2">out</a> '
            '<a href="../downloads/briefing.json">data</a>'
            '<svg aria-labelledby="t"><title id="t">T</title>'
            '<path clip-path="url(#c)"/><use xlink:href="#m"/></svg>',
        ),
    ]


def test_print_document_makes_links_internal_and_ids_unique() -> None:
    report = Report("Title & more", "Publisher", ("Someone Else",), "2024-05", _md(""))
    document = pdf.document(_pages(), report)
    assert '<section class="page" id="home"><h1 id="home--top">' in document
    assert '<a href="#a--x">A</a>' in document
    assert '<a href="#home">home</a>' in document and '<a href="#a--x">here</a>' in document
    assert '<a href="https://example.org/?a=1&amp;b=2">out</a>' in document
    assert "<a>data</a>" in document, "a file that is not a page has nowhere to go offline"
    assert 'aria-labelledby="a--t"' in document and 'id="a--t"' in document
    assert 'clip-path="url(#a--c)"' in document and 'xlink:href="#a--m"' in document
    assert '<li><a href="#a">A &amp; B</a></li>' in document
    assert "<title>Title &amp; more</title>" in document
    online = pdf.document(_pages(), report, site_url="https://example.org/b")
    assert '<a href="https://example.org/b/downloads/briefing.json">data</a>' in online


def test_reading_order_puts_pages_in_nav_order() -> None:
    pages = _pages()
    ordered = downloads.reading_order(list(reversed(pages)), ["index.md", "a.md"])
    assert [p.src for p in ordered] == ["index.md", "a.md"]
    assert [p.src for p in downloads.reading_order(pages, ["a.md"])] == ["a.md", "index.md"]


def _md(text: str) -> Any:
    from briefing.model import Markdown, Span

    return Markdown(text, Span("data/report.yml", 1, 1))


def test_print_pdf_is_deterministic(tmp_path: Path) -> None:
    report = Report("Title", "Publisher", ("Someone Else",), "2024-05", _md(""))
    document = pdf.document(_pages(), report)
    chromium = pdf.find_chromium()
    fresh = cache.Cache(None, enabled=False)  # both printed by Chromium
    assert pdf.print_pdf(
        document, tmp_path / "one.pdf", chromium=chromium, epoch=1714521600, store=fresh
    )
    assert pdf.print_pdf(
        document, tmp_path / "two.pdf", chromium=chromium, epoch=1714521600, store=fresh
    )
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    text = pypdf.PdfReader(tmp_path / "one.pdf").pages[0].extract_text()
    assert "Title" in text

"""The print edition, read back from the PDF as a reader and a printer would see it.

The pages are rendered to images (poppler's pdftoppm) to look for ink in the margins; the text
is read back (pypdf) to check the contents' page numbers, the cross-references' pages, that
every item is printed once and that the page count is what the content needs.
"""

from __future__ import annotations

import math
import re
import subprocess
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pypdf
import pytest
from briefing import cache
from briefing.checks.validate import validate
from briefing.model import Briefing
from briefing.publish import pdf
from briefing.publish.paper import style
from briefing.publish.paper.document import finding_numbers
from conftest import make_project
from PIL import Image
from sitetools import ROOT, Site, mkdocs_build

PDF = Path("downloads") / "briefing.pdf"
MM = 72 / 25.4  # points per millimetre


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return validate(ROOT).checked()


@pytest.fixture(scope="module")
def reader(site: Site) -> pypdf.PdfReader:
    return pypdf.PdfReader(site.root / PDF)


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


_TEXTS: dict[int, tuple[str, ...]] = {}


def _texts(reader: pypdf.PdfReader) -> tuple[str, ...]:
    """Each page's text, words apart by one space (read once per reader)."""
    if id(reader) not in _TEXTS:
        _TEXTS[id(reader)] = tuple(_normal(page.extract_text()) for page in reader.pages)
    return _TEXTS[id(reader)]


def _destinations(reader: pypdf.PdfReader) -> dict[str, int]:
    """Each named destination (an element id) and the 1-based page it is on."""
    return {
        str(name).removeprefix("/"): (reader.get_destination_page_number(dest) or 0) + 1
        for name, dest in reader.named_destinations.items()
    }


def _contents_pages(reader: pypdf.PdfReader) -> list[int]:
    """The 0-based pages of the contents: from the one titled Contents to the summary's."""
    texts = [page.extract_text() for page in reader.pages]
    first = next(i for i, t in enumerate(texts) if re.search(r"^Contents$", t, re.M))
    pages = [first]
    while pages[-1] + 1 < len(texts) and re.search(r"\.{5,}\s*\d+\s*$", texts[pages[-1] + 1], re.M):
        pages.append(pages[-1] + 1)
    return pages


def _contents(reader: pypdf.PdfReader) -> list[tuple[str, int, str]]:
    """Each contents entry: its words, the page number printed, the anchor its link goes to."""
    lines: list[tuple[str, int]] = []
    anchors: list[str] = []
    for index in _contents_pages(reader):
        page = reader.pages[index]
        text = page.extract_text().splitlines()
        if re.search(r"^Contents$", "\n".join(text), re.M):
            text = text[text.index("Contents") + 1 :]  # after the heading
        pending: list[str] = []  # an entry's first lines, when its title wraps
        for line in text:
            match = re.match(r"^(.*?)\s*\.{3,}\s*(\d+)\s*$", line)
            if match:
                lines.append((_normal(" ".join([*pending, match[1]])), int(match[2])))
                pending = []
            elif not re.match(r"^Page \d+ of \d+$", line) and "Contents" not in line:
                pending.append(line)  # not the running header or the footer
        for annotation in page.get("/Annots") or []:
            link = annotation.get_object()
            dest = str(link.get("/Dest", "")).removeprefix("/")
            if dest and (not anchors or anchors[-1] != dest):
                anchors.append(dest)
    assert len(lines) == len(anchors), (lines, anchors)
    return [(words, number, anchor) for (words, number), anchor in zip(lines, anchors, strict=True)]


# --- the document ----------------------------------------------------------------------------


def test_contents_entries_give_the_page_their_heading_is_on(
    reader: pypdf.PdfReader, briefing: Briefing
) -> None:
    entries = _contents(reader)
    where = _destinations(reader)
    texts = _texts(reader)
    for words, number, anchor in entries:
        assert where[anchor] == number, f"{words!r} says p. {number}, is on p. {where[anchor]}"
        heading = re.sub(r"^Theme \d+: ", "", words)
        assert heading[:40] in texts[number - 1], f"{words!r} is not on page {number}"
    shown = [words for words, _, _ in entries]
    for rec in briefing.recommendations:
        assert f"Recommendation {rec.number}: {rec.title}" in shown
    for theme in briefing.themes:
        assert f"Theme {theme.number}: {theme.title}" in shown
    assert "References" in shown and "Glossary" in shown
    assert [n for _, n, _ in entries] == sorted(n for _, n, _ in entries), "in document order"


def test_contents_entries_are_numbered_once(reader: pypdf.PdfReader) -> None:
    for words, _, _ in _contents(reader):
        assert not re.match(r"^\d+\.\s*\d+\.", words), words
        assert not re.match(r"^\.?\d\.?\s", words), f"a lost or doubled number: {words!r}"


def test_cross_references_print_the_page_they_lead_to(
    reader: pypdf.PdfReader, briefing: Briefing
) -> None:
    where = _destinations(reader)
    numbers = {number: finding for finding, number in finding_numbers(briefing).items()}
    text = " ".join(_texts(reader))
    found = re.findall(r"\(Finding (\d+\.\d+), p\. (\d+)\)", text)
    assert len(found) >= len(briefing.recommendations), "each recommendation names its findings"
    for number, page in found:
        assert where[numbers[number]] == int(page), f"Finding {number} is not on p. {page}"
    recs = re.findall(r"Recommendation (\d+), p\. (\d+)", text)
    assert recs, "references to recommendations print their page"
    by_number = {str(r.number): r.id for r in briefing.recommendations}
    for number, page in recs:
        assert where[by_number[number]] == int(page), f"Recommendation {number} not on p. {page}"


def test_every_item_is_printed_once(reader: pypdf.PdfReader, briefing: Briefing) -> None:
    texts = _texts(reader)
    skip = set(_contents_pages(reader))
    body = " ".join(t for i, t in enumerate(texts) if i not in skip)
    outline = [_normal(str(o["/Title"])) for o in _flatten(reader.outline)]
    numbers = finding_numbers(briefing)

    def once(what: str, words: str) -> None:
        count = body.count(words)
        assert count == 1, f"{what} is printed {count} times: {words!r}"

    for quote in briefing.quotes:
        once(quote.id, _normal(quote.text)[:60])
    for finding in briefing.findings:
        # Its numbered heading (a statement's words may repeat its theme's summary, as the
        # report's do); a reprint under a recommendation would add a heading and a bookmark.
        once(finding.id, f"Finding {numbers[finding.id]} {_normal(finding.title)}")
        assert sum(finding.title in title for title in outline) == 1, finding.id
    for rec in briefing.recommendations:
        once(rec.id, f"Recommendation {rec.number} of {len(briefing.recommendations)}")
        assert outline.count(f"Recommendation {rec.number}: {_normal(rec.title)}") == 1, rec.id
    for stat in briefing.statistics:
        assert outline.count(_normal(stat.title)) == 1, stat.id
    for theme in briefing.themes:
        assert outline.count(f"Theme {theme.number}: {_normal(theme.title)}") == 1, theme.id


def _flatten(outline: Sequence[object]) -> Iterator[dict[str, object]]:
    for item in outline:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            assert isinstance(item, dict)
            yield item


def test_only_what_paper_needs_is_printed(reader: pypdf.PdfReader, site: Site) -> None:
    text = " ".join(_texts(reader))
    for screen in (
        "Last updated",
        "Cite this briefing",
        "Recommendations at a glance",
        "Read further",
        "What changed",
        "Cited in:",
        "Works cited",
        "(in references)",
        "briefing.json",
        "The findings it addresses",
        "Cite this recommendation",  # the cite box: download links, BibTeX, CSL-JSON
        "@incollection{",
        '"container-title"',
        "Download the citation",
    ):
        assert screen not in text, f"{screen!r} is for the screen"


def test_the_references_print_every_url_in_full(site: Site, reader: pypdf.PdfReader) -> None:
    import json

    items = json.loads((site.root / "downloads" / "references.json").read_text("utf-8"))
    text = "".join("".join(_texts(reader)).split())  # URLs break across lines
    urls = [str(i["URL"]) for i in items if i.get("URL")]
    assert urls
    for url in urls:
        assert url in text, url


def test_the_page_count_is_what_the_content_needs(
    reader: pypdf.PdfReader, briefing: Briefing
) -> None:
    """At most a page per part that starts a page, a page for each chart, and the rest as
    full pages of the text printed (a full A4 page at this size holds about 4,500 characters:
    half of that allows for headings, quotes and tables)."""
    texts = _texts(reader)
    parts = len([o for o in reader.outline if isinstance(o, dict)])  # top-level headings
    charts = sum(1 for s in briefing.statistics if s.chart)
    characters = sum(len(t) for t in texts)
    bound = parts + charts + math.ceil(characters / 2250)
    assert parts <= len(reader.pages) <= bound, (len(reader.pages), parts, charts, characters)


def test_metadata_language_tags_and_bookmarks(reader: pypdf.PdfReader, briefing: Briefing) -> None:
    metadata = reader.metadata
    assert metadata is not None
    report = briefing.report
    assert metadata.title == report.title
    assert metadata.author == ", ".join(report.authors)
    assert metadata.subject == (report.subtitle or report.title)
    assert metadata.get("/Keywords") == ", ".join(report.keywords)
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert root["/MarkInfo"]["/Marked"], "a tagged PDF"
    assert "/StructTreeRoot" in root
    titles = [_normal(str(o["/Title"])) for o in _flatten(reader.outline)]
    assert "Contents" in titles and "References" in titles and "Glossary" in titles
    for rec in briefing.recommendations:
        assert f"Recommendation {rec.number}: {rec.title}" in titles


def test_running_header_and_page_n_of_m(reader: pypdf.PdfReader, briefing: Briefing) -> None:
    total = len(reader.pages)
    texts = _texts(reader)
    assert f"Page 1 of {total}" not in texts[0], "the cover has no footer"
    for number, text in enumerate(texts[1:], start=2):
        assert f"Page {number} of {total}" in text
        assert _normal(briefing.report.title) in text


# --- what is drawn where ---------------------------------------------------------------------


def _ink_outside_margins(pdf: Path, folder: Path) -> list[str]:
    """Pages with ink in the side margins, or within 8 mm of the top or bottom edge (the
    header and footer sit between that band and the text)."""
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-png", str(pdf), str(folder / "page")],
        check=True,
        timeout=300,
    )
    found = []
    for image_path in sorted(folder.glob("page-*.png")):
        image = Image.open(image_path).convert("L")
        width, height = image.size
        per_mm = 50 / 25.4  # pixels per mm at 50 dpi
        side = int((style.MARGIN_SIDE - 1) * per_mm)
        band = int(8 * per_mm)
        for x0, y0, x1, y1, where in (
            (0, 0, side, height, "left margin"),
            (width - side, 0, width, height, "right margin"),
            (0, 0, width, band, "top edge"),
            (0, height - band, width, height, "bottom edge"),
        ):
            dark = sum(image.crop((x0, y0, x1, y1)).histogram()[:160])  # pixels < 160
            if dark:
                found.append(f"{image_path.name}: {dark} dark pixels in the {where}")
    return found


def test_nothing_is_drawn_past_the_margins(site: Site, tmp_path: Path) -> None:
    assert _ink_outside_margins(site.root / PDF, tmp_path) == []


def test_the_margin_check_sees_ink_past_the_margin(tmp_path: Path) -> None:
    """The check above can fail: a line drawn into the right margin is found."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(595, 842)
    stream = pypdf.generic.DecodedStreamObject()
    stream.set_data(b"0 g 560 400 30 4 re f")  # a bar 10 mm from the right edge
    page[pypdf.generic.NameObject("/Contents")] = writer._add_object(stream)
    with (tmp_path / "x.pdf").open("wb") as handle:
        writer.write(handle)
    assert any(
        "right margin" in line for line in _ink_outside_margins(tmp_path / "x.pdf", tmp_path)
    )


# --- paper sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize(("setting", "size"), [(None, (595, 842)), ("letter", (612, 792))])
def test_paper_from_one_setting(
    tmp_path: Path, setting: str | None, size: tuple[int, int], request: pytest.FixtureRequest
) -> None:
    import yaml

    if setting is None:  # no setting: the small briefing as it is, as the session built it
        out = request.getfixturevalue("mini_site").root
    else:
        project = make_project(tmp_path, "mini")
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        config.setdefault("extra", {}).setdefault("briefing", {})["paper"] = setting
        (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
        result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
        assert result.returncode == 0, result.stderr
        out = tmp_path / "out"
    reader = pypdf.PdfReader(out / PDF)
    box = reader.pages[1].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_an_unknown_paper_size_is_refused_at_its_setting(tmp_path: Path) -> None:
    import yaml

    project = make_project(tmp_path, "mini")
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config.setdefault("extra", {}).setdefault("briefing", {})["paper"] = "a5"
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert "mkdocs.yml: extra.briefing.paper: 'a5' is not a paper size" in result.stderr
    assert "a4, letter" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["a4", "A4", " letter ", None])
def test_paper_setting_accepts(value: str | None) -> None:
    assert style.paper(value) in style.PAPERS


@pytest.mark.parametrize("value", ["a5", "", 4, ["a4"], "legal"])
def test_paper_setting_refuses(value: object) -> None:
    with pytest.raises(ValueError, match="is not a paper size"):
        style.paper(value)


def test_long_words_wide_tables_and_long_urls_stay_inside_the_margins(
    tmp_path: Path, briefing: Briefing
) -> None:
    word = "Pneumonoultramicroscopic" * 12
    url = "https://example.org/" + "a-very-long-path-segment/" * 12
    cells = "".join(f"<td>{word[:40]} {n}</td>" for n in range(12))
    content = (
        f'<h1 id="wide">Wide things</h1><p>{word}</p><p><a href="{url}">{url}</a></p>'
        f'<p><a href="{url}">a link whose address is printed</a></p>'
        f"<table><tr>{cells}</tr></table><pre>{'x' * 400}</pre>"
    )
    job = pdf.Job([pdf.PrintPage("wide.md", "wide/", "Wide", content)], briefing, site_dir=tmp_path)
    out = tmp_path / "wide.pdf"
    pdf.print_pdf(job, out, store=cache.Cache(None, enabled=False))
    folder = tmp_path / "pages"
    folder.mkdir()
    assert _ink_outside_margins(out, folder) == []

"""The print edition as Chromium prints it: two passes for the page numbers, the metadata the
browser does not write, nothing of the browser's run (its clock, its user agent) in the bytes,
and clear errors when there is no browser or a link leads nowhere.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pypdf
import pytest
from briefing.checks.validate import validate
from briefing.model import Briefing
from briefing.publish import pdf
from briefing.publish.paper import browser, typeset
from briefing.publish.paper.document import PrintPage
from sitetools import ROOT, Site


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return validate(ROOT).checked()


def _page(content: str) -> PrintPage:
    return PrintPage("about.md", "about/", "About", content)


def _printed(briefing: Briefing, content: str, tmp_path: Path) -> tuple[bytes, list[str]]:
    (tmp_path / "site").mkdir(exist_ok=True)
    job = pdf.Job([_page(content)], briefing, site_dir=tmp_path / "site", epoch=1_700_000_000)
    problems: list[str] = []
    data = pdf._print(job.document(), site_dir=tmp_path / "site", problems=problems)
    return data, problems


def test_the_browsers_run_leaves_nothing_in_the_pdf(site: Site) -> None:
    """Chromium writes the time it printed and its user agent: neither may reach the bytes
    (two builds would differ), and the dates are SOURCE_DATE_EPOCH's."""
    data = (site.root / "downloads" / "briefing.pdf").read_bytes()
    assert b"HeadlessChrome" not in data and b"Mozilla" not in data
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    assert reader.metadata is not None
    assert str(reader.metadata["/Creator"]) == "briefing"
    dates = {str(reader.metadata["/CreationDate"]), str(reader.metadata["/ModDate"])}
    assert len(dates) == 1
    assert len(re.findall(rb"\(D:\d{14}", data)) == 2, "only the document's dates, once each"


def test_a_wrapped_heading_keeps_its_spaces_in_the_bookmarks(
    briefing: Briefing, tmp_path: Path
) -> None:
    long = "A heading long enough to wrap over several lines of the page " * 3
    data, _ = _printed(briefing, f"<h1>{long}</h1><h2>Short</h2><p>Words.</p>", tmp_path)
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    titles: list[str] = []
    stack: list[object] = list(reader.outline)
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack[:0] = item
        else:
            assert isinstance(item, dict)
            titles.append(str(item["/Title"]))
    assert " ".join(long.split()) in titles, titles
    assert "Short" in titles


def test_words_beyond_ascii_reach_the_metadata(briefing: Briefing, tmp_path: Path) -> None:
    report = replace(briefing.report, title="Enquête « crues » — l’été", keywords=("été",))
    french = replace(briefing, report=report)
    data, _ = _printed(french, "<h1>Enquête</h1><p>Mots.</p>", tmp_path)
    metadata = pypdf.PdfReader(io.BytesIO(data), strict=True).metadata
    assert metadata is not None
    assert metadata.title == "Enquête « crues » — l’été"
    assert str(metadata["/Keywords"]) == "été"
    assert str(metadata["/CreationDate"]).startswith("D:20231114221320")


def test_a_link_to_nothing_prints_a_question_mark_and_says_so(
    briefing: Briefing, tmp_path: Path
) -> None:
    data, problems = _printed(
        briefing,
        '<h1>About</h1><p>See <a class="to-page bare" href="#nowhere">there</a>.</p>',
        tmp_path,
    )
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "there, p. ?" in " ".join(text.split())
    assert any("--nowhere' leads to nothing in the document" in p for p in problems), problems


def test_page_numbers_are_read_from_the_named_destinations(
    briefing: Briefing, tmp_path: Path
) -> None:
    """A cross-reference to a heading three pages on prints that page, however wide the
    number it replaces (the first print's placeholder)."""
    filler = "<p>" + "Words to fill the page. " * 400 + "</p>"
    content = (
        '<h1>About</h1><p>See <a class="to-page bare" href="#far">the far part</a>.</p>'
        + filler
        + '<h2 id="far">Far</h2><p>Here.</p>'
    )
    data, problems = _printed(briefing, content, tmp_path)
    found, reader = typeset.destinations(data)
    far = next(page for name, page in found.items() if name.endswith("far"))
    assert far > 3
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert f"the far part, p. {far}" in text
    assert problems == []


def test_no_browser_is_a_clear_error(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(browser.ENVIRONMENT, str(tmp_path / "no-such-chromium"))
    with pytest.raises(pdf.PdfError, match="is not a program that can be run"):
        _printed(briefing, "<h1>About</h1>", tmp_path)
    monkeypatch.delenv(browser.ENVIRONMENT)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(pdf.PdfError, match="no Chromium to print the PDF with: install it"):
        _printed(briefing, "<h1>About</h1>", tmp_path)


def test_the_structure_tree_s_ids_are_numbered_in_order_whatever_the_browser_s_count() -> None:
    """The browser numbers the tagged elements after its page nodes, which a run can shift
    by one; numbered in order from 1, the same document is the same bytes."""
    one = b"<</ID (node00000331)>> <</ID (node00000335)>> /Names [(node00000331) 7 0 R]"
    shifted = one.replace(b"331", b"330").replace(b"335", b"334")
    assert (
        typeset._node_ids(one)
        == typeset._node_ids(shifted)
        == (b"<</ID (node00000001)>> <</ID (node00000002)>> /Names [(node00000001) 7 0 R]")
    )
    assert typeset._node_ids(b"no tags") == b"no tags"

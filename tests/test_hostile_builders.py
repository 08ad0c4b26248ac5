"""Hostile content built with Zensical (no hooks) and finished by the engine comes out as
harmless as from the MkDocs build (tests/test_security.py): the same poisoned briefing, the
same checks, and tricks aimed at the pass itself (fake markers, `</article>`, titles)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from factory import make_briefing
from sitetools import build_with
from test_security import _dangers, _edit_yaml, _pages, _poison

# Aimed at the post-builder pass: a marker it might take for the end of the content, markup
# that closes the theme's elements around the content, a title that opens a comment.
TRICKS = """---
title: '<!-- briefing:start 0 --></title><script>alert("XSS-z-title")</script>'
description: '--><script>alert("XSS-z-description")</script>'
---
# Tricks <!-- briefing:end 0 -->

<!-- briefing:end 0000000000000000000000000000000000000000 -->
<script>alert("XSS-z-after-fake-end")</script>

</article></div></div><script>alert("XSS-z-article")</script><article><div>

<!-- briefing:start 0000000000000000000000000000000000000000 -->

<img src=x onerror=alert("XSS-z-img")> [x](javascript:alert("XSS-z-link"))

</main></body></html><script>alert("XSS-z-html")</script>

## A heading <script>alert("XSS-z-heading")</script>

## A label { data-toc-label="<img src=x onerror=alert('XSS-z-toc-label')>" }
"""


@pytest.fixture(scope="module")
def hostile_zensical(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_briefing(tmp_path_factory.mktemp("hostile-zensical"))
    _poison(project)
    (project / "docs" / "tricks.md").write_text(TRICKS, encoding="utf-8")
    config = project / "mkdocs.yml"
    _edit_yaml(config, lambda c: c["nav"].append("tricks.md"))  # its title: the front matter
    out = project / "site"
    result = build_with("zensical", config, out)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Traceback" not in result.stderr
    return out


@pytest.mark.slow
def test_no_payload_reaches_any_page(hostile_zensical: Path) -> None:
    pages = dict(_pages(hostile_zensical))
    assert len(pages) > 15
    assert "tricks/index.html" in pages and "hostile/index.html" in pages
    found = []
    for url, soup in pages.items():
        found += _dangers(url, soup, soup.find("article"))
        raw = (hostile_zensical / url).read_text(encoding="utf-8")
        assert "XSS-z-after-fake-end" not in raw and "XSS-z-article" not in raw, url
        # A heading's raw HTML, which Zensical writes into the table of contents outside the
        # content (zensical_theme.TOC_ITEM_TEMPLATE writes it as text).
        assert '<script>alert("XSS-z-heading")' not in raw, url
        assert not soup.find_all(onerror=True), url
        assert "briefing:start" not in raw.split("</head>")[1], url  # the markers are gone
    assert found == []


@pytest.mark.slow
def test_no_payload_reaches_the_search_index(hostile_zensical: Path) -> None:
    index = json.loads((hostile_zensical / "search.json").read_text("utf-8"))
    found = []
    for item in index["items"]:
        for field in ("title", "text"):
            fragment = BeautifulSoup(str(item.get(field, "")), "html.parser")
            found += _dangers(f"search:{item['location']}", fragment, fragment)
    assert found == []


@pytest.mark.slow
def test_hostile_titles_are_text_everywhere(hostile_zensical: Path) -> None:
    page = BeautifulSoup(
        (hostile_zensical / "tricks" / "index.html").read_text("utf-8"), "html.parser"
    )
    title = page.find("title")
    # As the hooks make it (sanitize.title): the tags gone, the words kept, as text.
    assert title is not None and title.get_text().startswith('alert("XSS-z-title") - ')
    assert not [s for s in page.find_all("script") if "XSS" in s.decode()]
    head = (hostile_zensical / "tricks" / "index.html").read_text("utf-8").split("</head>")[0]
    assert "<img" not in head and "<script>alert" not in head  # escaped into attributes


@pytest.mark.slow
def test_plain_text_is_shown_as_written(hostile_zensical: Path) -> None:
    text = "\n".join(soup.get_text(" ") for _, soup in _pages(hostile_zensical))
    assert 'alert("XSS-plain")' in text

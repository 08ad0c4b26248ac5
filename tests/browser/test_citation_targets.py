"""Citation links as a reader meets them: adjacent numbers ("[12,13]"), collapsed ranges
("[12–14]") and groups standing alone in a list item or a table cell pass WCAG 2.2's target
size rule (axe `target-size`) at phone and desktop widths, and each link is reached by Tab."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_project
from playwright.sync_api import Browser
from sitetools import Site, mkdocs_build

from .conftest import AXE
from .server import serve
from .test_reader import DESKTOP, PHONE, axe, open_page, tab_through

pytestmark = pytest.mark.slow

EXTRA = "".join(f"@misc{{extra{i}, title = {{Extra work {i}}}, year = 2020}}\n" for i in range(12))
PAGE = (
    "\n\n"
    + " ".join(f"Point {i} [@extra{i}]." for i in range(9))
    + "\n\n- [@extra9; @extra10]\n- [@extra11; @extra9; @extra10]\n\n"
    "| Claim | Source |\n| --- | --- |\n| Shade cools | [@extra10; @extra11] |\n\n"
    "[@extra11; @extra10]\n"
)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Site]]:
    tmp = tmp_path_factory.mktemp("targets")
    project = make_project(tmp, "mini")
    bib = project / "references.bib"
    bib.write_text(bib.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    page = project / "docs" / "context.md"
    page.write_text(page.read_text(encoding="utf-8") + PAGE, encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", tmp / "out")
    assert result.returncode == 0, result.stderr
    with serve(Path(tmp / "out")) as url:
        yield url, Site(tmp / "out", result.stderr)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_adjacent_and_collapsed_citations_pass_target_size(
    browser: Browser, served: tuple[str, Site], viewport: object
) -> None:
    url, site = served
    groups = [g.get_text() for g in site.page("context").select(".citation-group")]
    assert "[12–14]" in groups and "[12,13]" in groups and "[13,14]" in groups
    with open_page(browser, viewport=viewport) as page:
        page.context.add_init_script(path=AXE)
        page.goto(url + "context/")
        assert axe(page) == []


def test_every_citation_link_is_reached_by_tab(browser: Browser, served: tuple[str, Site]) -> None:
    url, site = served
    expected = [str(a["id"]) for a in site.page("context").select("a.citation")]
    with open_page(browser, viewport=DESKTOP) as page:
        page.goto(url + "context/")
        reached = {f["id"] for f in tab_through(page) if "citation" in f["classes"]}
    assert [i for i in expected if i not in reached] == []

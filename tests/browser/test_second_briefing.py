"""The briefing of another shape (tests/fixtures/enquete, in French) in a real browser: WCAG 2.2
AA with axe-core on the pages issue 15 changed, at phone and desktop widths."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ViewportSize
from sitetools import Site, mkdocs_build
from test_as_written import _project

from .conftest import AXE
from .server import serve
from .test_reader import DESKTOP, PHONE, axe, open_page

PAGES = ("", "survey/", "references/", "recommendations/", "recommendations/mediation/")


@pytest.fixture(scope="module")
def enquete_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("enquete-browser")
    project = _project(folder)
    result = mkdocs_build(project / "mkdocs.yml", folder / "site")
    assert result.returncode == 0, result.stderr
    site = Site(folder / "site", result.stderr)
    with serve(site.root) as url:
        yield url


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_wcag_violation_in_the_french_briefing(
    browser: Browser, enquete_url: str, viewport: ViewportSize
) -> None:
    problems: list[str] = []
    with open_page(browser, color_scheme="light", viewport=viewport) as page:
        page.context.add_init_script(path=AXE)
        for url in PAGES:
            page.goto(enquete_url + url)
            assert page.evaluate("document.documentElement.lang") == "fr"
            problems += [f"/{url}: {problem}" for problem in axe(page)]
    assert not problems, f"{len(problems)} WCAG 2.2 AA violation(s):\n" + "\n".join(problems)

"""The briefing of another shape (tests/fixtures/enquete, in French) in a real browser: WCAG 2.2
AA with axe-core on the pages issue 15 changed, at phone and desktop widths."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ViewportSize
from sitetools import Site

from .conftest import AXE
from .server import serve
from .test_reader import DESKTOP, PHONE, axe, open_page

PAGES = ("", "survey/", "references/", "recommendations/", "recommendations/mediation/")


@pytest.fixture(scope="module")
def enquete_url(enquete: Site) -> Iterator[str]:
    """The session's build of the French inquiry (tests/conftest.py), served on 127.0.0.1."""
    with serve(enquete.root) as url:
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

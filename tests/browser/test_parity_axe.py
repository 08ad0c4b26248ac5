"""Every builder's site read in a browser, under the sub-path it was built for: axe-core finds
the same on each, and that is nothing (WCAG 2.2 AA), in the light and dark schemes and at phone
width.

MkDocs' site is checked so by tests/browser/test_reader.py; ProperDocs' pages are MkDocs' byte
for byte but the generator tag (tests/test_parity.py), so what axe finds there it finds here.
Zensical's theme is its own markup and stylesheets: its site is checked here, page by page, in
the same three ways.
"""

from __future__ import annotations

import pytest
from conftest import URL
from playwright.sync_api import Browser, ViewportSize
from sitetools import Site

from .conftest import AXE
from .server import serve_under
from .test_reader import DESKTOP, PHONE, SCHEMES, axe, open_page, page_urls


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone"],
)
def test_no_wcag_violation_on_any_page_of_the_zensical_build(
    browser: Browser, builds: dict[str, Site], scheme: str, viewport: ViewportSize
) -> None:
    built = builds["zensical"]
    problems: list[str] = []
    with (
        serve_under(built.root, URL) as base,
        open_page(browser, color_scheme=scheme, viewport=viewport) as page,
    ):
        page.context.add_init_script(path=AXE)
        for url in page_urls(built):
            response = page.goto(base + url)
            assert response is not None, f"/{url}"
            assert response.ok or url == "404.html", f"/{url}: {response.status}"
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            assert shown == SCHEMES[scheme], f"/{url}: the {scheme} palette was not applied"
            problems += [f"/{url}: {problem}" for problem in axe(page)]
    assert len(page_urls(built)) > 20
    assert not problems, f"{len(problems)} WCAG 2.2 AA violation(s):\n" + "\n".join(problems)

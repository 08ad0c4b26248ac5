"""The pages that follow what became of each recommendation, in a real browser, on the
tracked fixture (every status, several actors): no WCAG 2.2 AA violation in either colour
scheme at phone and desktop widths, the tracker whole without JavaScript, and its optional
filter (a script file of the site, never inline) working by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_project
from playwright.sync_api import Browser, ViewportSize, expect
from sitetools import mkdocs_build

from .conftest import AXE
from .server import serve
from .test_reader import DESKTOP, PHONE, SCHEMES, axe, open_page

pytestmark = pytest.mark.slow

PAGES = ("tracker/", "recommendations/plant-hot-streets/", "recommendations/sensors/", "")


@pytest.fixture(scope="module")
def tracked_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("tracked")
    project = make_project(tmp, "tracked")
    out: Path = tmp / "site"
    result = mkdocs_build(project / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    with serve(out) as url:
        yield url


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone"],
)
def test_no_wcag_violation_on_the_tracking_pages(
    browser: Browser, tracked_url: str, scheme: str, viewport: ViewportSize
) -> None:
    problems: list[str] = []
    with open_page(browser, viewport=viewport, color_scheme=scheme) as page:
        page.context.add_init_script(path=AXE)  # into every page the context opens
        for url in PAGES:
            page.goto(tracked_url + url)
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            assert shown == SCHEMES[scheme], f"/{url}: the {scheme} palette was not applied"
            problems += [f"/{url}: {problem}" for problem in axe(page)]
            if url == "tracker/":  # and with the filter the script adds, in use
                page.select_option("#tracker-filter", "declined")
                problems += [f"/{url} (filtered): {problem}" for problem in axe(page)]
    assert not problems, f"{len(problems)} WCAG 2.2 AA violation(s):\n" + "\n".join(problems)


def test_the_tracker_is_whole_without_javascript(browser: Browser, tracked_url: str) -> None:
    with open_page(browser, java_script_enabled=False) as page:
        page.goto(tracked_url + "tracker/")
        expect(page.locator("#tracker-filter")).to_have_count(0)
        rows = page.locator("#status-declined + table tr.tracker-row")
        expect(rows).to_have_count(1)
        expect(rows).to_contain_text("Measure street temperatures")
        expect(rows).to_contain_text("Declined")  # in words, not only a colour
        expect(page.locator("tr.tracker-row:visible")).to_have_count(
            4 + 6
        )  # by status, then by actor (3 + 2 + 1)


def test_the_filter_shows_one_status_by_keyboard(browser: Browser, tracked_url: str) -> None:
    errors: list[str] = []
    with open_page(browser) as page:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(tracked_url + "tracker/")
        select = page.get_by_label("Show only")
        select.focus()
        select.select_option("implemented")
        visible = page.locator("tr.tracker-row:visible")
        expect(visible).to_have_count(3)  # under Implemented and under its two actors
        for row in visible.all():
            expect(row).to_contain_text("Implemented")
        expect(page.locator("#status-declined")).to_be_hidden()
        expect(page.get_by_role("status")).to_have_text("1 of 4 recommendations shown.")
        select.select_option("")
        expect(page.locator("tr.tracker-row:visible")).to_have_count(10)
    assert not errors, errors

"""What a reader sees and can do in a real browser: WCAG 2.2 AA with axe-core in both colour
schemes, every recommendation and every citation reached by keyboard alone, citation tooltips
on hover and on focus, and screenshots at phone and desktop widths."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypedDict

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sitetools import Site

from .conftest import ARTIFACTS, AXE

pytestmark = pytest.mark.slow

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = ViewportSize(width=390, height=844)
DESKTOP = ViewportSize(width=1366, height=900)
SCHEMES = {"light": "default", "dark": "slate"}  # prefers-color-scheme -> Material's scheme

AXE_RUN = """async ([tags, context]) => {
    const result = await axe.run(context || document, {
        runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
    });
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
    }));
}"""

# What has focus after a key press; null once focus has left the page or come back round.
FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e.dataset.tabSeen) return null;
    e.dataset.tabSeen = "1";
    const url = e.href ? new URL(e.href) : null;
    return {
        tag: e.tagName.toLowerCase(), id: e.id, classes: [...e.classList],
        path: url ? url.pathname : "", hash: url ? url.hash : "",
    };
}"""

# Where the :target of the page is, against the sticky header and the window.
TARGET = """() => {
    const target = document.querySelector(":target");
    if (!target) return null;
    const box = target.getBoundingClientRect();
    const header = document.querySelector(".md-header").getBoundingClientRect();
    return {id: target.id, top: box.top, bottom: box.bottom, header: header.bottom,
            height: window.innerHeight};
}"""


class Focused(TypedDict):
    tag: str
    id: str
    classes: list[str]
    path: str
    hash: str


@contextmanager
def open_page(browser: Browser, **options: Any) -> Iterator[Page]:
    """A page in a fresh context (no shared storage: the palette follows the system's)."""
    context = browser.new_context(**options)
    try:
        yield context.new_page()
    finally:
        context.close()


def page_urls(site: Site) -> list[str]:
    """Every page of the site as a URL relative to its root: '', 'about/', '404.html'."""
    urls = []
    for file in site.pages:
        if file == "404.html":
            urls.append(file)
        elif file.endswith("index.html"):
            urls.append(file.removesuffix("index.html"))
    return urls


def recommendation_paths(site: Site) -> list[str]:
    return sorted(
        "/" + url
        for url in page_urls(site)
        if url.startswith("recommendations/") and url != "recommendations/"
    )


def most_cited_recommendation(site: Site) -> str:
    """The recommendation page with the most citations (relative URL)."""
    paths = recommendation_paths(site)
    return max(paths, key=lambda p: len(site.page(p.strip("/")).select("a.citation"))).lstrip("/")


def tab_through(page: Page, limit: int = 800) -> list[Focused]:
    """Press Tab until focus leaves the page or comes back round; what got focus, in order."""
    reached: list[Focused] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused: Focused | None = page.evaluate(FOCUSED)
        if focused is None:
            return reached
        reached.append(focused)
    raise AssertionError(f"focus did not come back round in {limit} presses of Tab")


# -- axe-core: WCAG 2.2 AA --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scheme", "viewport"),
    [("light", DESKTOP), ("dark", DESKTOP), ("light", PHONE)],
    ids=["light-desktop", "dark-desktop", "light-phone"],
)
def test_no_wcag_violation_on_any_page(
    browser: Browser, base_url: str, site: Site, scheme: str, viewport: ViewportSize
) -> None:
    problems: list[str] = []
    with open_page(browser, color_scheme=scheme, viewport=viewport) as page:
        page.context.add_init_script(path=AXE)  # into every page the context opens
        for url in page_urls(site):
            page.goto(base_url + url)
            shown = page.evaluate("document.body.dataset.mdColorScheme")
            assert shown == SCHEMES[scheme], f"/{url}: the {scheme} palette was not applied"
            problems += [f"/{url}: {problem}" for problem in axe(page)]
    assert not problems, f"{len(problems)} WCAG 2.2 AA violation(s):\n" + "\n".join(problems)


def axe(page: Page, context: str | None = None) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page (or in the elements `context` selects)."""
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN, [WCAG_22_AA, context])
    return [
        f"{v['id']} ({v['impact']}): {v['help']}\n    {node}"
        for v in violations
        for node in v["nodes"]
    ]


# -- keyboard alone ---------------------------------------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_keyboard_reaches_every_recommendation_from_home(
    browser: Browser, base_url: str, site: Site, viewport: ViewportSize
) -> None:
    with open_page(browser, viewport=viewport) as page:
        page.goto(base_url)
        reached = tab_through(page)
    assert reached, "Tab reached nothing on the home page"
    assert reached[0]["classes"][:1] == ["md-skip"], "the first Tab should offer 'Skip to content'"
    paths = {f["path"] for f in reached if f["tag"] == "a"}
    missing = [p for p in recommendation_paths(site) if p not in paths]
    assert recommendation_paths(site), "the site has no recommendation page"
    assert not missing, f"Tab from the home page never reaches {missing}"


def test_keyboard_reaches_every_citation_and_enter_opens_its_reference(
    browser: Browser, base_url: str, site: Site
) -> None:
    url = most_cited_recommendation(site)
    expected = [str(a["id"]) for a in site.page(url.rstrip("/")).select("a.citation")]
    assert expected, f"/{url} has no citation"
    with open_page(browser, viewport=DESKTOP) as page:
        page.goto(base_url + url)
        reached = tab_through(page)
        order = {f["id"]: i for i, f in enumerate(reached) if "citation" in f["classes"]}
        missing = [c for c in expected if c not in order]
        assert not missing, f"Tab never reaches these citations on /{url}: {missing}"

        # Enter on the first citation of each work opens the references at its entry.
        first: dict[str, int] = {}
        for focused in reached:
            if "citation" in focused["classes"]:
                first.setdefault(focused["hash"], order[focused["id"]])
        for anchor, presses in first.items():
            page.goto(base_url + url)
            for _ in range(presses + 1):
                page.keyboard.press("Tab")
            assert "citation" in page.evaluate("[...document.activeElement.classList]")
            with page.expect_navigation():
                page.keyboard.press("Enter")
            assert page.url == f"{base_url}references/{anchor}"
            target = page.evaluate(TARGET)
            assert target is not None and f"#{target['id']}" == anchor, page.url
            assert target["top"] >= target["header"] - 1, f"{anchor} is hidden under the header"
            assert target["top"] < target["height"], f"{anchor} is below the window"


# -- citation tooltips ------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["hover", "focus"])
def test_citation_tooltip_shows_the_reference(
    browser: Browser, base_url: str, site: Site, how: str
) -> None:
    url = most_cited_recommendation(site)
    citation = site.page(url.rstrip("/")).select("a.citation")[0]
    reference = str(citation["title"])
    assert reference, "citations carry their formatted reference as a title"
    with open_page(browser, viewport=DESKTOP) as page:
        page.context.add_init_script(path=AXE)  # not a <script> tag: the pages' CSP refuses one
        page.goto(base_url + url)
        link = page.locator(f"#{citation['id']}")
        if how == "hover":
            link.hover()
        else:
            tab_until(page, str(citation["id"]))
        tooltip = page.locator(".md-tooltip2--active")
        expect(tooltip).to_have_count(1)
        expect(tooltip).to_have_text(reference)
        expect(tooltip).to_be_visible()
        expect(tooltip.locator(".md-tooltip2__inner")).to_have_css("opacity", "1")
        expect(tooltip).to_be_in_viewport()
        assert not axe(page, ".md-tooltip2"), "the tooltip itself fails WCAG 2.2 AA"
        # Screen readers hear the same text: the link is described by the tooltip.
        described = link.get_attribute("aria-describedby")
        assert described and page.locator(f"#{described}").inner_text() == reference


def tab_until(page: Page, element_id: str, limit: int = 800) -> None:
    """Press Tab until the element with `element_id` has focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused: Focused | None = page.evaluate(FOCUSED)
        if focused is None:
            raise AssertionError(f"Tab never reaches #{element_id}")
        if focused["id"] == element_id:
            return
    raise AssertionError(f"Tab did not reach #{element_id} in {limit} presses")


# -- screenshots ------------------------------------------------------------------------------


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("which", ["home", "recommendation"])
def test_screenshots_fit_the_width(
    browser: Browser, base_url: str, site: Site, which: str, device: str, viewport: ViewportSize
) -> None:
    """Saved in test-artifacts/screenshots/; nothing scrolls sideways (WCAG 1.4.10 reflow)."""
    url = "" if which == "home" else most_cited_recommendation(site)
    path = ARTIFACTS / "screenshots" / f"{which}-{device}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_page(browser, viewport=viewport, color_scheme="light") as page:
        page.goto(base_url + url)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=path, full_page=True)
    assert overflow <= 0, f"/{url} scrolls sideways by {overflow}px at {viewport['width']}px"
    width, height = struct.unpack(">II", path.read_bytes()[16:24])  # the PNG's IHDR
    assert width == viewport["width"] and height >= viewport["height"]

"""The theme keeps working under the pages' Content-Security-Policy (hooks/briefing/publish/csp.py):
no page reports a violation, search opens and finds a word, the palette toggles, tooltips show;
and the policy is not a formality: a script the theme did not write is refused."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, Page, Request, expect
from sitetools import Site

from .test_reader import DESKTOP, most_cited_recommendation, page_urls

pytestmark = pytest.mark.slow

# Installed before any script of the page runs: every violation the page reports is kept.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`);
});
"""


# The requests each watched page has made and not yet ended.
PENDING: dict[Page, set[Request]] = {}


@contextmanager
def watched(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A page whose CSP violations and console errors about the policy are collected."""
    context = browser.new_context(viewport=DESKTOP)
    context.add_init_script(LISTEN)
    console: list[str] = []
    page = context.new_page()
    pending = PENDING.setdefault(page, set())
    page.on("request", lambda r: pending.add(r))
    page.on("requestfinished", lambda r: pending.discard(r))
    page.on("requestfailed", lambda r: pending.discard(r))
    page.on(
        "console",
        lambda m: (
            console.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    try:
        yield page, console
    finally:
        PENDING.pop(page, None)
        context.close()


def visit(page: Page, url: str) -> None:
    """Open `url` and wait until the page has loaded and every request it made has ended.

    Every request the theme makes starts before the load event (its stylesheets, scripts, search
    worker, search index and sitemap), so once none is pending nothing more is coming that could
    break the policy. Waited on as events, not with Playwright's "networkidle" (a clock: half a
    second without a request, on every page).
    """
    page.goto(url, wait_until="load")
    pending = PENDING[page]
    while pending:
        request = next(iter(pending))
        response = request.response()  # waits for it; None if the request failed
        if response is not None:
            response.finished()  # waits until its body is read (or the transfer failed)
        pending.discard(request)


def violations(page: Page, console: list[str]) -> list[str]:
    reported: list[str] = page.evaluate("window.__violations")
    return [f"{page.url}: {v}" for v in [*reported, *console]]


def test_no_page_reports_a_policy_violation(browser: Browser, base_url: str, site: Site) -> None:
    found: list[str] = []
    with watched(browser) as (page, console):
        for url in page_urls(site):
            visit(page, base_url + url)
            policy = page.locator('meta[http-equiv="Content-Security-Policy"]')
            expect(policy).to_have_count(1)
            found += violations(page, console)
            console.clear()
    assert not found, "\n".join(found)


def test_search_opens_and_finds_a_word(browser: Browser, base_url: str) -> None:
    with watched(browser) as (page, console):
        visit(page, base_url)
        page.keyboard.press("/")  # the theme's shortcut opens search
        field = page.locator("input.md-search__input")
        expect(field).to_be_focused()
        field.press_sequentially("training")  # the theme searches on key presses
        results = page.locator(".md-search-result__item")
        expect(results.first).to_be_visible()
        expect(page.locator(".md-search-result mark").first).to_contain_text(
            "training", ignore_case=True
        )
        assert not violations(page, console)


def test_palette_toggle_switches_the_scheme(browser: Browser, base_url: str) -> None:
    with watched(browser) as (page, console):
        visit(page, base_url)
        before = page.evaluate("document.body.dataset.mdColorScheme")
        page.locator("form[data-md-component='palette'] label:visible").first.click()
        after = "slate" if before == "default" else "default"
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", after)
        # The choice is kept: the inline palette script applies it on the next page.
        page.reload(wait_until="load")
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", after)
        assert not violations(page, console)


def test_citation_tooltip_shows(browser: Browser, base_url: str, site: Site) -> None:
    url = most_cited_recommendation(site)
    citation = site.page(url.rstrip("/")).select("a.citation")[0]
    with watched(browser) as (page, console):
        visit(page, base_url + url)
        page.locator(f"#{citation['id']}").hover()
        tooltip = page.locator(".md-tooltip2--active")
        expect(tooltip).to_be_visible()
        expect(tooltip).to_have_text(str(citation["title"]))
        assert not violations(page, console)


@pytest.mark.parametrize(
    ("kind", "inject"),
    [
        (
            "inline script",
            "s = document.createElement('script'); s.textContent = 'window.ran = 1';",
        ),
        (
            "event handler",
            "s = document.createElement('img'); s.src = 'x';"
            " s.setAttribute('onerror', 'window.ran = 1');",
        ),
        (
            "script from another host",
            "s = document.createElement('script'); s.src = 'https://example.org/x.js';",
        ),
        (
            "style attribute",
            "s = document.createElement('p'); s.setAttribute('style', 'color: red');",
        ),
        ("image from another host", "s = new Image(); s.src = 'https://example.org/pixel.png';"),
    ],
)
def test_the_policy_refuses_what_the_theme_did_not_write(
    browser: Browser, base_url: str, kind: str, inject: str
) -> None:
    with watched(browser) as (page, _):
        visit(page, base_url)
        page.evaluate(f"() => {{ let s; {inject} document.body.append(s); }}")
        page.wait_for_function("window.__violations.length > 0")
        assert page.evaluate("window.ran") is None, f"the {kind} ran"

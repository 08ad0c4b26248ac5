"""The browser tests' fixtures: the real site, built once and served locally, and one Chromium.

Debian's Chromium drives the tests (Playwright never downloads a browser here); axe-core comes
from npm (package.json). `make test` installs both when they are missing.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright
from sitetools import ROOT, Site

from .chromium import ARGS, CHROMIUM
from .server import serve

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def base_url(site: Site) -> Iterator[str]:
    """The real briefing, built once (tests/conftest.py), served on 127.0.0.1."""
    with serve(site.root) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session; each test opens its own context."""
    missing = [str(p) for p in (CHROMIUM, AXE) if not p.exists()]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: `make test` installs Chromium and axe-core")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()

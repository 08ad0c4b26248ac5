"""Debian's Chromium, as the browser tests and the Lighthouse audit launch it.

Nothing downloads a browser of its own: Playwright and Lighthouse are both pointed at this one.
`CHROMIUM` in the environment names another build (e.g. /usr/bin/google-chrome).
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

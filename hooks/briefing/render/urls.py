"""Page addresses, computed as MkDocs does, for what is not a page's content: absolute
addresses (the feeds, briefing.json, the sitemap, head tags) and the head tags' links.

A page's content never holds an address: its links are to the pages' sources
(`text.md_link`, `text.file_link`), which each builder resolves in its own URL layout.
"""

from __future__ import annotations

import posixpath


def page_url(src: str, directory_urls: bool) -> str:
    """The site-relative URL of the page built from `src` (a docs-relative .md path); a
    README.md is its folder's index page, as MkDocs has it."""
    directory, _, name = src.removesuffix(".md").rpartition("/")
    if name == "README":
        name = "index"
    stem = f"{directory}/{name}" if directory else name
    if not directory_urls:
        return f"{stem}.html"
    if name == "index":
        return f"{directory}/" if directory else ""
    return f"{stem}/"


def site_href(src: str, path: str, directory_urls: bool) -> str:
    """A link from a built page's head to a file of the site (the feed, a script)."""
    folder = page_url(src, directory_urls).rpartition("/")[0]  # about/: "about"; about.html: ""
    return posixpath.relpath(path, folder or ".")

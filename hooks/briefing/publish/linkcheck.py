"""Every internal link and anchor of a built site, followed as a reader's browser follows it with
the site served under a sub-path (GitHub Pages' project address, `user.github.io/repo/`).

A link that works at the root of a host can break under a sub-path: `/references/` leaves
`/repo/`, and a link written relative to the wrong file goes one level too high. So the check
does not compare link texts with file names: each page is given the address it is served at
(`/repo/x/` for `x/index.html`, `/repo/x.html` otherwise), each `href`/`src` is resolved against
that address by the WHATWG URL parser (ada, as a browser resolves it), and what it reaches must be
a file of the site, and its `#anchor` an `id` (or `<a name>`) on that page.

It reads only the built files, so it checks any builder's output the same way:
`python -m briefing linkcheck SITE [--base /repo/]`.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ada_url import URL

ORIGIN = "https://pages.invalid"  # a host no real link names
# The attributes that send a reader somewhere or load a part of the page.
_LINKING = {("a", "href"), ("area", "href"), ("link", "href"), ("img", "src")}
_LINKING |= {("script", "src"), ("source", "src"), ("video", "src"), ("audio", "src")}
_LINKING |= {("iframe", "src"), ("embed", "src"), ("object", "data"), ("use", "href")}


@dataclass(frozen=True)
class Broken:
    page: str  # the page's file, relative to the site's folder
    link: str  # the link as written
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link}: {self.reason}"


@dataclass(frozen=True)
class Report:
    base: str  # the address the site was followed under, e.g. /repo/
    pages: int
    links: int  # internal links and anchors followed
    broken: tuple[Broken, ...]


class _Page(HTMLParser):
    """The ids a page holds and the internal URLs it names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif (tag, name) in _LINKING:
                self.links.append(value)


def served_at(base: str, page: str) -> str:
    """The address of a built file under `base`: folders' index pages at the folder's address."""
    if page == "index.html" or page.endswith("/index.html"):
        page = page.removesuffix("index.html")
    return base + page


def check_folder(site: Path, base: str = "/repo/") -> Report:
    """Follow every link of every page of the built site in `site`, served under `base` (a path
    such as `/repo/`, or the site's address, `https://user.github.io/repo/`)."""
    if "://" in base:
        base = urlsplit(base).path
    base = "/" + base.strip("/") + "/" if base.strip("/") else "/"
    pages: dict[str, _Page] = {}
    for path in sorted(site.rglob("*.html")):
        parsed = _Page()
        parsed.feed(path.read_text(encoding="utf-8", errors="replace"))
        parsed.close()
        pages[path.relative_to(site).as_posix()] = parsed
    broken: list[Broken] = []
    followed = 0
    for name, page in pages.items():
        here = ORIGIN + served_at(base, name)
        for link in page.links:
            reason = _follow(site, base, here, link, pages)
            if reason is not None:
                followed += 1
                if reason:
                    broken.append(Broken(name, link, reason))
    return Report(base, len(pages), followed, tuple(broken))


def _follow(site: Path, base: str, here: str, link: str, pages: dict[str, _Page]) -> str | None:
    """'' when an internal link reaches its target, why not when it does not; None when the
    link leaves the site (another host or scheme), which this check does not follow."""
    try:
        url = URL(link, here)
    except ValueError:
        return "not a URL a browser can follow"
    if url.protocol not in {"http:", "https:"} or url.origin != ORIGIN:
        return None
    path = unquote(url.pathname)
    if not (path + "/").startswith(base):
        return f"leads to {path}, outside the site's address {base}"
    rel = path[len(base) :]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    elif (site / rel).is_dir():
        rel += "/index.html"  # the host redirects /x to /x/
    rel = posixpath.normpath(rel)
    if rel.startswith("../") or not (site / rel).is_file():
        return f"no file {base}{rel}"
    anchor = unquote(url.hash.removeprefix("#"))
    if anchor and rel in pages and anchor not in pages[rel].ids:
        return f"no #{anchor} on {base}{rel}"
    return ""

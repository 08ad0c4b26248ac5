"""Page addresses, computed as MkDocs does, so links can be relative and work offline."""

from __future__ import annotations

import posixpath
from functools import lru_cache


def page_url(src: str, directory_urls: bool = True) -> str:
    """The site-relative URL of the page built from `src` (a docs-relative .md path)."""
    stem = src[: -len(".md")] if src.endswith(".md") else src
    directory, _, name = stem.rpartition("/")
    if not directory_urls:
        return f"{stem}.html"
    if name in ("index", "README"):
        return f"{directory}/" if directory else ""
    return f"{stem}/"


def href(from_src: str, to_src: str, anchor: str = "", directory_urls: bool = True) -> str:
    """A link from one page to another (and an anchor in it), relative to the first page."""
    return _path(from_src, to_src, directory_urls) + (f"#{anchor}" if anchor else "") or "./"


@lru_cache(maxsize=65536)  # a pure function; pages link to the same few pages many times
def _path(from_src: str, to_src: str, directory_urls: bool) -> str:
    origin = page_url(from_src, directory_urls)
    target = page_url(to_src, directory_urls)
    base = origin if origin.endswith("/") or not origin else posixpath.dirname(origin) + "/"
    if target == origin:
        return ""
    path = posixpath.relpath(target or ".", base or ".")
    if target.endswith("/") or not target:
        path = "./" if path == "." else path + "/"
    return path


def site_href(src: str, path: str, directory_urls: bool = True) -> str:
    """A link from a page to a file of the site that is not a page (the feed, a script)."""
    origin = page_url(src, directory_urls)
    base = origin if origin.endswith("/") or not origin else posixpath.dirname(origin) + "/"
    return posixpath.relpath(path, base or ".")

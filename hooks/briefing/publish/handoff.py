"""What the export hands a builder without hooks, and what the post-builder pass reads back.

A builder without hooks writes the theme around each page's Markdown as it is given it. So the
export (export.py, `--for-finish`) gives it what the hooks would have given the theme:

- every page's title as escaped plain text, in its front matter (the theme writes titles
  unescaped, into the navigation, `<title>` and attributes), and every other front-matter
  text escaped (`sanitize.metadata`), as the hooks' `on_page_content` does;
- markers around each page's content, HTML comments that survive Markdown, so that the
  post-builder pass (afterbuild.py) finds the content in the built page and sanitises it.

A marker carries a digest of the page's path and exported text and the export's settings: an
editor cannot write a marker the pass accepts, since the digest depends on the text that
would hold it; another page's marker is looked for only in that page's built file, where the
theme writes nothing of this page unescaped. A page's markers change only with the page, so a
builder that rebuilds what changed (`zensical serve`) rebuilds little.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import markdown as python_markdown  # type: ignore[import-untyped]  # no stubs; one call
import yaml

from ..render import nav as navigation
from ..render.site import Prepared
from ..sources import frontmatter
from . import sanitize


def marks(options: str, src: str, text: str) -> tuple[str, str]:
    """The start and end markers of the page `src` exported as `text` under `options` (the
    export's settings): a digest of all three, so a page's text cannot hold its own marker."""
    digest = hashlib.sha256(f"{options}\0{src}\0{text}".encode()).hexdigest()[:40]
    return f"<!-- briefing:start {digest} -->", f"<!-- briefing:end {digest} -->"


def wrap(marked: tuple[str, str], body: str) -> str:
    """A page's Markdown between its markers (each a block of its own)."""
    return f"{marked[0]}\n\n{body.rstrip()}\n\n{marked[1]}\n"


def content(marked: tuple[str, str], built: str) -> tuple[int, int] | None:
    """Where the content is in the page's built HTML `built`: the span from the end of the
    first start marker to the beginning of the last end marker; None if either is missing
    (or the end comes first)."""
    opening, closing = built.find(marked[0]), built.rfind(marked[1])
    if opening < 0 or closing < 0:
        return None
    begin = opening + len(marked[0])
    return (begin, closing) if begin <= closing else None


# --- titles ------------------------------------------------------------------------------------

_ATX_H1 = re.compile(r"#(?!#)[ \t]*(?P<text>.*?)[ \t]*(?:#+[ \t]*)?$")
_ATTRIBUTES = re.compile(r"\s*\{[^}]*\}\s*$")


def _first_heading(body: str) -> str | None:
    """The text of the page's first block when it is a level-1 heading (MkDocs takes the
    title from the first element only), as HTML."""
    first = body.lstrip("\n").split("\n", 1)[0]
    match = _ATX_H1.match(first)
    if not match or not match["text"]:
        return None
    text = _ATTRIBUTES.sub("", match["text"])
    rendered: str = python_markdown.markdown(text)
    return rendered.removeprefix("<p>").removesuffix("</p>")


def title(src: str, nav_title: str | None, meta: Mapping[str, Any], body: str) -> str:
    """The page's title as MkDocs finds it (the nav's name, the front matter's `title`, the
    first heading, "Home", the file name), as the hooks give it to the theme: escaped text."""
    found: object = nav_title
    if found is None:
        found = meta.get("title")
    if found is None:
        found = _first_heading(body)
    if found is None and src == "index.md":
        found = "Home"
    if found is None:
        name = src.rsplit("/", 1)[-1].removesuffix(".md").replace("-", " ").replace("_", " ")
        found = name.capitalize() if name.lower() == name else name
    return sanitize.title(str(found))


def titles(prepared: Prepared, bodies: Mapping[str, str]) -> dict[str, str]:
    """Every page's escaped title (`title`), by path; `bodies`: each page's Markdown."""
    site = prepared.site
    assert site is not None
    named = navigation.titles(prepared.nav)
    return {
        src: title(src, named.get(src), frontmatter.metadata(site.front.get(src, "")), body)
        for src, body in bodies.items()
    }


def front_matter(src: str, front: str, page_title: str) -> str:
    """The page's front matter with every text escaped and its title set (YAML)."""
    meta = sanitize.metadata(frontmatter.metadata(front))
    meta["title"] = page_title
    dumped = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000)
    return f"---\n{dumped}---\n\n"

"""Small text helpers: escaping plain text into Markdown and HTML, links, excerpts."""

from __future__ import annotations

import html
import posixpath
import re

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")  # Python-Markdown's escapable characters
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+;)")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # ASCII only: a no-break space in a number stays


def md_escape(text: str) -> str:
    """Plain text made safe to embed in Markdown: shown as written, never read as markup."""
    return md_words(_SPACES.sub(" ", text).strip())


def md_words(text: str) -> str:
    """Like `md_escape`, spaces kept as they are: a label's words around a value."""
    text = _ENTITY.sub(r"&amp;\1", text).replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def md_link(from_src: str, to_src: str, anchor: str = "") -> str:
    """A link from one page to another page's Markdown source (and an anchor in it), relative
    to the first page's source: every builder resolves it to the page's address in its own URL
    layout, in a Markdown link and in raw HTML alike (the MkDocs hooks: `publish.links`)."""
    if from_src == to_src:
        return f"#{anchor}" if anchor else posixpath.basename(to_src)
    path = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return path + (f"#{anchor}" if anchor else "")


def file_link(from_src: str, path: str) -> str:
    """A link from a page to a file of the site that is not a page (the feed, a download),
    `path` relative to the site's root: the file's path relative to the page's source."""
    return posixpath.relpath(path, posixpath.dirname(from_src) or ".")


def indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def lead(markdown: str) -> tuple[str, bool]:
    """The first sentence of a Markdown text, the one line a card has room for, and whether
    that is only part of the text (a card then says it is an excerpt and links the whole)."""
    text = markdown.strip()
    paragraph = " ".join(text.split("\n\n", 1)[0].split())
    for match in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: match.start()]
        if before.count("[") > before.count("]"):
            continue  # inside a citation or a link: "[@act2003, art. 61]"
        if paragraph[match.end() : match.end() + 1].isupper():  # a new sentence starts here
            return before, True
    return paragraph, " ".join(text.split()) != paragraph


class Anchors:
    """Anchors unique within one page: a name as given the first time, then with -2, -3, …
    (never one already taken, even one given as written)."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def unique(self, anchor: str) -> str:
        made, number = anchor, 2
        while made in self._taken:
            made, number = f"{anchor}-{number}", number + 1
        self._taken.add(made)
        return made

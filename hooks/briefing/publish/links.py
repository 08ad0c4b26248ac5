"""A page's links to sources resolved to the built pages' addresses, as a builder resolves them.

Every internal link the engine writes into a page names a source file relative to the page's
source: `../references.md#ref-x` (a page), `#x` (the same page), `../downloads/briefing.pdf` (a
file of the site that is not a page). No URL layout is written into a page, so each builder
resolves the links in its own: Zensical resolves every relative link of a page that way,
Markdown or raw HTML. MkDocs resolves only Markdown links and leaves raw HTML as written;
`resolve` does for raw HTML what MkDocs does for a Markdown link, so a relative link means the
same on every builder. An editor's own raw-HTML links in a docs page are read the same way: to
a `.md` file, relative to the page's source (CONTRIBUTING.md: "Add or reorder a prose page"
and "A link to no page").

`resolve` knows no builder: it is given the page's source path and `url_of`, the builder's
answer to "where is the file built from this source?" (None: no such source, for instance a
download written after the pages; the link then keeps the file's path). Elements the builder
resolved already carry `RESOLVED` (the MkDocs hooks mark every link of the Markdown, which
MkDocs resolved): they are left as they are, and the mark is removed.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote

from .. import weblinks
from ..problems import Code, Problem
from ..render.text import md_link

RESOLVED = "data-builder-resolved"  # on an element whose links the builder has resolved
UrlOf = Callable[[str], "str | None"]

# What a page's HTML holds, in the order met: comments and the text of script and style
# elements (never links, whatever they contain), then start tags with their attributes.
_SKIPPED = r"<!--.*?-->|<(script|style|textarea)\b[^>]*>.*?</\1\s*>"
_VALUE = r"\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+"
_ATTRIBUTE = rf"\s+[^\s\"'>/=]+(?:\s*=\s*(?:{_VALUE}))?"
_TAG = rf"<[A-Za-z][^\s/>]*(?:{_ATTRIBUTE})*\s*/?>"
_MARKUP = re.compile(rf"{_SKIPPED}|(?P<tag>{_TAG})", re.S | re.I)
_ATTRIBUTES = re.compile(rf"(\s+)([^\s\"'>/=]+)(?:(\s*=\s*)({_VALUE}))?")
_LINKING = {"href", "src"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class Link:
    """A link resolved to no page nor file of the builder: to a file written after the pages
    (a download), or to nothing."""

    written: str  # the link as the page holds it
    path: str  # the site-relative path it names ('' when it leads outside the site)
    attribute: str = "href"  # "src": a picture or another part of the page, not a link


@dataclass(frozen=True)
class Resolved:
    html: str
    unknown: tuple[Link, ...]  # links to no source the builder knows, in page order


def resolve(content: str, src: str, url_of: UrlOf) -> Resolved:
    """`content` (a page's HTML) with every relative `href` and `src` resolved from `src` (the
    page's source, docs-relative) to the page's URL (`url_of(src)`). Links with a scheme or a
    host, absolute paths and bare `#anchors` are left as they are, as are the elements marked
    `RESOLVED`."""
    here = url_of(src)
    if here is None:
        raise ValueError(f"{src}: the builder knows no page built from it")
    unknown: list[Link] = []

    def tag(match: re.Match[str]) -> str:
        if match.group("tag") is None:
            return match.group(0)
        return _tag(match.group(0), src, here, url_of, unknown)

    return Resolved(_MARKUP.sub(tag, content), tuple(unknown))


def _tag(tag: str, src: str, here: str, url_of: UrlOf, unknown: list[Link]) -> str:
    lowered = tag.lower()
    if "href" not in lowered and "src" not in lowered and RESOLVED not in lowered:
        return tag  # most tags: cheaper than reading their attributes
    names = [m.group(2).lower() for m in _ATTRIBUTES.finditer(tag)]
    if RESOLVED in names:
        return _ATTRIBUTES.sub(lambda m: "" if m.group(2).lower() == RESOLVED else m.group(0), tag)
    if not _LINKING & set(names):
        return tag

    def attribute(match: re.Match[str]) -> str:
        space, name, equals, value = match.groups()
        if name.lower() not in _LINKING or value is None:
            return match.group(0)
        quote_mark = value[0] if value[0] in "\"'" else ""
        written = html.unescape(value[1:-1] if quote_mark else value)
        link = _link(written, src, here, url_of, unknown, name.lower())
        if link == written:
            return match.group(0)
        mark = quote_mark or '"'
        return f"{space}{name}{equals}{mark}{html.escape(link, quote=True)}{mark}"

    return _ATTRIBUTES.sub(attribute, tag)


def _link(
    link: str, src: str, here: str, url_of: UrlOf, unknown: list[Link], attribute: str
) -> str:
    """One link from the page's source resolved to the page's URL (as written when it is not
    a relative path)."""
    if weblinks.browser_text(link) != link:
        return link  # spaces, controls, tabs (`java<TAB>script:`): for the sanitiser to judge
    if link.startswith(("/", "\\", "#", "?")) or _SCHEME.match(link):
        return link  # absolute, protocol-relative (//host), a scheme (mailto:), or this page
    cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
    path, rest = link[:cut], link[cut:]
    if not path:
        return link  # "": this page
    folder = posixpath.dirname(src)
    target = posixpath.normpath(posixpath.join(folder, unquote(path)))
    if target == ".." or target.startswith("../"):
        unknown.append(Link(link, "", attribute))
        return link  # above the docs folder: no builder's file, left for the check to name
    url = url_of(target)
    if url is None:
        # No source: a file of the site written after the pages (a download), at its path.
        url = posixpath.normpath(posixpath.join(quote(folder), path))
        url = "" if url == "." else url
        if path.endswith("/") or posixpath.basename(path) in (".", ".."):
            url = url + "/" if url else "./"
        unknown.append(Link(link, unquote(url), attribute))
    return relative(url, here) + rest


def relative(url: str, page: str) -> str:
    """Site-relative `url` relative to the page whose site-relative URL is `page` (`x/` for a
    folder's index, `x.html` for a file), as a browser resolves it from that page."""
    base = _parts(page.rpartition("/")[0])
    folder, _, name = url.rpartition("/")
    dest = _parts(folder)
    common = 0
    for a, b in zip(base, dest, strict=False):
        if a != b:
            break
        common += 1
    parts = [".."] * (len(base) - common) + dest[common:]
    link = "/".join([*parts, name]) if name else "/".join(parts) + "/" if parts else "./"
    # A first segment with a colon would read as a scheme (`javascript:`): keep it a path.
    return "./" + link if ":" in link.partition("/")[0] else link


def _parts(path: str) -> list[str]:
    normal = posixpath.normpath("/" + path).lstrip("/")
    return normal.split("/") if normal else []


def problems(
    resolved: Resolved, src: str, shown: str, text: str, pages: Callable[[], Mapping[str, str]]
) -> list[Problem]:
    """Warnings for the links of an editor's page (`src`, shown as `shown`, its text as written)
    that lead to no page: above the docs folder, to a `.md` file that is not there, or to an
    address (`../background/`, the built page's, as raw HTML was once written) rather than a
    file. A link to a file the docs do not hold (`downloads/briefing.pdf`) may name one the
    build writes after the pages: the link check of the built site follows those.

    `pages`: every page's source by its URL, for "did you mean" (asked only when needed)."""
    found: list[Problem] = []
    cursor = 0
    for link in resolved.unknown:
        name = posixpath.basename(link.path.rstrip("/"))
        if link.attribute != "href" or (
            link.path and not link.path.endswith(".md") and "." in name
        ):
            continue
        at = _find(text, link.written, cursor)
        cursor = at + 1 if at >= 0 else cursor
        line, column = (
            (text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)) if at >= 0 else (1, 1)
        )
        where = "leads outside the docs folder" if not link.path else "names no page of the docs"
        meant = _meant(link.written, src, pages)
        hint = f"; did you mean '{meant}'?" if meant else ""
        found.append(
            Problem(
                shown,
                line,
                column,
                f"the link '{link.written}' {where}: a link names the page's Markdown file, "
                f"relative to this page{hint}",
                "warning",
                code=Code.CONTENT_LINK_NO_SOURCE,
            )
        )
    return found


def _find(text: str, link: str, start: int) -> int:
    """Where the link is written in the page's text as an `href` (from `start`, in page
    order, else anywhere), or -1."""
    for written in dict.fromkeys((link, html.escape(link, quote=False), html.escape(link))):
        value = re.compile(rf"""\bhref\s*=\s*["']?({re.escape(written)})(?=["'\s>])""", re.I)
        found = value.search(text, start) or value.search(text)
        if found:
            return found.start(1)
    return -1


def _meant(link: str, src: str, pages: Callable[[], Mapping[str, str]]) -> str | None:
    """The link to a page's source that `link`, read as an address from the page, named."""
    cut = min((i for i in (link.find("?"), link.find("#")) if i >= 0), default=len(link))
    path, rest = unquote(link[:cut]), link[cut:]
    by_url = {unquote(url): source for url, source in pages().items()}
    here = next((url for url, source in by_url.items() if source == src), None)
    if here is None:
        return None
    address = posixpath.normpath(posixpath.join(here.rpartition("/")[0], path))
    address = "" if address == "." else address
    for url in (address + "/", address, address + ".html", "./" if not address else None):
        if url is not None and url.lstrip("/") in by_url:
            return md_link(src, by_url[url.lstrip("/")]) + rest
    return None

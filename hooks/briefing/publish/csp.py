"""A Content-Security-Policy for every built page: only the site's own scripts, styles, images
and fonts, and no script the theme did not write.

The policy is a `<meta http-equiv="Content-Security-Policy">` (a static host such as GitHub Pages
sets no headers), put right after `<meta charset>`, before any script. It is computed from the
built HTML, so any builder's output can be given it (`protect_folder`):

- scripts: the site's own files (`'self'`) and, by their SHA-256, the small inline scripts the
  theme writes outside the page's content (the palette, `__md_scope`, the anchor fix). Never
  `'unsafe-inline'`. Scripts inside the content (`<article>`) are not hashed: a page's content
  holds none (the sanitiser drops them), and if a builder without the sanitiser let one through,
  the policy blocks it. Data blocks (`application/json`, JSON-LD) are never run, so need nothing.
- styles: the site's stylesheets, and by hash (`'unsafe-hashes'`) exactly the `style` attributes
  the page holds (table alignment, the charts' colours); any other inline style is refused.
- images: the site's own, and `data:` images, which the theme's stylesheet uses for its icons
  (a `data:` URL names no host, and an image runs no script).
- fonts, the search index fetch and the search worker: the site's own. Nothing else at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

_CHARSET = re.compile(r"<meta\s+charset\s*=\s*[\"']?[\w-]+[\"']?\s*/?>", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)
_EXISTING = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">\n?')
# The types under which a browser runs a <script> (HTML's "JavaScript MIME type essence match").
_RUN = {"", "module", "text/javascript", "application/javascript", "application/ecmascript"}
_RUN |= {"text/ecmascript", "text/jscript", "text/livescript", "application/x-javascript"}

FIXED = (
    "default-src 'none'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


class _Inline(HTMLParser):
    """The inline scripts a page runs outside its `<article>`, and its inline styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._article = 0
        self._text: list[str] | None = None  # the script or style element being read
        self._element = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("style") is not None:
            self.styles.append(values["style"] or "")
        if tag == "article":
            self._article += 1
        elif tag == "style":
            self._text, self._element = [], tag
        elif tag == "script" and "src" not in values and self._article == 0:
            kind = (values.get("type") or "").split(";")[0].strip().lower()
            if kind in _RUN:
                self._text, self._element = [], tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("style") is not None:
            self.styles.append(values["style"] or "")

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self._article = max(0, self._article - 1)
        elif tag == self._element and self._text is not None:
            (self.scripts if tag == "script" else self.styles).append("".join(self._text))
            self._text, self._element = None, ""


def _inline(page: str) -> _Inline:
    parser = _Inline()
    parser.feed(page)
    parser.close()
    return parser


def policy(page: str, *, live_reload: bool = False, styles: Sequence[str] = ()) -> str:
    """The Content-Security-Policy for one built page.

    `live_reload`: for `mkdocs serve`, which adds to every page it serves an inline script that
    differs on each request (so no hash can allow it): inline scripts are allowed, and so no
    script is hashed (a hash would make browsers ignore `'unsafe-inline'`). Everything else is
    as published, so a preview still shows what the policy refuses. Never for a published site.
    `styles`: stylesheets the theme's own script inserts at run time, allowed by their hash.
    """
    found = _inline(page)
    scripts = " ".join(dict.fromkeys(_hash(s) for s in found.scripts))
    if live_reload:
        scripts = "'unsafe-inline'"
    hashed = " ".join(dict.fromkeys(_hash(s) for s in [*found.styles, *styles]))
    script_src = f"script-src 'self' {scripts}".rstrip()
    style_src = f"style-src 'self' 'unsafe-hashes' {hashed}" if hashed else "style-src 'self'"
    return "; ".join((FIXED[0], script_src, style_src, *FIXED[1:]))


def protected(page: str) -> bool:
    """Whether a built page carries its policy already (`protect` was applied): in its head,
    where the theme writes nothing a page's text gives it (not in the body, where a page
    that was never finished could hold one)."""
    found, head_end = _EXISTING.search(page), page.find("</head>")
    return found is not None and 0 <= found.start() < head_end


def protect(page: str, *, live_reload: bool = False, styles: Sequence[str] = ()) -> str:
    """`page` with its policy as the first thing after `<meta charset>` (or `<head>`).

    Applying it twice gives the same page: an earlier policy is replaced, not added to.
    `live_reload`, `styles`: see `policy`.
    """
    page = _EXISTING.sub("", page)
    content = html.escape(policy(page, live_reload=live_reload, styles=styles), quote=False)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{content}">'
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return f"{tag}\n{page}"
    return f"{page[: anchor.end()]}\n{tag}{page[anchor.end() :]}"


def protect_folder(folder: Path) -> int:
    """Give every HTML page under a built site `folder` its policy; how many pages.

    For a builder that runs no hooks (the export built with Zensical or plain MkDocs).
    """
    count = 0
    for file in sorted(folder.rglob("*.html")):
        if file.is_symlink() or not file.is_file():
            continue
        text = file.read_text(encoding="utf-8")
        file.write_text(protect(text), encoding="utf-8")
        count += 1
    return count

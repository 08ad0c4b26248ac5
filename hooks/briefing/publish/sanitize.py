"""Make a page's HTML safe for readers and valid for the W3C checker.

`clean` is the last step of every page body: whatever raw HTML an editor (or a hostile pull
request) wrote in a Markdown field, a docs page or a BibTeX entry, only the elements and
attributes below reach the site. The allow-list is what our renderer and the Markdown
extensions in mkdocs.yml legitimately emit, and nothing more: no scripts, frames, forms,
styles or event handlers, and links only to http(s), mailto and relative URLs.

The theme's own markup is not the sanitiser's: material.py patches it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import nh3

from .. import weblinks

# Elements a briefing page may contain: Markdown's output, the tables, abbr, admonition,
# attr_list, md_in_html, toc and superfences extensions, and the renderer's own figures,
# quotes, glossary and reference lists.
TAGS = frozenset(
    {
        *("h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "nav"),
        *("section", "article", "aside", "header", "footer", "figure", "figcaption"),
        *("blockquote", "q", "cite", "pre", "code", "kbd", "samp", "var"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup"),
        *("abbr", "dfn", "time", "data", "bdi", "wbr", "a", "img"),
        *("ul", "ol", "li", "dl", "dt", "dd", "details", "summary"),
        *("table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"),
    }
)
# Removed together with everything inside them (other unknown tags keep their text).
DROP_WITH_CONTENT = frozenset(
    {
        *("script", "style", "template", "iframe", "frame", "frameset", "object", "embed"),
        *("applet", "noscript", "noembed", "noframes", "xmp", "textarea", "select", "title"),
        *("svg", "math", "canvas", "audio", "video", "base", "link", "meta", "head"),
    }
)
# Accessibility attributes included: the renderer names landmarks and figures for screen readers.
GENERIC = frozenset(
    {"id", "class", "title", "lang", "role", "tabindex"}
    | {"aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "aria-current"}
)
ATTRIBUTES: dict[str, set[str]] = {
    "*": set(GENERIC),
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "reversed"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan", "style"},
    "td": {"colspan", "rowspan", "style"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
}
URL_SCHEMES = weblinks.SCHEMES
# Python-Markdown's tables extension aligns columns with style="text-align: ..."; no other
# CSS property is allowed (an overlay or a fake login form needs more than alignment).
STYLE_PROPERTIES = frozenset({"text-align"})
# Material's own controls (`__drawer`, `__search`, `__toc`, `__palette_0`, ...): content that
# claimed one of these ids could take over the theme's toggles.
_RESERVED_ID = re.compile(r"^__")


def _attribute(element: str, attribute: str, value: str) -> str | None:
    """Each attribute's value, or None to drop it. URLs are read as a browser reads them
    (`weblinks`): what is kept is the text the check was made on, tabs and newlines removed."""
    if attribute == "id" and _RESERVED_ID.match(value):
        return None
    if attribute == "src":
        # Pages load nothing from other sites: no tracking pixel, no fetch at build.
        return weblinks.local(value)
    if attribute == "href":
        return weblinks.link(value)
    return value


_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(DROP_WITH_CONTENT),
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    strip_comments=True,
    link_rel=None,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties=set(STYLE_PROPERTIES),
)


def clean(html: str) -> str:
    """The HTML body of a page with every element, attribute and URL outside the allow-list
    removed; what the renderer and the Markdown extensions emit passes through unchanged."""
    return _CLEANER.clean(html)


# --- what the theme writes unescaped ------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")


def title(text: str) -> str:
    """A page title (HTML, as MkDocs keeps titles) as escaped plain text.

    The theme writes titles unescaped in the navigation and passes them through `striptags`,
    which unescapes, into `<title>`; so a title must hold no tag and be escaped exactly once
    (and is then given to the theme as `page.meta.title`, which goes into `<title>` as is).
    """
    return html.escape(" ".join(html.unescape(_TAG.sub("", text)).split()), quote=False)


def plain(text: str) -> str:
    """Plain text for a place the theme writes unescaped, attribute values included."""
    return html.escape(text, quote=True)


def metadata(meta: Mapping[str, Any]) -> dict[str, Any]:
    """A page's front matter with every text escaped: the theme writes `description`,
    `author`, `subtitle` and the like into the page unescaped, some inside attributes."""

    def escape(value: Any) -> Any:
        if isinstance(value, str):
            return plain(value)
        if isinstance(value, list):
            return [escape(v) for v in value]
        if isinstance(value, dict):
            return {k: escape(v) for k, v in value.items()}
        return value

    return {key: escape(value) for key, value in meta.items()}

"""URLs as a browser reads them: the one check every URL that leaves the build goes through.

A browser does not read a URL as it is written. It strips leading and trailing control
characters and spaces, removes every tab and newline, lower-cases the scheme, takes a
backslash for a slash in http(s) URLs and reads `//host`, `/\\host` or `https:host` as
another site. A check on the written text ("does it start with javascript:?", "does it start
with //?") is fooled by `java<TAB>script:` or `/<TAB>/tracker.example`. So every URL is parsed
here by ada (the WHATWG URL Standard's parser, the one browsers implement) before anything is
decided, and what is kept is the text the decision was made on.

Three questions, one per use:

- `link`: may a reader be sent there (an `href`)? http, https, mailto, or a place on the site.
- `local`: may a page load it (a `src`)? Only from the site itself: relative, never a host.
- `web`: may a download or the page's metadata carry it? Only absolute http, https, mailto.

`problem` says in words why a URL written in data is refused, for validation.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote

from ada_url import URL

SCHEMES = frozenset({"http", "https", "mailto"})
# Where a relative URL is resolved to see where it goes: a host no real URL can name.
SITE = "briefing.invalid"
_BASE = f"https://{SITE}/section/page/"
_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space: stripped at both ends
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_HOST_FIRST = re.compile(r"^[\\/]{2}")


@dataclass(frozen=True)
class Address:
    """Where a browser goes for a URL: scheme (lower case, no colon) and host ('' for
    mailto); `relative` when it was written without a scheme or a host."""

    text: str  # the URL as the browser reads it, before it resolves it
    scheme: str
    host: str
    relative: bool

    @property
    def on_site(self) -> bool:
        return self.relative and self.host == SITE


def browser_text(value: str, *, from_html: bool = False) -> str:
    """`value` after the browser's first steps: entities decoded (when it comes from HTML
    source), controls and spaces stripped at both ends, tabs and newlines removed."""
    if from_html:
        value = html.unescape(value)
    return _TAB_OR_NEWLINE.sub("", value.strip(_EDGES))


def read(value: str, *, from_html: bool = False) -> Address | None:
    """How a browser reads `value` on one of the site's pages; None when it cannot parse it
    (a browser follows no such link and loads no such image)."""
    text = browser_text(value, from_html=from_html)
    try:
        url = URL(text, _BASE)
    except ValueError:
        return None
    relative = not _SCHEME.match(text) and not _HOST_FIRST.match(text)
    return Address(text, str(url.protocol).rstrip(":").lower(), str(url.hostname), relative)


def link(value: str, *, from_html: bool = False) -> str | None:
    """`value` as the browser reads it, if a reader may be sent there: an http, https or
    mailto URL, or a place on the site; else None."""
    address = read(value, from_html=from_html)
    if address is None or address.scheme not in SCHEMES:
        return None
    return address.text


def local(value: str, *, from_html: bool = False) -> str | None:
    """`value` as the browser reads it, if it stays on the site (a relative URL that no
    browser reads as another host); else None. Images and other resources load only so."""
    address = read(value, from_html=from_html)
    return address.text if address is not None and address.on_site else None


def web(value: str | None) -> str | None:
    """`value` as the browser reads it, if it is an absolute http, https or mailto URL with
    somewhere to go (a host, or an address); else None. For downloads and metadata, which
    are read away from the site, so a relative URL means nothing there."""
    if value is None or problem(value) is not None:
        return None
    return browser_text(value)


def problem(value: str) -> str | None:
    """Why `value`, written in data as a URL, is refused; None when it is an absolute http,
    https or mailto URL. Read with no page around it, as a download or a search engine does."""
    if any(char < " " for char in value.strip(" ")):
        return "it contains a tab, a line break or a control character, which browsers remove"
    text = browser_text(value)
    try:
        url = URL(text)
    except ValueError:
        if read(text) is not None:
            return "it is not a full address: start it with https://, http:// or mailto:"
        return "it is not a URL a browser can read"
    scheme = str(url.protocol).rstrip(":").lower()
    if scheme not in SCHEMES:
        return f"'{scheme}:' addresses are not allowed, only https:, http: and mailto:"
    if scheme == "mailto" and not str(url.pathname).strip():
        return "the mailto: address is empty"
    return None


def doi(value: str) -> str:
    """A DOI's https://doi.org/ address, percent-encoded: whatever the DOI holds, the
    address goes to doi.org."""
    return "https://doi.org/" + quote(value.strip(), safe="/:;()[]._-")


def csl_item(item: Mapping[str, object]) -> dict[str, object]:
    """A CSL-JSON item without a URL that is not an absolute http, https or mailto URL."""
    result = dict(item)
    url = result.get("URL")
    if url is not None:
        kept = web(str(url))
        if kept is None:
            del result["URL"]
        else:
            result["URL"] = kept
    return result

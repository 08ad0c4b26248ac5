"""What became of the recommendations as Atom 1.0 feeds (RFC 4287): one entry per status
change and per response, for the whole briefing (`feed.atom`, at the site's root) and for each
recommendation (`feeds/<slug>.atom`).

Everything comes from the data, never from the clock: an entry's `updated` is its own date,
the feed's the latest entry's (the report's date when there is none), so builds stay
byte-identical. Entry ids are tag: URIs (RFC 4151) made of the site's host, the report's
date, the recommendation's id and the entry's anchor: stable across builds and edits of other
entries. Without a site address they are `urn:uuid:` names derived the same way.

Every word is the briefing's (`feed/...`, `statuses/...` labels) and the feed's `xml:lang` its
language; the machine dates stay RFC 3339.
"""

from __future__ import annotations

import html
import posixpath
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ..labels import Labels
from ..model import Recommendation
from ..render.formats import locale_of
from ..render.pages import rec_page
from ..render.timeline import Event, events, rec_feed, status_name
from ..render.tracker import FEED, TRACKER
from ..render.urls import page_url, site_href
from .items import plain_text

if TYPE_CHECKING:
    from ..render.site import Site

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"


@dataclass(frozen=True)
class _Place:
    """Where a feed is, to make its links: absolute with the site's address, else relative."""

    site: Site
    feed: str  # site-relative path of the feed
    site_url: str | None

    def url(self, path: str) -> str:
        if self.site_url:
            base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
            return urljoin(base, path)
        return posixpath.relpath(path or ".", posixpath.dirname(self.feed) or ".") + (
            "/" if path.endswith("/") else ""
        )

    def page(self, src: str, anchor: str = "") -> str:
        path = page_url(src, self.site.directory_urls)
        return self.url(path) + (f"#{anchor}" if anchor else "")


def _id(site: Site, site_url: str | None, specific: str) -> str:
    report = site.briefing.report
    host = urlsplit(report.url or site_url or "").hostname
    if host:
        return f"tag:{host},{report.date}:{specific}"
    name = f"{report.publisher}\n{report.title}\n{report.date}\n{specific}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def timestamp(day: str) -> str:
    """A data date as an RFC 3339 date-time: '2025-07' -> '2025-07-01T00:00:00Z'."""
    parts = day.split("-")
    while len(parts) < 3:
        parts.append("01")
    return f"{'-'.join(parts)}T00:00:00Z"


def _sub(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, name, attributes)
    if text is not None:
        element.text = text
    return element


def language(site: Site) -> str:
    """The briefing's language as an XML language tag (BCP 47): 'en_GB' -> 'en-GB'."""
    return str(locale_of(site.formats.locale)).replace("_", "-")


def _entry(root: ET.Element, place: _Place, rec: Recommendation, event: Event) -> None:
    site = place.site
    labels = site.briefing.labels
    entry = _sub(root, "entry")
    _sub(entry, "id", _id(site, place.site_url, f"{rec.id}/{event.anchor}"))
    number = str(rec.number)
    if event.change is not None:
        status = status_name(labels, event.change.status)
        title = labels("feed/status_entry", number=number, status=status)
        body = event.change.summary
    else:
        assert event.response is not None
        title = labels("feed/response_entry", number=number, actor=event.response.actor)
        body = event.response.text
    _sub(entry, "title", title)
    _sub(entry, "updated", timestamp(event.date))
    if event.actor:
        _sub(_sub(entry, "author"), "name", event.actor)
    _sub(
        entry,
        "link",
        rel="alternate",
        type="text/html",
        href=place.page(rec_page(rec), event.anchor),
    )
    if event.change is not None:
        status = status_name(labels, event.change.status)
        _sub(entry, "category", term=event.change.status, label=status)
    words = f"{rec.title}. "
    words += plain_text(site, body) if body is not None else ""
    source = (
        event.change.source if event.change else event.response.source if event.response else None
    )
    if source is not None:
        words += "\n\n" + labels("source", source=plain_text(site, source))
    _sub(entry, "summary", words.strip(), type="text")


def atom(site: Site, site_url: str | None = None, rec: Recommendation | None = None) -> str:
    """The feed of every recommendation (or of `rec` alone), newest entry first."""
    report, labels = site.briefing.report, site.briefing.labels
    recs = (rec,) if rec is not None else site.briefing.recommendations
    path = rec_feed(rec) if rec is not None else FEED
    place = _Place(site, path, site_url)
    found = [(r, e) for r in recs for e in events(r)]
    # Newest first; on one day, the later recommendation and entry first (a stable order).
    ordered = sorted(enumerate(found), key=lambda p: (timestamp(p[1][1].date), p[0]), reverse=True)
    # Names unqualified, in Atom's namespace by the declaration (ElementTree cannot write a
    # default namespace together with unprefixed attributes).
    root = ET.Element("feed", {"xmlns": ATOM, "xml:lang": language(site)})
    specific = rec.id if rec is not None else "recommendations"
    _sub(root, "id", _id(site, site_url, specific))
    if rec is not None:
        title = labels("feed/rec_title", number=rec.number, title=rec.title)
    else:
        title = labels("feed/title", title=report.title)
    _sub(root, "title", title)
    latest = max((timestamp(e.date) for _, e in found), default=timestamp(report.date))
    _sub(root, "updated", latest)
    _sub(_sub(root, "author"), "name", report.publisher)
    _sub(root, "link", rel="self", type=MEDIA_TYPE, href=place.url(path))
    page = rec_page(rec) if rec is not None else TRACKER
    _sub(root, "link", rel="alternate", type="text/html", href=place.page(page))
    for _, (r, event) in ordered:
        _entry(root, place, r, event)
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + text + "\n"


def write(site: Site, site_dir: Path, site_url: str | None = None) -> list[Path]:
    """Write the briefing's feed and one per recommendation; the paths written."""
    written = []
    files = {FEED: atom(site, site_url)}
    files.update({rec_feed(r): atom(site, site_url, r) for r in site.briefing.recommendations})
    for name, text in files.items():
        path = site_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def link_tag(output: str, src: str, labels: Labels, directory_urls: bool = True) -> str:
    """A built page with a `<link rel="alternate">` to the briefing's feed in its head, for
    feed readers (`src`: the page's docs-relative source path), named in the briefing's words."""
    href = site_href(src, FEED, directory_urls)
    title = labels("tracker/feed_link")
    tag = (
        f'<link rel="alternate" type="{MEDIA_TYPE}" href="{html.escape(href)}" '
        f'title="{html.escape(title)}">'
    )
    head_end = output.find("</head>")
    if head_end < 0:
        return output
    return output[:head_end] + tag + "\n" + output[head_end:]

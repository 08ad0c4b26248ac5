"""The tracker page: every recommendation with its current status, since when, and who should
act, grouped by status and by actor. Plain tables, readable without JavaScript; the optional
filter (`FILTER_SCRIPT`, a file under the site: no inline script) only hides rows.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial

from ..model import Briefing, Recommendation
from .pages import Page, rec_page
from .resolve import Resolver
from .text import attr, long_date, md_escape
from .timeline import STATUSES, label, slug, status_badge, status_word
from .urls import href, site_href

TRACKER = "tracker.md"
FEED = "downloads/feed.atom"  # relative to the site's root
SCRIPT = "assets/javascripts/tracker.js"  # relative to the site's root


def page(briefing: Briefing, feed: bool = True) -> Page:
    """The tracker as a generated page, edited through data/recommendations.yml; `feed`: the
    build writes the feed (the MkDocs build, not the plain export), so the page links it."""
    return Page(
        TRACKER,
        label("tracker/title"),
        "data/recommendations.yml",
        partial(render, briefing, feed=feed),
    )


def with_tracker(pages: Sequence[Page], briefing: Briefing, feed: bool = True) -> list[Page]:
    """`pages` with the tracker right after the last recommendation's page."""
    result = list(pages)
    if not briefing.recommendations:
        return result
    last = max(i for i, p in enumerate(result) if p.src.startswith("recommendations/"))
    result.insert(last + 1, page(briefing, feed))
    return result


def _row(rec: Recommendation, src: str, directory_urls: bool) -> str:
    link = html.escape(href(src, rec_page(rec), "", directory_urls))
    title = html.escape(f"{rec.number}. {rec.title}")
    since = (
        f'<time datetime="{attr(rec.status_date)}">{html.escape(long_date(rec.status_date))}</time>'
        if rec.status_date
        else html.escape(label("tracker/unknown_date"))
    )
    actors = "<br>".join(html.escape(a) for a in rec.actors) or html.escape(
        label("tracker/no_actor")
    )
    return (
        f'<tr class="tracker-row status-row-{attr(rec.status)}">'
        f'<th scope="row"><a href="{link}">{title}</a></th>'
        f"<td>{status_badge(rec.status)}</td><td>{since}</td><td>{actors}</td></tr>"
    )


def _table(recs: Sequence[Recommendation], src: str, caption: str, directory_urls: bool) -> str:
    columns = ("recommendation", "status", "since", "actors")
    head = "".join(
        f'<th scope="col">{html.escape(label(f"tracker/column_{c}"))}</th>' for c in columns
    )
    rows = "".join(_row(r, src, directory_urls) for r in recs)
    return (
        f'<table class="data-table tracker-table"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def render(briefing: Briefing, resolver: Resolver, feed: bool = True) -> str:
    """The tracker page's Markdown. Its tables are raw HTML, which MkDocs leaves alone: their
    links are the built pages' relative addresses."""
    src = TRACKER
    recs = briefing.recommendations
    lines = [f"# {md_escape(label('tracker/title'))}", ""]
    lines += [md_escape(label("tracker/intro")), ""]
    if feed:
        link = site_href(src, FEED, resolver.directory_urls)
        lines += [
            f'<p class="tracker-feed">{html.escape(label("tracker/feed"))} '
            f'<a href="{attr(link)}" type="application/atom+xml">'
            f"{html.escape(label('tracker/feed_link'))}</a></p>",
            "",
        ]
    lines += [f"## {md_escape(label('tracker/by_status'))} {{#by-status}}", ""]
    for status in STATUSES:
        group = [r for r in recs if r.status == status]
        word = status_word(status)
        lines += [f"### {md_escape(word)} ({len(group)}) {{#status-{status}}}", ""]
        if group:
            caption = label("tracker/caption_status", status=word)
            lines += [_table(group, src, caption, resolver.directory_urls), ""]
        else:
            lines += [md_escape(label("tracker/none")), ""]
    lines += [f"## {md_escape(label('tracker/by_actor'))} {{#by-actor}}", ""]
    actors = list(dict.fromkeys(a for r in recs for a in r.actors))
    groups: list[tuple[str, list[Recommendation]]] = [
        (a, [r for r in recs if a in r.actors]) for a in actors
    ]
    nobody = [r for r in recs if not r.actors]
    if nobody:
        groups.append((label("tracker/no_actor"), nobody))
    seen: set[str] = set()
    for actor, group in groups:
        anchor = f"actor-{slug(actor)}"
        while anchor in seen:
            anchor += "-2"
        seen.add(anchor)
        lines += [f"### {md_escape(actor)} ({len(group)}) {{#{anchor}}}", ""]
        lines += [
            _table(
                group, src, label("tracker/caption_actor", actor=actor), resolver.directory_urls
            ),
            "",
        ]
    return "\n".join(lines)

"""What became of a recommendation: its status changes and responses in one dated timeline,
and the counts per status.

Every word comes from the briefing's `Labels` (`timeline/...`, `counts/...`, `statuses/...` in
schemas/labels.schema.json) and every date from its `Formats`, both given by the caller. The
anchors of the timeline's entries are computed once, here: the pages and the feed link them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..labels import Labels
from ..model import Markdown, Recommendation, Response, StatusChange
from .formats import Formats
from .text import Anchors, attr, md_escape, md_words

STATUSES = ("proposed", "accepted", "in-progress", "implemented", "declined")


FEEDS = "feeds"  # one Atom feed per recommendation, FEEDS/<slug>.atom, from the site's root


def rec_feed(rec: Recommendation) -> str:
    """The site-relative path of one recommendation's feed (written by feed.py)."""
    return f"{FEEDS}/{rec.slug}.atom"


def status_name(labels: Labels, status: str) -> str:
    """A status in the briefing's words (`statuses/...`); a status the labels do not name
    (the schema of recommendations.yml allows none) as written."""
    name = f"statuses/{status}"
    return labels(name) if labels.has(name) else status


def slug(text: str) -> str:
    """An anchor-safe form of a name: 'City Parks Department' -> 'city-parks-department'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


@dataclass(frozen=True)
class Event:
    """One entry of a timeline: a status change or a response, with its stable anchor."""

    date: str
    anchor: str
    change: StatusChange | None = None
    response: Response | None = None

    @property
    def actor(self) -> str | None:
        return self.change.actor if self.change else self.response.actor if self.response else None


def _day(value: str) -> tuple[int, ...]:
    parts = [int(p) for p in value.split("-") if p.isdigit()]
    return tuple(parts + [0] * (3 - len(parts)))


def events(rec: Recommendation) -> list[Event]:
    """Status changes and responses by date (a change before a response of the same day),
    each with an anchor made from its date and status or actor: editing another entry never
    changes it."""
    found: list[tuple[tuple[int, ...], int, int, Event]] = []
    unique = Anchors().unique
    for n, change in enumerate(rec.history):
        anchor = unique(f"status-{change.date}-{change.status}")
        found.append((_day(change.date), 0, n, Event(change.date, anchor, change=change)))
    for n, response in enumerate(rec.responses):
        anchor = unique(f"response-{response.date}-{slug(response.actor)}")
        found.append((_day(response.date), 1, n, Event(response.date, anchor, response=response)))
    return [event for *_, event in sorted(found, key=lambda f: f[:3])]


def time_tag(value: str, formats: Formats) -> str:
    """A data date in the briefing's words, machine-readable in `datetime`."""
    return f'<time datetime="{attr(value)}">{html.escape(formats.date(value))}</time>'


def status_badge(status: str, labels: Labels) -> str:
    """The status in words (a class lets the theme colour it; the words say it)."""
    word = html.escape(status_name(labels, status))
    return f'<strong class="status status-{attr(status)}">{word}</strong>'


def status_line(rec: Recommendation, labels: Labels, formats: Formats) -> str:
    """'Status as of 20 April 2026: Implemented' (or 'Status: Proposed' without a history)."""
    when = rec.status_date
    lead = (
        labels("timeline/status_as_of", html.escape, date=time_tag(when, formats))
        if when
        else labels("timeline/status_undated", html.escape)
    )
    return f'<p class="status-as-of">{lead} {status_badge(rec.status, labels)}</p>'


Render = Callable[[Markdown | None], str]


def texts(rec: Recommendation) -> list[Markdown]:
    """The Markdown fields `timeline` renders, in its order: what the numbering reads."""
    found: list[Markdown | None] = []
    for event in events(rec):
        if event.change is not None:
            found += [event.change.summary, event.change.source]
        elif event.response is not None:
            found += [event.response.text, event.response.source]
    return [text for text in found if text is not None]


def timeline(
    rec: Recommendation,
    render: Render,
    labels: Labels,
    formats: Formats,
    feed: str | None = None,
    heading_level: int = 2,
) -> list[str]:
    """The timeline section of a recommendation's page, as Markdown lines, in the briefing's
    words (`labels`) and dates (`formats`).

    `render` turns a Markdown field into resolved Markdown (citations and cross-references
    linked), so a summary may cite like any other field. `feed`: the link to the
    recommendation's own feed, where the build writes it.
    """

    def words(name: str, **values: object) -> str:
        return labels(name, html.escape, **values)

    hashes = "#" * heading_level
    heading = labels("timeline/heading", md_words)
    lines = [f"{hashes} {heading} {{#timeline}}", "", status_line(rec, labels, formats), ""]
    if feed is not None:
        lines += [
            f'<p class="timeline-feed">{words("timeline/follow")} '
            f'<a href="{attr(feed)}">{words("timeline/feed")}</a></p>',
            "",
        ]
    shown = events(rec)
    if not shown:
        return [*lines, f"<p>{words('timeline/none')}</p>", ""]
    # A list for screen readers (role), of blocks that hold Markdown (md_in_html: an <li>'s
    # content would be read as a single line).
    name = attr(labels("timeline/label"))
    lines += [f'<div class="timeline" role="list" aria-label="{name}" markdown>', ""]
    for event in shown:
        kind = "status" if event.change else "response"
        lines += [
            f'<div class="timeline-entry timeline-{kind}" role="listitem" '
            f'id="{attr(event.anchor)}" markdown>',
            "",
        ]
        if event.change is not None:
            head = words("timeline/changed", status=status_badge(event.change.status, labels))
            body, source = event.change.summary, event.change.source
        else:
            assert event.response is not None
            head = words("timeline/response", actor=html.escape(event.response.actor))
            body, source = event.response.text, event.response.source
        by = ""
        if event.change is not None and event.change.actor:
            by = " " + words("timeline/by", actor=html.escape(event.change.actor))
        lines += [f'<p class="timeline-head">{time_tag(event.date, formats)} · {head}{by}</p>', ""]
        if body is not None:
            lines += [render(body), ""]
        if source is not None:
            # A Markdown paragraph (a link in it is rendered), classed with attr_list.
            lines += [
                labels("source", md_words, source=render(source)),
                "{: .timeline-source }",
                "",
            ]
        lines += ["</div>", ""]
    lines += ["</div>", ""]
    return lines


def counts(recs: Sequence[Recommendation]) -> dict[str, int]:
    """How many recommendations have each status, in the order of the statuses."""
    tally = dict.fromkeys(STATUSES, 0)
    for rec in recs:
        tally[rec.status] += 1  # one of STATUSES: the schema allows no other
    return tally


def counts_section(
    recs: Sequence[Recommendation], tracker_link: str, labels: Labels, formats: Formats
) -> list[str]:
    """The home page's counts per status, each linking its group on the tracker page
    (`tracker_link`: the tracker's Markdown path relative to the page, which MkDocs checks)."""
    if not recs:
        return []
    items = [
        "- ["
        + labels(
            "counts/item",
            md_words,
            status=md_escape(status_name(labels, status)),
            count=md_escape(formats.number(n)),
        )
        + f"]({tracker_link}#status-{status})"
        for status, n in counts(recs).items()
    ]
    return [
        f"## {labels('counts/heading', md_words)}",
        "",
        '<div class="status-counts" markdown>',
        "",
        *items,
        "",
        "</div>",
        "",
        f"[{labels('counts/tracker', md_words)}]({tracker_link})",
        "",
    ]

"""What became of a recommendation: its status changes and responses in one dated timeline,
and the counts per status.

Every reader-facing word here is in `LABELS` (a label name -> its English text, `{name}`
placeholders filled in by the renderer), ready to be folded into the site's labels. The
anchors of the timeline's entries are computed once, here: the pages and the feed link them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..model import Markdown, Recommendation, Response, StatusChange
from .text import attr, long_date, md_escape

STATUSES = ("proposed", "accepted", "in-progress", "implemented", "declined")

LABELS: Mapping[str, str] = {
    "statuses/proposed": "Proposed",
    "statuses/accepted": "Accepted",
    "statuses/in-progress": "In progress",
    "statuses/implemented": "Implemented",
    "statuses/declined": "Declined",
    "timeline/heading": "What became of it",
    "timeline/status_as_of": "Status as of {date}:",
    "timeline/status_undated": "Status:",
    "timeline/changed": "Status: {status}",
    "timeline/by": "by {actor}",
    "timeline/response": "Response from {actor}",
    "timeline/source": "Source:",
    "timeline/none": "No status change or response has been recorded yet.",
    "timeline/label": "Status changes and responses, oldest first",
    "timeline/follow": "Follow this recommendation:",
    "timeline/feed": "Atom feed",
    "counts/heading": "Where the recommendations stand",
    "counts/item": "{status}: {count}",
    "counts/tracker": "Follow each one in the tracker",
    "tracker/title": "Tracker",
    "tracker/intro": "What became of each recommendation: its current status, when that status "
    "was reached, and who should act.",
    "tracker/feed": "New status changes and responses are also in the feed:",
    "tracker/feed_link": "Atom feed",
    "tracker/by_status": "By status",
    "tracker/by_actor": "By who should act",
    "tracker/no_actor": "No one named",
    "tracker/none": "No recommendation has this status.",
    "tracker/column_recommendation": "Recommendation",
    "tracker/column_status": "Status",
    "tracker/column_since": "Since",
    "tracker/column_actors": "Who should act",
    "tracker/unknown_date": "not recorded",
    "tracker/filter": "Show only",
    "tracker/filter_all": "All statuses",
    "tracker/filter_result": "{shown} of {all} recommendations shown.",
    "tracker/caption_status": "Recommendations with the status {status}",
    "tracker/caption_actor": "Recommendations {actor} should act on",
    "cite/heading": "Cite this recommendation",
    "cite/permanent": "Permanent address:",
    "cite/bibtex": "BibTeX",
    "cite/csl": "CSL-JSON",
    "cite/download": "Download the citation:",
    "feed/title": "{title}: what became of the recommendations",
    "feed/rec_title": "Recommendation {number}: {title}: what became of it",
    "feed/status_entry": "Recommendation {number}: {status}",
    "feed/response_entry": "Recommendation {number}: response from {actor}",
    "feed/status_summary": "{title}: status {status} since {date}.",
}


FEEDS = "feeds"  # one Atom feed per recommendation, FEEDS/<slug>.atom, from the site's root


def rec_feed(rec: Recommendation) -> str:
    """The site-relative path of one recommendation's feed (written by feed.py)."""
    return f"{FEEDS}/{rec.slug}.atom"


def label(name: str, **values: str) -> str:
    """The English text of a label with its placeholders filled in (values as given)."""
    text = LABELS[name]
    return text.format(**values) if values else text


def status_word(status: str) -> str:
    return LABELS.get(f"statuses/{status}", status)


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
    used: dict[str, int] = {}

    def unique(anchor: str) -> str:
        used[anchor] = used.get(anchor, 0) + 1
        return anchor if used[anchor] == 1 else f"{anchor}-{used[anchor]}"

    for n, change in enumerate(rec.history):
        anchor = unique(f"status-{change.date}-{change.status}")
        found.append((_day(change.date), 0, n, Event(change.date, anchor, change=change)))
    for n, response in enumerate(rec.responses):
        anchor = unique(f"response-{response.date}-{slug(response.actor)}")
        found.append((_day(response.date), 1, n, Event(response.date, anchor, response=response)))
    return [event for *_, event in sorted(found, key=lambda f: f[:3])]


def _time(value: str) -> str:
    return f'<time datetime="{attr(value)}">{html.escape(long_date(value))}</time>'


def status_badge(status: str) -> str:
    """The status in words (a class lets the theme colour it; the words say it)."""
    return (
        f'<strong class="status status-{attr(status)}">{html.escape(status_word(status))}</strong>'
    )


def status_line(rec: Recommendation) -> str:
    """'Status as of 20 April 2026: Implemented' (or 'Status: Proposed' without a history)."""
    when = rec.status_date
    lead = (
        label("timeline/status_as_of", date=_time(when))
        if when
        else label("timeline/status_undated")
    )
    return f'<p class="status-as-of">{lead} {status_badge(rec.status)}</p>'


Render = Callable[[Markdown | None], str]


def timeline(
    rec: Recommendation, render: Render, feed: str | None = None, heading_level: int = 2
) -> list[str]:
    """The timeline section of a recommendation's page, as Markdown lines.

    `render` turns a Markdown field into resolved Markdown (citations and cross-references
    linked), so a summary may cite like any other field. `feed`: the link to the
    recommendation's own feed, where the build writes it.
    """
    hashes = "#" * heading_level
    lines = [f"{hashes} {label('timeline/heading')} {{#timeline}}", "", status_line(rec), ""]
    if feed is not None:
        lines += [
            f'<p class="timeline-feed">{html.escape(label("timeline/follow"))} '
            f'<a href="{attr(feed)}">'
            f"{html.escape(label('timeline/feed'))}</a></p>",
            "",
        ]
    shown = events(rec)
    if not shown:
        return [*lines, f"<p>{html.escape(label('timeline/none'))}</p>", ""]
    # A list for screen readers (role), of blocks that hold Markdown (md_in_html: an <li>'s
    # content would be read as a single line).
    lines += [
        f'<div class="timeline" role="list" aria-label="{attr(label("timeline/label"))}" markdown>',
        "",
    ]
    for event in shown:
        kind = "status" if event.change else "response"
        lines += [
            f'<div class="timeline-entry timeline-{kind}" role="listitem" '
            f'id="{attr(event.anchor)}" markdown>',
            "",
        ]
        if event.change is not None:
            head = label("timeline/changed", status=status_badge(event.change.status))
            body, source = event.change.summary, event.change.source
        else:
            assert event.response is not None
            head = html.escape(label("timeline/response", actor=event.response.actor))
            body, source = event.response.text, event.response.source
        by = ""
        if event.change is not None and event.change.actor:
            by = " " + html.escape(label("timeline/by", actor=event.change.actor))
        lines += [f'<p class="timeline-head">{_time(event.date)} · {head}{by}</p>', ""]
        if body is not None:
            lines += [render(body), ""]
        if source is not None:
            # A Markdown paragraph (a link in it is rendered), classed with attr_list.
            lines += [
                f"{md_escape(label('timeline/source'))} {render(source)}",
                "{: .timeline-source }",
                "",
            ]
        lines += ["</div>", ""]
    lines += ["</div>", ""]
    return lines


def counts(recs: Sequence[Recommendation]) -> dict[str, int]:
    """How many recommendations have each status, in the order of the statuses."""
    tally = {s: 0 for s in STATUSES}
    for rec in recs:
        tally[rec.status] = tally.get(rec.status, 0) + 1
    return tally


def counts_section(recs: Sequence[Recommendation], tracker_link: str) -> list[str]:
    """The home page's counts per status, each linking its group on the tracker page
    (`tracker_link`: the tracker's Markdown path relative to the page, which MkDocs checks)."""
    if not recs:
        return []
    items = [
        f"- [{md_escape(label('counts/item', status=status_word(status), count=str(n)))}]"
        f"({tracker_link}#status-{status})"
        for status, n in counts(recs).items()
    ]
    return [
        f"## {label('counts/heading')}",
        "",
        '<div class="status-counts" markdown>',
        "",
        *items,
        "",
        "</div>",
        "",
        f"[{md_escape(label('counts/tracker'))}]({tracker_link})",
        "",
    ]

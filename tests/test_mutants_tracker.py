"""The timeline and the tracker page: what `make mutate` (stage rendering) found no engine-only
test checking. Each test calls the engine's functions on recommendations made here, without a
build: the order and anchors of a timeline's entries, the tracker's groups, rows and place
among the pages, and its filter's script tag.
"""

from __future__ import annotations

from dataclasses import replace

from briefing.labels import Labels
from briefing.model import Briefing, Markdown, Recommendation, Response, Span, StatusChange
from briefing.render import tracker
from briefing.render.formats import Formats
from briefing.render.pages import Page
from briefing.render.resolve import PageLinks, Resolver
from briefing.render.timeline import events, slug, status_badge, status_line, status_name
from test_mutants_render import mini_briefing

SPAN = Span("data/recommendations.yml", 1, 1)


def _change(day: str, status: str) -> StatusChange:
    return StatusChange(day, status, None, None, None, SPAN)


def _response(day: str, actor: str) -> Response:
    return Response(day, actor, Markdown("Noted.", SPAN), None, SPAN)


def _rec(
    number: int,
    actors: tuple[str, ...] = (),
    history: tuple[StatusChange, ...] = (),
    responses: tuple[Response, ...] = (),
) -> Recommendation:
    status = history[-1].status if history else "proposed"
    text = Markdown("Do it.", SPAN)
    return Recommendation(
        id=f"rec-r{number}",
        number=number,
        title=f"Rec {number}",
        text=text,
        rationale=None,
        addresses=(),
        actors=actors,
        status=status,
        responses=responses,
        note=None,
        span=SPAN,
        history=history,
    )


def _briefing(recs: tuple[Recommendation, ...], labels: Labels | None = None) -> Briefing:
    return replace(mini_briefing(), recommendations=recs, labels=labels or Labels())


def _links() -> PageLinks:
    return Resolver({}).page(tracker.TRACKER)


# --- a timeline's entries: their order and their anchors -----------------------------------


def _anchors(rec: Recommendation) -> list[str]:
    return [event.anchor for event in events(rec)]


def test_a_month_alone_comes_before_any_day_of_that_month() -> None:
    """A response dated 2025-06 is shown before a change on 2025-06-01, though a change comes
    first on the same day."""
    history = (_change("2025-06-01", "accepted"),)
    rec = _rec(1, history=history, responses=(_response("2025-06", "City Council"),))
    assert _anchors(rec) == ["response-2025-06-city-council", "status-2025-06-01-accepted"]


def test_a_change_comes_before_a_response_of_its_day_whatever_their_positions() -> None:
    """The second change (position 1) still comes before the first response (position 0)."""
    history = (_change("2025-06-01", "proposed"), _change("2025-07-01", "accepted"))
    rec = _rec(1, history=history, responses=(_response("2025-07-01", "City Council"),))
    assert _anchors(rec) == [
        "status-2025-06-01-proposed",
        "status-2025-07-01-accepted",
        "response-2025-07-01-city-council",
    ]


def test_entries_with_the_same_anchor_are_numbered_from_the_second() -> None:
    """Responses of one day from actors whose names slug alike: -2, -3; another day's anchor
    has its own count."""
    responses = (
        _response("2025-07-01", "City Council"),
        _response("2025-07-01", "city council!"),
        _response("2025-07-01", "City  Council"),
        _response("2025-07-02", "City Council"),
    )
    assert _anchors(_rec(1, responses=responses)) == [
        "response-2025-07-01-city-council",
        "response-2025-07-01-city-council-2",
        "response-2025-07-01-city-council-3",
        "response-2025-07-02-city-council",
    ]


def test_a_slug_has_no_dash_at_either_end_and_is_x_when_nothing_is_left() -> None:
    assert slug(" City Parks Department! ") == "city-parks-department"
    assert slug("—?!") == "x"
    assert _anchors(_rec(1, responses=(_response("2025-07-01", "—"),))) == ["response-2025-07-01-x"]


def test_an_undated_status_line_escapes_the_briefings_words() -> None:
    labels = Labels({"timeline/status_undated": "Status <now> & then:"})
    assert status_line(_rec(1), labels, Formats(labels=labels)) == (
        '<p class="status-as-of">Status &lt;now&gt; &amp; then: '
        '<strong class="status status-proposed">Proposed</strong></p>'
    )


def test_a_status_the_labels_do_not_name_is_shown_as_written() -> None:
    assert status_name(Labels(), "withdrawn") == "withdrawn"
    assert status_badge("withdrawn", Labels()) == (
        '<strong class="status status-withdrawn">withdrawn</strong>'
    )


# --- the tracker page: its groups by actor and its rows --------------------------------------

HEAD_ROW = (
    '<thead><tr><th scope="col">Recommendation</th><th scope="col">Status</th>'
    '<th scope="col">Since</th><th scope="col">Who should act</th></tr></thead>'
)


def _by_actor(briefing: Briefing) -> list[str]:
    """The lines of the tracker's section by actor, blank ones left out."""
    page = tracker.render(briefing, _links(), Formats(labels=briefing.labels), feed=False)
    _, _, section = page.partition("{#by-actor}\n")
    return [line for line in section.splitlines() if line]


def test_recommendations_without_actors_are_grouped_under_the_no_one_label() -> None:
    """The group's heading in Markdown, its caption and row cells in HTML, each escaped; an
    undated status says so in the briefing's words."""
    labels = Labels({"tracker/no_actor": "*Nobody* <yet>", "tracker/unknown_date": "not <set>"})
    recs = (_rec(1, ("City Council",), (_change("2025-07-01", "accepted"),)), _rec(2))
    lines = _by_actor(_briefing(recs, labels))
    assert lines[0] == "### City Council (1) {#actor-city-council}"
    assert lines[2:] == [
        r"### \*Nobody\* &lt;yet\> (1) {#actor-nobody-yet}",
        '<table class="data-table tracker-table"><caption>Recommendations *Nobody* &lt;yet&gt; '
        f"should act on</caption>{HEAD_ROW}<tbody>"
        '<tr class="tracker-row status-row-proposed"><th scope="row">'
        '<a href="recommendations/r2.md">2. Rec 2</a></th>'
        '<td><strong class="status status-proposed">Proposed</strong></td>'
        '<td><span class="cell-label">Since: </span>not &lt;set&gt;</td>'
        '<td><span class="cell-label">Who should act: </span>*Nobody* &lt;yet&gt;</td>'
        "</tr></tbody></table>",
    ]


def test_actors_whose_anchors_collide_each_get_their_own() -> None:
    """Three names, one slug: the second actor's anchor ends in -2, the third's in -3."""
    recs = (
        _rec(1, ("City Council",)),
        _rec(2, ("City council", "Residents")),
        _rec(3, ("CITY COUNCIL",)),
    )
    headings = [line for line in _by_actor(_briefing(recs)) if line.startswith("###")]
    assert headings == [
        "### City Council (1) {#actor-city-council}",
        "### City council (1) {#actor-city-council-2}",
        "### Residents (1) {#actor-residents}",
        "### CITY COUNCIL (1) {#actor-city-council-3}",
    ]


# --- the tracker among the pages, and its feed link by default --------------------------------

FEED_LINE = (
    '<p class="tracker-feed">New status changes and responses are also in the feed: '
    '<a href="feed.atom">Atom feed</a></p>'
)


def _page(src: str) -> Page:
    return Page(src, src, "", lambda links: "")


def test_the_tracker_goes_right_after_the_last_recommendations_page() -> None:
    briefing = _briefing((_rec(1),))
    srcs = ["index.md", "recommendations/a.md", "recommendations/b.md", "references.md", "x.md"]
    pages = tracker.with_tracker([_page(s) for s in srcs], briefing, Formats(), feed=False)
    assert [p.src for p in pages] == [
        "index.md",
        "recommendations/a.md",
        "recommendations/b.md",
        "tracker.md",
        "references.md",
        "x.md",
    ]


def test_the_tracker_links_the_feed_unless_told_there_is_none() -> None:
    """`feed` is True by default in `render`, `page` and `with_tracker`."""
    briefing = _briefing((_rec(1),), Labels({"tracker/title": "Suivi <des> recommandations"}))
    formats = Formats(labels=briefing.labels)
    assert FEED_LINE in tracker.render(briefing, _links(), formats).splitlines()
    assert FEED_LINE not in tracker.render(briefing, _links(), formats, feed=False).splitlines()
    page = tracker.page(briefing, formats)
    assert (page.src, page.title, page.edit) == (
        "tracker.md",
        "Suivi <des> recommandations",
        "data/recommendations.yml",
    )
    assert FEED_LINE in page.render(_links()).splitlines()
    (added,) = tracker.with_tracker([_page("recommendations/r1.md")], briefing, formats)[1:]
    assert FEED_LINE in added.render(_links()).splitlines()


# --- the filter's script tag: before the first end of the head --------------------------------

TAG = (
    '<script src="../assets/javascripts/tracker.js" data-filter-label="F" '
    'data-filter-all="All statuses" data-filter-result="{shown} of {all} recommendations '
    'shown." data-filter-statuses="[[&quot;proposed&quot;, &quot;Proposed&quot;], '
    "[&quot;accepted&quot;, &quot;Accepted&quot;], [&quot;in-progress&quot;, "
    "&quot;In progress&quot;], [&quot;implemented&quot;, &quot;Implemented&quot;], "
    '[&quot;declined&quot;, &quot;Declined&quot;]]" defer></script>\n'
)


def test_the_script_tag_goes_before_a_head_end_at_the_very_start() -> None:
    labels = Labels({"tracker/filter": "F"})
    shown = tracker.script_tag("</head><body></body>", tracker.TRACKER, labels)
    assert shown == TAG + "</head><body></body>"


def test_the_script_tag_goes_before_the_first_head_end_not_one_in_the_body() -> None:
    labels = Labels({"tracker/filter": "F"})
    output = "<head><title>T</title></head><body><!-- </head> --></body>"
    assert tracker.script_tag(output, tracker.TRACKER, labels) == (
        f"<head><title>T</title>{TAG}</head><body><!-- </head> --></body>"
    )

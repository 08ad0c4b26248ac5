"""The tracker page: every recommendation with its current status, since when, and who should
act, grouped by status and by actor. Plain tables, readable without JavaScript; the optional
filter (`FILTER_SCRIPT`, a file under the site: no inline script) only hides rows.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from ..model import Briefing, Recommendation
from .pages import Page, rec_page
from .resolve import Resolver
from .text import attr, long_date, md_escape
from .timeline import STATUSES, label, slug, status_badge, status_word
from .urls import href, site_href

TRACKER = "tracker.md"
# The feed sits at the site's root: Material fetches `sitemap.xml` beside every
# `<link rel="alternate">` of a page's head, which must find the site's own.
FEED = "feed.atom"  # relative to the site's root
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

    # Each cell's column name, shown only where the table is stacked (a phone's width).
    def named(column: str) -> str:
        return f'<span class="cell-label">{html.escape(label(f"tracker/column_{column}"))}: </span>'

    return (
        f'<tr class="tracker-row status-row-{attr(rec.status)}">'
        f'<th scope="row"><a href="{link}">{title}</a></th>'
        f"<td>{status_badge(rec.status)}</td><td>{named('since')}{since}</td>"
        f"<td>{named('actors')}{actors}</td></tr>"
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
            f'<a href="{attr(link)}">'
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


# The optional filter: a file of the site (a Content-Security-Policy allowing only the site's
# own scripts lets it run), loaded by the tracker page alone. Without it the page is whole.
_SCRIPT = """// Made by hooks/briefing/render/tracker.py: the tracker's optional filter by status.
(function () {
  "use strict";
  var words = WORDS;
  function groups() {
    return Array.prototype.filter.call(
      document.querySelectorAll(".md-content h3[id^='status-'], .md-content h3[id^='actor-']"),
      function (h) { return h.nextElementSibling; });
  }
  function apply(select, result) {
    var wanted = select.value, shown = 0, all = 0;
    groups().forEach(function (heading) {
      var block = heading.nextElementSibling, rows = block.querySelectorAll("tr.tracker-row");
      var visible = 0;
      rows.forEach(function (row) {
        var hit = !wanted || row.classList.contains("status-row-" + wanted);
        row.hidden = !hit;
        if (hit) { visible += 1; }
      });
      var keep = wanted ? visible > 0 : true;
      heading.hidden = !keep;
      block.hidden = !keep;
      if (heading.id.indexOf("status-") === 0) { shown += visible; all += rows.length; }
    });
    result.textContent = wanted ? words.result.replace("{shown}", shown).replace("{all}", all) : "";
  }
  function setUp() {
    var heading = document.getElementById("by-status");
    if (!heading || document.getElementById("tracker-filter")) { return; }
    var select = document.createElement("select");
    select.id = "tracker-filter";
    select.add(new Option(words.all, ""));
    words.statuses.forEach(function (s) { select.add(new Option(s[1], s[0])); });
    var label = document.createElement("label");
    label.htmlFor = "tracker-filter";
    label.textContent = words.label + " ";
    var form = document.createElement("p");
    form.className = "tracker-filter";
    form.appendChild(label);
    form.appendChild(select);
    var result = document.createElement("p");
    result.className = "tracker-filter-result";
    result.setAttribute("role", "status");
    heading.parentNode.insertBefore(form, heading);
    heading.parentNode.insertBefore(result, heading);
    select.addEventListener("change", function () { apply(select, result); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
"""


def script() -> str:
    """The filter's JavaScript, its words from the labels."""
    words = {
        "label": label("tracker/filter"),
        "all": label("tracker/filter_all"),
        "result": label("tracker/filter_result"),
        "statuses": [[s, status_word(s)] for s in STATUSES],
    }
    return _SCRIPT.replace("WORDS", json.dumps(words, ensure_ascii=False))


def write_script(site_dir: Path) -> Path:
    """Write the filter's script under the built site."""
    path = site_dir / SCRIPT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script(), encoding="utf-8")
    return path


def script_tag(output: str, src: str, directory_urls: bool = True) -> str:
    """The tracker page's built HTML with its filter's script in the head (deferred, from a
    file: no inline script); any other page as it is."""
    head_end = output.find("</head>")
    if src != TRACKER or head_end < 0:
        return output
    tag = f'<script src="{html.escape(site_href(src, SCRIPT, directory_urls))}" defer></script>'
    return output[:head_end] + tag + "\n" + output[head_end:]

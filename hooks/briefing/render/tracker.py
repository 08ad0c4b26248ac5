"""The tracker page: every recommendation with its current status, since when, and who should
act, grouped by status and by actor. Plain tables, readable without JavaScript; the optional
filter (`SCRIPT`, a file under the site: no inline script) only hides rows. Every word is
the briefing's (`tracker/...`, `statuses/...` labels) and every date its `Formats`'; the
filter's words are written into the page (its script tag's data attributes), never into the
script.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from ..labels import Labels
from ..model import Briefing, Recommendation
from .formats import Formats
from .pages import Page, rec_page
from .resolve import PageLinks
from .text import Anchors, attr, file_link, md_escape, md_link, md_words
from .timeline import STATUSES, slug, status_badge, status_name, time_tag
from .urls import site_href

TRACKER = "tracker.md"
# The feed sits at the site's root: Material fetches `sitemap.xml` beside every
# `<link rel="alternate">` of a page's head, which must find the site's own.
FEED = "feed.atom"  # relative to the site's root
SCRIPT = "assets/javascripts/tracker.js"  # relative to the site's root


def page(briefing: Briefing, formats: Formats, feed: bool = True) -> Page:
    """The tracker as a generated page, edited through data/recommendations.yml, in the
    briefing's words and dates; `feed`: the build writes the feed (the MkDocs build, not the
    plain export), so the page links it."""
    return Page(
        TRACKER,
        briefing.labels("tracker/title"),
        "data/recommendations.yml",
        partial(render, briefing, formats=formats, feed=feed),
    )


def with_tracker(
    pages: Sequence[Page], briefing: Briefing, formats: Formats, feed: bool = True
) -> list[Page]:
    """`pages` with the tracker right after the last recommendation's page."""
    result = list(pages)
    if not briefing.recommendations:
        return result
    last = max(i for i, p in enumerate(result) if p.src.startswith("recommendations/"))
    result.insert(last + 1, page(briefing, formats, feed))
    return result


def _row(rec: Recommendation, src: str, formats: Formats) -> str:
    labels = formats.labels
    link = html.escape(md_link(src, rec_page(rec)))
    title = html.escape(f"{rec.number}. {rec.title}")
    since = (
        time_tag(rec.status_date, formats)
        if rec.status_date
        else labels("tracker/unknown_date", html.escape)
    )
    actors = "<br>".join(html.escape(a) for a in rec.actors) or labels(
        "tracker/no_actor", html.escape
    )

    # Each cell's column name, shown only where the table is stacked (a phone's width).
    def named(column: str) -> str:
        name = labels(f"tracker/column_{column}", html.escape)
        return f'<span class="cell-label">{name}: </span>'

    return (
        f'<tr class="tracker-row status-row-{attr(rec.status)}">'
        f'<th scope="row"><a href="{link}">{title}</a></th>'
        f"<td>{status_badge(rec.status, labels)}</td><td>{named('since')}{since}</td>"
        f"<td>{named('actors')}{actors}</td></tr>"
    )


def _table(recs: Sequence[Recommendation], src: str, caption: str, formats: Formats) -> str:
    """A table of recommendations (`caption`: HTML, escaped by the caller)."""
    columns = ("recommendation", "status", "since", "actors")
    head = "".join(
        f'<th scope="col">{formats.labels(f"tracker/column_{c}", html.escape)}</th>'
        for c in columns
    )
    rows = "".join(_row(r, src, formats) for r in recs)
    return (
        f'<table class="data-table tracker-table"><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    )


def render(briefing: Briefing, links: PageLinks, formats: Formats, feed: bool = True) -> str:
    """The tracker page's Markdown. Its tables are raw HTML: their links, like every page's,
    are to the pages' sources, which each builder resolves. (`links` goes unused: the tracker
    cites nothing.)"""
    src, labels = TRACKER, briefing.labels
    recs = briefing.recommendations
    lines = [f"# {labels('tracker/title', md_words)}", ""]
    lines += [labels("tracker/intro", md_words), ""]
    if feed:
        link = file_link(src, FEED)
        lines += [
            f'<p class="tracker-feed">{labels("tracker/feed", html.escape)} '
            f'<a href="{attr(link)}">{labels("tracker/feed_link", html.escape)}</a></p>',
            "",
        ]
    lines += [f"## {labels('tracker/by_status', md_words)} {{#by-status}}", ""]
    for status in STATUSES:
        group = [r for r in recs if r.status == status]
        word = status_name(labels, status)
        lines += [f"### {md_escape(word)} ({len(group)}) {{#status-{status}}}", ""]
        if group:
            caption = labels("tracker/caption_status", html.escape, status=html.escape(word))
            lines += [_table(group, src, caption, formats), ""]
        else:
            lines += [labels("tracker/none", md_words), ""]
    lines += [f"## {labels('tracker/by_actor', md_words)} {{#by-actor}}", ""]
    actors = list(dict.fromkeys(a for r in recs for a in r.actors))
    groups: list[tuple[str, str, list[Recommendation]]] = [
        (a, md_escape(a), [r for r in recs if a in r.actors]) for a in actors
    ]
    nobody = [r for r in recs if not r.actors]
    if nobody:
        none = labels("tracker/no_actor")
        groups.append((none, labels("tracker/no_actor", md_words), nobody))
    anchors = Anchors()  # names that slug alike: -2, -3, ...
    for actor, heading, group in groups:
        anchor = anchors.unique(f"actor-{slug(actor)}")
        lines += [f"### {heading} ({len(group)}) {{#{anchor}}}", ""]
        caption = labels("tracker/caption_actor", html.escape, actor=html.escape(actor))
        lines += [_table(group, src, caption, formats), ""]
    return "\n".join(lines)


# The optional filter: a file of the site (a Content-Security-Policy allowing only the site's
# own scripts lets it run), loaded by the tracker page alone. Without it the page is whole.
# Its words are the page's: the data attributes of its own script tag (`script_tag`).
SCRIPT_TEXT = """// Made by hooks/briefing/render/tracker.py: the tracker's optional filter.
// Its words come from the page: the data attributes of the tag that loads this file.
(function () {
  "use strict";
  var tag = document.currentScript;
  if (!tag) { return; }
  var words = {
    label: tag.dataset.filterLabel || "",
    all: tag.dataset.filterAll || "",
    result: tag.dataset.filterResult || "",
    statuses: JSON.parse(tag.dataset.filterStatuses || "[]")
  };
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


def write_script(site_dir: Path) -> Path:
    """Write the filter's script under the built site (the same file for every briefing)."""
    path = site_dir / SCRIPT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(SCRIPT_TEXT, encoding="utf-8")
    return path


def filter_words(labels: Labels) -> dict[str, str]:
    """The filter's words, as the data attributes of its script tag (escaped by the caller)."""
    statuses = [[s, status_name(labels, s)] for s in STATUSES]
    return {
        "data-filter-label": labels("tracker/filter"),
        "data-filter-all": labels("tracker/filter_all"),
        "data-filter-result": labels("tracker/filter_result"),
        "data-filter-statuses": json.dumps(statuses, ensure_ascii=False),
    }


def script_tag(output: str, src: str, labels: Labels, directory_urls: bool = True) -> str:
    """The tracker page's built HTML with its filter's script in the head (deferred, from a
    file: no inline script), the filter's words in the tag; any other page as it is."""
    head_end = output.find("</head>")
    if src != TRACKER or head_end < 0:
        return output
    words = "".join(f' {name}="{attr(value)}"' for name, value in filter_words(labels).items())
    link = attr(site_href(src, SCRIPT, directory_urls))
    tag = f'<script src="{link}"{words} defer></script>'
    return output[:head_end] + tag + "\n" + output[head_end:]

"""The home page: the title, the recommendations at a glance, key figures, the executive
summary, where to read further, the downloads and how to cite the briefing."""

from __future__ import annotations

import html

from ...model import Markdown, Recommendation
from .. import timeline
from ..download_list import FOLDER, Download
from ..resolve import PageLinks
from ..text import attr, file_link, indent, lead, md_escape, md_link, md_words
from .common import Common, present
from .paths import HOME, REFERENCES, SURVEY, THEMES, rec_page


def texts(c: Common) -> tuple[Markdown | str, ...]:
    report = c.b.report
    cards = [lead(rec.text.text)[0] for rec in c.b.recommendations]
    return present(*cards, report.summary, report.note)


def render(c: Common, linker: PageLinks) -> str:
    b, report, src = c.b, c.b.report, HOME
    lines = [f"# {md_escape(report.title)}", ""]
    if report.subtitle:
        lines += [f'<p class="subtitle">{html.escape(report.subtitle)}</p>', ""]
    byline = c.html(
        "published_by",
        publisher=html.escape(report.publisher),
        date=html.escape(c.formats.date(report.date)),
    )
    authors = ", ".join(html.escape(a) for a in report.authors)
    if authors and authors != html.escape(report.publisher):
        byline += ". " + c.html("authors", authors=authors)
    lines += [f'<p class="byline">{byline}.</p>', ""]
    if report.url:
        link = f'<a href="{attr(report.url)}">{c.html("original_report")}</a>'
        lines += [f'<p class="original-report">{link}</p>', ""]
    if b.recommendations:
        lines += [f"## {c.md('recommendations_at_a_glance')}", ""]
        lines += ['<div class="grid cards" markdown>', ""]
        for rec in b.recommendations:
            lines += _card(c, linker, rec, src)
        lines += ["</div>", ""]
        tracker = md_link(src, "tracker.md")
        lines += timeline.counts_section(b.recommendations, tracker, c.labels, c.formats)
    key = [s for s in b.statistics if s.key and not s.is_table]
    if key:
        lines += [f"## {c.md('key_figures')}", ""]
        lines += ['<div class="grid cards key-figures" markdown>', ""]
        for stat in key:
            shown = c.formats.figure(stat.value, stat.unit, stat.qualifier)
            link = md_link(src, SURVEY, stat.id)
            lines += [
                f'-   <span class="key-figure">{md_words(shown)}</span>',
                "",
                f"    [{md_escape(stat.title)}]({link})",
                "",
            ]
        lines += ["</div>", ""]
    if report.summary:  # a report without an executive summary has no such heading
        summary = c.field(linker, report.summary)
        lines += [f"## {c.md('executive_summary')}", "", summary, ""]
    lines += [c.note(linker, report.note)]
    further = [
        (THEMES, "read_further_themes"),
        (SURVEY, "read_further_figures"),
        (REFERENCES, "read_further_references"),
    ]
    lines += [f"## {c.md('read_further')}", ""]
    lines += [
        f"- [{md_escape(c.title(page))}]({md_link(src, page)}): {c.md(about)}"
        for page, about in further
    ]
    lines += [""]
    lines += _downloads(c) + _cite(c)
    return "\n".join(lines)


def _card(c: Common, linker: PageLinks, rec: Recommendation, src: str) -> list[str]:
    """A recommendation's card: its first sentence, marked as an excerpt and linked to
    the whole when the recommendation says more."""
    link = md_link(src, rec_page(rec))
    shown, cut = lead(rec.text.text)
    body = linker.resolve(shown)
    if cut:
        body += (
            f' <span class="excerpt-mark">({c.md("excerpt")})</span>'
            f" [{c.md('read_whole')}]({link}){{ .read-whole }}"
        )
    return [
        f"-   **{c.md('recommendation', number=rec.number)}**",
        "",
        "    ---",
        "",
        f"    [{md_escape(rec.title)}]({link})",
        "",
        indent(body),
        "",
    ]


def _downloads(c: Common) -> list[str]:
    """Links to the files under downloads/ (raw HTML: they are written after the pages, so
    no builder can check a Markdown link to them)."""
    if not c.downloads:
        return []
    items = "".join(
        f'<li><a href="{attr(file_link(HOME, f"{FOLDER}/{d.name}"))}">'
        f"{_download(c, d, 'label')}</a>: {_download(c, d, 'about')}</li>"
        for d in c.downloads
    )
    return [f"## {c.md('downloads_heading')}", "", f'<ul class="downloads">{items}</ul>', ""]


def _download(c: Common, download: Download, part: str) -> str:
    return c.html(f"downloads/{download.name}/{part}")


def _cite(c: Common) -> list[str]:
    """The briefing's own citation, in the site's style and as BibTeX (with a copy button)."""
    if c.citation is None:
        return []
    return [
        f"## {c.md('cite_this_briefing')}",
        "",
        f'<p class="cite-briefing">{c.citation.html}</p>',
        "",
        "```bibtex",
        c.citation.bibtex.rstrip("\n"),
        "```",
        "",
    ]

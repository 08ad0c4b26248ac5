"""The recommendations index and each recommendation's page: as published, why, who
should act, its timeline, how to cite it, the findings it addresses and the works it cites."""

from __future__ import annotations

import html
from functools import partial

from ...model import Markdown, Recommendation
from .. import citing, timeline
from ..resolve import PageLinks
from ..text import attr, file_link, indent, md_escape, md_link
from .common import Common, present
from .paths import RECOMMENDATIONS, REFERENCES, rec_page, theme_page


def texts(c: Common, rec: Recommendation) -> tuple[Markdown | str, ...]:
    src = rec_page(rec)
    findings = [c.findings[f] for f in rec.addresses if f in c.findings]
    texts = [t for f in findings for t in c.finding_texts(f, src)]
    return present(rec.text, rec.rationale, rec.note, *timeline.texts(rec), *texts)


def index(c: Common, linker: PageLinks) -> str:
    src = RECOMMENDATIONS
    title = c.title(RECOMMENDATIONS)
    lines = [f"# {md_escape(title)}", "", c.md("recommendations_intro"), ""]
    for rec in c.b.recommendations:
        status = f"**{md_escape(c.status(rec.status))}**"
        lines += [
            f"## {rec.number}. [{md_escape(rec.title)}]({md_link(src, rec_page(rec))})",
            "",
            c.field(linker, rec.text),
            "",
            c.md("status", status=status),
            "",
        ]
    return "\n".join(lines)


def render(c: Common, linker: PageLinks, rec_id: str) -> str:
    recs = c.b.recommendations
    index = c.rec_index[rec_id]
    rec = recs[index]
    src = rec_page(rec)
    title = c.rec_title(rec)
    lines = [f"# {md_escape(title)} {{#{rec.id}}}", ""]
    status = (
        f'<strong class="status status-{attr(rec.status)}">'
        f"{html.escape(c.status(rec.status))}</strong>"
    )
    of = c.html("recommendation_of", number=rec.number, total=len(recs))
    lines += [f'<p class="kicker">{of} · {c.html("status", status=status)}</p>', ""]
    lines += [f'!!! abstract "{c.admonition_title("as_published")}"', ""]
    lines += [indent(c.field(linker, rec.text)), ""]
    if rec.rationale:
        lines += [f"## {c.md('why')}", "", c.field(linker, rec.rationale), ""]
    if rec.actors:
        lines += [f"## {c.md('who_should_act')}", ""]
        lines += [f"- {md_escape(a)}" for a in rec.actors] + [""]
    lines += [c.note(linker, rec.note)]
    feed = file_link(src, timeline.rec_feed(rec))
    render = partial(c.field, linker)
    feed_link = feed if c.downloads else None
    lines += timeline.timeline(rec, render, c.labels, c.formats, feed_link)
    citation = c.rec_citations.get(rec.id)
    lines += citing.section(rec, citation, src, c.labels)
    findings = [c.findings[f] for f in rec.addresses if f in c.findings]
    if findings:
        lines += [f"## {c.md('findings_addressed')}", ""]
        for finding in findings:
            theme = c.themes.get(finding.theme)
            link = md_link(src, theme_page(finding.theme), finding.id)
            lines += [f"### [{md_escape(finding.title)}]({link})", ""]
            if theme:
                kicker = c.html("theme_kicker", number=theme.number, title=html.escape(theme.title))
                lines += [f'<p class="kicker">{kicker}</p>', ""]
            lines += [c.finding_body(linker, finding, src), ""]
    numbering = linker.resolver.numbering
    cited = numbering.cited_on.get(src, ())
    if cited:
        entries = c.references()
        lines += [f"## {c.md('works_cited')}", "", '<ol class="works-cited">']
        for key in cited:
            link = html.escape(md_link(src, REFERENCES, f"ref-{key}"))
            lines.append(
                f'<li value="{numbering.numbers[key]}">{entries.get(key, html.escape(key))} '
                f'<a href="{link}" class="ref-link">{c.html("in_references")}</a></li>'
            )
        lines += ["</ol>", ""]
    nav = []
    if index > 0:
        prev = recs[index - 1]
        nav.append(f"[← {md_escape(c.rec_title(prev))}]({md_link(src, rec_page(prev))})")
    if index + 1 < len(recs):
        nxt = recs[index + 1]
        nav.append(f"[{md_escape(c.rec_title(nxt))} →]({md_link(src, rec_page(nxt))})")
    if nav:
        pager = f'<nav class="rec-pager" aria-label="{attr(c.labels("pager"))}" markdown>'
        lines += [pager, "", " · ".join(nav), "", "</nav>", ""]
    return "\n".join(lines)

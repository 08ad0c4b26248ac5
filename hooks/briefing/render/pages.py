"""The generated pages: home, survey figures, themes, recommendations, references, glossary.

Each page is Markdown (with HTML where Markdown has no element for it). Plain-text fields are
escaped; Markdown fields go through the resolver, which links citations and cross-references.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial

from ..cite import Citation
from ..downloads import FOLDER, Download
from ..history import Change, History
from ..model import Briefing, Finding, Markdown, Quote, Recommendation, Statistic
from . import charts
from .resolve import Resolver, Target
from .text import (
    attr,
    excerpt,
    figure,
    first_sentence,
    indent,
    long_date,
    md_escape,
    md_link,
    number,
)
from .urls import href

HOME = "index.md"
SURVEY = "survey.md"
THEMES = "themes/index.md"
RECOMMENDATIONS = "recommendations/index.md"
REFERENCES = "references.md"
GLOSSARY = "glossary.md"
CHANGES = "changes.md"
EVIDENCE = ("data/findings.yml", "data/quotes.yml", "data/statistics.yml")
CONTENT_FILES = (
    "data/report.yml",
    "data/glossary.yml",
    "data/themes.yml",
    *EVIDENCE,
    "data/recommendations.yml",
    "references.bib",
)

STATUS = {
    "proposed": "Proposed",
    "accepted": "Accepted",
    "in-progress": "In progress",
    "implemented": "Implemented",
    "declined": "Declined",
}


@dataclass(frozen=True)
class Page:
    """A page made from data: where it goes, its title, the file it comes from, its renderer."""

    src: str
    title: str
    edit: str  # the file an editor changes for this page ('' when there is none)
    render: Callable[[Resolver], str]
    sources: tuple[str, ...] = ()  # every file the page draws on, for its "last updated" date

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f for f in (self.edit, *self.sources) if f)


def theme_page(theme_id: str) -> str:
    return f"themes/{theme_id.removeprefix('theme-')}.md"


def rec_page(rec: Recommendation) -> str:
    return f"recommendations/{rec.slug}.md"


class Pages:
    """Builds every generated page of one briefing."""

    def __init__(
        self,
        briefing: Briefing,
        references: Callable[[], Mapping[str, str]],
        history: History | None = None,
        further_reading: bool = True,
        citation: Citation | None = None,
        downloads: Sequence[Download] = (),
    ) -> None:
        self.b = briefing
        self.citation = citation  # the home page shows how to cite the briefing
        self.downloads = downloads  # and links the files the build writes under downloads/
        self.references = references
        self.history = history or History()
        self.further_reading = further_reading  # list works never cited (not for shared .bib)
        self.themes = {t.id: t for t in briefing.themes}
        self.findings = {f.id: f for f in briefing.findings}
        self.quotes = {q.id: q for q in briefing.quotes}
        self.stats = {s.id: s for s in briefing.statistics}
        self.findings_by_theme: dict[str, list[Finding]] = defaultdict(list)
        for finding in briefing.findings:
            self.findings_by_theme[finding.theme].append(finding)
        self.addressed_by: dict[str, list[Recommendation]] = defaultdict(list)
        for rec in briefing.recommendations:
            for finding_id in rec.addresses:
                self.addressed_by[finding_id].append(rec)
        self.evidence_for: dict[str, list[Finding]] = defaultdict(list)  # stat or quote id
        for finding in briefing.findings:
            for evidence in dict.fromkeys(finding.evidence):
                self.evidence_for[evidence].append(finding)
        self.rec_index = {rec.id: i for i, rec in enumerate(briefing.recommendations)}
        self.quote_home: dict[str, str] = {}
        self.quote_finding: dict[str, str] = {}  # the finding whose evidence carries its id
        for theme in briefing.themes:
            for finding in self.findings_by_theme[theme.id]:
                for evidence in finding.evidence:
                    if evidence in self.quotes:
                        self.quote_home.setdefault(evidence, theme_page(theme.id))
                        self.quote_finding.setdefault(evidence, finding.id)

    # -- where each item lives -------------------------------------------------------------

    def targets(self) -> dict[str, Target]:
        targets: dict[str, Target] = {}
        for theme in self.b.themes:
            targets[theme.id] = Target(
                theme_page(theme.id), theme.id, theme.title, f"Theme {theme.number}"
            )
        for finding in self.b.findings:
            home = self.themes.get(finding.theme)
            where = f"Finding under theme {home.number}: {home.title}" if home else "Finding"
            targets[finding.id] = Target(
                theme_page(finding.theme), finding.id, finding.title, where
            )
        for quote in self.b.quotes:
            targets[quote.id] = Target(
                self.quote_home.get(quote.id, SURVEY),
                quote.id,
                f"“{excerpt(quote.text)}”",
                f"{quote.attribution}: “{excerpt(quote.text, 30)}”",
            )
        for stat in self.b.statistics:
            summary = (
                figure(stat.value, stat.unit, stat.qualifier) if not stat.is_table else "Table"
            )
            targets[stat.id] = Target(SURVEY, stat.id, stat.title, summary)
        for rec in self.b.recommendations:
            targets[rec.id] = Target(
                rec_page(rec), rec.id, f"Recommendation {rec.number}", rec.title
            )
        return targets

    def pages(self) -> list[Page]:
        """Every generated page, in reading order."""
        b = self.b
        pages = [
            Page(
                HOME,
                b.report.title,
                "data/report.yml",
                self.home,
                ("data/recommendations.yml", "data/statistics.yml"),
            ),
            Page(SURVEY, "Survey figures", "data/statistics.yml", self.survey, EVIDENCE),
            Page(THEMES, "Themes", "data/themes.yml", self.themes_index, EVIDENCE[:1]),
        ]
        for theme in b.themes:
            pages.append(
                Page(
                    theme_page(theme.id),
                    theme.title,
                    "data/themes.yml",
                    partial(self.theme, theme_id=theme.id),
                    (*EVIDENCE, "data/recommendations.yml"),
                )
            )
        pages.append(
            Page(RECOMMENDATIONS, "Recommendations", "data/recommendations.yml", self.recs_index)
        )
        for rec in b.recommendations:
            pages.append(
                Page(
                    rec_page(rec),
                    f"Recommendation {rec.number}: {rec.title}",
                    "data/recommendations.yml",
                    partial(self.recommendation, rec_id=rec.id),
                    (*EVIDENCE, "data/themes.yml", "references.bib"),
                )
            )
        pages.append(Page(REFERENCES, "References", "references.bib", self.references_page))
        pages.append(Page(GLOSSARY, "Glossary", "data/glossary.yml", self.glossary))
        pages.append(Page(CHANGES, "What changed", "", self.changes, CONTENT_FILES))
        return pages

    # -- shared pieces ---------------------------------------------------------------------

    @staticmethod
    def _md(resolver: Resolver, text: Markdown | None, src: str, title: str) -> str:
        return resolver.resolve(text, src, title).strip() if text else ""

    def _note(self, resolver: Resolver, note: Markdown | None, src: str, title: str) -> str:
        if note is None:
            return ""
        body = indent(self._md(resolver, note, src, title))
        return f'!!! note "Editor\'s note"\n\n{body}\n'

    def _canonical(self, quote: Quote, src: str, finding: str | None) -> bool:
        # A quote that is evidence for two findings of one theme is shown twice on its page;
        # only the first is where it lives (ids are unique in a page).
        return self.quote_home.get(quote.id, SURVEY) == src and (
            finding is None or self.quote_finding.get(quote.id, finding) == finding
        )

    def _quote(self, quote: Quote, src: str, finding: str | None = None) -> str:
        canonical = self._canonical(quote, src, finding)
        ident = f' id="{attr(quote.id)}"' if canonical else ""
        paragraphs = [p for p in quote.text.split("\n\n") if p.strip()]
        body = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paragraphs)
        # The context is shown where the quote lives; elsewhere its finding says the same.
        context = (
            f'<p class="quote-context">{html.escape(quote.context)}</p>'
            if quote.context and canonical
            else ""
        )
        return (
            f'<figure class="quote"{ident}>{context}<blockquote>{body}</blockquote>'
            f"<figcaption>— {html.escape(quote.attribution)}</figcaption></figure>\n"
        )

    def _quotes(
        self, resolver: Resolver, quotes: list[Quote], src: str, title: str, finding: str | None
    ) -> str:
        """Quotes, each where it lives followed by its editor's note (as its context is)."""
        shown = []
        for quote in quotes:
            shown.append(self._quote(quote, src, finding))
            if quote.note and self._canonical(quote, src, finding):
                shown.append("\n" + self._note(resolver, quote.note, src, title) + "\n")
        return "".join(shown)

    def _stat_line(self, stat: Statistic, src: str) -> str:
        link = md_link(src, SURVEY, stat.id)
        if stat.is_table:
            return f"- [{md_escape(stat.title)}]({link}) (table)"
        shown = figure(stat.value, stat.unit, stat.qualifier)
        return f"- **{md_escape(shown)}**: [{md_escape(stat.title)}]({link})"

    def _evidence(self, resolver: Resolver, finding: Finding, src: str, title: str) -> str:
        quotes = [self.quotes[e] for e in finding.evidence if e in self.quotes]
        stats = [self.stats[e] for e in finding.evidence if e in self.stats]
        out: list[str] = []
        if quotes:
            out.append(self._quotes(resolver, quotes, src, title, finding.id))
        if stats:
            out.append("\n".join(self._stat_line(s, src) for s in stats) + "\n")
        return "\n".join(out)

    def _finding_body(self, resolver: Resolver, finding: Finding, src: str, title: str) -> str:
        parts = [self._md(resolver, finding.statement, src, title)]
        evidence = self._evidence(resolver, finding, src, title)
        if evidence:
            parts.append('<p class="evidence-label">Evidence</p>\n\n' + evidence)
        parts.append(self._note(resolver, finding.note, src, title))
        return "\n\n".join(p for p in parts if p)

    # -- the pages -------------------------------------------------------------------------

    def home(self, resolver: Resolver) -> str:
        b, report, src = self.b, self.b.report, HOME
        lines = [f"# {md_escape(report.title)}", ""]
        if report.subtitle:
            lines += [f'<p class="subtitle">{html.escape(report.subtitle)}</p>', ""]
        byline = f"Published by {html.escape(report.publisher)}, {long_date(report.date)}"
        authors = ", ".join(html.escape(a) for a in report.authors)
        if authors and authors != html.escape(report.publisher):
            byline += f". Authors: {authors}"
        lines += [f'<p class="byline">{byline}.</p>', ""]
        if b.recommendations:
            lines += ["## Recommendations at a glance", "", '<div class="grid cards" markdown>', ""]
            for rec in b.recommendations:
                link = md_link(src, rec_page(rec))
                lines += [
                    f"-   **Recommendation {rec.number}**",
                    "",
                    "    ---",
                    "",
                    f"    [{md_escape(rec.title)}]({link})",
                    "",
                    indent(resolver.resolve(first_sentence(rec.text.text), src, "Home")),
                    "",
                ]
            lines += ["</div>", ""]
        key = [s for s in b.statistics if s.key and not s.is_table]
        if key:
            lines += ["## Key figures", "", '<div class="grid cards key-figures" markdown>', ""]
            for stat in key:
                shown = figure(stat.value, stat.unit, stat.qualifier)
                link = md_link(src, SURVEY, stat.id)
                lines += [
                    f'-   <span class="key-figure">{html.escape(shown)}</span>',
                    "",
                    f"    [{md_escape(stat.title)}]({link})",
                    "",
                ]
            lines += ["</div>", ""]
        lines += ["## Executive summary", "", self._md(resolver, report.summary, src, "Home"), ""]
        lines += [self._note(resolver, report.note, src, "Home")]
        lines += [
            "## Read further",
            "",
            f"- [Themes]({md_link(src, THEMES)}): what the analysis found, with the evidence",
            f"- [Survey figures]({md_link(src, SURVEY)}): every figure and table",
            f"- [References]({md_link(src, REFERENCES)}): every work cited",
            "",
        ]
        lines += self._downloads() + self._cite()
        return "\n".join(lines)

    def _downloads(self) -> list[str]:
        """Links to the files under downloads/ (raw HTML: they are written after the pages)."""
        if not self.downloads:
            return []
        items = "".join(
            f'<li><a href="{FOLDER}/{attr(d.name)}">{html.escape(d.label)}</a>: '
            f"{html.escape(d.about)}</li>"
            for d in self.downloads
        )
        return ["## Downloads", "", f'<ul class="downloads">{items}</ul>', ""]

    def _cite(self) -> list[str]:
        """The briefing's own citation, in the site's style and as BibTeX (with a copy button)."""
        if self.citation is None:
            return []
        return [
            "## Cite this briefing",
            "",
            f'<p class="cite-briefing">{self.citation.html}</p>',
            "",
            "```bibtex",
            self.citation.bibtex.rstrip("\n"),
            "```",
            "",
        ]

    def survey(self, resolver: Resolver) -> str:
        src, title = SURVEY, "Survey figures"
        lines = [f"# {title}", ""]
        lines += ["The figures and tables the briefing relies on, with their sources.", ""]
        for stat in self.b.statistics:
            lines += [f"## {md_escape(stat.title)} {{#{stat.id}}}", ""]
            if stat.is_table:
                lines += [self._table(stat), ""]
                if charts.has_chart(stat):
                    lines += [charts.placeholder(stat), ""]
            else:
                shown = figure(stat.value, stat.unit, stat.qualifier)
                lines += [f'<p class="figure-value">{html.escape(shown)}</p>', ""]
            lines += [f"Source: {self._md(resolver, stat.source, src, title)}", ""]
            lines += [self._note(resolver, stat.note, src, title)]
            used_by = self.evidence_for.get(stat.id, [])
            if used_by:
                links = ", ".join(
                    f"[{md_escape(f.title)}]({md_link(src, theme_page(f.theme), f.id)})"
                    for f in used_by
                )
                lines += [f"Evidence for: {links}", ""]
        stray = [q for q in self.b.quotes if q.id not in self.quote_home]
        if stray:
            lines += ["## Other respondents' words", ""]
            lines += [self._quotes(resolver, stray, src, title, None)]
        return "\n".join(lines)

    @staticmethod
    def _table(stat: Statistic) -> str:
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in stat.columns)
        rows = []
        for row in stat.rows:
            cells = []
            for i, value in enumerate(row):
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                shown = html.escape(number(value))
                if i == 0:
                    cells.append(f'<th scope="row">{shown}</th>')
                else:
                    cls = ' class="numeric"' if numeric else ""
                    cells.append(f"<td{cls}>{shown}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return (
            f'<table class="data-table" id="{attr(stat.id)}-table">'
            f"<caption>{html.escape(stat.title)}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    def themes_index(self, resolver: Resolver) -> str:
        src = THEMES
        lines = [
            "# Themes",
            "",
            "The themes that emerged from the analysis, in the report's order.",
            "",
        ]
        for theme in self.b.themes:
            findings = self.findings_by_theme[theme.id]
            link = md_link(src, theme_page(theme.id))
            lines += [f"## {theme.number}. [{md_escape(theme.title)}]({link})", ""]
            if findings:
                lines += [
                    "\n".join(
                        f"- [{md_escape(f.title)}]({md_link(src, theme_page(theme.id), f.id)})"
                        for f in findings
                    ),
                    "",
                ]
        return "\n".join(lines)

    def theme(self, resolver: Resolver, theme_id: str) -> str:
        theme = self.themes[theme_id]
        src, title = theme_page(theme_id), theme.title
        lines = [f"# {md_escape(theme.title)} {{#{theme.id}}}", ""]
        lines += [f'<p class="kicker">Theme {theme.number} of {len(self.b.themes)}</p>', ""]
        lines += [self._md(resolver, theme.summary, src, title), ""]
        lines += [self._note(resolver, theme.note, src, title)]
        for finding in self.findings_by_theme[theme_id]:
            lines += [f"## {md_escape(finding.title)} {{#{finding.id}}}", ""]
            lines += [self._finding_body(resolver, finding, src, title), ""]
            recs = self.addressed_by.get(finding.id, [])
            if recs:
                links = ", ".join(
                    f"[Recommendation {r.number}: {md_escape(r.title)}]"
                    f"({md_link(src, rec_page(r))})"
                    for r in recs
                )
                lines += [f'<p class="addressed-by" markdown>Addressed by {links}</p>', ""]
        return "\n".join(lines)

    def recs_index(self, resolver: Resolver) -> str:
        src = RECOMMENDATIONS
        lines = ["# Recommendations", "", "The recommendations in their published order.", ""]
        for rec in self.b.recommendations:
            lines += [
                f"## {rec.number}. [{md_escape(rec.title)}]({md_link(src, rec_page(rec))})",
                "",
                self._md(resolver, rec.text, src, "Recommendations"),
                "",
                f"Status: **{STATUS.get(rec.status, rec.status)}**",
                "",
            ]
        return "\n".join(lines)

    def recommendation(self, resolver: Resolver, rec_id: str) -> str:
        recs = self.b.recommendations
        index = self.rec_index[rec_id]
        rec = recs[index]
        src = rec_page(rec)
        title = f"Recommendation {rec.number}: {rec.title}"
        lines = [f"# {md_escape(title)} {{#{rec.id}}}", ""]
        lines += [
            f'<p class="kicker">Recommendation {rec.number} of {len(recs)} · '
            f'Status: <strong class="status status-{attr(rec.status)}">'
            f"{STATUS.get(rec.status, rec.status)}</strong></p>",
            "",
        ]
        lines += ['!!! abstract "The recommendation as published"', ""]
        lines += [indent(self._md(resolver, rec.text, src, title)), ""]
        if rec.rationale:
            lines += ["## Why", "", self._md(resolver, rec.rationale, src, title), ""]
        if rec.actors:
            lines += ["## Who should act", ""]
            lines += [f"- {md_escape(a)}" for a in rec.actors] + [""]
        lines += [self._note(resolver, rec.note, src, title)]
        lines += ["## Responses", ""]
        if rec.responses:
            for response in rec.responses:
                lines += [
                    f"### {md_escape(response.actor)}, {long_date(response.date)}",
                    "",
                    self._md(resolver, response.text, src, title),
                    "",
                ]
                if response.source:
                    lines += [f"Source: {self._md(resolver, response.source, src, title)}", ""]
        else:
            lines += ["No response has been recorded yet.", ""]
        findings = [self.findings[f] for f in rec.addresses if f in self.findings]
        if findings:
            lines += ["## The findings it addresses", ""]
            for finding in findings:
                theme = self.themes.get(finding.theme)
                link = md_link(src, theme_page(finding.theme), finding.id)
                lines += [f"### [{md_escape(finding.title)}]({link})", ""]
                if theme:
                    lines += [
                        f'<p class="kicker">Theme {theme.number}: {html.escape(theme.title)}</p>',
                        "",
                    ]
                lines += [self._finding_body(resolver, finding, src, title), ""]
        cited = self._cited_on(resolver, src)
        if cited:
            entries = self.references()
            lines += ["## Works cited", "", '<ol class="works-cited">']
            for key in cited:
                link = html.escape(href(src, REFERENCES, f"ref-{key}", resolver.directory_urls))
                lines.append(
                    f'<li value="{resolver.numbers[key]}">{entries.get(key, html.escape(key))} '
                    f'<a href="{link}" class="ref-link">(in references)</a></li>'
                )
            lines += ["</ol>", ""]
        nav = []
        if index > 0:
            prev = recs[index - 1]
            nav.append(
                f"[← Recommendation {prev.number}: {md_escape(prev.title)}]"
                f"({md_link(src, rec_page(prev))})"
            )
        if index + 1 < len(recs):
            nxt = recs[index + 1]
            nav.append(
                f"[Recommendation {nxt.number}: {md_escape(nxt.title)} →]"
                f"({md_link(src, rec_page(nxt))})"
            )
        if nav:
            pager = '<nav class="rec-pager" aria-label="Previous and next recommendation" markdown>'
            lines += [pager, "", " · ".join(nav), "", "</nav>", ""]
        return "\n".join(lines)

    @staticmethod
    def _cited_on(resolver: Resolver, src: str) -> list[str]:
        return sorted(resolver.cited_on.get(src, ()), key=lambda k: resolver.numbers.get(k, 0))

    def references_page(self, resolver: Resolver) -> str:
        src = REFERENCES
        entries = self.references()
        lines = ["# References", ""]
        lines += ["Numbered in order of first citation, as in the published report.", ""]
        cited = sorted(resolver.numbers, key=resolver.numbers.__getitem__)
        lines.append('<ol class="references">')
        for key in cited:
            lines.append(
                f'<li id="ref-{attr(key)}" value="{resolver.numbers[key]}">'
                f'<span class="reference">{entries.get(key, html.escape(key))}</span>'
                f"{self._backlinks(resolver, key, src)}</li>"
            )
        lines += ["</ol>", ""]
        uncited = (
            [k for k in self.b.references if k not in resolver.numbers]
            if self.further_reading
            else []
        )
        if uncited:
            lines += ["## Further reading", "", '<ul class="references">']
            lines += [
                f'<li id="ref-{attr(k)}"><span class="reference">'
                f"{entries.get(k, html.escape(k))}</span></li>"
                for k in uncited
            ]
            lines += ["</ul>", ""]
        return "\n".join(lines)

    @staticmethod
    def _backlinks(resolver: Resolver, key: str, src: str) -> str:
        links = []
        for link in resolver.backlinks.get(key, []):
            target = html.escape(href(src, link.page, link.anchor, resolver.directory_urls))
            links.append(f'<a href="{target}">{html.escape(link.title)}</a>')
        if not links:
            return ""
        return f' <span class="cited-in">Cited in: {", ".join(links)}</span>'

    def changes(self, resolver: Resolver) -> str:
        """Content changes by date, newest first, from the repository's history."""
        lines = ["# What changed", ""]
        if not self.history.complete:
            since = self.history.since
            before = f" up to {long_date(since)}" if since else ""
            lines += [
                f"This copy of the briefing holds only part of its history: changes{before} "
                "are not listed, and pages last changed by then show no date.",
                "",
            ]
        if not self.history.changes:
            if self.history.complete:
                lines += ["No history is available for this copy of the briefing.", ""]
            return "\n".join(lines)
        lines += ["Changes to the briefing's content, newest first.", ""]
        by_date: dict[str, list[Change]] = defaultdict(list)
        for change in self.history.changes:
            by_date[change.date].append(change)
        for day, changes in by_date.items():
            lines += [f'## <time datetime="{attr(day)}">{long_date(day)}</time>', ""]
            for change in changes:
                files = ", ".join(f"`{f}`" for f in change.files)
                lines.append(f"- {md_escape(change.subject)} ({files})")
            lines.append("")
        return "\n".join(lines)

    def glossary(self, resolver: Resolver) -> str:
        lines = [
            "# Glossary",
            "",
            "Abbreviations used in this briefing.",
            "",
            '<dl class="glossary">',
        ]
        for term in sorted(self.b.glossary, key=str.casefold):
            ident = "term-" + "".join(c if c.isalnum() else "-" for c in term.lower()).strip("-")
            lines.append(
                f'<dt id="{attr(ident)}">{html.escape(term)}</dt>'
                f"<dd>{html.escape(self.b.glossary[term])}</dd>"
            )
        lines += ["</dl>", ""]
        return "\n".join(lines)

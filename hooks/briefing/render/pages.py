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

from ..citations.cite import Citation
from ..model import Briefing, Finding, Markdown, Quote, Recommendation, Statistic
from ..sources.history import Change, History
from . import charts, citing, timeline, titles
from .download_list import FOLDER, Download
from .formats import Formats
from .relations import Relations
from .relations import relations as relations_of
from .resolve import PageLinks, Target
from .text import attr, excerpt, indent, lead, md_escape, md_link, md_words
from .urls import href, site_href

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

# The label (data/labels.yml `pages`) naming each generated page the nav does not name.
PAGE_LABELS = {
    SURVEY: "pages/survey",
    THEMES: "pages/themes",
    RECOMMENDATIONS: "pages/recommendations",
    REFERENCES: "pages/references",
    GLOSSARY: "pages/glossary",
    CHANGES: "pages/changes",
}


@dataclass(frozen=True)
class Page:
    """A page made from data: where it goes, its title, the file it comes from, its renderer."""

    src: str
    title: str
    edit: str  # the file an editor changes for this page ('' when there is none)
    render: Callable[[PageLinks], str]
    sources: tuple[str, ...] = ()  # every file the page draws on, for its "last updated" date
    # The Markdown the page shows, in the order it shows it: what the numbering reads.
    texts: tuple[Markdown | str, ...] = ()
    cites_as: str = ""  # the page's name in backlinks to it, when not its title

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(f for f in (self.edit, *self.sources) if f)


def _present(*texts: Markdown | str | None) -> tuple[Markdown | str, ...]:
    return tuple(t for t in texts if t is not None)


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
        citation: Citation | None = None,
        downloads: Sequence[Download] = (),
        formats: Formats | None = None,
        titles: Mapping[str, str] | None = None,
        rec_citations: Mapping[str, Citation] | None = None,
        relations: Relations | None = None,
    ) -> None:
        self.b = briefing
        self.labels = briefing.labels
        self.formats = formats or Formats(labels=briefing.labels)
        self.titles = dict(titles or {})  # the nav's names for pages, which win over labels
        self.rec_citations = rec_citations or {}  # "Cite this recommendation", by id
        self.citation = citation  # the home page shows how to cite the briefing
        self.downloads = downloads  # and links the files the build writes under downloads/
        self.references = references
        self.history = history or History()
        self.relations = related = relations or relations_of(briefing)
        self.themes, self.findings = related.themes, related.findings
        self.quotes, self.stats = related.quotes, related.stats
        self.rec_index = {rec.id: i for i, rec in enumerate(briefing.recommendations)}
        self.quote_home: dict[str, str] = {}
        self.quote_finding: dict[str, str] = {}  # the finding whose evidence carries its id
        for theme in briefing.themes:
            for finding in self.relations.findings_by_theme.get(theme.id, ()):
                for evidence in finding.evidence:
                    if evidence in self.quotes:
                        self.quote_home.setdefault(evidence, theme_page(theme.id))
                        self.quote_finding.setdefault(evidence, finding.id)

    # -- words -----------------------------------------------------------------------------

    @property
    def home_title(self) -> str:
        """The home page as other pages name it (backlinks): the nav's name, else the title."""
        return self.titles.get(HOME) or self.b.report.title

    def title(self, src: str) -> str:
        """A generated page's title: the nav's name for it, else its label."""
        return self.titles.get(src) or self.labels(PAGE_LABELS[src])

    def md(self, name: str, **values: object) -> str:
        """A label in Markdown: its words escaped, the values put in as given."""
        return self.labels(name, md_words, **values)

    def html(self, name: str, **values: object) -> str:
        """A label in HTML: its words escaped, the values put in as given."""
        return self.labels(name, html.escape, **values)

    def status(self, status: str) -> str:
        return timeline.status_name(self.labels, status)

    def rec_title(self, rec: Recommendation) -> str:
        return titles.recommendation(self.labels, rec)

    # -- where each item lives -------------------------------------------------------------

    def targets(self) -> dict[str, Target]:
        targets: dict[str, Target] = {}
        for theme in self.b.themes:
            targets[theme.id] = Target(
                theme_page(theme.id),
                theme.id,
                theme.title,
                self.labels("theme", number=theme.number),
            )
        for finding in self.b.findings:
            home = self.themes.get(finding.theme)
            where = (
                self.labels("finding_under_theme", number=home.number, title=home.title)
                if home
                else self.labels("finding")
            )
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
                self.formats.figure(stat.value, stat.unit, stat.qualifier)
                if not stat.is_table
                else self.labels("table_summary")
            )
            targets[stat.id] = Target(SURVEY, stat.id, stat.title, summary)
        for rec in self.b.recommendations:
            targets[rec.id] = Target(
                rec_page(rec), rec.id, self.labels("recommendation", number=rec.number), rec.title
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
                self.home_texts(),
                self.home_title,
            ),
            Page(
                SURVEY,
                self.title(SURVEY),
                "data/statistics.yml",
                self.survey,
                EVIDENCE,
                self.survey_texts(),
            ),
            Page(THEMES, self.title(THEMES), "data/themes.yml", self.themes_index, EVIDENCE[:1]),
        ]
        for theme in b.themes:
            pages.append(
                Page(
                    theme_page(theme.id),
                    titles.theme(self.labels, theme),
                    "data/themes.yml",
                    partial(self.theme, theme_id=theme.id),
                    (*EVIDENCE, "data/recommendations.yml"),
                    self.theme_texts(theme.id),
                )
            )
        pages.append(
            Page(
                RECOMMENDATIONS,
                self.title(RECOMMENDATIONS),
                "data/recommendations.yml",
                self.recs_index,
                texts=tuple(rec.text for rec in b.recommendations),
            )
        )
        for rec in b.recommendations:
            pages.append(
                Page(
                    rec_page(rec),
                    self.rec_title(rec),
                    "data/recommendations.yml",
                    partial(self.recommendation, rec_id=rec.id),
                    (*EVIDENCE, "data/themes.yml", "references.bib"),
                    self.recommendation_texts(rec),
                )
            )
        pages.append(
            Page(REFERENCES, self.title(REFERENCES), "references.bib", self.references_page)
        )
        pages.append(Page(GLOSSARY, self.title(GLOSSARY), "data/glossary.yml", self.glossary))
        pages.append(Page(CHANGES, self.title(CHANGES), "", self.changes, CONTENT_FILES))
        return pages

    # -- what each page cites: its Markdown fields, in the order its renderer shows them ---

    def _quote_texts(self, quotes: list[Quote], src: str, finding: str | None) -> list[Markdown]:
        return [q.note for q in quotes if q.note and self._canonical(q, src, finding)]

    def _finding_texts(self, finding: Finding, src: str) -> list[Markdown | None]:
        quotes = [self.quotes[e] for e in finding.evidence if e in self.quotes]
        return [finding.statement, *self._quote_texts(quotes, src, finding.id), finding.note]

    def home_texts(self) -> tuple[Markdown | str, ...]:
        report = self.b.report
        cards = [lead(rec.text.text)[0] for rec in self.b.recommendations]
        return _present(*cards, report.summary, report.note)

    def survey_texts(self) -> tuple[Markdown | str, ...]:
        texts = [t for s in self.b.statistics for t in (s.source, s.note)]
        stray = [q for q in self.b.quotes if q.id not in self.quote_home]
        return _present(*texts, *self._quote_texts(stray, SURVEY, None))

    def theme_texts(self, theme_id: str) -> tuple[Markdown | str, ...]:
        theme, src = self.themes[theme_id], theme_page(theme_id)
        findings = self.relations.findings_by_theme.get(theme_id, ())
        texts = [t for f in findings for t in self._finding_texts(f, src)]
        return _present(theme.summary, theme.note, *texts)

    def recommendation_texts(self, rec: Recommendation) -> tuple[Markdown | str, ...]:
        src = rec_page(rec)
        findings = [self.findings[f] for f in rec.addresses if f in self.findings]
        texts = [t for f in findings for t in self._finding_texts(f, src)]
        return _present(rec.text, rec.rationale, rec.note, *timeline.texts(rec), *texts)

    # -- shared pieces ---------------------------------------------------------------------

    @staticmethod
    def _md(linker: PageLinks, text: Markdown | str | None) -> str:
        return linker.resolve(text).strip() if text else ""

    def _note(self, linker: PageLinks, note: Markdown | None) -> str:
        if note is None:
            return ""
        body = indent(self._md(linker, note))
        return f'!!! note "{self._admonition_title("editors_note")}"\n\n{body}\n'

    def _admonition_title(self, name: str) -> str:
        """A label as an admonition's quoted title (plain text: no quotes or markup inside)."""
        return md_escape(self.labels(name)).replace('"', "&quot;")

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

    def _quotes(self, linker: PageLinks, quotes: list[Quote], src: str, finding: str | None) -> str:
        """Quotes, each where it lives followed by its editor's note (as its context is)."""
        shown = []
        for quote in quotes:
            shown.append(self._quote(quote, src, finding))
            if quote.note and self._canonical(quote, src, finding):
                shown.append("\n" + self._note(linker, quote.note) + "\n")
        return "".join(shown)

    def _stat_line(self, stat: Statistic, src: str) -> str:
        link = md_link(src, SURVEY, stat.id)
        if stat.is_table:
            return f"- [{md_escape(stat.title)}]({link}) ({self.md('table')})"
        shown = self.formats.figure(stat.value, stat.unit, stat.qualifier)
        return f"- **{md_escape(shown)}**: [{md_escape(stat.title)}]({link})"

    def _evidence(self, linker: PageLinks, finding: Finding, src: str) -> str:
        quotes = [self.quotes[e] for e in finding.evidence if e in self.quotes]
        stats = [self.stats[e] for e in finding.evidence if e in self.stats]
        out: list[str] = []
        if quotes:
            out.append(self._quotes(linker, quotes, src, finding.id))
        if stats:
            out.append("\n".join(self._stat_line(s, src) for s in stats) + "\n")
        return "\n".join(out)

    def _finding_body(self, linker: PageLinks, finding: Finding, src: str) -> str:
        parts = [self._md(linker, finding.statement)]
        evidence = self._evidence(linker, finding, src)
        if evidence:
            label = self.html("evidence")
            parts.append(f'<p class="evidence-label">{label}</p>\n\n' + evidence)
        parts.append(self._note(linker, finding.note))
        return "\n\n".join(p for p in parts if p)

    # -- the pages -------------------------------------------------------------------------

    def home(self, linker: PageLinks) -> str:
        b, report, src = self.b, self.b.report, HOME
        lines = [f"# {md_escape(report.title)}", ""]
        if report.subtitle:
            lines += [f'<p class="subtitle">{html.escape(report.subtitle)}</p>', ""]
        byline = self.html(
            "published_by",
            publisher=html.escape(report.publisher),
            date=html.escape(self.formats.date(report.date)),
        )
        authors = ", ".join(html.escape(a) for a in report.authors)
        if authors and authors != html.escape(report.publisher):
            byline += ". " + self.html("authors", authors=authors)
        lines += [f'<p class="byline">{byline}.</p>', ""]
        if report.url:
            link = f'<a href="{attr(report.url)}">{self.html("original_report")}</a>'
            lines += [f'<p class="original-report">{link}</p>', ""]
        if b.recommendations:
            lines += [f"## {self.md('recommendations_at_a_glance')}", ""]
            lines += ['<div class="grid cards" markdown>', ""]
            for rec in b.recommendations:
                lines += self._card(linker, rec, src)
            lines += ["</div>", ""]
            tracker = md_link(src, "tracker.md")
            lines += timeline.counts_section(b.recommendations, tracker, self.labels, self.formats)
        key = [s for s in b.statistics if s.key and not s.is_table]
        if key:
            lines += [f"## {self.md('key_figures')}", ""]
            lines += ['<div class="grid cards key-figures" markdown>', ""]
            for stat in key:
                shown = self.formats.figure(stat.value, stat.unit, stat.qualifier)
                link = md_link(src, SURVEY, stat.id)
                lines += [
                    f'-   <span class="key-figure">{html.escape(shown)}</span>',
                    "",
                    f"    [{md_escape(stat.title)}]({link})",
                    "",
                ]
            lines += ["</div>", ""]
        if report.summary:  # a report without an executive summary has no such heading
            summary = self._md(linker, report.summary)
            lines += [f"## {self.md('executive_summary')}", "", summary, ""]
        lines += [self._note(linker, report.note)]
        further = [
            (THEMES, "read_further_themes"),
            (SURVEY, "read_further_figures"),
            (REFERENCES, "read_further_references"),
        ]
        lines += [f"## {self.md('read_further')}", ""]
        lines += [
            f"- [{md_escape(self.title(page))}]({md_link(src, page)}): {self.md(about)}"
            for page, about in further
        ]
        lines += [""]
        lines += self._downloads() + self._cite()
        return "\n".join(lines)

    def _card(self, linker: PageLinks, rec: Recommendation, src: str) -> list[str]:
        """A recommendation's card: its first sentence, marked as an excerpt and linked to
        the whole when the recommendation says more."""
        link = md_link(src, rec_page(rec))
        shown, cut = lead(rec.text.text)
        body = linker.resolve(shown)
        if cut:
            body += (
                f' <span class="excerpt-mark">({self.md("excerpt")})</span>'
                f" [{self.md('read_whole')}]({link}){{ .read-whole }}"
            )
        return [
            f"-   **{self.md('recommendation', number=rec.number)}**",
            "",
            "    ---",
            "",
            f"    [{md_escape(rec.title)}]({link})",
            "",
            indent(body),
            "",
        ]

    def _downloads(self) -> list[str]:
        """Links to the files under downloads/ (raw HTML: they are written after the pages)."""
        if not self.downloads:
            return []
        items = "".join(
            f'<li><a href="{FOLDER}/{attr(d.name)}">{self._download(d, "label")}</a>: '
            f"{self._download(d, 'about')}</li>"
            for d in self.downloads
        )
        return [f"## {self.md('downloads_heading')}", "", f'<ul class="downloads">{items}</ul>', ""]

    def _download(self, download: Download, part: str) -> str:
        name = f"downloads/{download.name}/{part}"
        if self.labels.has(name):
            return self.html(name)
        return html.escape(download.label if part == "label" else download.about)

    def _cite(self) -> list[str]:
        """The briefing's own citation, in the site's style and as BibTeX (with a copy button)."""
        if self.citation is None:
            return []
        return [
            f"## {self.md('cite_this_briefing')}",
            "",
            f'<p class="cite-briefing">{self.citation.html}</p>',
            "",
            "```bibtex",
            self.citation.bibtex.rstrip("\n"),
            "```",
            "",
        ]

    def survey(self, linker: PageLinks) -> str:
        src, title = SURVEY, self.title(SURVEY)
        lines = [f"# {md_escape(title)}", ""]
        lines += [self.md("figures_intro"), ""]
        for stat in self.b.statistics:
            lines += [f"## {md_escape(stat.title)} {{#{stat.id}}}", ""]
            if stat.is_table:
                lines += [self._table(stat), ""]
                if charts.has_chart(stat):
                    lines += [charts.placeholder(stat), ""]
            else:
                shown = self.formats.figure(stat.value, stat.unit, stat.qualifier)
                lines += [f'<p class="figure-value">{html.escape(shown)}</p>', ""]
            source = self._md(linker, stat.source)
            lines += [self.md("source", source=source), ""]
            lines += [self._note(linker, stat.note)]
            used_by = self.relations.evidence_for.get(stat.id, ())
            if used_by:
                links = ", ".join(
                    f"[{md_escape(f.title)}]({md_link(src, theme_page(f.theme), f.id)})"
                    for f in used_by
                )
                lines += [self.md("evidence_for", findings=links), ""]
        stray = [q for q in self.b.quotes if q.id not in self.quote_home]
        if stray:
            lines += [f"## {self.md('other_quotes')}", ""]
            lines += [self._quotes(linker, stray, src, None)]
        return "\n".join(lines)

    def _table(self, stat: Statistic) -> str:
        head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in stat.columns)
        rows = []
        for row in stat.rows:
            cells = []
            for i, value in enumerate(row):
                numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
                shown = html.escape(self.formats.cell(stat, i, value))
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

    def themes_index(self, linker: PageLinks) -> str:
        src = THEMES
        lines = [f"# {md_escape(self.title(THEMES))}", "", self.md("themes_intro"), ""]
        for theme in self.b.themes:
            findings = self.relations.findings_by_theme.get(theme.id, ())
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

    def theme(self, linker: PageLinks, theme_id: str) -> str:
        theme = self.themes[theme_id]
        src = theme_page(theme_id)
        lines = [f"# {md_escape(titles.theme(self.labels, theme))} {{#{theme.id}}}", ""]
        kicker = self.html("theme_of", number=theme.number, total=len(self.b.themes))
        lines += [f'<p class="kicker">{kicker}</p>', ""]
        lines += [self._md(linker, theme.summary), ""]
        lines += [self._note(linker, theme.note)]
        for finding in self.relations.findings_by_theme.get(theme_id, ()):
            lines += [f"## {md_escape(finding.title)} {{#{finding.id}}}", ""]
            lines += [self._finding_body(linker, finding, src), ""]
            recs = self.relations.addressed_by.get(finding.id, ())
            if recs:
                links = ", ".join(
                    f"[{md_escape(self.rec_title(r))}]({md_link(src, rec_page(r))})" for r in recs
                )
                addressed = self.md("addressed_by", recommendations=links)
                lines += [f'<p class="addressed-by" markdown>{addressed}</p>', ""]
        return "\n".join(lines)

    def recs_index(self, linker: PageLinks) -> str:
        src = RECOMMENDATIONS
        title = self.title(RECOMMENDATIONS)
        lines = [f"# {md_escape(title)}", "", self.md("recommendations_intro"), ""]
        for rec in self.b.recommendations:
            status = f"**{md_escape(self.status(rec.status))}**"
            lines += [
                f"## {rec.number}. [{md_escape(rec.title)}]({md_link(src, rec_page(rec))})",
                "",
                self._md(linker, rec.text),
                "",
                self.md("status", status=status),
                "",
            ]
        return "\n".join(lines)

    def recommendation(self, linker: PageLinks, rec_id: str) -> str:
        recs = self.b.recommendations
        index = self.rec_index[rec_id]
        rec = recs[index]
        src = rec_page(rec)
        title = self.rec_title(rec)
        lines = [f"# {md_escape(title)} {{#{rec.id}}}", ""]
        status = (
            f'<strong class="status status-{attr(rec.status)}">'
            f"{html.escape(self.status(rec.status))}</strong>"
        )
        of = self.html("recommendation_of", number=rec.number, total=len(recs))
        lines += [f'<p class="kicker">{of} · {self.html("status", status=status)}</p>', ""]
        lines += [f'!!! abstract "{self._admonition_title("as_published")}"', ""]
        lines += [indent(self._md(linker, rec.text)), ""]
        if rec.rationale:
            lines += [f"## {self.md('why')}", "", self._md(linker, rec.rationale), ""]
        if rec.actors:
            lines += [f"## {self.md('who_should_act')}", ""]
            lines += [f"- {md_escape(a)}" for a in rec.actors] + [""]
        lines += [self._note(linker, rec.note)]
        feed = site_href(src, timeline.rec_feed(rec), linker.directory_urls)
        render = partial(self._md, linker)
        feed_link = feed if self.downloads else None
        lines += timeline.timeline(rec, render, self.labels, self.formats, feed_link)
        citation = self.rec_citations.get(rec.id)
        lines += citing.section(rec, citation, src, self.labels, linker.directory_urls)
        findings = [self.findings[f] for f in rec.addresses if f in self.findings]
        if findings:
            lines += [f"## {self.md('findings_addressed')}", ""]
            for finding in findings:
                theme = self.themes.get(finding.theme)
                link = md_link(src, theme_page(finding.theme), finding.id)
                lines += [f"### [{md_escape(finding.title)}]({link})", ""]
                if theme:
                    kicker = self.html(
                        "theme_kicker", number=theme.number, title=html.escape(theme.title)
                    )
                    lines += [f'<p class="kicker">{kicker}</p>', ""]
                lines += [self._finding_body(linker, finding, src), ""]
        numbering = linker.resolver.numbering
        cited = numbering.cited_on.get(src, ())
        if cited:
            entries = self.references()
            lines += [f"## {self.md('works_cited')}", "", '<ol class="works-cited">']
            for key in cited:
                link = html.escape(href(src, REFERENCES, f"ref-{key}", linker.directory_urls))
                lines.append(
                    f'<li value="{numbering.numbers[key]}">{entries.get(key, html.escape(key))} '
                    f'<a href="{link}" class="ref-link">{self.html("in_references")}</a></li>'
                )
            lines += ["</ol>", ""]
        nav = []
        if index > 0:
            prev = recs[index - 1]
            nav.append(f"[← {md_escape(self.rec_title(prev))}]({md_link(src, rec_page(prev))})")
        if index + 1 < len(recs):
            nxt = recs[index + 1]
            nav.append(f"[{md_escape(self.rec_title(nxt))} →]({md_link(src, rec_page(nxt))})")
        if nav:
            pager = f'<nav class="rec-pager" aria-label="{attr(self.labels("pager"))}" markdown>'
            lines += [pager, "", " · ".join(nav), "", "</nav>", ""]
        return "\n".join(lines)

    def references_page(self, linker: PageLinks) -> str:
        src = REFERENCES
        entries = self.references()
        lines = [f"# {md_escape(self.title(REFERENCES))}", "", self.md("references_intro"), ""]
        numbering = linker.resolver.numbering
        lines.append('<ol class="references">')
        for key in numbering.cited:
            lines.append(
                f'<li id="ref-{attr(key)}" value="{numbering.numbers[key]}">'
                f'<span class="reference">{entries.get(key, html.escape(key))}</span>'
                f"{self._backlinks(linker, key, src)}</li>"
            )
        lines += ["</ol>", ""]
        uncited = numbering.uncited
        if uncited:
            lines += [f"## {self.md('further_reading')}", "", '<ul class="references">']
            lines += [
                f'<li id="ref-{attr(k)}"><span class="reference">'
                f"{entries.get(k, html.escape(k))}</span></li>"
                for k in uncited
            ]
            lines += ["</ul>", ""]
        return "\n".join(lines)

    @staticmethod
    def _backlinks(linker: PageLinks, key: str, src: str) -> str:
        """ "Cited in": each citing page once, linked to its first citation of the work there,
        with the number of citations when there are several ("Introduction (3)")."""
        links = []
        for page in linker.resolver.numbering.cited_in(key):
            link = page.link
            target = html.escape(href(src, link.page, link.anchor, linker.directory_urls))
            count = f" ({page.count})" if page.count > 1 else ""
            links.append(f'<a href="{target}">{html.escape(link.title)}</a>{count}')
        if not links:
            return ""
        return f' <span class="cited-in">Cited in: {", ".join(links)}</span>'

    def changes(self, linker: PageLinks) -> str:
        """Content changes by date, newest first, from the repository's history."""
        lines = [f"# {md_escape(self.title(CHANGES))}", ""]
        if not self.history.complete:
            since = self.history.since
            day = self.formats.date(since) if since else ""
            before = self.md("changes_partial_before", date=md_escape(day)) if since else ""
            lines += [self.md("changes_partial", before=before), ""]
        if not self.history.changes:
            if self.history.complete:
                lines += [self.md("changes_none"), ""]
            return "\n".join(lines)
        lines += [self.md("changes_intro"), ""]
        by_date: dict[str, list[Change]] = defaultdict(list)
        for change in self.history.changes:
            by_date[change.date].append(change)
        for day, changes in by_date.items():
            shown = html.escape(self.formats.date(day))
            lines += [f'## <time datetime="{attr(day)}">{shown}</time>', ""]
            for change in changes:
                files = ", ".join(f"`{f}`" for f in change.files)
                lines.append(f"- {md_escape(change.subject)} ({files})")
            lines.append("")
        return "\n".join(lines)

    def glossary(self, linker: PageLinks) -> str:
        lines = [
            f"# {md_escape(self.title(GLOSSARY))}",
            "",
            self.md("glossary_intro"),
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

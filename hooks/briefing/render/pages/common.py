"""What every generated page shares: the words (labels), the items by id, and the pieces
several pages show (an editor's note, a quote, a finding with its evidence)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ...citations.cite import Citation
from ...model import Briefing, Finding, Markdown, Quote, Recommendation, Statistic, Theme
from ...sources.history import History
from .. import timeline
from ..download_list import Download
from ..formats import Formats
from ..relations import Relations
from ..relations import relations as relations_of
from ..resolve import PageLinks
from ..text import attr, indent, md_escape, md_link, md_words
from ..titles import recommendation as recommendation_title
from ..titles import theme as theme_title
from .paths import HOME, PAGE_LABELS, SURVEY, theme_page


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


def present(*texts: Markdown | str | None) -> tuple[Markdown | str, ...]:
    """The texts a page shows, the fields it leaves out (None) left out."""
    return tuple(t for t in texts if t is not None)


class Common:
    """The state and shared pieces of one briefing's generated pages."""

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
        return recommendation_title(self.labels, rec)

    def theme_title(self, theme: Theme) -> str:
        return theme_title(self.labels, theme)

    def quote_texts(self, quotes: list[Quote], src: str, finding: str | None) -> list[Markdown]:
        return [q.note for q in quotes if q.note and self.canonical(q, src, finding)]

    def finding_texts(self, finding: Finding, src: str) -> list[Markdown | None]:
        quotes = [self.quotes[e] for e in finding.evidence if e in self.quotes]
        return [finding.statement, *self.quote_texts(quotes, src, finding.id), finding.note]

    @staticmethod
    def field(linker: PageLinks, text: Markdown | str | None) -> str:
        return linker.resolve(text).strip() if text else ""

    def note(self, linker: PageLinks, note: Markdown | None) -> str:
        if note is None:
            return ""
        body = indent(self.field(linker, note))
        return f'!!! note "{self.admonition_title("editors_note")}"\n\n{body}\n'

    def admonition_title(self, name: str) -> str:
        """A label as an admonition's quoted title (plain text: no quotes or markup inside)."""
        return md_escape(self.labels(name)).replace('"', "&quot;")

    def canonical(self, quote: Quote, src: str, finding: str | None) -> bool:
        # A quote that is evidence for two findings of one theme is shown twice on its page;
        # only the first is where it lives (ids are unique in a page).
        return self.quote_home.get(quote.id, SURVEY) == src and (
            finding is None or self.quote_finding.get(quote.id, finding) == finding
        )

    def quote(self, quote: Quote, src: str, finding: str | None = None) -> str:
        canonical = self.canonical(quote, src, finding)
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

    def quotes_shown(
        self, linker: PageLinks, quotes: list[Quote], src: str, finding: str | None
    ) -> str:
        """Quotes, each where it lives followed by its editor's note (as its context is)."""
        shown = []
        for quote in quotes:
            shown.append(self.quote(quote, src, finding))
            if quote.note and self.canonical(quote, src, finding):
                shown.append("\n" + self.note(linker, quote.note) + "\n")
        return "".join(shown)

    def stat_line(self, stat: Statistic, src: str) -> str:
        link = md_link(src, SURVEY, stat.id)
        if stat.is_table:
            return f"- [{md_escape(stat.title)}]({link}) ({self.md('table')})"
        shown = self.formats.figure(stat.value, stat.unit, stat.qualifier)
        return f"- **{md_escape(shown)}**: [{md_escape(stat.title)}]({link})"

    def evidence(self, linker: PageLinks, finding: Finding, src: str) -> str:
        quotes = [self.quotes[e] for e in finding.evidence if e in self.quotes]
        stats = [self.stats[e] for e in finding.evidence if e in self.stats]
        out: list[str] = []
        if quotes:
            out.append(self.quotes_shown(linker, quotes, src, finding.id))
        if stats:
            out.append("\n".join(self.stat_line(s, src) for s in stats) + "\n")
        return "\n".join(out)

    def finding_body(self, linker: PageLinks, finding: Finding, src: str) -> str:
        parts = [self.field(linker, finding.statement)]
        evidence = self.evidence(linker, finding, src)
        if evidence:
            label = self.html("evidence")
            parts.append(f'<p class="evidence-label">{label}</p>\n\n' + evidence)
        parts.append(self.note(linker, finding.note))
        return "\n\n".join(p for p in parts if p)

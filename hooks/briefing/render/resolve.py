"""Citations and cross-references turned into links, numbered in reading order."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..citations.groups import Grouping, citation_group
from ..model import Markdown
from ..sources import markup
from .urls import href


@dataclass(frozen=True)
class Target:
    """Where an item is shown: its canonical page, the anchor there, and how links name it."""

    page: str
    anchor: str
    label: str  # link text of a bare cross-reference, e.g. "Recommendation 2"
    title: str  # tooltip, e.g. the recommendation's title


@dataclass(frozen=True)
class Backlink:
    """One place that cites a work: page, anchor of the citation, and the page's title."""

    page: str
    anchor: str
    title: str


@dataclass(frozen=True)
class CitedIn:
    """A page that cites a work: its first citation there, and how many times it cites it."""

    link: Backlink
    count: int


def cited_in(backlinks: list[Backlink]) -> list[CitedIn]:
    """One entry per citing page, in order of first citation, linking to the first there."""
    pages: dict[str, list[Backlink]] = {}
    for link in backlinks:
        pages.setdefault(link.page, []).append(link)
    return [CitedIn(links[0], len(links)) for links in pages.values()]


_SLOT = re.compile("\x00tip:([^\x00]*)\x00")  # keys never hold NUL; no source text does


def tooltip_slot(key: str) -> str:
    return f"\x00tip:{key}\x00"


@dataclass
class Resolver:
    """Resolves tokens for one build; numbers are given on first citation, in the order asked."""

    targets: Mapping[str, Target]
    directory_urls: bool = True
    grouping: Grouping = field(default_factory=Grouping)  # the style's sort and collapse
    tooltips: Mapping[str, str] = field(default_factory=dict)  # key -> plain formatted entry
    numbers: dict[str, int] = field(default_factory=dict)
    backlinks: dict[str, list[Backlink]] = field(default_factory=lambda: defaultdict(list))
    collect: bool = True  # record numbers and backlinks (the first pass)
    # Keys cited on each page, in order of first citation there (recorded with the backlinks).
    cited_on: dict[str, dict[str, None]] = field(default_factory=lambda: defaultdict(dict))
    # Write `tooltip_slot(key)` where a citation's title attribute goes, for `fill_tooltips`
    # to fill once the entries are formatted: pages render once, before the formatting.
    defer_tooltips: bool = False
    # Citations so far on each page being rendered (see `begin`): anchors must be unique.
    anchors: dict[str, defaultdict[str, int]] = field(default_factory=dict)

    def number(self, key: str) -> int:
        if key not in self.numbers:
            if not self.collect:
                raise KeyError(key)
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def begin(self, page: str) -> None:
        """Start rendering `page`: its citation anchors (cite-KEY-N) count from 1 across every
        fragment resolved for it until it begins again. Without it, each call counts alone."""
        self.anchors[page] = defaultdict(int)

    def resolve(self, text: str | Markdown, page: str, page_title: str) -> str:
        """The Markdown with every token replaced by inline HTML linking from `page`."""
        source = text.text if isinstance(text, Markdown) else text
        counts = self.anchors.get(page, defaultdict(int))

        def render(token: markup.Token) -> str:
            if token.is_citation:
                return self._citation(token, page, page_title, counts)
            return self._xref(token, page)

        return markup.replace(source, render)

    def _citation(
        self, token: markup.Token, page: str, page_title: str, counts: dict[str, int]
    ) -> str:
        anchors = []
        for cite in token.cites:
            self.number(cite.key)
            counts[cite.key] += 1
            anchor = f"cite-{cite.key}-{counts[cite.key]}"
            anchors.append(anchor)
            if self.collect:
                self.backlinks[cite.key].append(Backlink(page, anchor, page_title))
                self.cited_on[page][cite.key] = None

        def link(index: int, cite: markup.Cite, number: int | None) -> str:
            target = href(page, "references.md", f"ref-{cite.key}", self.directory_urls)
            title_attr = tooltip_slot(cite.key) if self.defer_tooltips else self._title(cite.key)
            return (
                f'<a class="citation" id="{html.escape(anchors[index])}" '
                f'href="{html.escape(target)}"{title_attr}>{number}</a>'
            )

        def hidden(index: int, cite: markup.Cite, number: int | None) -> str:
            # A number inside a collapsed range: its anchor stays, for the backlinks.
            return f'<span class="citation-anchor" id="{html.escape(anchors[index])}"></span>'

        group = citation_group(
            token.cites,
            self.numbers,
            self.grouping,
            number=link,
            hidden=hidden,
            escape=html.escape,
        )
        return f'<span class="citation-group">{group}</span>'

    def _title(self, key: str) -> str:
        title = self.tooltips.get(key, "")
        return f' title="{html.escape(title)}"' if title else ""

    def fill_tooltips(self, text: str) -> str:
        """`text` with each `tooltip_slot` replaced by its citation's title attribute."""
        return _SLOT.sub(lambda m: self._title(m[1]), text) if "\x00" in text else text

    def _xref(self, token: markup.Token, page: str) -> str:
        assert token.target is not None
        target = self.targets[token.target]
        link = href(page, target.page, target.anchor, self.directory_urls)
        label = token.label if token.label is not None else html.escape(target.label)
        return (
            f'<a class="xref" href="{html.escape(link)}" title="{html.escape(target.title)}">'
            f"{label}</a>"
        )

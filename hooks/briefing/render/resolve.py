"""Citations and cross-references turned into links, with the numbers the numbering gave."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..citations.groups import Grouping, citation_group
from ..model import Markdown
from ..problems import BriefingError, Code, Problem
from ..sources import markup
from .numbering import Backlink, CitedIn, Numbering, cited_in
from .text import md_link, md_words

__all__ = ["Backlink", "CitedIn", "PageLinks", "Resolver", "Target", "Unnumbered", "cited_in"]


@dataclass(frozen=True)
class Target:
    """Where an item is shown: its canonical page, the anchor there, and how links name it."""

    page: str
    anchor: str
    label: str  # link text of a bare cross-reference, e.g. "Recommendation 2"
    title: str  # tooltip, e.g. the recommendation's title


class Unnumbered(BriefingError):
    """A page cites a work the numbering never read, or in another order than it read them:
    the text rendered is not the text numbered (a bug, reported as a placed problem)."""


@dataclass(frozen=True)
class Resolver:
    """Resolves tokens for one build, with the numbers and anchors of its `Numbering`."""

    targets: Mapping[str, Target]
    numbering: Numbering = field(default_factory=Numbering)
    grouping: Grouping = field(default_factory=Grouping)  # the style's sort and collapse
    tooltips: Mapping[str, str] = field(default_factory=dict)  # key -> plain formatted entry

    def page(self, src: str, shown: str = "") -> PageLinks:
        """The links of one page: its citations' anchors count from 1 across every text
        resolved through it. `shown` is the file an editor sees the page as, for problems."""
        return PageLinks(self, src, shown or src)

    def resolve(self, text: str | Markdown, page: str) -> str:
        """One text on its own (its anchors count from 1), linked from `page`."""
        return self.page(page).resolve(text)


class PageLinks:
    """Resolves the texts of one page in the order the page shows them."""

    def __init__(self, resolver: Resolver, src: str, shown: str) -> None:
        self.resolver = resolver
        self.src = src
        self.shown = shown
        self._counts: dict[str, int] = defaultdict(int)
        self.anchors: list[str] = []

    def resolve(self, text: str | Markdown) -> str:
        """The Markdown with every token replaced by inline HTML linking from the page."""
        source = text.text if isinstance(text, Markdown) else text

        def render(token: markup.Token) -> str:
            if token.is_citation:
                return self._citation(token)
            return self._xref(token)

        return markup.replace(source, render)

    def check(self) -> None:
        """Raise Unnumbered unless the page showed the citations the numbering read for it."""
        expected = self.resolver.numbering.anchors.get(self.src)
        if expected is not None and tuple(self.anchors) != expected:
            raise Unnumbered(
                [
                    Problem(
                        self.shown,
                        1,
                        1,
                        "the page shows other citations than the numbering read "
                        f"({len(self.anchors)} against {len(expected)}); please report this",
                        code=Code.BUILD_UNNUMBERED,
                    )
                ]
            )

    def _citation(self, token: markup.Token) -> str:
        numbers = self.resolver.numbering.numbers
        anchors = []
        for cite in token.cites:
            if cite.key not in numbers:
                raise Unnumbered(
                    [
                        Problem(
                            self.shown,
                            1,
                            1,
                            f"the citation of '{cite.key}' was not numbered: the page shows "
                            "other text than the numbering read; please report this",
                            code=Code.BUILD_UNNUMBERED,
                        )
                    ]
                )
            self._counts[cite.key] += 1
            anchors.append(f"cite-{cite.key}-{self._counts[cite.key]}")
        self.anchors += anchors
        page = self.src

        def link(index: int, cite: markup.Cite, number: int | None) -> str:
            target = md_link(page, "references.md", f"ref-{cite.key}")
            return (
                f'<a class="citation" id="{html.escape(anchors[index])}" '
                f'href="{html.escape(target)}"{self._title(cite.key)}>{number}</a>'
            )

        def hidden(index: int, cite: markup.Cite, number: int | None) -> str:
            # A number inside a collapsed range: its anchor stays, for the backlinks.
            return f'<span class="citation-anchor" id="{html.escape(anchors[index])}"></span>'

        group = citation_group(
            token.cites,
            numbers,
            self.resolver.grouping,
            number=link,
            hidden=hidden,
            escape=html.escape,
        )
        return f'<span class="citation-group">{group}</span>'

    def _title(self, key: str) -> str:
        title = self.resolver.tooltips.get(key, "")
        return f' title="{html.escape(title)}"' if title else ""

    def _xref(self, token: markup.Token) -> str:
        assert token.target is not None
        target = self.resolver.targets[token.target]
        link = md_link(self.src, target.page, target.anchor)
        label = token.label if token.label is not None else md_words(target.label)
        return (
            f'<a class="xref" href="{html.escape(link)}" title="{html.escape(target.title)}">'
            f"{label}</a>"
        )

"""Numbering: the pass between checking and rendering that gives every work its number.

A printed report numbers its references in reading order: the first work cited on the first
page is 1. So the numbers are given here, once per build, by reading every page's citations in
the reading order (the navigation's), before any page is rendered; rendering reads the frozen
`Numbering` and never changes it. The pages, the head tags, the downloads, the PDF and the
export all read the same record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from ..model import Markdown
from ..sources import markup


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


def cited_in(backlinks: Iterable[Backlink]) -> list[CitedIn]:
    """One entry per citing page, in order of first citation, linking to the first there."""
    pages: dict[str, list[Backlink]] = {}
    for link in backlinks:
        pages.setdefault(link.page, []).append(link)
    return [CitedIn(links[0], len(links)) for links in pages.values()]


@dataclass(frozen=True)
class Cited:
    """A page as the numbering reads it: its path, its title (for backlinks to it) and the
    Markdown it shows, in the order it shows it (the very texts its renderer resolves)."""

    src: str
    title: str
    texts: tuple[Markdown | str, ...] = ()


def anchors(texts: Iterable[Markdown | str]) -> list[tuple[str, str]]:
    """(key, anchor) for every citation in `texts`, in order: the anchor of the n-th citation
    of a work on one page is `cite-KEY-n`, whether or not a collapsed range shows its number."""
    counts: dict[str, int] = defaultdict(int)
    found = []
    for text in texts:
        source = text.text if isinstance(text, Markdown) else text
        for token in markup.scan(source):
            for cite in token.cites:
                counts[cite.key] += 1
                found.append((cite.key, f"cite-{cite.key}-{counts[cite.key]}"))
    return found


@dataclass(frozen=True)
class Numbering:
    """Every reference number of one build and where each work is cited; read-only."""

    numbers: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Each page's citation anchors, in the order the page shows its citations.
    anchors: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    # Every citation of each work, in reading order.
    backlinks: Mapping[str, tuple[Backlink, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    cited: tuple[str, ...] = ()  # the works cited, by number
    uncited: tuple[str, ...] = ()  # the works listed but never cited ("Further reading")
    # The works each page cites, by number (a recommendation's "Works cited").
    cited_on: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def order(self) -> tuple[str, ...]:
        """Every work the briefing lists: by number, then the uncited ones in file order."""
        return self.cited + self.uncited

    def cited_in(self, key: str) -> list[CitedIn]:
        """The pages that cite `key`, each once, with its first citation there."""
        return cited_in(self.backlinks.get(key, ()))


def number(
    pages: Sequence[Cited], references: Iterable[str] = (), *, list_uncited: bool = True
) -> Numbering:
    """The numbering of `pages`, read in the order given (the reading order).

    `references`: every work of the bibliography, in file order; those never cited are the
    `uncited` ones when `list_uncited` (a shared bibliography's other works are not the
    briefing's, and are left out).
    """
    numbers: dict[str, int] = {}
    page_anchors: dict[str, tuple[str, ...]] = {}
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    cited_on: dict[str, tuple[str, ...]] = {}
    for page in pages:
        found = anchors(page.texts)
        page_anchors[page.src] = tuple(anchor for _, anchor in found)
        for key, anchor in found:
            numbers.setdefault(key, len(numbers) + 1)
            backlinks[key].append(Backlink(page.src, anchor, page.title))
        keys = dict.fromkeys(key for key, _ in found)
        if keys:
            cited_on[page.src] = tuple(sorted(keys, key=numbers.__getitem__))
    cited = tuple(sorted(numbers, key=numbers.__getitem__))
    uncited = tuple(k for k in references if k not in numbers) if list_uncited else ()
    return Numbering(
        MappingProxyType(numbers),
        MappingProxyType(page_anchors),
        MappingProxyType({k: tuple(v) for k, v in backlinks.items()}),
        cited,
        uncited,
        MappingProxyType(cited_on),
    )

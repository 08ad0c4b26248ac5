"""One build of a briefing: numbering in reading order, then every page rendered once more."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from ..history import History
from ..model import Briefing, Markdown
from .pages import Page, Pages
from .resolve import Resolver
from .text import long_date

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def page_title(src: str, text: str) -> str:
    """A prose page's title: its first level-1 heading, else its file name."""
    match = _HEADING.search(text)
    if match:
        return re.sub(r"\s*\{[^}]*\}\s*$", "", match.group(1))
    stem = src.rsplit("/", 1)[-1].removesuffix(".md")
    return stem.replace("-", " ").replace("_", " ").capitalize()


Formatter = Callable[[Sequence[str]], Mapping[str, str]]


class Site:
    """The rendered briefing.

    `prepare` walks the pages in reading order so references are numbered as a printed report
    numbers them; afterwards `pages` holds the generated Markdown and `resolve` renders prose
    pages with the same numbers.
    """

    def __init__(
        self,
        briefing: Briefing,
        format_references: Formatter,
        plain: Callable[[str], str],
        directory_urls: bool = True,
        history: History | None = None,
    ) -> None:
        self.briefing = briefing
        self.history = history or History()
        self._format = format_references
        self._plain = plain
        self._entries: dict[str, str] = {}
        self.builder = Pages(briefing, lambda: self._entries, self.history)
        self.generated: list[Page] = self.builder.pages()
        self.resolver = Resolver(self.builder.targets(), directory_urls)
        self.pages: dict[str, str] = {}
        self.titles: dict[str, str] = {}

    def by_src(self) -> dict[str, Page]:
        return {page.src: page for page in self.generated}

    def prepare(self, order: Sequence[str], prose: Mapping[str, str]) -> None:
        """Number citations in `order` (docs-relative paths), then render every generated page.

        `prose` maps each hand-written page to its Markdown; pages missing from `order` follow
        it in path order.
        """
        generated = self.by_src()
        sequence = list(dict.fromkeys(order))
        sequence += sorted(set(prose) - set(sequence))
        sequence += [p.src for p in self.generated if p.src not in sequence]
        self.titles = {p.src: p.title for p in self.generated}
        self.titles.update({src: page_title(src, text) for src, text in prose.items()})
        resolver = self.resolver
        resolver.collect = True
        later = []
        for src in sequence:
            if src in generated:
                if src == "references.md":
                    later.append(src)  # it lists the numbers; it cites nothing itself
                    continue
                generated[src].render(resolver)
            elif src in prose:
                resolver.resolve(prose[src], src, self.titles[src])
        cited = sorted(resolver.numbers, key=resolver.numbers.__getitem__)
        uncited = [k for k in self.briefing.references if k not in resolver.numbers]
        self._entries = dict(self._format([*cited, *uncited]))
        resolver.tooltips = {k: self._plain(v) for k, v in self._entries.items()}
        resolver.collect = False
        self.pages = {page.src: page.render(resolver) for page in self.generated}

    def resolve(self, src: str, text: str | Markdown) -> str:
        """A prose page's Markdown with citations and cross-references linked."""
        return self.resolver.resolve(text, src, self.titles.get(src, src))

    def last_updated(self, src: str, files: tuple[str, ...] = ()) -> str:
        """A "last updated" line for a page: generated pages by their data, prose by `files`."""
        generated = self.by_src().get(src)
        day = self.history.last_updated(*(generated.files if generated else files))
        if day is None:
            return ""
        return (
            f'\n\n<p class="last-updated">Last updated <time datetime="{day}">'
            f"{long_date(day)}</time></p>\n"
        )

    def abbreviations(self) -> str:
        """Glossary terms as Markdown abbreviation definitions, appended to every page."""
        glossary = self.briefing.glossary
        lines = [
            f"*[{term}]: {' '.join(glossary[term].split())}"
            for term in sorted(glossary, key=lambda t: (-len(t), t))
        ]
        return "\n\n" + "\n".join(lines) + "\n" if lines else ""

"""One build of a briefing: numbering in reading order, then every page rendered once more."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urljoin

from ..checks.validate import Result, bibliography_is_shared, validate
from ..citations import cite
from ..citations.bibliography import Bibliography
from ..citations.cite import Citation
from ..citations.formatting import plain
from ..citations.groups import Grouping
from ..model import Briefing, Markdown
from ..publish.downloads import FILES, Download
from ..sources import history
from ..sources.history import History
from . import nav as navigation
from . import tracker
from .formats import Formats, locale_of
from .pages import REFERENCES, Page, Pages, rec_page
from .resolve import Resolver
from .urls import page_url

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.M)


def page_title(src: str, text: str) -> str:
    """A prose page's title: its first level-1 heading, else its file name."""
    match = _HEADING.search(text)
    if match:
        return re.sub(r"\s*\{[^}]*\}\s*$", "", match.group(1))
    stem = src.rsplit("/", 1)[-1].removesuffix(".md")
    return stem.replace("-", " ").replace("_", " ").capitalize()


Formatter = Callable[[Sequence[str]], Mapping[str, str]]
_ENTRY_SLOT = re.compile("\x00entry:([^\x00]*)\x00")


class _EntrySlots(dict[str, str]):
    """The formatted entries while pages render before the formatting: a slot for each key."""

    def get(self, key: str, default: object = None) -> str:
        return f"\x00entry:{key}\x00"

    def __getitem__(self, key: str) -> str:
        return self.get(key)

    def __contains__(self, key: object) -> bool:
        return True


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
        shared_bibliography: bool = False,
        citation: Citation | None = None,
        downloads: Sequence[Download] = (),
        locale: str = "en_GB",
        titles: Mapping[str, str] | None = None,
        rec_citations: Mapping[str, Citation] | None = None,
        grouping: Grouping | None = None,
    ) -> None:
        self.briefing = briefing
        self.formats = Formats(locale, briefing.labels)
        self.rec_citations = dict(rec_citations or {})  # each recommendation's, by id
        self.citation = citation  # how to cite the briefing itself (home page, head, JSON)
        self.history = history or History()
        self.shared_bibliography = shared_bibliography
        self._format = format_references
        self._plain = plain
        self._entries: dict[str, str] = {}
        self.builder = Pages(
            briefing,
            lambda: self._entries,
            self.history,
            further_reading=not shared_bibliography,
            citation=citation,
            downloads=downloads,
            formats=self.formats,
            titles=titles,
            rec_citations=self.rec_citations,
        )
        self.generated: list[Page] = tracker.with_tracker(
            self.builder.pages(), briefing, self.formats, feed=bool(downloads)
        )
        self._by_src = {page.src: page for page in self.generated}
        self.resolver = Resolver(
            self.builder.targets(), directory_urls, grouping=grouping or Grouping()
        )
        self.pages: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self._abbreviations: str | None = None

    def by_src(self) -> dict[str, Page]:
        return self._by_src

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
        # One pass in reading order numbers the citations and renders each generated page;
        # what needs the formatted entries (tooltips, works cited) is filled in afterwards.
        resolver.collect, resolver.defer_tooltips = True, True
        self._entries = _EntrySlots()
        rendered: dict[str, str] = {}
        for src in sequence:
            if src in generated:
                if src == REFERENCES:
                    continue  # it lists the numbers; it cites nothing itself
                resolver.begin(src)
                rendered[src] = generated[src].render(resolver)
            elif src in prose:
                resolver.begin(src)
                resolver.resolve(prose[src], src, self.titles[src])
        cited = sorted(resolver.numbers, key=resolver.numbers.__getitem__)
        # A shared bibliography's uncited works are neither listed nor formatted.
        uncited = (
            []
            if self.shared_bibliography
            else [k for k in self.briefing.references if k not in resolver.numbers]
        )
        entries = dict(self._format([*cited, *uncited]))
        self._entries = entries
        resolver.tooltips = {k: self._plain(v) for k, v in entries.items()}
        resolver.collect, resolver.defer_tooltips = False, False
        if REFERENCES in generated:
            resolver.begin(REFERENCES)
            rendered[REFERENCES] = generated[REFERENCES].render(resolver)

        def entry(match: re.Match[str]) -> str:
            return entries.get(match[1], html.escape(match[1]))

        self.pages = {}
        for page in self.generated:
            text = resolver.fill_tooltips(rendered[page.src])
            self.pages[page.src] = _ENTRY_SLOT.sub(entry, text) if "\x00" in text else text

    def resolve(self, src: str, text: str | Markdown) -> str:
        """A prose page's Markdown with citations and cross-references linked."""
        self.resolver.begin(src)
        return self.resolver.resolve(text, src, self.titles.get(src, src))

    def last_updated(self, src: str, files: tuple[str, ...] = ()) -> str:
        """A "last updated" line for a page: generated pages by their data, prose by `files`."""
        generated = self._by_src.get(src)
        day = self.history.last_updated(*(generated.files if generated else files))
        if day is None:
            return ""
        shown = f'<time datetime="{day}">{html.escape(self.formats.date(day))}</time>'
        label = self.briefing.labels("last_updated", html.escape, date=shown)
        return f'\n\n<p class="last-updated">{label}</p>\n'

    def abbreviations(self) -> str:
        """Glossary terms as Markdown abbreviation definitions, appended to every page."""
        if self._abbreviations is None:
            glossary = self.briefing.glossary
            lines = [
                f"*[{term}]: {' '.join(glossary[term].split())}"
                for term in sorted(glossary, key=lambda t: (-len(t), t))
            ]
            self._abbreviations = "\n\n" + "\n".join(lines) + "\n" if lines else ""
        return self._abbreviations


@dataclass(frozen=True)
class Prepared:
    """A checked briefing, its site numbered in reading order, and the nav that order came from.

    `site` is None when the briefing has errors (`result.errors`); `nav` is the editor's `nav`
    with the generated sections filled in.
    """

    result: Result
    site: Site | None
    nav: list[navigation.NavItem]


def prepare(
    root: Path,
    docs_dir: Path,
    nav: Sequence[navigation.NavItem] | None,
    *,
    citation_style: str = "vancouver",
    directory_urls: bool = True,
    shared_bibliography: bool = False,
    site_url: str | None = None,
    published: bool = False,
    language: str = "en",
    locale: str | None = None,
    theme: Sequence[Path] = (),
) -> Prepared:
    """Validate the briefing under `root`, then number and render it in the reading order.

    The one way to build a briefing's pages, shared by the MkDocs hooks and the plain-Markdown
    export. The prose pages are every `*.md` under `docs_dir`. Raises ValueError for an
    unknown citation style. `language` is the briefing's (`theme.language`); `locale`, if
    given, a region of it for numbers and dates (`en_GB`). `published`: the build also
    writes the downloads (the MkDocs build), so the home page lists them and shows how to
    cite the briefing at `site_url`. `theme`: the theme's folders, whose files docs/ may not
    replace (`content.theme_dirs`).
    """
    chosen = locale or language
    result = validate(root, docs_dir, shared_bibliography=shared_bibliography, theme=theme)
    if result.errors or result.briefing is None:
        return Prepared(result, None, list(nav or []))
    briefing = result.briefing
    content_history = history.read(root)
    if (incomplete := content_history.warning()) is not None:
        result = replace(result, problems=(*result.problems, incomplete))
    bibliography = Bibliography(citation_style, language=chosen)
    references = briefing.references
    site = Site(
        briefing,
        lambda keys: bibliography.format([references[k] for k in keys]),
        plain,
        directory_urls=directory_urls,
        history=content_history,
        shared_bibliography=shared_bibliography,
        citation=cite.citation(briefing.report, bibliography, site_url) if published else None,
        downloads=FILES if published else (),
        locale=chosen,
        titles=navigation.titles(nav),
        rec_citations=_rec_citations(briefing, bibliography, site_url, directory_urls)
        if published
        else None,
        grouping=bibliography.grouping(),
    )
    prose = {src: page.text for src, page in result.sources.pages.items()}
    expanded = navigation.expand(briefing, nav, prose)
    site.prepare(navigation.flatten(expanded), prose)
    return Prepared(result, site, expanded)


def _rec_citations(
    briefing: Briefing, bibliography: Bibliography, site_url: str | None, directory_urls: bool
) -> dict[str, Citation]:
    """How to cite each recommendation, at its page's address when the site's is known."""
    base = (site_url if site_url.endswith("/") else site_url + "/") if site_url else None
    return {
        rec.id: cite.recommendation(
            briefing.report,
            rec,
            bibliography,
            briefing.labels("recommendation_title", number=rec.number, title=rec.title),
            urljoin(base, page_url(rec_page(rec), directory_urls)) if base else None,
        )
        for rec in briefing.recommendations
    }


def prepare_configured(
    root: Path,
    docs_dir: Path,
    nav: Sequence[navigation.NavItem] | None,
    settings: Mapping[str, object],
    **options: object,
) -> Prepared:
    """`prepare` with the briefing's settings (`extra.briefing` of mkdocs.yml) read and checked.

    Raises ValueError naming the setting that is wrong, for the hooks and the export alike.
    """
    try:
        shared = bibliography_is_shared(settings)
    except ValueError as err:
        raise ValueError(f"mkdocs.yml: extra.briefing.bibliography: {err}") from None
    locale = settings.get("locale")
    language = options.get("language", "en")
    for name, value in (("extra.briefing.locale", locale), ("theme.language", language)):
        if value is None:
            continue
        try:
            locale_of(str(value))
        except ValueError as err:
            raise ValueError(f"mkdocs.yml: {name}: {err}") from None
    if locale is not None:
        options["locale"] = str(locale)
    try:
        return prepare(
            root,
            docs_dir,
            nav,
            citation_style=str(settings.get("citation_style", "vancouver")),
            shared_bibliography=shared,
            **options,  # type: ignore[arg-type]
        )
    except ValueError as err:
        raise ValueError(f"mkdocs.yml: extra.briefing.citation_style: {err}") from None

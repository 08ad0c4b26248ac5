"""One build of a briefing: checked, numbered in reading order, then every page rendered once."""

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
from ..problems import BriefingError, Code, Problem
from ..sources import frontmatter, history
from ..sources.history import History
from . import nav as navigation
from . import tracker
from .charts import embed as embed_charts
from .download_list import FILES, Download
from .formats import Formats, locale_of
from .numbering import Cited, Numbering, number
from .pages import SURVEY, Page, Pages, rec_page
from .relations import relations
from .resolve import Resolver
from .titles import recommendation as rec_title
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


class Site:
    """The rendered briefing.

    `prepare` numbers the citations of every page in reading order (`numbering.number`), so
    references are numbered as a printed report numbers them, then renders every page once
    with those numbers; `markdown` gives any page's final text, for every builder.
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
        docs: str = "docs",
    ) -> None:
        self.briefing = briefing
        self.formats = Formats(locale, briefing.labels)
        self.rec_citations = dict(rec_citations or {})  # each recommendation's, by id
        self.citation = citation  # how to cite the briefing itself (home page, head, JSON)
        self.history = history or History()
        self.shared_bibliography = shared_bibliography
        self.directory_urls = directory_urls
        self.docs = docs  # the docs folder, relative to the project (the pages' edit paths)
        self._format = format_references
        self._plain = plain
        self.grouping = grouping or Grouping()  # the style's sort and collapse
        self.entries: Mapping[str, str] = {}  # each work's formatted entry, by key
        self.relations = relations(briefing)
        self.builder = Pages(
            briefing,
            lambda: self.entries,
            self.history,
            citation=citation,
            downloads=downloads,
            formats=self.formats,
            titles=titles,
            rec_citations=self.rec_citations,
            relations=self.relations,
        )
        self.generated: list[Page] = tracker.with_tracker(
            self.builder.pages(), briefing, self.formats, feed=bool(downloads)
        )
        self._by_src = {page.src: page for page in self.generated}
        self.targets = self.builder.targets()
        self.numbering = Numbering()
        self.resolver = Resolver(self.targets, self.numbering, self.grouping)
        self.pages: dict[str, str] = {}  # each generated page's Markdown
        self.prose: dict[str, str] = {}  # each hand-written page's Markdown, resolved
        self.front: dict[str, str] = {}  # each hand-written page's front matter, as written
        self.titles: dict[str, str] = {}
        self.written: tuple[str, ...] = ()  # the hand-written pages, by path
        self._abbreviations: str | None = None

    def by_src(self) -> dict[str, Page]:
        return self._by_src

    def prepare(
        self,
        order: Sequence[str],
        prose: Mapping[str, str],
        front: Mapping[str, str] | None = None,
    ) -> None:
        """Number citations in `order` (docs-relative paths), then render every page once.

        `prose` maps each hand-written page to its Markdown (without its front matter, which
        `front` holds); pages missing from `order` follow it in path order.
        """
        generated = self.by_src()
        sequence = list(dict.fromkeys(order))
        sequence += sorted(set(prose) - set(sequence))
        sequence += [p.src for p in self.generated if p.src not in sequence]
        self.titles = {p.src: p.title for p in self.generated}
        self.titles.update({src: page_title(src, text) for src, text in prose.items()})
        read: list[Cited] = []
        for src in sequence:
            if src in generated:
                page = generated[src]
                read.append(Cited(src, page.cites_as or page.title, page.texts))
            elif src in prose:
                read.append(Cited(src, self.titles[src], (prose[src],)))
        # A shared bibliography's uncited works are neither listed nor formatted.
        self.numbering = number(
            read, self.briefing.references, list_uncited=not self.shared_bibliography
        )
        self.entries = dict(self._format(self.numbering.order))
        tooltips = {k: self._plain(v) for k, v in self.entries.items()}
        self.resolver = Resolver(self.targets, self.numbering, self.grouping, tooltips)
        self.pages = {}
        for page in self.generated:
            links = self.resolver.page(page.src, page.edit or page.src)
            self.pages[page.src] = page.render(links)
            links.check()
        self.front = dict(front or {})
        self.written = tuple(sorted(prose))
        self.prose = {}
        for src, text in prose.items():
            if src in generated:
                continue  # a hand-written page under a generated page's name (`clashes`)
            links = self.resolver.page(src, f"{self.docs}/{src}")
            self.prose[src] = links.resolve(text)
            links.check()

    def resolve(self, src: str, text: str | Markdown) -> str:
        """Any Markdown with citations and cross-references linked as on the page `src`."""
        return self.resolver.page(src).resolve(text)

    def clashes(self) -> list[Problem]:
        """Hand-written pages under a generated page's name: each builder refuses them."""
        return [
            Problem(
                f"{self.docs}/{src}",
                1,
                1,
                f"this page is generated from {self._by_src[src].edit}; "
                "rename or delete the hand-written file",
                code=Code.BUILD_GENERATED_PAGE,
            )
            for src in self.written
            if src in self._by_src
        ]

    def markdown(self, src: str, *, charts: bool = False) -> str:
        """A page's final Markdown, the one text every builder is given: citations and
        cross-references linked, its "last updated" line and the glossary's abbreviations
        added. A hand-written page's front matter is not part of it (`front`).

        `charts`: draw the survey's charts into it, for a builder that does not draw them
        into the built HTML as the MkDocs hooks do. Raises BriefingError for a page the
        build did not read.
        """
        if src in self.pages:
            body = self.pages[src]
            if charts and src == SURVEY:
                body = embed_charts(body, self.briefing.statistics, self.formats)
            files = self._by_src[src].files
        elif src in self.prose:
            body, files = self.prose[src], (f"{self.docs}/{src}",)
        else:
            raise BriefingError(
                [
                    Problem(
                        f"{self.docs}/{src}",
                        1,
                        1,
                        "this page appeared after the briefing was read; build again",
                        code=Code.BUILD_UNREAD_PAGE,
                    )
                ]
            )
        return body + self.last_updated(files) + self.abbreviations()

    def last_updated(self, files: tuple[str, ...]) -> str:
        """A "last updated" line for a page, dated by the last change to `files`."""
        day = self.history.last_updated(*files)
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
        docs=_relative(docs_dir, root),
    )
    split = {src: frontmatter.split(page.text) for src, page in result.sources.pages.items()}
    prose = {src: body for src, (_, body) in split.items()}
    expanded = navigation.expand(briefing, nav, prose)
    site.prepare(
        navigation.flatten(expanded), prose, {src: front for src, (front, _) in split.items()}
    )
    return Prepared(result, site, expanded)


def _relative(docs_dir: Path, root: Path) -> str:
    """The docs folder as the project names it ("docs"), as editors' paths start."""
    docs, project = docs_dir.resolve(), root.resolve()
    return docs.relative_to(project).as_posix() if docs.is_relative_to(project) else "docs"


def _rec_citations(
    briefing: Briefing, bibliography: Bibliography, site_url: str | None, directory_urls: bool
) -> dict[str, Citation]:
    """How to cite each recommendation, at its page's address when the site's is known."""
    base = site_url.rstrip("/") + "/" if site_url else None
    return {
        rec.id: cite.recommendation(
            briefing.report,
            rec,
            bibliography,
            rec_title(briefing.labels, rec),
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
    language = options.get("language")  # not given: prepare's own default, English
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

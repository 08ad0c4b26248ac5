"""The post-builder pass: `python -m briefing finish SITE`, everything the hooks do after
Markdown, over a site a builder without hooks (Zensical) built from `export --for-finish`.

Run from the project (its mkdocs.yml, data/ and references.bib), it renders the briefing again
as the export did and, for each page the engine knows, reads the page the builder wrote (its
address from the page's path and `use_directory_urls`), finds the content between the page's
markers (handoff.py), sanitises it and draws the charts in (finish.content, as the hooks'
`on_page_content`), then finishes the page as the hooks' `on_post_page` does (finish.page).
The PDF gets the same pages in reading order; then the site's own files are written
(finish.site_files) and sitemap.xml is gzipped as MkDocs gzips it.

Every page is read and checked before any is written: a page missing, or one whose markers
are gone, is a placed problem and nothing is changed.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..problems import BriefingError, Code, Problem
from ..render import charts
from ..render import nav as navigation
from ..render.site import Prepared, Site
from ..render.urls import page_url
from . import csp, downloads, export, finish, handoff, pdf, sanitize, zensical_theme
from .paper import style

THEME_PAGES = ("404.html",)  # the theme's own pages (the hooks' on_post_template)
# A page the builder has not written yet (or not from this export): a server waits for it.
PENDING = frozenset({Code.BUILD_FINISH_PAGE, Code.BUILD_FINISH_MARKERS})


@dataclass(frozen=True)
class Finished:
    """What the pass did: the pages finished, the site's files, its warnings."""

    pages: int
    published: downloads.Published
    warnings: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # for the log (what the pass could not do)


def built_file(src: str, directory_urls: bool) -> str:
    """The file a builder writes for the page `src`, relative to the site's folder."""
    url = page_url(src, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


@dataclass(frozen=True)
class Handed:
    """One export for the pass: the project's briefing, prepared as the export prepared it."""

    root: Path
    prepared: Prepared
    handed: export.Handoff
    settings: finish.Settings
    reading: list[str]
    paper: str

    @property
    def site(self) -> Site:
        assert self.prepared.site is not None
        return self.prepared.site


def handed(config_path: Path, site_url: str | None = None, live_reload: bool = False) -> Handed:
    """The export of the project at `config_path` as the pass reads it back.

    Raises BriefingError (the briefing's errors), ValueError for bad settings.
    """
    config, prepared = export.prepare_project(config_path, for_finish=True, site_url=site_url)
    result, site = prepared.result, prepared.site
    if site is None:
        raise BriefingError(result.errors or result.problems)
    if clashes := site.clashes():
        raise BriefingError(clashes)
    site_url = export.finish_site_url(config, site_url)
    root = config_path.resolve().parent
    directory_urls = bool(config.get("use_directory_urls", True))
    language = export.theme_language(config)
    briefing = export.briefing_settings(config)
    paper = style.paper(briefing.get("paper"))
    repository = finish.repository(
        config.get("repo_url"), config.get("repo_name"), briefing, os.environ
    )
    edit = finish.edit_base(repository)
    settings = finish.Settings(
        root, site_url, directory_urls, language, live_reload, edit_base=edit
    )
    handoff_ = export.handed_off(prepared, for_finish=True, site_url=site_url)
    return Handed(root, prepared, handoff_, settings, navigation.flatten(prepared.nav), paper)


@dataclass
class Pages:
    """The pages one pass finished (by path, to write) and every page's record for the PDF."""

    settings: finish.Settings
    written: dict[Path, str] = field(default_factory=dict)
    built: dict[str, finish.Built] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the log


def finish_pages(
    given: Handed, site_dir: Path, earlier: Mapping[str, finish.Built] | None = None
) -> Pages:
    """Every page of the site finished in memory (nothing written), or the problems.

    `earlier`: the pages a pass before finished (`zensical serve`, which rebuilds only what
    changed): a page without markers that was finished then is kept as it is.
    """
    site, handoff_ = given.site, given.handed
    styles = zensical_theme.script_styles(site_dir)
    settings = replace(given.settings, styles=styles or ())
    order = sorted(handoff_.files, key=lambda src: (src not in given.reading, src))
    out = Pages(settings)
    if styles is None:
        out.notes.append(
            f"WARNING: {site_dir}/{zensical_theme.SCRIPTS}: the theme's script inserts a "
            "stylesheet this pass cannot read, which the pages' policy refuses (the search "
            "dialog shows unstyled): see README, 'Moving to a newer Zensical'"
        )
    for src in order:
        name = built_file(src, settings.directory_urls)
        path = site_dir / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            out.problems.append(_missing(f"{site.docs}/{src}", name, site_dir, err))
            continue
        span = handoff.content(handoff_.marks[src], text)
        if span is None:
            if earlier and src in earlier and csp.protected(text):
                out.built[src] = earlier[src]
            else:
                out.problems.append(_unmarked(f"{site.docs}/{src}", name, site_dir))
            continue
        begin, stop = span
        start, end = handoff_.marks[src]
        try:
            content = finish.content(site, src, text[begin:stop])
        except charts.UnsafeChart as err:  # as the hooks: a fault in drawing, not in a page
            raise ValueError(f"data/statistics.yml: {err}") from None
        built = finish.Built(
            src,
            page_url(src, settings.directory_urls),
            handoff_.titles[src],
            content,
            home=src == "index.md",
            canonical_url=finish.canonical_url(settings.site_url, src, settings.directory_urls),
        )
        before = finish.edit_links(text[: begin - len(start)], settings.edit_url(site, src))
        page = before + content + text[stop + len(end) :]
        output, duplicates = finish.page(zensical_theme.page(page), site, built, settings)
        out.problems += duplicates
        out.written[path] = output
        out.built[src] = built
    return out


def finish_written(
    given: Handed,
    site_dir: Path,
    pages: Pages,
    *,
    epoch: int | None = None,
    background: pdf.Background | None = None,
) -> downloads.Published:
    """Write the finished pages, the theme's own, and the site's files (finish.site_files)."""
    for path, output in pages.written.items():
        path.write_text(output, encoding="utf-8")
    for name in THEME_PAGES:
        theme = site_dir / name
        if theme.is_file():
            text = theme.read_text(encoding="utf-8")
            if not csp.protected(text):
                live, styles = pages.settings.live_reload, pages.settings.styles
                patched = finish.theme_page(zensical_theme.page(text), live, styles)
                theme.write_text(patched, encoding="utf-8")
    clean_search(site_dir)
    published = finish.site_files(
        given.site,
        site_dir,
        given.root / "references.bib",
        [built.printed() for built in pages.built.values()],
        given.reading,
        site_url=given.settings.site_url,
        language=given.settings.language,
        epoch=epoch,
        paper=given.paper,
        background=background,
    )
    finish.sitemap_gz(site_dir, epoch)
    return published


def finish_site(
    config_path: Path,
    site_dir: Path,
    *,
    site_url: str | None = None,
    epoch: int | None = None,
) -> Finished:
    """Finish the site in `site_dir` built from the export of the project at `config_path`.

    Raises BriefingError with every problem found (nothing is written then), ValueError for
    bad settings, pdf.PdfError when the PDF cannot be made.
    """
    given = handed(config_path, site_url)
    pages = finish_pages(given, site_dir)
    if pages.problems:
        raise BriefingError(pages.problems)
    published = finish_written(given, site_dir, pages, epoch=epoch)
    warnings = tuple(given.prepared.result.warnings)
    return Finished(len(pages.written), published, warnings, tuple(pages.notes))


SEARCH_INDEX = "search.json"  # Zensical's: each section's title and text, as HTML


def clean_search(site_dir: Path) -> bool:
    """The builder's search index with every title and text sanitised as page content is (the
    search shows them as HTML, and the builder indexed the content before the pass cleaned
    it); whether it was rewritten. An index in another shape is refused, not skipped."""
    path = site_dir / SEARCH_INDEX
    if not path.is_file():
        return False
    raw = path.read_text(encoding="utf-8")
    index = json.loads(raw)
    items = index.get("items") if isinstance(index, dict) else None
    if not isinstance(items, list):
        raise ValueError(f"{path}: not a search index this pass knows (no 'items' list)")
    for item in items:
        for key in ("title", "text"):
            if isinstance(item, dict) and isinstance(item.get(key), str):
                item[key] = sanitize.clean(item[key])
    cleaned = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    if cleaned == raw:
        return False
    path.write_text(cleaned, encoding="utf-8")
    return True


def _missing(where: str, name: str, site_dir: Path, err: Exception) -> Problem:
    reason = "it is not there" if isinstance(err, FileNotFoundError) else str(err)
    return Problem(
        where,
        1,
        1,
        f"the builder wrote no page {name} under {site_dir} for it ({reason}): build "
        "`python -m briefing export --for-finish` with the builder into that folder, then finish",
        code=Code.BUILD_FINISH_PAGE,
    )


def _unmarked(where: str, name: str, site_dir: Path) -> Problem:
    return Problem(
        where,
        1,
        1,
        f"the built page {site_dir}/{name} lacks this page's content markers: it was not "
        "built from the current `python -m briefing export --for-finish` (export again, build, "
        "then finish), or it was finished already",
        code=Code.BUILD_FINISH_MARKERS,
    )

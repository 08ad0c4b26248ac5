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

from dataclasses import dataclass
from pathlib import Path

from ..problems import BriefingError, Code, Problem
from ..render import charts
from ..render import nav as navigation
from ..render.urls import page_url
from . import downloads, export, finish, handoff, pdf
from .paper import style

THEME_PAGES = ("404.html",)  # the theme's own pages (the hooks' on_post_template)


@dataclass(frozen=True)
class Finished:
    """What the pass did: the pages finished, the site's files, its warnings."""

    pages: int
    published: downloads.Published
    warnings: tuple[Problem, ...] = ()


def built_file(src: str, directory_urls: bool) -> str:
    """The file a builder writes for the page `src`, relative to the site's folder."""
    url = page_url(src, directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def finish_site(
    config_path: Path,
    site_dir: Path,
    *,
    site_url: str | None = None,
    epoch: int | None = None,
    live_reload: bool = False,
    background: pdf.Background | None = None,
) -> Finished:
    """Finish the site in `site_dir` built from the export of the project at `config_path`.

    Raises BriefingError with every problem found (nothing is written then), ValueError for
    bad settings, pdf.PdfError when the PDF cannot be made.
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
    paper = style.paper(export.briefing_settings(config).get("paper"))
    settings = finish.Settings(root, site_url, directory_urls, language, live_reload)
    handed = export.handed_off(prepared, for_finish=True, site_url=site_url)
    reading = navigation.flatten(prepared.nav)
    order = sorted(handed.files, key=lambda src: (src not in reading, src))

    problems: list[Problem] = []
    finished: dict[Path, str] = {}
    printed: list[pdf.PrintPage] = []
    for src in order:
        where = f"{site.docs}/{src}"
        name = built_file(src, directory_urls)
        path = site_dir / name
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            problems.append(_missing(where, name, site_dir, err))
            continue
        span = handoff.content(handed.marks[src], text)
        if span is None:
            problems.append(_unmarked(where, name, site_dir))
            continue
        begin, stop = span
        start, end = handed.marks[src]
        opening = begin - len(start)
        try:
            content = finish.content(site, src, text[begin:stop])
        except charts.UnsafeChart as err:  # as the hooks: a fault in drawing, not in a page
            raise ValueError(f"data/statistics.yml: {err}") from None
        built = finish.Built(
            src,
            page_url(src, directory_urls),
            handed.titles[src],
            content,
            home=src == "index.md",
            canonical_url=finish.canonical_url(site_url, src, directory_urls),
        )
        page = text[:opening] + content + text[stop + len(end) :]
        output, duplicates = finish.page(page, site, built, settings)
        problems += duplicates
        finished[path] = output
        printed.append(built.printed())
    if problems:
        raise BriefingError(problems)
    for path, output in finished.items():
        path.write_text(output, encoding="utf-8")
    for name in THEME_PAGES:
        theme = site_dir / name
        if theme.is_file():
            text = theme.read_text(encoding="utf-8")
            theme.write_text(finish.theme_page(text, live_reload), encoding="utf-8")
    published = finish.site_files(
        site,
        site_dir,
        root / "references.bib",
        printed,
        reading,
        site_url=site_url,
        language=language,
        epoch=epoch,
        paper=paper,
        background=background,
    )
    finish.sitemap_gz(site_dir, epoch)
    return Finished(len(finished), published, tuple(result.warnings))


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

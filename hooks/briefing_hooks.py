"""MkDocs hooks: thin glue between MkDocs events and the briefing engine (hooks/briefing/)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from briefing import cache
from briefing.problems import BriefingError, Problem, format_problems
from briefing.publish import finish, head, links, pdf, sanitize
from briefing.publish.paper import style
from briefing.render import charts
from briefing.render import nav as navigation
from briefing.render.site import Site, prepare_configured
from markdown import Extension, Markdown  # type: ignore[import-untyped]  # no stubs
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.briefing")


class _Build:
    """What one build knows; replaced on every build so `mkdocs serve` never sees stale data."""

    site: Site | None = None
    root: Path = Path.cwd()
    printed: list[pdf.PrintPage]  # every page built, for the PDF (a new list per build)
    lent_title: Page | None = None  # the page given a `meta.title` while it renders
    duplicates: list[Problem]  # ids used twice in a built page, reported after the last page


_build = _Build()
# `mkdocs serve` prints the PDF in the background: a page reloads without waiting for it.
_printer: pdf.Background | None = None
_serving = False  # `mkdocs serve` adds a live-reload script to every page (see csp.policy)


def _printed(printed: pdf.Printed) -> None:
    if printed.error is not None:
        log.error(f"downloads/briefing.pdf: {printed.error}")
    else:
        log.info(f"Printed downloads/briefing.pdf in the background in {printed.seconds:.1f} s")


def on_startup(command: str, dirty: bool) -> None:
    """Once per MkDocs command: only `serve` prints in the background (a build waits for it)."""
    global _printer, _serving
    _printer = pdf.Background(_printed) if command == "serve" else None
    _serving = command == "serve"


def _settings(config: MkDocsConfig) -> dict[str, Any]:
    settings = config.extra.get("briefing", {})
    return settings if isinstance(settings, dict) else {}


class _MarkResolved(Treeprocessor):  # type: ignore[misc]  # Python-Markdown has no types
    """Marks the links of the Markdown, which MkDocs resolves itself (raw HTML it leaves as
    written): `links.resolve` resolves the others in on_page_content."""

    def run(self, root: Any) -> None:
        for element in root.iter():
            if element.tag in ("a", "img"):  # what MkDocs' own link processor rewrites
                element.set(links.RESOLVED, "")


class _Resolved(Extension):  # type: ignore[misc]
    """`_MarkResolved` for every page (on_config adds it to the Markdown extensions)."""

    def extendMarkdown(self, md: Markdown) -> None:
        # Just before MkDocs' own (priority 0): it sees the same elements.
        md.treeprocessors.register(_MarkResolved(md), "briefing_resolved", 0.5)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not any(isinstance(e, _Resolved) for e in config.markdown_extensions):
        config.markdown_extensions.append(_Resolved())  # MkDocs passes instances on as they are
    root = Path(config.config_file_path).parent
    _build.root, _build.site, _build.printed, _build.lent_title = root, None, [], None
    _build.duplicates = []
    if _printer is not None:
        _printer.cancel()  # a PDF still printing belongs to the build before
    settings = _settings(config)
    try:
        style.paper(settings.get("paper"))
    except ValueError as err:
        raise PluginError(f"mkdocs.yml: extra.briefing.paper: {err}") from None
    try:
        prepared = prepare_configured(
            root,
            Path(config.docs_dir),
            config.nav,
            settings,
            directory_urls=config.use_directory_urls,
            site_url=config.site_url or None,
            published=True,
            language=config.theme.get("language") or "en",
            theme=[Path(folder) for folder in config.theme.dirs],
        )
    except (ValueError, BriefingError) as err:  # bad settings; a page unlike its numbering
        raise PluginError(str(err)) from None
    result = prepared.result
    for warning in result.warnings:
        log.warning(format_problems([warning]))
    if prepared.site is None or result.briefing is None:
        raise PluginError(
            format_problems(result.errors or result.problems)
            + f"\n{len(result.errors)} error(s) in the briefing: nothing was built."
        )
    briefing = result.briefing
    _build.site = prepared.site
    config.nav = prepared.nav
    config.site_name, description = head.site_names(briefing.report)
    config.site_description = config.site_description or description
    repository = finish.repository(config.repo_url, config.repo_name, settings, os.environ)
    for key, value in repository.items():
        config[key] = value
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _build.site
    assert site is not None
    if clashes := site.clashes():
        raise PluginError(format_problems(clashes))
    for file in files.documentation_pages():
        file.edit_uri = finish.edit_path(site, file.src_uri)
    for page in site.generated:
        file = File.generated(config, page.src, content=site.pages[page.src])
        file.edit_uri = finish.edit_path(site, page.src)
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The engine's final text of the page (read and numbered with the others in on_config)."""
    site = _build.site
    assert site is not None
    try:
        return site.markdown(page.file.src_uri)
    except BriefingError as err:
        raise PluginError(str(err)) from None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The page's links to sources resolved to MkDocs' addresses, as MkDocs resolves a Markdown
    link (`links.resolve`); then only allow-listed HTML reaches a page, whatever the Markdown
    held (see SECURITY.md).

    The theme writes titles and front matter unescaped: they are made plain, escaped text.
    """
    title = sanitize.title(page.title or "")
    page.meta = sanitize.metadata(page.meta)
    page.title = title
    if "title" in page.meta:
        page.meta["title"] = title
    site = _build.site
    assert site is not None

    def url_of(path: str) -> str | None:
        file = files.get_file_from_path(path)
        return file.url if file is not None else None

    src = page.file.src_uri
    resolved = links.resolve(html, src, url_of)
    if resolved.unknown and src in site.prose and page.file.abs_src_path:  # an editor's page
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8", errors="replace")

        def pages() -> dict[str, str]:
            return {file.url: file.src_uri for file in files.documentation_pages()}

        for problem in links.problems(resolved, src, f"{site.docs}/{src}", text, pages):
            log.warning(format_problems([problem]))
    try:  # sanitised, then the charts (generated SVG the sanitiser would drop): finish.content
        return finish.content(site, src, resolved.html)
    except charts.UnsafeChart as err:
        raise PluginError(f"data/statistics.yml: {err}") from None


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    """The theme writes `page.meta.title` into `<title>` as it is (`page.title` it unescapes):
    give it the escaped title while this page renders. Only while: a page with metadata makes
    every later page's navigation slower to render."""
    if not page.is_homepage and "title" not in page.meta:  # the home page's is the site name
        page.meta["title"] = page.title
        _build.lent_title = page
    return context


def _finishing(config: MkDocsConfig) -> finish.Settings:
    return finish.Settings(
        _build.root,
        site_url=config.site_url or None,
        directory_urls=config.use_directory_urls,
        language=config.theme.get("language") or "en",
        live_reload=_serving,
    )


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The engine finishes the page (finish.page): the theme's markup patched, ids checked, head
    tags and the Content-Security-Policy added; its content is kept for the PDF."""
    if _build.lent_title is page:
        del page.meta["title"]
        _build.lent_title = None
    site = _build.site
    assert site is not None
    built = finish.Built(
        page.file.src_uri,
        page.url,
        page.title or "",
        page.content or "",
        home=page.is_homepage,
        canonical_url=page.canonical_url,
    )
    _build.printed.append(built.printed())
    source = page.file.edit_uri or f"docs/{page.file.src_uri}"
    output, duplicates = finish.page(output, site, built, _finishing(config), source)
    _build.duplicates += duplicates
    return output


def on_post_build(config: MkDocsConfig) -> None:
    """Write the downloads: JSON, CSV, BibTeX, CSL-JSON and the PDF (headless Chromium)."""
    site = _build.site
    assert site is not None
    if _build.duplicates:
        raise PluginError(
            format_problems(_build.duplicates) + "\n" + finish.duplicates_error(_build.duplicates)
        )
    try:
        published = finish.site_files(
            site,
            Path(config.site_dir),
            _build.root / "references.bib",
            _build.printed,
            navigation.flatten(config.nav or []),
            site_url=config.site_url or None,
            language=config.theme.get("language") or "en",
            epoch=finish.epoch(),
            paper=style.paper(_settings(config).get("paper")),
            background=_printer,
        )
    except ValueError as err:
        raise PluginError(f"mkdocs.yml: extra.briefing.paper: {err}") from None
    except pdf.PdfError as err:
        raise PluginError(f"downloads/briefing.pdf: {err}") from None
    for problem in published.problems:
        log.warning(problem)
    for note in published.notes:
        log.info(note)
    log.info(finish.summary(published))
    store = cache.shared()
    if store.problem:
        log.info(f"Building without a cache: {store.problem}")


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for the theme's own pages (404.html)."""
    if not template_name.endswith(".html"):
        return output_content
    return finish.theme_page(output_content, live_reload=_serving)


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when the data or the references change, not only the docs."""
    server.watch(str(_build.root / "data"))
    server.watch(str(_build.root / "references.bib"))
    return server

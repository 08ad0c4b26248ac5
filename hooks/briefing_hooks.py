"""MkDocs hooks: thin glue between MkDocs events and the briefing engine (hooks/briefing/)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from briefing import csl, history
from briefing.problems import format_problems
from briefing.render import nav as navigation
from briefing.render.site import Site
from briefing.validate import validate
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.briefing")


class _Build:
    """What one build knows; replaced on every build so `mkdocs serve` never sees stale data."""

    site: Site | None = None
    root: Path = Path.cwd()


_build = _Build()


def _settings(config: MkDocsConfig) -> dict[str, Any]:
    settings = config.extra.get("briefing", {})
    return settings if isinstance(settings, dict) else {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    _build.root, _build.site = root, None
    result = validate(root, Path(config.docs_dir))
    for warning in result.warnings:
        log.warning(format_problems([warning]))
    if result.errors or result.briefing is None:
        raise PluginError(
            format_problems(result.errors or result.problems)
            + f"\n{len(result.errors)} error(s) in the briefing: nothing was built."
        )
    briefing = result.briefing
    settings = _settings(config)
    try:
        bibliography = csl.Bibliography(str(settings.get("citation_style", "vancouver")))
    except ValueError as err:
        raise PluginError(f"mkdocs.yml: extra.briefing.citation_style: {err}") from None
    references = briefing.references
    _build.site = Site(
        briefing,
        lambda keys: bibliography.format([references[k] for k in keys]),
        csl.plain,
        directory_urls=config.use_directory_urls,
        history=history.read(root),
    )
    prose = sorted(
        p.relative_to(config.docs_dir).as_posix() for p in Path(config.docs_dir).rglob("*.md")
    )
    config.nav = navigation.expand(briefing, config.nav, prose)
    if not config.site_description:
        config.site_description = briefing.report.subtitle or briefing.report.title
    if not config.repo_url and os.environ.get("GITHUB_REPOSITORY"):
        config.repo_url = f"https://github.com/{os.environ['GITHUB_REPOSITORY']}"
        config.repo_name = os.environ["GITHUB_REPOSITORY"]
    if config.repo_url:
        config.edit_uri = f"edit/{settings.get('branch', 'main')}/"
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _build.site
    assert site is not None
    generated = site.by_src()
    clashes = [f.src_uri for f in files.documentation_pages() if f.src_uri in generated]
    if clashes:
        raise PluginError(
            "\n".join(
                f"docs/{src}:1:1: this page is generated from {generated[src].edit}; "
                "rename or delete the hand-written file"
                for src in clashes
            )
        )
    docs = Path(config.docs_dir).resolve().relative_to(_build.root.resolve()).as_posix()
    prose: dict[str, str] = {}
    for file in files.documentation_pages():
        prose[file.src_uri] = file.content_string
        file.edit_uri = f"{docs}/{file.src_uri}"
    site.prepare(navigation.flatten(config.nav or []), prose)
    for page in site.generated:
        file = File.generated(config, page.src, content=site.pages[page.src])
        file.edit_uri = page.edit or None
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _build.site
    assert site is not None
    src = page.file.src_uri
    if src not in site.pages:
        markdown = site.resolve(src, markdown)
    source = page.file.edit_uri or ""
    return markdown + site.last_updated(src, (source,)) + site.abbreviations()


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    """Rebuild when the data or the references change, not only the docs."""
    server.watch(str(_build.root / "data"))
    server.watch(str(_build.root / "references.bib"))
    return server

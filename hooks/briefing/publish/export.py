"""The rendered briefing as a plain MkDocs project: Markdown pages that need no hooks.

`python -m briefing export OUT` writes every page with citations, cross-references, "last
updated" lines and glossary abbreviations already resolved, the docs' other files, and a
mkdocs.yml without `hooks:` whose `nav` lists every page. Builders that ignore hooks (Zensical
reads mkdocs.yml but not `hooks:`) can then publish the briefing with plain `mkdocs build`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import BriefingError, Code, Problem
from ..render import charts
from ..render.pages import SURVEY
from ..render.site import Prepared, Site, prepare_configured
from ..sources import content
from . import sanitize

HEADER = "# Exported by `python -m briefing export`: generated, do not edit; edit the briefing.\n"
DOCS = "docs"
# Settings that name files next to mkdocs.yml and make no sense in the exported copy.
DROPPED = ("hooks", "watch")
# MkDocs' own front matter pattern (mkdocs.utils.meta): kept as written, never resolved.
_FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n.*?\n(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


# --- mkdocs.yml, tags and all -----------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A YAML value under a tag safe_load does not know (`!!python/name:...`, `!ENV`, ...)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """safe_load that keeps unknown tags, so a config written back out means the same."""


def _construct_tagged(loader: yaml.SafeLoader, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
    return Tagged(str(node.tag), value)


_Loader.add_constructor(None, _construct_tagged)  # None: any tag it does not know


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data; values under unknown tags are kept as `Tagged`."""
    value = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)  # a SafeLoader
    if not isinstance(value, dict):
        raise ValueError(f"{path.name}: the settings must be a mapping")
    return value


def dump_config(config: Mapping[str, Any]) -> str:
    """YAML for `config`, with tagged values written back under their tags."""
    return yaml.dump(dict(config), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def briefing_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """`extra.briefing` of a loaded mkdocs.yml ({} when absent)."""
    extra = config.get("extra")
    settings = extra.get("briefing") if isinstance(extra, dict) else None
    return settings if isinstance(settings, dict) else {}


def theme_language(config: Mapping[str, Any]) -> str:
    """`theme.language` of a loaded mkdocs.yml (MkDocs' default, en, when absent)."""
    theme = config.get("theme")
    language = theme.get("language") if isinstance(theme, dict) else None
    return str(language) if language else "en"


# --- the export -------------------------------------------------------------------------------


def split_front_matter(text: str) -> tuple[str, str]:
    """A page's YAML front matter (as written, '' if none) and the Markdown after it."""
    match = _FRONT_MATTER.match(text)
    return (match.group(0), text[match.end() :]) if match else ("", text)


def pages(prepared: Prepared, docs: str = DOCS) -> dict[str, str]:
    """Every page's final Markdown by docs-relative path, as the hooks hand it to MkDocs.

    `docs` is the docs folder relative to the project, which "last updated" dates are keyed by.
    """
    site = prepared.site
    assert site is not None
    out: dict[str, str] = {}
    for page in site.generated:
        markdown = site.pages[page.src]
        if page.src == SURVEY:  # the hooks draw the charts into the page's HTML
            markdown = charts.embed(markdown, site.briefing.statistics, site.formats)
        out[page.src] = markdown + site.last_updated(page.src) + site.abbreviations()
    for src, prose in sorted(prepared.result.sources.pages.items()):
        if src in out:
            continue  # a hand-written page under a generated page's name: refused by export()
        front, body = split_front_matter(prose.text)
        out[src] = (
            front
            + site.resolve(src, body)
            + site.last_updated(src, (f"{docs}/{src}",))
            + site.abbreviations()
        )
    return out


def _config(config: dict[str, Any], site: Site, nav: list[Any]) -> dict[str, Any]:
    exported = {k: v for k, v in config.items() if k not in DROPPED}
    exported["docs_dir"] = DOCS
    exported["nav"] = nav
    report = site.briefing.report  # as the hooks set them (the theme writes them unescaped)
    exported["site_name"] = sanitize.plain(report.title)  # one title: report.yml's
    if not exported.get("site_description"):
        exported["site_description"] = sanitize.plain(report.subtitle or report.title)
    return exported


def _clashes(prepared: Prepared, docs: str) -> list[Problem]:
    site = prepared.site
    assert site is not None
    generated = site.by_src()
    return [
        Problem(
            f"{docs}/{src}",
            1,
            1,
            f"this page is generated from {generated[src].edit}; "
            "rename or delete the hand-written file",
            code=Code.BUILD_GENERATED_PAGE,
        )
        for src in prepared.result.sources.pages
        if src in generated
    ]


def export(config_path: Path, out: Path, strict: bool = False) -> list[Problem]:
    """Write the plain project for the briefing of `config_path` into `out`; its warnings.

    Raises BriefingError for errors (and warnings, with `strict`), ValueError for bad settings
    or an `out` that is neither new nor an earlier export.
    """
    config = read_config(config_path)
    if "INHERIT" in config:
        raise ValueError("INHERIT: export a mkdocs.yml that holds every setting itself")
    root = config_path.resolve().parent
    docs_dir = (root / str(config.get("docs_dir", "docs"))).resolve()
    out = out.resolve()
    if out == root or root.is_relative_to(out) or out.is_relative_to(docs_dir):
        raise ValueError(f"{out}: export somewhere outside the project's sources")
    if out.exists() and any(out.iterdir()):
        marker = out / "mkdocs.yml"
        if not (marker.is_file() and marker.read_text(encoding="utf-8").startswith(HEADER)):
            raise ValueError(f"{out}: not empty and not an earlier export; choose a new folder")
    prepared = prepare_configured(
        root,
        docs_dir,
        config.get("nav"),
        briefing_settings(config),
        directory_urls=bool(config.get("use_directory_urls", True)),
        language=theme_language(config),
        theme=content.configured_theme_dirs(config, root),
    )
    result = prepared.result
    site = prepared.site
    docs = docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else DOCS
    if site is None:
        raise BriefingError(result.errors or result.problems)
    if clashes := _clashes(prepared, docs):
        raise BriefingError(clashes)
    if strict and result.warnings:
        raise BriefingError(result.warnings)

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        shutil.copytree(
            docs_dir,
            staging / DOCS,
            ignore=shutil.ignore_patterns("*.md", ".*"),
            dirs_exist_ok=True,
        )
        for src, markdown in pages(prepared, docs).items():
            target = staging / DOCS / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        theme = config.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        if isinstance(custom, str) and (root / custom).resolve().is_relative_to(root):
            shutil.copytree(root / custom, staging / custom)  # theme overrides, by its path
        (staging / "mkdocs.yml").write_text(
            HEADER + dump_config(_config(config, site, prepared.nav)), encoding="utf-8"
        )
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return list(result.warnings)

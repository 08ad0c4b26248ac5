"""The rendered briefing as a plain MkDocs project: Markdown pages that need no hooks.

`python -m briefing export OUT` writes every page with citations, cross-references, "last
updated" lines and glossary abbreviations already resolved, the docs' other files, and a
mkdocs.yml without `hooks:` whose `nav` lists every page. Builders that ignore hooks (Zensical
reads mkdocs.yml but not `hooks:`) can then publish the briefing: every link of a page names a
source file relative to the page's (`publish/links.py`), which such a builder resolves itself.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..problems import BriefingError, Problem
from ..render.site import Prepared, Site, prepare_configured
from ..sources import content
from . import finish, handoff, head, sanitize, zensical_theme

HEADER = "# Exported by `python -m briefing export`: generated, do not edit; edit the briefing.\n"
DOCS = "docs"
# Settings that name files next to mkdocs.yml and make no sense in the exported copy.
DROPPED = ("hooks", "watch")


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


def pages(prepared: Prepared, *, charts: bool = True) -> dict[str, str]:
    """Every page's final Markdown by docs-relative path, as the hooks hand it to MkDocs, with
    a hand-written page's front matter kept as written (never resolved). `charts`: the survey's
    charts drawn in (for a builder that is not followed by the post-builder pass)."""
    site = prepared.site
    assert site is not None
    out = {page.src: site.markdown(page.src, charts=charts) for page in site.generated}
    for src in site.written:
        if src not in out:  # a hand-written page under a generated page's name is refused
            out[src] = site.front.get(src, "") + site.markdown(src)
    return out


@dataclass(frozen=True)
class Handoff:
    """The pages as exported, and what the post-builder pass checks them by."""

    files: dict[str, str]  # each page's file text: escaped front matter, then its Markdown
    titles: dict[str, str]  # each page's title, escaped (the front matter's)
    marks: dict[str, tuple[str, str]]  # each page's markers (handoff.marks), if it has them


def handed_off(prepared: Prepared, *, for_finish: bool, site_url: str | None = None) -> Handoff:
    """The exported pages: titles and front matter escaped as the hooks escape them; for the
    post-builder pass (`for_finish`), charts left for it to draw and markers around each
    page's content."""
    site = prepared.site
    assert site is not None
    bodies = {
        src: text[len(site.front.get(src, "")) :] if src in site.written else text
        for src, text in pages(prepared, charts=not for_finish).items()
    }
    titles = handoff.titles(prepared, bodies)
    fronts = {
        src: handoff.front_matter(src, site.front.get(src, ""), titles[src]) for src in bodies
    }
    marks = {}
    if for_finish:
        options = f"site_url={site_url or ''}\ndirectory_urls={site.directory_urls}"
        marks = {src: handoff.marks(options, src, fronts[src] + bodies[src]) for src in bodies}
    files = {
        src: fronts[src] + (handoff.wrap(marks[src], body) if for_finish else body)
        for src, body in bodies.items()
    }
    return Handoff(files, titles, marks)


def _escaped_nav(nav: Sequence[Any]) -> list[Any]:
    """The nav with every name escaped as the hooks escape page titles (themes write the
    names unescaped)."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            out.append(
                {
                    (sanitize.title(k) if isinstance(k, str) else k): (
                        _escaped_nav(v) if isinstance(v, list) else v
                    )
                    for k, v in item.items()
                }
            )
        else:
            out.append(item)
    return out


def _config(config: dict[str, Any], site: Site, nav: list[Any]) -> dict[str, Any]:
    exported = {k: v for k, v in config.items() if k not in DROPPED}
    exported["docs_dir"] = DOCS
    exported["nav"] = _escaped_nav(nav)
    name, description = head.site_names(site.briefing.report)  # as the hooks set them
    exported["site_name"] = name
    exported["site_description"] = exported.get("site_description") or description
    repository = finish.repository(
        config.get("repo_url"), config.get("repo_name"), briefing_settings(config), os.environ
    )
    exported.update(repository)  # as the hooks set them (the pass writes each page's edit link)
    return exported


def finish_site_url(config: Mapping[str, Any], site_url: str | None) -> str | None:
    """The site's address for a finished build: the one given, else mkdocs.yml's."""
    return site_url or (str(config["site_url"]) if config.get("site_url") else None)


def prepare_project(
    config_path: Path, *, for_finish: bool = False, site_url: str | None = None
) -> tuple[dict[str, Any], Prepared]:
    """The project's settings and its briefing, prepared as the export (and the post-builder
    pass, `for_finish`) renders it. Raises ValueError for bad settings."""
    config = read_config(config_path)
    if "INHERIT" in config:
        raise ValueError("INHERIT: export a mkdocs.yml that holds every setting itself")
    root = config_path.resolve().parent
    docs_dir = (root / str(config.get("docs_dir", "docs"))).resolve()
    site_url = finish_site_url(config, site_url)
    return config, prepare_configured(
        root,
        docs_dir,
        config.get("nav"),
        briefing_settings(config),
        directory_urls=bool(config.get("use_directory_urls", True)),
        language=theme_language(config),
        theme=content.configured_theme_dirs(config, root),
        **({"site_url": site_url, "published": True} if for_finish else {}),
    )


BUILDERS_OWN = ("site", ".cache")  # what a builder writes into the export folder


def _update(new: Path, out: Path) -> None:
    """`out` made the same as `new`, touching only the files that differ."""
    wanted = {p.relative_to(new) for p in new.rglob("*") if p.is_file()}
    for relative in sorted(wanted):
        target = out / relative
        data = (new / relative).read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    for path in sorted(out.rglob("*"), reverse=True):  # files before their folders
        relative = path.relative_to(out)
        if relative.parts[0] in BUILDERS_OWN or relative in wanted:
            continue
        if path.is_file() or path.is_symlink():
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def export(
    config_path: Path,
    out: Path,
    strict: bool = False,
    *,
    for_finish: bool = False,
    site_url: str | None = None,
    in_place: bool = False,
    prepared: Prepared | None = None,
    handed: Handoff | None = None,
) -> list[Problem]:
    """Write the plain project for the briefing of `config_path` into `out`; its warnings.

    `for_finish`: for a builder followed by the post-builder pass (`python -m briefing
    finish`), which adds what the hooks add: the downloads listed, `site_url` (mkdocs.yml's
    unless given) for the citations and head tags, markers around each page's content.

    `in_place`: update an earlier export, writing only the files whose bytes changed (and
    removing those gone), for a builder that rebuilds what changed (`zensical serve`); what the
    builder writes there (`site/`, `.cache/`) is left alone. `prepared`: the briefing as
    `prepare_project` prepared it with the same settings, when the caller has it already (the
    post-builder pass reads the same), so that it is not read twice; `handed`: its pages as
    `handed_off` renders them, likewise (every page rendered once).

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
    site_url = finish_site_url(config, site_url) if for_finish else None
    if prepared is None:
        config, prepared = prepare_project(config_path, for_finish=for_finish, site_url=site_url)
    result = prepared.result
    site = prepared.site
    if site is None:
        raise BriefingError(result.errors or result.problems)
    if clashes := site.clashes():
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
        if handed is None:  # the pass's caller has it already (afterbuild.handed)
            handed = handed_off(prepared, for_finish=for_finish, site_url=site_url)
        for src, markdown in handed.files.items():
            target = staging / DOCS / src
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        theme = config.get("theme")
        custom = theme.get("custom_dir") if isinstance(theme, dict) else None
        if isinstance(custom, str) and (root / custom).resolve().is_relative_to(root):
            shutil.copytree(root / custom, staging / custom)  # theme overrides, by its path
        settings = _config(config, site, prepared.nav)
        if site_url:
            settings["site_url"] = site_url
        if for_finish:  # for Zensical: its table of contents as text (zensical_theme)
            zensical_theme.override_templates(settings, staging)
        (staging / "mkdocs.yml").write_text(HEADER + dump_config(settings), encoding="utf-8")
        if in_place and out.exists():
            _update(staging, out)
        else:
            if out.exists():
                shutil.rmtree(out)
            staging.rename(out)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return list(result.warnings)

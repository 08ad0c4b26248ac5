"""What `docs/` may publish: an allow-list of kinds, nothing in the theme's or the build's place,
and stylesheets that make readers' browsers fetch nothing from another host.

MkDocs copies every file under `docs/` into the site as it is. An `.html` page or an `.svg`
opened on its own runs its script on the site's origin; a file at the path of a theme asset
replaces it on every page; a stylesheet can `@import` or `url()` another host. So only the
kinds a briefing needs are published, each checked here, and every other file is refused with
`path: message` before anything is built.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import tinycss2
import tinycss2.ast
import yaml

from ..problems import Code, Problem
from . import safefile

PAGE = ".md"
# Every kind of file a briefing publishes from docs/ besides its pages, and what it is.
KINDS: Mapping[str, str] = {
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico"), "image"),
    **dict.fromkeys(
        (".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".rtf", ".epub"),
        "document",
    ),
    **dict.fromkeys((".csv", ".tsv", ".json", ".txt", ".bib"), "data"),
    **dict.fromkeys((".woff2", ".woff"), "font"),
    ".css": "stylesheet",
}
# Why a refused kind is refused, and what to do instead, for the kinds people try most.
_ACTIVE = "would run its script on the site's own origin"
ADVICE: Mapping[str, str] = {
    **dict.fromkeys(
        (".html", ".htm", ".xhtml", ".shtml"),
        f"a web page {_ACTIVE}; write the page in Markdown (.md) instead",
    ),
    ".svg": (f"an SVG opened on its own {_ACTIVE}; export the picture as PNG (or WebP) instead"),
    **dict.fromkeys(
        (".xml", ".xsl", ".xslt"),
        f"an XML file can carry XHTML or a stylesheet that {_ACTIVE}; "
        "publish the data as CSV or JSON instead",
    ),
    **dict.fromkeys(
        (".js", ".mjs", ".cjs", ".wasm", ".swf"),
        "code is not content: a change to the site's scripts is a maintainer's",
    ),
    **dict.fromkeys(
        (".markdown", ".mdown", ".mkdn", ".mkd"), "pages are checked only as .md: rename it"
    ),
    **dict.fromkeys(
        (".doc", ".xls", ".ppt", ".docm", ".xlsm", ".pptm", ".dotm"),
        "this kind of office file can carry macros; save it as .docx, .xlsx or .pptx",
    ),
}
# Files and folders the build writes itself (MkDocs, its search plugin, the briefing's
# downloads); the theme's own files are read from the installed theme (`theme_files`).
BUILD_FILES = ("404.html", "sitemap.xml", "sitemap.xml.gz")
BUILD_FOLDERS = ("search/", "downloads/")
# A data: URL names no host, so nothing is fetched; as an image (a background, a mask, a list
# marker) even an SVG runs no script. Other data: types (fonts, HTML) are refused.
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp|avif|svg\+xml)[;,]", re.I)
# Functions whose string arguments are URLs (besides url(), which tinycss2 reads as a token).
URL_FUNCTIONS = ("url", "src")
IMAGE_SET = ("image-set", "-webkit-image-set")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def theme_dirs(name: str, custom_dir: Path | None = None) -> tuple[Path, ...]:
    """The folders a theme's files come from: `custom_dir`, the installed theme, its parents.

    Themes are found the way MkDocs finds them, by their `mkdocs.themes` entry point; a theme
    that is not installed is a ValueError.
    """
    dirs = [custom_dir] if custom_dir is not None else []
    seen: set[str] = set()
    while name and name not in seen:
        seen.add(name)
        found = [e for e in metadata.entry_points(group="mkdocs.themes") if e.name == name]
        spec = find_spec(found[0].value) if found else None
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise ValueError(f"the theme {name!r} is not installed")
        folder = Path(locations[0])
        dirs.append(folder)
        name = _parent_theme(folder / "mkdocs_theme.yml")
    return tuple(dirs)


def configured_theme_dirs(config: Mapping[str, Any], root: Path) -> tuple[Path, ...]:
    """`theme_dirs` for a loaded mkdocs.yml (`theme: name` or `theme: {name, custom_dir}`)."""
    theme = config.get("theme", "mkdocs")
    if isinstance(theme, str):
        return theme_dirs(theme)
    if not isinstance(theme, dict):
        raise ValueError("theme: give the theme's name")
    custom = theme.get("custom_dir")
    return theme_dirs(
        str(theme.get("name") or ""), root / str(custom) if isinstance(custom, str) else None
    )


def _parent_theme(settings: Path) -> str:
    try:
        value = yaml.safe_load(settings.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return ""
    parent = value.get("extends") if isinstance(value, dict) else None
    return parent if isinstance(parent, str) else ""


def theme_file(dirs: Iterable[Path], relative: str) -> str | None:
    """The theme's own file at site-relative `relative` (as the theme spells it), or None.

    Names are compared casefolded: a site served from a case-insensitive file system would
    replace `Assets/…` too. Only the folders along the path are listed, not the whole theme.
    """
    for folder in dirs:
        found = _find(folder, relative.split("/"))
        if found is not None:
            return found
    return None


def _find(folder: Path, parts: list[str]) -> str | None:
    try:
        names = {n.casefold(): n for n in os.listdir(folder)}
    except OSError:
        return None
    name = names.get(parts[0].casefold())
    if name is None:
        return None
    if len(parts) == 1:
        return name if (folder / name).is_file() else None
    rest = _find(folder / name, parts[1:])
    return f"{name}/{rest}" if rest is not None else None


def check(root: Path, docs: Path, theme: Iterable[Path] = ()) -> list[Problem]:
    """Every file under `docs` that the site may not publish, with why, in one list.

    `theme`: the theme's folders (`theme_dirs`, or MkDocs' `config.theme.dirs`). Pages
    (`.md`) are read and checked by `load`; links, devices and pipes are refused by
    `safefile.foreign_files`, so they are skipped here.
    """
    if not docs.is_dir() or safefile.foreign(root, docs):
        return []
    theme = tuple(theme)
    problems: list[Problem] = []
    for file in _files(docs):
        if safefile.foreign(root, file):
            continue
        relative = file.relative_to(docs).as_posix()
        shown = Path(os.path.relpath(file, root)).as_posix()
        refused = _refused(relative, theme)
        if refused:
            problems.append(Problem(shown, 1, 1, refused[1], code=refused[0]))
        elif file.suffix.lower() == ".css":
            problems += _stylesheet(root, file, shown, relative)
    return problems


def _files(docs: Path) -> Iterator[Path]:
    """Every file the site would publish. Hidden ones (`.DS_Store`, `.gitkeep`, `.git/`) are
    never published (MkDocs' `exclude_docs` default, and the export leaves them out)."""
    for directory, folders, names in os.walk(docs):  # links to folders are not followed
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield Path(directory, name)


def _refused(relative: str, theme: Sequence[Path]) -> tuple[Code, str] | None:
    """Why the file at docs-relative `relative` may not be published, or None."""
    name = posixpath.basename(relative)
    suffix = posixpath.splitext(name)[1].lower()
    folded = relative.casefold()
    if suffix == PAGE:
        return None
    replaced = theme_file(theme, relative)
    if replaced:
        return Code.CONTENT_THEME_FILE, (
            f"{name} would replace the theme's own file {replaced} on every page; "
            "rename it or move it to another folder"
        )
    if folded in BUILD_FILES or folded.startswith(BUILD_FOLDERS):
        return Code.CONTENT_BUILD_FILE, (
            f"{name} is at {relative}, which the build writes itself; "
            "rename it or move it to another folder"
        )
    if suffix in KINDS:
        return None
    known = ", ".join(sorted(KINDS))
    why = ADVICE.get(suffix) or (
        f"files of kind {suffix} are not published" if suffix else "a file with no extension"
    )
    return (
        Code.CONTENT_REFUSED_KIND,
        f"{name} is not published with the site: {why} (published kinds: .md, {known})",
    )


def _stylesheet(root: Path, file: Path, shown: str, relative: str) -> list[Problem]:
    data, problems = safefile.read_bytes(root, file, shown, "a stylesheet")
    if data is None:
        return problems
    text, problems = safefile.decode(shown, data)
    if text is None:
        return problems
    return problems + check_css(shown, text, relative)


def check_css(shown: str, text: str, relative: str = "") -> list[Problem]:
    """A stylesheet's `@import`s, URLs that leave the site and parse errors, each placed at its
    line and column. `relative`: the stylesheet's docs-relative path, for `../` URLs."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    problems: list[Problem] = []
    for node in _walk(rules):
        place = (shown, node.source_line, node.source_column)
        if isinstance(node, tinycss2.ast.ParseError):
            problems.append(
                Problem(
                    *place,
                    f"the stylesheet cannot be read here: {node.message}",
                    code=Code.CONTENT_CSS_SYNTAX,
                )
            )
        elif (
            isinstance(node, tinycss2.ast.AtRule | tinycss2.ast.AtKeywordToken)
            and (
                node.lower_at_keyword if isinstance(node, tinycss2.ast.AtRule) else node.lower_value
            )
            == "import"
        ):
            problems.append(
                Problem(
                    *place,
                    "@import makes readers' browsers load another stylesheet; "
                    "copy the rules you need into this one",
                    code=Code.CONTENT_CSS_IMPORT,
                )
            )
        else:
            for url in _urls(node):
                reason = leaves_site(url, relative)
                if reason:
                    problems.append(
                        Problem(*place, f"url({url!r}) {reason}", code=Code.CONTENT_CSS_URL)
                    )
    return problems


def _walk(nodes: Iterable[Any]) -> Iterator[Any]:
    """Every rule, declaration and token, nested blocks and function arguments included."""
    for node in nodes:
        yield node
        for name in ("prelude", "content", "arguments", "value"):
            children = getattr(node, name, None)
            if isinstance(children, list):
                yield from _walk(children)


def _urls(node: Any) -> list[str]:
    if isinstance(node, tinycss2.ast.URLToken):
        return [node.value]
    if isinstance(node, tinycss2.ast.FunctionBlock):
        strings = [a.value for a in node.arguments if isinstance(a, tinycss2.ast.StringToken)]
        if node.lower_name in URL_FUNCTIONS:
            return strings[:1]
        if node.lower_name in IMAGE_SET:
            return strings
    return []


def leaves_site(url: str, relative: str = "") -> str | None:
    """Why a stylesheet's URL would be fetched from outside the site, or None.

    Read as a browser reads it: spaces and control characters around it are stripped, tabs and
    newlines inside it removed, and `\\` is a `/`, so `/\\host` and `//host` are both another
    host. A relative URL must stay inside the site (`relative`: the stylesheet's path).
    """
    bare = _TAB_OR_NEWLINE.sub("", url.strip("".join(map(chr, range(0x21))))).replace("\\", "/")
    if not bare or bare.startswith("#"):
        return None
    if _SCHEME.match(bare):
        if DATA_IMAGE.match(bare):
            return None
        if bare.lower().startswith("data:"):
            return "is a data: URL that is not an image; only data:image/… URLs are allowed"
        return (
            "points at another site; readers' browsers would fetch it from there: "
            "put the file under docs/ and give its relative path"
        )
    if bare.startswith("//"):
        return "points at another site (a URL starting with // names a host); give a relative path"
    if bare.startswith("/"):
        return "starts at the host's root, which may not be this site; give a relative path"
    path = re.split(r"[?#]", bare, maxsplit=1)[0]
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(relative), path))
    if resolved == ".." or resolved.startswith("../"):
        return "climbs out of the site with ../; give a path to a file under docs/"
    return None

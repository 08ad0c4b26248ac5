"""The front matter of a docs page: an allow-list of keys, each checked at its line.

MkDocs and its theme act on a page's metadata: `template:` swaps the page for another
template (or fails the build on a missing one), other keys reach the theme's templates. So a
page may set only what an editor needs (CONTRIBUTING, "Front matter"); anything else is
refused where it is written. MkDocs reads metadata in two forms, and both are checked: a YAML
block between `---` lines at the very top, and MultiMarkdown-style `key: value` lines at the
very top (a first line such as `Note: ...` is metadata to MkDocs, and vanishes from the page).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import yaml

from ..problems import Code, Problem, nearest
from . import yamlfile

HIDE = ("navigation", "toc", "footer", "path", "tags", "feedback")
# The key, what it holds, for the catalogue in CONTRIBUTING.
KEYS = {
    "title": "the page's title, when it is not its first heading",
    "description": "the page's description for search engines and link previews",
    "subtitle": "a line under the title",
    "hide": "parts of the page to hide, a list of: " + ", ".join(HIDE),
    "search": "`boost: <number>` or `exclude: true`, how site search treats the page",
    "status": "a status badge in the navigation, such as new or deprecated",
}
SEARCH = ("boost", "exclude")
# MkDocs' own patterns (mkdocs/utils/meta.py), so the check sees what MkDocs sees.
_YAML = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
_STATUS = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def split(text: str) -> tuple[str, str]:
    """A page's metadata, as written, and the Markdown after it, split as MkDocs splits them
    (mkdocs.utils.meta.get_data) on the text as MkDocs reads it (universal newlines): the one
    text that every builder renders and the numbering reads. `front + body` is that text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    match = _YAML.match(text)
    if match:
        try:
            data = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            return "", text
        body = text[match.end() :].lstrip("\n") if isinstance(data, dict) else text
        return text[: len(text) - len(body)], body
    lines = text.split("\n")
    key = False
    while lines:
        line = lines[0]
        if not line.strip():
            break
        if _META.match(line):
            key = True
        elif not (key and _META_MORE.match(line)):
            break
        lines.pop(0)
    body = "\n".join(lines).lstrip("\n")
    return text[: len(text) - len(body)], body


def check(path: str, text: str) -> list[Problem]:
    """Every problem with the metadata at the top of the page `path` (as the project names it)."""
    match = _YAML.match(text)
    if match:
        return _yaml(path, match.group(1))
    return _multimarkdown(path, text)


def _unknown(key: str) -> str:
    close = nearest(key, KEYS)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    why = (
        "; `template` would replace the page's layout, which is the site's to set, not a page's"
        if key == "template"
        else ""
    )
    return f"front matter key '{key}' is not allowed{hint}{why}; a page may set: " + ", ".join(KEYS)


def _yaml(path: str, block: str) -> list[Problem]:
    document, found = yamlfile.parse(path, block.encode("utf-8"))
    problems = [replace(p, line=p.line + 1) for p in found]
    if document is None:
        return problems
    if not isinstance(document.value, dict):
        problem = Problem(
            path,
            2,
            1,
            "the front matter must be `key: value` lines",
            code=Code.FRONTMATTER_NOT_MAPPING,
        )
        return [*problems, problem]

    def at(path_: tuple[str | int, ...], message: str, code: Code, key: bool = False) -> Problem:
        span = document.key_span(path_) if key else document.span(path_)
        return Problem(path, span.line + 1, span.column, message, code=code)

    for key, value in document.value.items():
        name = str(key)
        if name not in KEYS:
            problems.append(at((name,), _unknown(name), Code.FRONTMATTER_UNKNOWN_KEY, key=True))
            continue
        why = _value(name, value)
        if why:
            problems.append(at((name,), f"front matter '{name}': {why}", Code.FRONTMATTER_VALUE))
    return problems


def _value(key: str, value: Any) -> str | None:
    """Why `value` is wrong for `key`, or None."""
    if key in ("title", "description", "subtitle"):
        return None if isinstance(value, str) and value.strip() else "write it as text"
    if key == "status":
        if isinstance(value, str) and _STATUS.match(value):
            return None
        return "write a lower-case word such as new or deprecated"
    if key == "hide":
        if isinstance(value, list) and all(v in HIDE for v in value):
            return None
        return f"write a list of: {', '.join(HIDE)}"
    if key == "search":
        if not isinstance(value, dict) or set(value) - set(SEARCH):
            return "write `boost: <number>` or `exclude: true` under it"
        boost, exclude = value.get("boost", 1), value.get("exclude", False)
        if isinstance(boost, bool) or not isinstance(boost, (int, float)) or not 0 < boost <= 10:
            return "boost is a number above 0, at most 10"
        if not isinstance(exclude, bool):
            return "exclude is true or false"
    return None


def _multimarkdown(path: str, text: str) -> list[Problem]:
    """MultiMarkdown-style `key: value` lines at the very top, as MkDocs reads them."""
    problems: list[Problem] = []
    started = False
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if not line.strip():
            break
        match = _META.match(line)
        if match:
            started = True
            key = match.group("key").lower()
            if key not in KEYS:
                column = match.start("key") + 1
                problems.append(
                    Problem(
                        path,
                        number,
                        column,
                        _unknown(key) + " (a `key: value` first line is read as metadata, "
                        "not as text: start the page with its heading or a blank line)",
                        code=Code.FRONTMATTER_UNKNOWN_KEY,
                    )
                )
        elif not (started and _META_MORE.match(line)):
            break
    return problems


def metadata(front: str) -> dict[str, Any]:
    """The metadata `split` cut off, read as MkDocs reads it (mkdocs.utils.meta.get_data):
    YAML between `---` lines, or MultiMarkdown's `key: value` lines (keys lowercased, lines
    continued with a space); {} for none, or for YAML that is not a mapping."""
    if match := _YAML.match(front):
        try:
            value = yaml.safe_load(match.group(1))
        except yaml.YAMLError:
            return {}
        return value if isinstance(value, dict) else {}
    meta: dict[str, Any] = {}
    key = None
    for line in front.split("\n"):
        if found := _META.match(line):
            key = found.group("key").lower().strip()
            value = found.group("value").strip()
            meta[key] = f"{meta[key]} {value}" if key in meta else value
        elif key and (more := _META_MORE.match(line)):
            meta[key] += " " + more.group("value").strip()
    return meta

"""Ids belong to the items and to the engine: none written by an author may pass for one.

Every item is shown inside an element whose id is the item's id, and links to the item land
there. An author who writes `{: #rec-x }` (attribute lists), `{#finding-y}` on a heading or
`<div id="quote-z">` in a Markdown field or a docs page would give a second element that id,
and links would land on the forgery. So ids an author writes may not start with the five item
prefixes nor with those of the ids the engine makes (`ref-KEY`, `cite-KEY-N`, `term-...`;
charts are `stat-...-chart`): `forged` finds them, to be refused at their line. And whatever
slips past (a heading whose text the table of contents turns into an id), `duplicates` finds
in the built page, which then fails the build.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..model import KINDS, Markdown, Span
from ..problems import Code, Problem
from ..sources import markup

ENGINE = ("ref", "cite", "term")
PREFIXES = tuple(f"{kind}-" for kind in (*KINDS, *ENGINE))
# Python-Markdown's attr_list: `{: ... }` or `{ ... }`, on one line.
_ATTR_LIST = re.compile(r"\{:?[ ]*([^}\n ][^}\n]*)[ ]*\}")
_HASH = re.compile(r"(?:^|\s)#([^\s}#.]+)")
_ID_PAIR = re.compile(r"""(?:^|\s)id\s*=\s*("[^"]*"|'[^']*'|[^\s}]+)""", re.IGNORECASE)
_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_HTML_ID = re.compile(r"""\sid\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)


def _value(raw: str) -> str:
    return html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw).strip()


def written(text: str) -> Iterator[tuple[int, str, str]]:
    """Each id an author wrote in Markdown: (offset, the source as written, the id), outside
    code, in attribute lists and in raw HTML tags."""
    found: list[tuple[int, str, str]] = []
    for match in _ATTR_LIST.finditer(text):
        inner = match.group(1)
        found += [(match.start(), match.group(0), m.group(1)) for m in _HASH.finditer(inner)]
        found += [
            (match.start(), match.group(0), _value(m.group(1))) for m in _ID_PAIR.finditer(inner)
        ]
    for match in _TAG.finditer(text):
        found += [
            (match.start(), match.group(0), _value(m.group(1)))
            for m in _HTML_ID.finditer(match.group(0))
        ]
    if not found:
        return  # most texts: the code ranges are not worth finding
    code = markup.code_ranges(text)
    for offset, source, identifier in sorted(found):
        end = offset + len(source)
        if not any(a < end and offset < b for a, b in code):
            yield offset, source, identifier


def reserved(identifier: str) -> bool:
    """Whether `identifier` is one only the engine gives (an item's, a reference's, ...)."""
    return identifier.lower().startswith(PREFIXES)


def forged(text: Markdown) -> list[Problem]:
    """Ids written in `text` that only items and the engine may have, each at its place."""
    problems = []
    for offset, source, identifier in written(text.text):
        if not reserved(identifier):
            continue
        kind = identifier.split("-", 1)[0].lower()
        link = f" (to link to the item, cross-reference it: @{identifier})" * (kind in KINDS)
        problems.append(
            Problem.at(
                text.locate(source, offset),
                f"the id '{identifier}' is written here, but ids starting with '{kind}-' belong "
                "to the briefing's items, references, citations and glossary terms, and links "
                f"to them would land here instead; choose another id{link}",
                code=Code.ID_RESERVED,
            )
        )
    return problems


# A built page is the serialiser's and the theme's well-formed HTML: tags (quoted values may
# hold ">"), with raw text (scripts, styles) and comments set apart first, as a parser would.
_RAW = re.compile(r"<!--.*?-->|<(script|style|textarea|title)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_START_TAG = re.compile(
    r"""<[A-Za-z][^\s/>]*(?:\s+[^\s=/>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*\s*/?>"""
)
_ID_ATTRIBUTE = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)


def ids(page: str) -> list[str]:
    """The id of every element of a built page, in order (a regular-expression pass: pages
    carry the whole navigation, and a parser in Python takes seconds a build)."""
    found = []
    for tag in _START_TAG.finditer(_RAW.sub(_keep_tag, page)):
        for match in _ID_ATTRIBUTE.finditer(tag.group(0)):
            found.append(html.unescape(next(g for g in match.groups() if g is not None)))
    return found


def _keep_tag(match: re.Match[str]) -> str:
    """A raw-text element reduced to its start tag (its id counts, its text does not)."""
    if match.group(1) is None:
        return ""
    text = match.group(0)
    return text[: text.index(">") + 1]


def duplicates(page: str) -> list[str]:
    """Ids given to more than one element of a built page, in the order first seen."""
    every = ids(page)
    counts = Counter(every)
    return [identifier for identifier in dict.fromkeys(every) if counts[identifier] > 1]


def in_page(page: str, root: Path, path: str, url: str) -> list[Problem]:
    """One problem per id used twice in the built page `page` (at `url`), placed in the file
    it was made from (`path`, relative to `root`: a docs page or a data file)."""
    found = duplicates(page)
    if not found:
        return []
    try:
        source = (root / path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, ValueError):
        source = ""
    return [
        Problem.at(
            place(identifier, source, path),
            f"the id '{identifier}' is given to more than one element of the built page "
            f"'{url or '/'}'; links to it land on the first: rename one of them",
            code=Code.ID_DUPLICATE_IN_PAGE,
        )
        for identifier in found
    ]


def place(identifier: str, source: str, path: str) -> Span:
    """Where in `source` (a page's Markdown, or a data file) `identifier` is written; the
    file's first line when it is not found as written."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(identifier)}(?![\w-])")
    match = pattern.search(source)
    if match is None:
        return Span(path, 1, 1)
    line = source.count("\n", 0, match.start()) + 1
    return Span(path, line, match.start() - source.rfind("\n", 0, match.start()))

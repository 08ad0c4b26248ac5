"""Find citations and cross-references in Markdown, never inside code.

The syntax (see DATA-CONTRACT.md): `[@key]`, `[@a; @b]`, `[@key, p. 4]`, `@rec-x`, `[words][rec-x]`.
Scanning is separate from rendering so that validation, numbering and rendering share one parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..model import KINDS

_KEY = r"[A-Za-z0-9_](?:[A-Za-z0-9_:.#$%&+?<>~/-]*[A-Za-z0-9_])?"
KEY_PATTERN = _KEY  # a citation key as written after @ (bib.py finds keys with it)
# An item's id: its kind, then lower-case ASCII words joined by single hyphens (the schemas'
# id patterns say the same in JSON Schema; checks.ids matches whole values with it).
ID_PATTERN = rf"(?:{'|'.join(KINDS)})-[a-z0-9]+(?:-[a-z0-9]+)*"
# Atomic groups and greedy locators: an unclosed `[@a, p. 1; @b, p. 2; ...` must fail in
# linear time (lazy locators in nested groups backtracked exponentially: 160 characters, 4 s).
# A locator ("p. 4", "ch. 2") holds no bracket or tag, so a citation never swallows HTML.
_LOCATOR = r"(?>[ \t]*,[ \t]*[^;\[\]\n@<>]*)"
CITATION = re.compile(
    rf"(?<![!\\])\[(?P<body>@{_KEY}{_LOCATOR}?"
    rf"(?>[ \t]*;[ \t]*@{_KEY}{_LOCATOR}?)*)[ \t]*\](?![(:]|\[(?!@))"
)
CITE_ITEM = re.compile(rf"@(?P<key>{_KEY})(?:[ \t]*,[ \t]*(?P<locator>[^;\]\n]*?))?[ \t]*(?:;|$)")
CUSTOM_XREF = re.compile(rf"(?<![!\\\]])\[(?P<text>[^\[\]\n]+)\]\[(?P<id>{ID_PATTERN})\]")
BARE_XREF = re.compile(rf"(?<![\w@./\\-])@(?P<id>{ID_PATTERN})(?!-?\w)")
_CUSTOM_ANYWHERE = re.compile(rf"\[(?P<text>[^\[\]\n]+)\]\[(?P<id>{ID_PATTERN})\]")
_BARE_ANYWHERE = re.compile(rf"@(?P<id>{ID_PATTERN})(?!-?\w)")
# A word that looks like a cross-reference but misses its prefix's hyphen or has capitals.
ALMOST_XREF = re.compile(rf"(?<![\w@./\\-])@(?P<id>(?i:{'|'.join(KINDS)})[-_][\w-]*\w)")


@dataclass(frozen=True)
class Cite:
    key: str
    locator: str | None


@dataclass(frozen=True)
class Token:
    """One citation group or cross-reference at `start:end` of the text."""

    start: int
    end: int
    source: str
    cites: tuple[Cite, ...] = ()
    target: str | None = None  # the id of a cross-reference
    label: str | None = None  # custom text of a cross-reference

    @property
    def is_citation(self) -> bool:
        return bool(self.cites)


_FENCE = re.compile(r"^(?P<indent>[ ]{0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
_CONTAINER = re.compile(r"^[ ]{0,3}(?:[-*+][ \t]|\d{1,9}[.)][ \t]|!!!|\?\?\?\+?)")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def code_ranges(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code, indented code and code spans."""
    ranges: list[tuple[int, int]] = []
    lines = text.splitlines(keepends=True)
    offset = 0
    fence: tuple[str, int, int] | None = None  # char, length, start offset
    previous_blank = True
    previous_code = False
    in_container = False
    prose: list[tuple[int, int]] = []
    for line in lines:
        start, offset = offset, offset + len(line)
        body = line.rstrip("\r\n")
        stripped = body.strip()
        if fence is not None:
            char, length, fence_start = fence
            if stripped.startswith(char * length) and stripped.strip(char) == "":
                ranges.append((fence_start, offset))
                fence = None
            continue
        match = _FENCE.match(body.lstrip() if in_container else body)
        if match and not (match["fence"][0] == "`" and "`" in match["info"]):
            fence = (match["fence"][0], len(match["fence"]), start)
            previous_blank = previous_code = False
            continue
        if not stripped:
            previous_blank = True
            continue
        indent = _indent(body)
        needed = 8 if in_container else 4
        if indent >= needed and (previous_blank or previous_code):
            ranges.append((start, offset))
            previous_code = True
            previous_blank = False
            continue
        if _CONTAINER.match(body):
            in_container = True
        elif indent == 0 and previous_blank:
            in_container = False
        previous_code = previous_blank = False
        prose.append((start, offset))
    if fence is not None:
        ranges.append((fence[2], len(text)))
    ranges += _code_spans(text, prose)
    return sorted(ranges)


_TICKS = re.compile(r"(?<!`)`+(?!`)")


def _code_spans(text: str, prose: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Inline code spans within runs of prose lines (a paragraph ends at a blank line)."""
    spans: list[tuple[int, int]] = []
    paragraphs: list[tuple[int, int]] = []
    for start, end in prose:
        if paragraphs and paragraphs[-1][1] == start:
            paragraphs[-1] = (paragraphs[-1][0], end)
        else:
            paragraphs.append((start, end))
    for start, end in paragraphs:
        position = start
        while True:
            opener = _TICKS.search(text, position, end)
            if not opener:
                break
            if opener.start() > 0 and text[opener.start() - 1] == "\\":
                position = opener.end()
                continue
            width = opener.end() - opener.start()
            closer = opener.end()
            while True:
                candidate = _TICKS.search(text, closer, end)
                if candidate is None or candidate.end() - candidate.start() == width:
                    break
                closer = candidate.end()
            if candidate is None:
                position = opener.end()
                continue
            spans.append((opener.start(), candidate.end()))
            position = candidate.end()
    return spans


def _outside(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return not any(a < end and start < b for a, b in ranges)


def scan(text: str) -> list[Token]:
    """Every citation and cross-reference outside code, in order of position."""
    code = code_ranges(text)
    tokens: list[Token] = []
    taken: list[tuple[int, int]] = list(code)
    for match in CITATION.finditer(text):
        if not _outside(taken, match.start(), match.end()):
            continue
        cites = tuple(
            Cite(item["key"], (item["locator"] or "").strip() or None)
            for item in CITE_ITEM.finditer(match["body"])
        )
        tokens.append(Token(match.start(), match.end(), match.group(0), cites=cites))
    taken += [(t.start, t.end) for t in tokens]
    # A token glued to the one before it counts even where its own pattern's look-behind
    # refuses it (`[a][rec-x][b][rec-y]`, `@rec-x@rec-y`), so resolved text resolves to itself.
    ends = {t.end for t in tokens}
    for match in _CUSTOM_ANYWHERE.finditer(text):
        start, end = match.span()
        if start not in ends and CUSTOM_XREF.match(text, start) is None:
            continue
        if _outside(taken, start, end):
            tokens.append(
                Token(start, end, match.group(0), target=match["id"], label=match["text"])
            )
            ends.add(end)
    taken += [(t.start, t.end) for t in tokens]
    for match in _BARE_ANYWHERE.finditer(text):
        start, end = match.span()
        # `a@rec-x` is not a cross-reference (an address), but `@rec-x@rec-y` is two.
        if start not in ends and BARE_XREF.match(text, start) is None:
            continue
        if _outside(taken, start, end):
            tokens.append(Token(start, end, match.group(0), target=match["id"]))
            ends.add(end)
    return sorted(tokens, key=lambda t: t.start)


def near_misses(text: str) -> list[tuple[int, str]]:
    """`@Rec-x`, `@rec_x` and the like outside code: positions and what was written."""
    code = code_ranges(text)
    found = []
    for match in ALMOST_XREF.finditer(text):
        if BARE_XREF.match(text, match.start()) is None and _outside(
            code, match.start(), match.end()
        ):
            found.append((match.start(), match.group(0)))
    return found


def replace(text: str, render: Callable[[Token], str], tokens: list[Token] | None = None) -> str:
    """The text with each token replaced by `render(token)`; everything else kept as it was."""
    parts: list[str] = []
    position = 0
    for token in scan(text) if tokens is None else tokens:
        parts.append(text[position : token.start])
        parts.append(render(token))
        position = token.end
    parts.append(text[position:])
    return "".join(parts)

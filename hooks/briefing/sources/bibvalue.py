"""A BibTeX field's value read by BibTeX's grammar: pieces in braces or quotes, numbers and
@string names, joined by `#`; the first flaw in how it is written, as a placed problem.

bibtexparser gives the raw value as written; this module reads it as BibTeX would, so that a
missing comma, a stray word after a closing brace or an undefined @string is reported where it
is written instead of silently changing the value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ..problems import Code, Problem

# The months in English, once for the engine (the messages' dates, BibTeX's month macros).
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
# BibTeX's standard styles define these macros (jan ... dec); biblatex too.
MONTH_MACROS = tuple(name[:3].lower() for name in MONTH_NAMES)
MONTHS = dict(zip(MONTH_MACROS, MONTH_NAMES, strict=True))
_NAME = re.compile(r"[^\s\"#%'(),={}]+")  # an @string name (BibTeX's identifier)
_ASSIGNMENT = re.compile(r"[^\s\"#%'(),={}]+\s*=")


@dataclass(frozen=True)
class Flaw:
    """What is wrong with a value as written, and where (characters into the raw value)."""

    offset: int
    kind: str  # "run-on", "trailing", "undefined", "unclosed", "dangling" (FLAW_CODES)
    text: str  # the run-on text, the trailing text or the macro's name


_DELIMITER = re.compile(r'[{}"]')


def _closing(raw: str, start: int) -> int:
    """Index of the brace or quote that closes the piece opened at `start`, or -1."""
    opening, depth = raw[start], 0
    for match in _DELIMITER.finditer(raw, start):  # only braces and quotes matter here
        char, index = match[0], match.start()
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and opening == "{":
                return index
            if depth < 0:
                return -1
        elif char == '"' and opening == '"' and depth == 0 and index > start:
            return index
    return -1


def read_value(raw: str, strings: Mapping[str, str]) -> tuple[str, Flaw | None]:
    """The text of a field's value as written: its pieces (`{...}`, `"..."`, a number or an
    @string name) joined, with the first flaw in it.

    `strings` maps lower-case @string names to their text (BibTeX's names ignore case); the
    month names jan ... dec are predefined. An undefined name is kept as written.
    """
    pieces: list[str] = []
    index, length = 0, len(raw)
    while True:
        while index < length and raw[index].isspace():
            index += 1
        if index >= length:
            flaw = Flaw(index, "dangling", "") if pieces else None
            return "".join(pieces), flaw
        char = raw[index]
        if char in '{"':
            end = _closing(raw, index)
            if end < 0:
                return "".join(pieces) + raw[index + 1 :], Flaw(index, "unclosed", char)
            pieces.append(raw[index + 1 : end])
            index = end + 1
        elif name := _NAME.match(raw, index):
            word = name[0]
            index = name.end()
            if word.isdigit():
                pieces.append(word)
            elif word.lower() in strings:
                pieces.append(strings[word.lower()])
            elif word.lower() in MONTHS:
                pieces.append(MONTHS[word.lower()])
            else:
                pieces.append(word)
                return "".join(pieces) + raw[index:], Flaw(name.start(), "undefined", word)
        else:
            return "".join(pieces) + raw[index:], Flaw(index, "trailing", raw[index:])
        after = index
        while index < length and raw[index].isspace():
            index += 1
        if index >= length:
            return "".join(pieces), None
        if raw[index] == "#":
            index += 1
            continue
        rest = raw[index:]
        kind = "run-on" if _ASSIGNMENT.match(rest) else "trailing"
        return "".join(pieces) + raw[after:], Flaw(index, kind, rest)


def _shown(text: str) -> str:
    shown = " ".join(text.split())
    return shown if len(shown) <= 40 else shown[:37] + "..."


FLAW_CODES = {
    "run-on": Code.BIB_MISSING_COMMA,
    "trailing": Code.BIB_TRAILING_TEXT,
    "undefined": Code.BIB_UNDEFINED_STRING,
    "unclosed": Code.BIB_UNCLOSED,
    "dangling": Code.BIB_DANGLING_JOIN,
}


def flaw_problem(path: str, line: int, where: str, raw: str, flaw: Flaw) -> Problem:
    """The problem for a flaw in the value of `where` ("entry 'k': the value of 'title'"),
    whose raw value starts on `line`: placed at the end of the value before the flaw."""
    at = line + raw[: flaw.offset].rstrip().count("\n")
    message = {
        "run-on": f"{where} runs on into `{_shown(flaw.text)}`; a comma is missing after it: "
        f"add one at the end of line {at}",
        "trailing": f"{where} has `{_shown(flaw.text)}` after its closing brace or quote; put "
        "the whole value in one pair of braces, or join the parts with #",
        "undefined": f"{where} uses the @string '{flaw.text}', which is not defined; define it "
        f"with `@string{{{flaw.text} = {{...}}}}` before this entry, or write the value in "
        "braces",
        "unclosed": f"{where} opens a `{flaw.text}` that is never closed; close it",
        "dangling": f"{where} ends with #, which joins nothing; delete it or add the text it "
        "should join",
    }[flaw.kind]
    return Problem(path, at, 1, message, code=FLAW_CODES[flaw.kind])

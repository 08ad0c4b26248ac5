"""Safe YAML loading that keeps where every value was written and refuses YAML's hazards.

One parser decides: libyaml (through PyYAML) streams a file's events once, and this module
checks them and builds the values from that same stream. A file is never scanned by one parser
and composed by another, so no input is accepted by the first and refused with a traceback by
the second. PyYAML alone keeps the last of two duplicate keys, expands alias bombs, reads YAML
1.1's `yes` as true and forgets positions; editors need every mistake placed at its line.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from ..model import Span
from ..problems import Code, Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
# libyaml, about ten times faster than PyYAML's pure-Python parser (which is used only where
# PyYAML was built without it, and then for everything, never for a second opinion).
PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOMS = {  # longest first: a UTF-32 little-endian mark starts like a UTF-16 one
    b"\x00\x00\xfe\xff": "UTF-32",
    b"\xff\xfe\x00\x00": "UTF-32",
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# Wide encodings recognised without a mark by where their NUL bytes fall: (name, codec, width,
# the offsets in each code unit that are NUL for ASCII text).
WIDE = (
    ("UTF-32 (little-endian)", "utf-32-le", 4, (1, 2, 3)),
    ("UTF-32 (big-endian)", "utf-32-be", 4, (0, 1, 2)),
    ("UTF-16 (little-endian)", "utf-16-le", 2, (1,)),
    ("UTF-16 (big-endian)", "utf-16-be", 2, (0,)),
)
# Characters that reorder text as displayed (Trojan Source) or are invisible.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
ZWNJ, ZWJ = "\u200c", "\u200d"
INVISIBLE = {"\u200b", ZWNJ, ZWJ, "\u2060", "\ufeff"}
# Scripts whose spelling needs a zero-width (non-)joiner between letters: the cursive scripts
# (Persian writes ZWNJ inside words) and the Brahmic ones (conjuncts and half forms), named as
# Unicode names their letters and marks.
JOINING_SCRIPTS = (
    "ARABIC", "SYRIAC", "NKO", "MONGOLIAN", "PHAGS-PA", "MANICHAEAN", "ADLAM", "HANIFI",
    "SOGDIAN", "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU",
    "KANNADA", "MALAYALAM", "SINHALA", "TIBETAN", "MYANMAR", "KHMER", "BALINESE", "JAVANESE",
)  # fmt: skip
VIRAMA = 9  # the canonical combining class of a virama (halant)
# Between an emoji and a ZWJ: variation selectors and skin-tone modifiers.
EMOJI_EXTENDERS = {"\ufe0e", "\ufe0f", *map(chr, range(0x1F3FB, 0x1F400))}
# Characters YAML does not allow in a stream (c-printable's complement, for decoded text).
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")

JSONPath = tuple[str | int, ...]
# More values than any briefing file holds (the real ones have a few hundred): refused while
# streaming, so a file of a million tiny values costs seconds, not minutes and gigabytes.
MAX_NODES = 50_000
TOO_MANY = (
    f"more than {MAX_NODES:,} values in one file; this is not briefing data: split it or "
    "remove what does not belong"
)
COUNT_FIRST = 1024 * 1024  # characters above which values are counted before any is kept
MAX_PROBLEMS = 50  # of the stream's problems in one file: the first ones say what to fix
# A file whose tabs break its YAML is re-read once per tab (with the tab made a space) to
# report every such tab at once, up to this many, in files up to this size.
MAX_TABS, TAB_REREAD_LIMIT = 20, 1024 * 1024
_SUSPECT = re.compile("[" + "".join(sorted(BIDI | INVISIBLE)) + "]")
DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
# Floats as YAML 1.1 and 1.2 both read them: a dot, and an exponent with its sign.
DECIMAL_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?|\.[0-9]+(?:[eE][-+][0-9]+)?")
NULLS = {"", "~", "null", "Null", "NULL"}
BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
BOOLEANS["FALSE"] = False


@dataclass(frozen=True)
class Node:
    """Where one value sits in its file: its span, its key's span, its source characters."""

    span: Span
    key: Span | None
    start: int
    end: int
    style: str | None


@dataclass(frozen=True)
class Document:
    """A YAML file's plain value (mappings, lists, str, int, float, bool, None) and positions."""

    path: str
    text: str
    value: Any
    nodes: dict[JSONPath, Node]

    def span(self, path: JSONPath) -> Span:
        """The span of the value at `path`, or of its nearest existing parent."""
        while path not in self.nodes and path:
            path = path[:-1]
        node = self.nodes.get(path)
        return node.span if node else Span(self.path, 1, 1)

    def key_span(self, path: JSONPath) -> Span:
        node = self.nodes.get(path)
        if node and node.key:
            return node.key
        return self.span(path)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def _text_position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def wide_encoding(data: bytes) -> tuple[str, str] | None:
    """(name, codec) of a UTF-16 or UTF-32 file without a byte-order mark, told by its NUL
    bytes: at least half its first code units are ASCII with their NULs where that encoding
    puts them, and the whole sample decodes in it."""
    sample = data[: 4096 - 4096 % 4]
    if b"\x00" not in sample:
        return None
    for name, codec, width, zeros in WIDE:
        units = [sample[i : i + width] for i in range(0, len(sample) - width + 1, width)]
        ascii_like = sum(
            1
            for unit in units
            if all(unit[p] == 0 for p in zeros)
            and any(unit[p] for p in range(width) if p not in zeros)
        )
        if units and ascii_like * 2 >= len(units):
            try:
                sample[: len(units) * width].decode(codec)
            except UnicodeDecodeError:
                continue
            return name, codec
    return None


def _legacy_character(bad: bytes) -> str | None:
    """What `bad` (bytes that are not UTF-8) most likely meant, read as Windows-1252 (which
    agrees with Latin-1 on every printable character they share), or None."""
    try:
        chars = bad.decode("cp1252")
    except UnicodeDecodeError:
        return None
    if not all(c.isprintable() and not c.isascii() for c in chars):
        return None
    return ", ".join(f"'{c}' ({unicodedata.name(c, f'U+{ord(c):04X}')})" for c in chars)


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, or the places where it is not UTF-8 and what it probably is.

    Shared by every file the engine reads (data, references.bib, docs pages).
    """
    problems: list[Problem] = []
    for bom, encoding in BOMS.items():
        if data.startswith(bom):
            problems.append(
                Problem(
                    path,
                    1,
                    1,
                    f"the file starts with a {encoding} byte-order mark; "
                    "save it as UTF-8 without a byte-order mark",
                    code=Code.FILE_BYTE_ORDER_MARK,
                )
            )
            if encoding != "UTF-8":
                return None, problems
            data = data[len(bom) :]
            break
    wide = wide_encoding(data)
    if wide is not None:
        return None, [
            Problem(
                path,
                1,
                1,
                f"the file is {wide[0]} text (every other byte, or three in four, is zero), "
                "which is not read; save it as UTF-8 (in VS Code: click the encoding in the "
                "bottom bar, Save with Encoding > UTF-8)",
                code=Code.FILE_WIDE_ENCODING,
            )
        ]
    invalid: list[Problem] = []
    offset = 0
    while len(invalid) < 20:
        try:
            data[offset:].decode("utf-8")
            break
        except UnicodeDecodeError as err:
            line, column = _position(data, offset + err.start)
            bad = data[offset + err.start : offset + err.end]
            meant = _legacy_character(bad)
            hint = (
                f": the file looks saved as Windows-1252 or Latin-1, where this is {meant}; "
                "reopen it in that encoding and save it as UTF-8"
                if meant
                else "; save the file as UTF-8"
            )
            invalid.append(
                Problem(
                    path,
                    line,
                    column,
                    f"invalid UTF-8 (byte {bad.hex(' ')}){hint}",
                    code=Code.FILE_INVALID_UTF8,
                )
            )
            offset += err.end
    if invalid:
        return None, problems + invalid
    return data.decode("utf-8"), problems


def _base(text: str, index: int, step: int) -> str:
    """The character next to `index` in direction `step`, past emoji extenders."""
    index += step
    while 0 <= index < len(text) and text[index] in EMOJI_EXTENDERS:
        index += step
    return text[index] if 0 <= index < len(text) else ""


def _script(char: str) -> str | None:
    """The joining script of a letter or mark, from its Unicode name, or None."""
    if not char or unicodedata.category(char)[0] not in "LM":
        return None
    name = unicodedata.name(char, "")
    return next((s for s in JOINING_SCRIPTS if name.startswith(s + " ")), None)


def joiner_is_spelling(text: str, index: int) -> bool:
    """Whether the ZWJ or ZWNJ at `index` is part of how the text is written, as Unicode uses
    it: a ZWJ between two pictographs (an emoji sequence such as 👩‍💻), or either joiner
    between letters of a script that needs it (Persian, Hindi, Sinhala, ...) or next to a
    virama. Anywhere else (alone, in Latin text, in an id) it only hides something."""
    char = text[index]
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char == ZWJ and all(
        c and unicodedata.category(c) == "So" for c in (_base(text, index, -1), after)
    ):
        return True
    if any(c and unicodedata.combining(c) == VIRAMA for c in (before, after)):
        return _script(before) is not None or _script(after) is not None
    script = _script(before)
    return script is not None and script == _script(after)


def check_characters(path: str, text: str) -> list[Problem]:
    """Bidirectional controls and invisible characters, except joiners where they spell text."""
    problems: list[Problem] = []
    where = _Lines(text)
    for match in _SUSPECT.finditer(text):  # a regex: 8 MB are read in milliseconds
        index, char = match.start(), match.group()
        if char in (ZWJ, ZWNJ) and joiner_is_spelling(text, index):
            continue
        line, column = where.position(index)
        name = unicodedata.name(char, f"U+{ord(char):04X}")
        problems.append(
            Problem(
                path,
                line,
                column,
                f"invisible or text-reordering character U+{ord(char):04X} ({name}); delete it",
                code=Code.FILE_INVISIBLE,
            )
        )
    return problems


def nul_characters(path: str, text: str) -> list[Problem]:
    """NUL characters in a text file (a page, references.bib), each placed (at most 20).

    YAML refuses them itself; elsewhere a NUL is never text: the file is damaged, or is a
    binary file saved under a text name.
    """
    problems: list[Problem] = []
    where = _Lines(text)
    index = text.find("\x00")
    while index >= 0 and len(problems) < 20:
        line, column = where.position(index)
        problems.append(
            Problem(
                path,
                line,
                column,
                "a NUL character (U+0000) is not text: the file is damaged or is not a text "
                "file; delete the character, or save the file again as UTF-8 text",
                code=Code.FILE_NUL,
            )
        )
        index = text.find("\x00", index + 1)
    return problems


class _Lines:
    """Line and column of offsets met in increasing order, in time linear in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.line = 1

    def position(self, index: int) -> tuple[int, int]:
        self.line += self.text.count("\n", self.index, index)
        self.index = index
        return self.line, index - (self.text.rfind("\n", 0, index) + 1) + 1


def _yaml_characters(path: str, text: str) -> list[Problem]:
    """Control characters YAML does not allow in a file, each placed (at most 20)."""
    problems: list[Problem] = []
    for match in NOT_YAML.finditer(text):
        char = match.group()
        line, column = _text_position(text, match.start())
        name = unicodedata.name(char, "a control character")
        problems.append(
            Problem(
                path,
                line,
                column,
                f"control character U+{ord(char):04X} ({name}) is not allowed in YAML; delete it",
                code=Code.YAML_CONTROL,
            )
        )
        if len(problems) >= 20:
            break
    return problems


# Line breaks YAML counts that editors do not (a lone CR, NEL, LS, PS): where the file holds one,
# positions are counted from the parser's character index, lines ending at LF only.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class _Locator:
    """Spans of a file's parser marks, as its editor numbers lines and columns."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.starts: list[int] | None = None
        if _ODD_BREAKS.search(text):
            self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def span(self, mark: Any) -> Span:
        if mark is None:
            return Span(self.path, 1, 1)
        if self.starts is None:
            return Span(self.path, mark.line + 1, mark.column + 1)
        line = bisect.bisect_right(self.starts, mark.index)
        return Span(self.path, line, mark.index - self.starts[line - 1] + 1)


def _mark_span(where: _Locator, mark: Any) -> Span:
    return where.span(mark)


# Syntax errors in editors' words: (words of libyaml or of PyYAML, what to say, a hint, the
# code). The parser's words are its only account of what failed; ours get a code.
_SYNTAX = (
    ("mapping values are not allowed", "mapping values are not allowed here",
     "a value containing ': ' must be quoted", Code.YAML_COLON_IN_VALUE),
    ("did not find expected ',' or ']'", "expected ',' or ']', but got {found}", "",
     Code.YAML_UNCLOSED_BRACKET),
    ("did not find expected ',' or '}'", "expected ',' or '}', but got {found}", "",
     Code.YAML_UNCLOSED_BRACKET),
    ("found character that cannot start any token",
     "found character {found} that cannot start any token", "", Code.YAML_BAD_START),
    ("could not find expected ':'", "", "each line of a mapping needs 'key: value'",
     Code.YAML_NOT_KEY_VALUE),
    ("expected <block end>, but found", "", "check the indentation of this line",
     Code.YAML_INDENTATION),
    ("did not find expected key", "",
     "check the indentation of this line, or quote the whole value", Code.YAML_INDENTATION),
    ("did not find expected '-' indicator", "", "check the indentation of this line",
     Code.YAML_INDENTATION),
    ("found unexpected ':'", "",
     "inside [ ] or { }, a value containing ':' must be quoted, e.g. 'energy:'",
     Code.YAML_COLON_IN_BRACKETS),
    ("found unknown directive name", "",
     "a line starting with '%' is a YAML directive: quote a value that starts with '%'",
     Code.YAML_DIRECTIVE),
    ("found undefined alias", "", "anchors and aliases are not allowed", Code.YAML_ALIAS),
)  # fmt: skip


def _found(text: str, index: int) -> str:
    return repr(text[index]) if index < len(text) else "the end of the file"


def _tab_message(text: str, index: int) -> tuple[Code, str]:
    line_start = text.rfind("\n", 0, index) + 1
    if not text[line_start:index].strip(" \t"):
        return Code.YAML_TAB_INDENT, (
            "a tab is used for indentation; YAML indents with spaces only: "
            "replace the tab with spaces"
        )
    return Code.YAML_TAB_SEPARATOR, (
        "a tab is used where YAML needs a space (after '-', '?' or ':', or before a value); "
        "replace the tab with a space"
    )


def _syntax_message(err: yaml.MarkedYAMLError, text: str) -> tuple[Code, str]:
    mark = err.problem_mark
    index = mark.index if mark is not None else len(text)
    problem = (err.problem or "").strip()
    context = (err.context or "").strip()
    for needle, words, hint, code in _SYNTAX:
        if needle in problem:
            problem = words.replace("{found}", _found(text, index)) if words else problem
            message = f"{context}: {problem}" if context else problem
            return code, f"not valid YAML: {message}" + (f" ({hint})" if hint else "")
    message = f"{context}: {problem}" if context else problem
    return Code.YAML_SYNTAX, f"not valid YAML: {message or 'the file cannot be read'}"


def _is_tab_error(err: yaml.MarkedYAMLError, text: str) -> bool:
    mark = err.problem_mark
    return mark is not None and mark.index < len(text) and text[mark.index] == "\t"


@dataclass(slots=True)
class _Raw:
    """A node as the event stream gives it, before values are built."""

    kind: str  # "scalar", "sequence", "mapping" or "alias"
    start: Any
    end: Any
    value: Any  # str for a scalar; a list of _Raw for a collection (a mapping's: k, v, k, v)
    style: str | None = None
    text: bool = False  # a quoted or block scalar, or one tagged '!': always a string


@dataclass
class _Stream:
    """One pass over the events: the refusals, and the first document's nodes."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    root: _Raw | None = None
    scalars: list[tuple[int, int]] = field(default_factory=list)  # where each scalar is


@dataclass(frozen=True)
class _Mark:
    """A parser's mark moved by a few characters along its line."""

    line: int
    column: int
    index: int

    def __init__(self, mark: Any, shift: int) -> None:
        object.__setattr__(self, "line", mark.line)
        object.__setattr__(self, "column", mark.column + shift)
        object.__setattr__(self, "index", mark.index + shift)


def _stream(path: str, text: str) -> _Stream:
    """Stream the events once, in bounded memory, refusing what must never be built and
    keeping the nodes of the file's one document. A syntax error ends the stream as a problem."""
    found = _Stream(path)
    where = _Locator(path, text)
    problems, scalars = found.problems, found.scalars
    stack: list[_Raw] = []
    depth = documents = 0

    def refuse(event: Any, message: str, code: Code) -> None:
        problems.append(Problem.at(_mark_span(where, event.start_mark), message, code=code))

    def add(node: _Raw) -> None:
        if stack:
            stack[-1].value.append(node)
        elif documents == 1:
            found.root = node

    try:
        events: Iterable[Any] = yaml.parse(text, Loader=PARSER)
        for count, event in enumerate(events):
            if len(problems) >= MAX_PROBLEMS:
                break
            kind = type(event)
            if count > 2 * MAX_NODES:  # a value is one event, a list or a mapping two
                refuse(event, TOO_MANY, Code.YAML_TOO_MANY)
                break
            if kind is yaml.AliasEvent:
                refuse(
                    event,
                    f"alias '*{event.anchor}': anchors and aliases are not allowed in "
                    "briefing data; write the value out in full",
                    Code.YAML_ALIAS,
                )
                add(_Raw("alias", event.start_mark, event.end_mark, ""))
                continue
            if (
                kind is yaml.ScalarEvent
                or kind is yaml.MappingStartEvent
                or (kind is yaml.SequenceStartEvent)
            ):
                if event.anchor is not None:
                    refuse(
                        event,
                        f"anchor '&{event.anchor}': anchors and aliases are not allowed in "
                        "briefing data; write the value out in full",
                        Code.YAML_ANCHOR,
                    )
                tag = event.tag
                plain = kind is yaml.ScalarEvent and event.implicit[0]
                if tag is not None and tag != "!" and not plain:
                    refuse(
                        event,
                        f"YAML tag '{tag}' is not allowed; write a plain value "
                        "(quote it if it must stay text)",
                        Code.YAML_TAG,
                    )
            if kind is yaml.ScalarEvent:
                style = event.style or None
                at, end = event.start_mark.index, event.end_mark.index
                if style is None and end > at > 0 and text[at - 1] == "?":
                    problems.append(
                        Problem.at(
                            _mark_span(where, _Mark(event.start_mark, -1)),
                            f"'?{event.value}': YAML readers disagree on a '?' directly "
                            "before text (a key, or part of the text); quote the text, or put "
                            "a space after '?' if it starts a key",
                            code=Code.YAML_QUESTION_MARK,
                        )
                    )
                scalars.append((at, end))
                text_only = style is not None or tag == "!"
                add(_Raw("scalar", event.start_mark, event.end_mark, event.value, style, text_only))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    refuse(
                        event,
                        f"nested more than {MAX_DEPTH} levels deep; briefing data is never "
                        "this deep",
                        Code.YAML_TOO_DEEP,
                    )
                    return found
                shape = "mapping" if kind is yaml.MappingStartEvent else "sequence"
                stack.append(_Raw(shape, event.start_mark, event.end_mark, []))
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                depth -= 1
                node = stack.pop()
                node.end = event.end_mark
                add(node)
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    refuse(
                        event,
                        "a second YAML document ('---'); a data file holds one",
                        Code.YAML_SECOND_DOCUMENT,
                    )
    except yaml.MarkedYAMLError as err:
        problems.append(_syntax_problem(where, text, err))
        return found
    except yaml.YAMLError as err:  # a ReaderError: control characters are refused before
        problems.append(
            Problem(
                path, 1, 1, f"not valid YAML: {getattr(err, 'reason', err)}", code=Code.YAML_SYNTAX
            )
        )
        return found
    problems += _glued_comments(path, text, found.scalars)
    del problems[MAX_PROBLEMS:]
    return found


def _too_many(path: str, text: str) -> Problem | None:
    """A large file's "too many values", found by counting events and keeping nothing (a
    hostile file of a million values costs the count alone); None if it has few enough, or if
    the parser stops first (`_stream` then reports why)."""
    events: Iterable[Any] = yaml.parse(text, Loader=PARSER)
    try:
        for count, event in enumerate(events):
            if count > 2 * MAX_NODES:
                span = _Locator(path, text).span(event.start_mark)
                return Problem.at(span, TOO_MANY, code=Code.YAML_TOO_MANY)
    except yaml.YAMLError:
        return None
    return None


def _glued_comments(path: str, text: str, scalars: list[tuple[int, int]]) -> list[Problem]:
    """Comments that start right after text (`"value"# note`): YAML starts a comment only
    after a space, so this is not YAML, though libyaml reads it as a comment."""
    problems: list[Problem] = []
    where = _Lines(text)
    starts = [start for start, _ in scalars]
    comment_ends = -1
    for match in re.finditer("#", text):
        at = match.start()
        if at < comment_ends:
            continue  # inside a comment
        i = bisect.bisect_right(starts, at) - 1
        if i >= 0 and at < scalars[i][1]:
            continue  # part of a value
        end = text.find("\n", at)
        comment_ends = len(text) if end < 0 else end
        if at > 0 and text[at - 1] not in " \t\r\n":
            line, column = where.position(at)
            problems.append(
                Problem(
                    path,
                    line,
                    column,
                    "not valid YAML: a comment must follow a space; put a space before '#' "
                    "(or quote the value, if '#' is part of it)",
                    code=Code.YAML_GLUED_COMMENT,
                )
            )
    return problems


def _syntax_problem(where: _Locator, text: str, err: yaml.MarkedYAMLError) -> Problem:
    span = _mark_span(where, err.problem_mark)
    index = err.problem_mark.index if err.problem_mark else len(text)
    if "tab character" in (err.problem or "") or _is_tab_error(err, text):
        code, message = _tab_message(text, index)
    else:
        code, message = _syntax_message(err, text)
    return Problem.at(span, message, code=code)


def _more_tabs(path: str, text: str, first: Problem) -> list[Problem]:
    """Every other tab the parser refuses, found by reading again with each refused tab made a
    space (positions stay the same), until the parser stops at something that is not a tab."""
    found: list[Problem] = []
    if len(text) > TAB_REREAD_LIMIT:
        return found
    chars = list(text)
    problem = first
    while len(found) < MAX_TABS - 1:
        index = _index_of(text, problem.line, problem.column)
        if not 0 <= index < len(chars) or chars[index] != "\t":
            break
        chars[index] = " "
        again = "".join(chars)
        try:
            for _ in yaml.parse(again, Loader=PARSER):
                pass
            break
        except yaml.MarkedYAMLError as err:
            if (
                err.problem_mark is None
                or again[err.problem_mark.index : err.problem_mark.index + 1] != "\t"
            ):
                break
            problem = _syntax_problem(_Locator(path, again), again, err)
            found.append(problem)
        except yaml.YAMLError:
            break
    return found


def _index_of(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1


class _Builder:
    """Turns streamed nodes into plain values, recording positions and duplicate keys."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.where = _Locator(path, text)
        self.nodes: dict[JSONPath, Node] = {}
        self.problems: list[Problem] = []

    def build(self, node: _Raw, where: JSONPath, key: Span | None = None) -> Any:
        self.nodes[where] = Node(
            _mark_span(self.where, node.start),
            key,
            node.start.index,
            node.end.index,
            node.style,
        )
        if node.kind == "mapping":
            return self._mapping(node, where)
        if node.kind == "sequence":
            return [self.build(item, (*where, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: _Raw, where: JSONPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, Span] = {}
        items = node.value
        for key_node, value_node in zip(items[::2], items[1::2], strict=True):
            key_span = _mark_span(self.where, key_node.start)
            name = key_node.value
            if key_node.kind != "scalar" or (name == "<<" and not key_node.text):
                self.problems.append(
                    Problem.at(
                        key_span,
                        "a key must be a plain word such as 'title'",
                        code=Code.YAML_COMPLEX_KEY,
                    )
                )
                continue
            if not name.strip():
                self.problems.append(
                    Problem.at(
                        key_span,
                        "an empty key; write a name such as 'title' before the ':'",
                        code=Code.YAML_EMPTY_KEY,
                    )
                )
                continue
            joiner = next((c for c in name if c in (ZWJ, ZWNJ)), None)
            if joiner:
                self.problems.append(
                    Problem.at(
                        key_span,
                        f"invisible character U+{ord(joiner):04X} ({unicodedata.name(joiner)}) "
                        "in a key; a key is a plain word: delete it",
                        code=Code.YAML_INVISIBLE_KEY,
                    )
                )
            if name in first:
                earlier = first[name]
                self.problems.append(
                    Problem.at(
                        key_span,
                        f"duplicate key '{name}' (first at line {earlier.line}); "
                        "a key may appear once in a mapping: keep one and delete the other",
                        code=Code.YAML_DUPLICATE_KEY,
                    )
                )
                continue
            first[name] = key_span
            result[name] = self.build(value_node, (*where, name), key_span)
        return result

    def _scalar(self, node: _Raw) -> Any:
        return scalar_value(node.value, not node.text)


def scalar_value(text: str, plain: bool) -> Any:
    """The value of a scalar: text, except the plain forms YAML 1.1 and 1.2 read alike.

    Null (`~`, `null`, nothing), `true`/`false` and decimal numbers are values; `yes` stays text
    (1.1 reads true), `010` stays text (8 or 10), `1e3` and `0x1F` stay text (1.1 reads text,
    1.2 a number), `.inf` and `.nan` stay text, and `12:30` and dates stay text as written.
    """
    if not plain:
        return text
    if text in NULLS:
        return None
    if text in BOOLEANS:
        return BOOLEANS[text]
    if DECIMAL_INT.fullmatch(text):
        return int(text)
    if DECIMAL_FLOAT.fullmatch(text):
        return float(text)
    return text


def parse(path: str, data: bytes) -> tuple[Document | None, list[Problem]]:
    """Parse the bytes of a data file; `path` is how problems name it (relative to the project)."""
    if len(data) > MAX_BYTES:
        return None, [
            Problem(
                path,
                1,
                1,
                f"the file is {len(data):,} bytes, more than the {MAX_BYTES:,} a data file may "
                "hold; this is not briefing data: split it or remove what does not belong",
                code=Code.FILE_TOO_LARGE,
            )
        ]
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    problems += check_characters(path, text)
    controls = _yaml_characters(path, text)
    if controls:
        return None, problems + controls
    if text.rsplit("\n", 1)[-1].isspace():
        # libyaml drops a last line of only spaces when no line break ends it; with the break
        # it reads what YAML says (a kept empty line, or spaces in a block scalar).
        text += "\n"
    if len(text) > COUNT_FIRST and (too_many := _too_many(path, text)):
        return None, [*problems, too_many]
    found = _stream(path, text)
    if found.problems:
        last = found.problems[-1]
        if last.code in (Code.YAML_TAB_INDENT, Code.YAML_TAB_SEPARATOR):
            found.problems += _more_tabs(path, text, last)
        return None, problems + found.problems
    builder = _Builder(path, text)
    value = builder.build(found.root, ()) if found.root is not None else None
    problems += builder.problems
    return Document(path, text, value, builder.nodes), problems


class Refusal(NamedTuple):
    """Why a file is not read: its code, and the words that follow the file's name."""

    code: Code
    reason: str


def foreign(root: Path, file: Path) -> Refusal | None:
    """Why `file` must not be read or published, or None for an ordinary file in the project.

    Data never names a path, but a pull request can add a symbolic link (to /etc/passwd, to
    /proc/self/environ with the build's secrets) or a pipe that would block the build forever.
    """
    try:
        target = file.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError) as err:  # a broken or looping link
        return Refusal(
            Code.FILE_UNREADABLE,
            f"cannot be read ({getattr(err, 'strerror', None) or err}); replace it with a file",
        )
    if not target.is_relative_to(root.resolve()):
        return Refusal(
            Code.FILE_LINK_OUTSIDE,
            "is a symbolic link to a place outside the project; briefing files are read only "
            "from inside it: replace the link with the file itself",
        )
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return Refusal(
            Code.FILE_SPECIAL,
            "is not an ordinary file (a device, pipe or socket); replace it with a text file",
        )
    return None


def read_bytes(root: Path, file: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """At most MAX_BYTES + 1 bytes of `file`, or why it is refused (see `foreign`)."""
    refused = foreign(root, file) or (
        None if file.is_file() else Refusal(Code.FILE_FOLDER, "is a folder, not a file")
    )
    if refused:
        name = Path(shown).name
        return None, [Problem(shown, 1, 1, f"{name} {refused.reason}", code=refused.code)]
    with file.open("rb") as handle:
        return handle.read(MAX_BYTES + 1), []


def foreign_files(root: Path, folder: Path, skip: str = ".md") -> list[Problem]:
    """Entries under `folder` (MkDocs publishes every file in docs/) that `foreign` refuses;
    files ending in `skip` are left to whoever reads them."""
    problems: list[Problem] = []
    top = Path(os.path.relpath(folder, root)).as_posix() if folder.is_absolute() else str(folder)
    refused = foreign(root, folder)
    if refused:
        return [Problem(top, 1, 1, f"the folder {refused.reason}", code=refused.code)]
    for directory, folders, files in os.walk(folder):  # links to folders are not followed
        for name in sorted(folders + files):
            path = Path(directory, name)
            if name.endswith(skip) and name in files:
                continue
            refused = foreign(root, path)
            if refused:
                shown = Path(os.path.relpath(path, root)).as_posix()
                problems.append(Problem(shown, 1, 1, f"{name} {refused.reason}", code=refused.code))
    return problems


def load(root: Path, relative: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse `root/relative`, refusing files too large to be data without reading them."""
    file = root / relative
    data, refused = read_bytes(root, file, relative)
    if data is None:
        return None, refused
    if len(data) > MAX_BYTES:
        size = file.stat().st_size
        return None, [
            Problem(
                relative,
                1,
                1,
                f"the file is {size:,} bytes, more than the {MAX_BYTES:,} a data file may "
                "hold; this is not briefing data: split it or remove what does not belong",
                code=Code.FILE_TOO_LARGE,
            )
        ]
    return parse(relative, data)

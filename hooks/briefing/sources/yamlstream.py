"""One pass over a YAML file's events (libyaml), refusing YAML's hazards as it goes.

Anchors and aliases (alias bombs), tags, a second document, nesting deeper than data ever is,
more values than a briefing holds, control characters and comments glued to a value are
refused while streaming, in bounded memory; a syntax error ends the stream as a problem, and a
tab that breaks the file is looked for again until every such tab is reported.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..problems import Code, Problem
from .safefile import MAX_PLACED, Lines
from .yamlsyntax import Locator, syntax_problem

MAX_DEPTH = 32
# libyaml, about ten times faster than PyYAML's pure-Python parser (which is used only where
# PyYAML was built without it, and then for everything, never for a second opinion).
PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Characters YAML does not allow in a stream (c-printable's complement, for decoded text).
NOT_YAML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
# More values than any briefing file holds (the real ones have a few hundred): refused while
# streaming, so a file of a million tiny values costs seconds, not minutes and gigabytes.
MAX_NODES = 50_000
TOO_MANY = (
    f"more than {MAX_NODES:,} values in one file; this is not briefing data: split it or "
    "remove what does not belong"
)
MAX_PROBLEMS = 50  # of the stream's problems in one file: the first ones say what to fix
# A file whose tabs break its YAML is re-read once per tab (with the tab made a space) to
# report every such tab at once, up to this many, in files up to this size.
MAX_TABS, TAB_REREAD_LIMIT = 20, 1024 * 1024


def control_characters(path: str, text: str) -> list[Problem]:
    """Control characters YAML does not allow in a file, each placed (at most MAX_PLACED)."""
    problems: list[Problem] = []
    where = Lines(text)
    for match in NOT_YAML.finditer(text):
        char = match.group()
        line, column = where.position(match.start())
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
        if len(problems) >= MAX_PLACED:
            break
    return problems


@dataclass(slots=True)
class Raw:
    """A node as the event stream gives it, before values are built."""

    kind: str  # "scalar", "sequence", "mapping" or "alias"
    start: Any
    end: Any
    value: Any  # str for a scalar; a list of Raw for a collection (a mapping's: k, v, k, v)
    style: str | None = None
    text: bool = False  # a quoted or block scalar, or one tagged '!': always a string


@dataclass
class Stream:
    """One pass over the events: the refusals, and the first document's nodes."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    root: Raw | None = None
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


def stream(path: str, text: str) -> Stream:
    """Stream the events once, in bounded memory, refusing what must never be built and
    keeping the nodes of the file's one document. A syntax error ends the stream as a problem."""
    found = Stream(path)
    where = Locator(path, text)
    problems, scalars = found.problems, found.scalars
    stack: list[Raw] = []
    depth = documents = 0

    def refuse(event: Any, message: str, code: Code) -> None:
        problems.append(Problem.at(where.span(event.start_mark), message, code=code))

    def add(node: Raw) -> None:
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
                add(Raw("alias", event.start_mark, event.end_mark, ""))
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
                            where.span(_Mark(event.start_mark, -1)),
                            f"'?{event.value}': YAML readers disagree on a '?' directly "
                            "before text (a key, or part of the text); quote the text, or put "
                            "a space after '?' if it starts a key",
                            code=Code.YAML_QUESTION_MARK,
                        )
                    )
                scalars.append((at, end))
                text_only = style is not None or tag == "!"
                add(Raw("scalar", event.start_mark, event.end_mark, event.value, style, text_only))
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
                stack.append(Raw(shape, event.start_mark, event.end_mark, []))
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
        problems.append(syntax_problem(where, text, err))
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


def too_many(path: str, text: str) -> Problem | None:
    """A large file's "too many values", found by counting events and keeping nothing (a
    hostile file of a million values costs the count alone); None if it has few enough, or if
    the parser stops first (`_stream` then reports why)."""
    events: Iterable[Any] = yaml.parse(text, Loader=PARSER)
    try:
        for count, event in enumerate(events):
            if count > 2 * MAX_NODES:
                span = Locator(path, text).span(event.start_mark)
                return Problem.at(span, TOO_MANY, code=Code.YAML_TOO_MANY)
    except yaml.YAMLError:
        return None
    return None


def _glued_comments(path: str, text: str, scalars: list[tuple[int, int]]) -> list[Problem]:
    """Comments that start right after text (`"value"# note`): YAML starts a comment only
    after a space, so this is not YAML, though libyaml reads it as a comment."""
    problems: list[Problem] = []
    where = Lines(text)
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


def more_tabs(path: str, text: str, first: Problem) -> list[Problem]:
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
            problem = syntax_problem(Locator(path, again), again, err)
            found.append(problem)
        except yaml.YAMLError:
            break
    return found


def _index_of(text: str, line: int, column: int) -> int:
    start = 0
    for _ in range(line - 1):
        start = text.index("\n", start) + 1
    return start + column - 1

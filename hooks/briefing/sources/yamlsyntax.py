"""YAML syntax errors in editors' words, placed as their editor numbers lines and columns.

libyaml says what failed in its own words (its only account of it); each known failure gets a
code and a hint, and a tab is told apart from the other mistakes it is reported as.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml

from ..model import Span
from ..problems import Code, Problem

# Line breaks YAML counts that editors do not (a lone CR, NEL, LS, PS): where the file holds one,
# positions are counted from the parser's character index, lines ending at LF only.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class Locator:
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


def syntax_problem(where: Locator, text: str, err: yaml.MarkedYAMLError) -> Problem:
    span = where.span(err.problem_mark)
    index = err.problem_mark.index if err.problem_mark else len(text)
    if "tab character" in (err.problem or "") or _is_tab_error(err, text):
        code, message = _tab_message(text, index)
    else:
        code, message = _syntax_message(err, text)
    return Problem.at(span, message, code=code)

"""Safe YAML loading that keeps where every value was written and refuses YAML's hazards.

One parser decides: libyaml (through PyYAML) streams a file's events once, and this module
checks them and builds the values from that same stream. A file is never scanned by one parser
and composed by another, so no input is accepted by the first and refused with a traceback by
the second. PyYAML alone keeps the last of two duplicate keys, expands alias bombs, reads YAML
1.1's `yes` as true and forgets positions; editors need every mistake placed at its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import Span
from ..problems import Code, Problem
from .safefile import MAX_BYTES, ZWJ, ZWNJ, check_characters, decode, read_bytes, too_large
from .yamlstream import Raw, control_characters, more_tabs, stream, too_many
from .yamlsyntax import Locator

JSONPath = tuple[str | int, ...]
COUNT_FIRST = 1024 * 1024  # characters above which values are counted before any is kept
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


class _Builder:
    """Turns streamed nodes into plain values, recording positions and duplicate keys."""

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.where = Locator(path, text)
        self.nodes: dict[JSONPath, Node] = {}
        self.problems: list[Problem] = []

    def build(self, node: Raw, where: JSONPath, key: Span | None = None) -> Any:
        self.nodes[where] = Node(
            self.where.span(node.start),
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

    def _mapping(self, node: Raw, where: JSONPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, Span] = {}
        items = node.value
        for key_node, value_node in zip(items[::2], items[1::2], strict=True):
            key_span = self.where.span(key_node.start)
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

    def _scalar(self, node: Raw) -> Any:
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
        return None, [too_large(path, len(data))]
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    problems += check_characters(path, text)
    controls = control_characters(path, text)
    if controls:
        return None, problems + controls
    if text.rsplit("\n", 1)[-1].isspace():
        # libyaml drops a last line of only spaces when no line break ends it; with the break
        # it reads what YAML says (a kept empty line, or spaces in a block scalar).
        text += "\n"
    if len(text) > COUNT_FIRST and (counted := too_many(path, text)):
        return None, [*problems, counted]
    found = stream(path, text)
    if found.problems:
        last = found.problems[-1]
        if last.code in (Code.YAML_TAB_INDENT, Code.YAML_TAB_SEPARATOR):
            found.problems += more_tabs(path, text, last)
        return None, problems + found.problems
    builder = _Builder(path, text)
    value = builder.build(found.root, ()) if found.root is not None else None
    problems += builder.problems
    return Document(path, text, value, builder.nodes), problems


def load(root: Path, relative: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse `root/relative`, refusing files too large to be data without reading them."""
    data, refused = read_bytes(root, root / relative, relative)
    if data is None:
        return None, refused
    return parse(relative, data)

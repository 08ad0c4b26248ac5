"""Safe YAML loading that keeps where every value was written and refuses YAML's hazards.

PyYAML alone keeps the last of two duplicate keys, expands alias bombs and forgets positions;
editors need every mistake placed at its line, so this composes nodes and builds values itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import Span
from .problems import Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
BOMS = {
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# Characters that reorder text as displayed (Trojan Source) or are invisible.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}

JSONPath = tuple[str | int, ...]
DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
DECIMAL_FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
)


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


def decode(path: str, data: bytes) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a file, or the places where it is not valid UTF-8."""
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
                )
            )
            if encoding != "UTF-8":
                return None, problems
            data = data[len(bom) :]
            break
    invalid: list[Problem] = []
    offset = 0
    while len(invalid) < 20:
        try:
            data[offset:].decode("utf-8")
            break
        except UnicodeDecodeError as err:
            line, column = _position(data, offset + err.start)
            bad = data[offset + err.start : offset + err.end]
            invalid.append(
                Problem(
                    path,
                    line,
                    column,
                    f"invalid UTF-8 (byte {bad.hex(' ')}); save the file as UTF-8",
                )
            )
            offset += err.end
    if invalid:
        return None, problems + invalid
    return data.decode("utf-8"), problems


def check_characters(path: str, text: str) -> list[Problem]:
    """Tabs in indentation, bidirectional controls and invisible characters."""
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, indent)
        if tab >= 0:
            problems.append(
                Problem(
                    path,
                    number,
                    tab + 1,
                    "a tab is used for indentation; YAML indents with spaces only: "
                    "replace the tab with spaces",
                )
            )
        for column, char in enumerate(line, start=1):
            if char in BIDI or char in INVISIBLE:
                name = unicodedata.name(char, f"U+{ord(char):04X}")
                problems.append(
                    Problem(
                        path,
                        number,
                        column,
                        f"invisible or text-reordering character U+{ord(char):04X} ({name}); "
                        "delete it",
                    )
                )
    return problems


def _mark_span(path: str, mark: Any) -> Span:
    if mark is None:
        return Span(path, 1, 1)
    return Span(path, mark.line + 1, mark.column + 1)


def _scan_events(path: str, text: str) -> list[Problem]:
    """Stream the events once, in bounded memory, refusing what must never be composed."""
    problems: list[Problem] = []
    depth = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            here = _mark_span(path, event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem.at(
                        here,
                        f"alias '*{event.anchor}': anchors and aliases are not allowed in "
                        "briefing data; write the value out in full",
                    )
                )
            elif isinstance(event, yaml.NodeEvent) and event.anchor is not None:
                problems.append(
                    Problem.at(
                        here,
                        f"anchor '&{event.anchor}': anchors and aliases are not allowed in "
                        "briefing data; write the value out in full",
                    )
                )
            if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
                tag = event.tag
                explicit = (
                    tag is not None
                    and not (isinstance(event, yaml.ScalarEvent) and event.implicit[0])
                    and tag != "!"
                )
                if explicit:
                    problems.append(
                        Problem.at(
                            here,
                            f"YAML tag '{tag}' is not allowed; write a plain value "
                            "(quote it if it must stay text)",
                        )
                    )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    problems.append(
                        Problem.at(here, "a second YAML document ('---'); a data file holds one")
                    )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem.at(
                            here,
                            f"nested more than {MAX_DEPTH} levels deep; briefing data is "
                            "never this deep",
                        )
                    )
                    return problems
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if len(problems) >= 50:
                break
    except yaml.MarkedYAMLError as err:
        problems.append(Problem.at(_mark_span(path, err.problem_mark), _yaml_message(err)))
    except yaml.YAMLError as err:  # pragma: no cover - PyYAML raises marked errors for text
        problems.append(Problem(path, 1, 1, f"not valid YAML: {err}"))
    return problems


def _yaml_message(err: yaml.MarkedYAMLError) -> str:
    problem = (err.problem or "not valid YAML").strip()
    context = (err.context or "").strip()
    message = f"{context}: {problem}" if context else problem
    hints = {
        "mapping values are not allowed here": "a value containing ': ' must be quoted",
        "found character '\\t'": "replace the tab with spaces",
        "could not find expected ':'": "each line of a mapping needs 'key: value'",
        "found undefined alias": "anchors and aliases are not allowed",
        "expected <block end>, but found": "check the indentation of this line",
    }
    for needle, hint in hints.items():
        if needle in problem or needle in message:
            return f"not valid YAML: {message} ({hint})"
    return f"not valid YAML: {message}"


class _Builder:
    """Turns composed nodes into plain values, recording positions and duplicate keys."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.nodes: dict[JSONPath, Node] = {}
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, where: JSONPath, key: Span | None = None) -> Any:
        self.nodes[where] = Node(
            _mark_span(self.path, node.start_mark),
            key,
            node.start_mark.index,
            node.end_mark.index,
            getattr(node, "style", None),
        )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, where)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*where, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, where: JSONPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first: dict[str, Span] = {}
        for key_node, value_node in node.value:
            key_span = _mark_span(self.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == (
                "tag:yaml.org,2002:merge"
            ):
                self.problems.append(
                    Problem.at(key_span, "a key must be a plain word such as 'title'")
                )
                continue
            name = key_node.value
            if name in first:
                earlier = first[name]
                self.problems.append(
                    Problem.at(
                        key_span,
                        f"duplicate key '{name}' (first at line {earlier.line}); "
                        "a key may appear once in a mapping: keep one and delete the other",
                    )
                )
                continue
            first[name] = key_span
            result[name] = self.build(value_node, (*where, name), key_span)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            return node.value
        if tag == "tag:yaml.org,2002:timestamp":
            return node.value  # dates stay text, exactly as written
        if tag == "tag:yaml.org,2002:null":
            return None
        # YAML 1.1 reads `yes` as true, `010` as 8 and `12:30` as 750; only the forms every
        # reader agrees on are booleans and numbers, anything else stays text as written.
        value = node.value
        if tag == "tag:yaml.org,2002:bool":
            return {"true": True, "false": False}.get(value.lower(), value)
        if tag == "tag:yaml.org,2002:int":
            return int(value) if DECIMAL_INT.fullmatch(value) else value
        if tag == "tag:yaml.org,2002:float":
            return float(value) if DECIMAL_FLOAT.fullmatch(value) else value
        self.problems.append(
            Problem.at(
                _mark_span(self.path, node.start_mark),
                f"YAML value of type '{tag}' is not allowed; quote it to keep it as text",
            )
        )
        return node.value


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
            )
        ]
    text, problems = decode(path, data)
    if text is None:
        return None, problems
    character_problems = check_characters(path, text)
    problems += character_problems
    if any("tab is used" in p.message for p in character_problems):
        return None, problems
    scan = _scan_events(path, text)
    problems += scan
    if scan:
        return None, problems
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    builder = _Builder(path)
    value = builder.build(root, ()) if root is not None else None
    problems += builder.problems
    return Document(path, text, value, builder.nodes), problems


def load(root: Path, relative: str) -> tuple[Document | None, list[Problem]]:
    """Read and parse `root/relative`, refusing files too large to be data without reading them."""
    file = root / relative
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            size = file.stat().st_size
            return None, [
                Problem(
                    relative,
                    1,
                    1,
                    f"the file is {size:,} bytes, more than the {MAX_BYTES:,} a data file may "
                    "hold; this is not briefing data: split it or remove what does not belong",
                )
            ]
    return parse(relative, data)

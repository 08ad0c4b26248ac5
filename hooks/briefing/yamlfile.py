"""Safe YAML loading that keeps where every value was written and refuses YAML's hazards.

PyYAML alone keeps the last of two duplicate keys, expands alias bombs and forgets positions;
editors need every mistake placed at its line, so this composes nodes and builds values itself.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .model import Span
from .problems import Problem

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 32
# libyaml parses about ten times faster and gives the same events, nodes and marks; the
# pure-Python parser words syntax errors as editors are told, so errors are re-read with it.
FAST: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOMS = {
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}
# Characters that reorder text as displayed (Trojan Source) or are invisible.
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}

JSONPath = tuple[str | int, ...]
# More values than any briefing file holds (the real ones have a few hundred): refused while
# streaming, so a file of a million tiny values costs seconds, not minutes and gigabytes.
MAX_NODES = 50_000
SLOW_LIMIT = 256 * 1024  # characters the pure-Python parser re-reads to word a syntax error
_SUSPECT = re.compile("[" + "".join(sorted(BIDI | INVISIBLE)) + "]")
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
        for match in _SUSPECT.finditer(line):  # a regex: an 8 MB line is read in milliseconds
            column, char = match.start() + 1, match.group()
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            problems.append(
                Problem(
                    path,
                    number,
                    column,
                    f"invisible or text-reordering character U+{ord(char):04X} ({name}); delete it",
                )
            )
    return problems


def _mark_span(path: str, mark: Any) -> Span:
    if mark is None:
        return Span(path, 1, 1)
    return Span(path, mark.line + 1, mark.column + 1)


def _scan_events(path: str, text: str) -> list[Problem]:
    """Stream the events once, in bounded memory, refusing what must never be composed."""
    try:
        return _scan_events_with(path, text, FAST)
    except yaml.YAMLError as err:  # SafeLoader words the error as editors are told
        mark = getattr(err, "problem_mark", None)
        if mark is None or len(text) <= SLOW_LIMIT:
            return _scan_events_with(path, text, yaml.SafeLoader)
        # A large file (perhaps hostile): re-read only up to the error's line, if that is short;
        # the pure-Python parser takes a minute over megabytes.
        end = text.find("\n", mark.index)
        prefix = text if end < 0 else text[: end + 1]
        found = (
            _scan_events_with(path, prefix, yaml.SafeLoader) if len(prefix) <= SLOW_LIMIT else []
        )
        if any(problem.message.startswith("not valid YAML") for problem in found):
            return found
        assert isinstance(err, yaml.MarkedYAMLError)
        return [*found, Problem.at(_mark_span(path, mark), _yaml_message(err))]


def _scan_events_with(path: str, text: str, loader: type[yaml.SafeLoader]) -> list[Problem]:
    """The problems `_scan_events` reports; a syntax error is raised unless `loader` is
    SafeLoader, whose messages editors are shown."""
    problems: list[Problem] = []
    depth = 0
    documents = 0
    try:
        for count, event in enumerate(yaml.parse(text, Loader=loader)):
            here = _mark_span(path, event.start_mark)
            if count > 2 * MAX_NODES:  # a value is one event, a list or a mapping two
                problems.append(
                    Problem.at(
                        here,
                        f"more than {MAX_NODES:,} values in one file; this is not briefing "
                        "data: split it or remove what does not belong",
                    )
                )
                break
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
        if loader is not yaml.SafeLoader:
            raise
        problems.append(Problem.at(_mark_span(path, err.problem_mark), _yaml_message(err)))
    except yaml.YAMLError as err:  # pragma: no cover - PyYAML raises marked errors for text
        if loader is not yaml.SafeLoader:
            raise
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
    root = yaml.compose(text, Loader=FAST)
    builder = _Builder(path)
    value = builder.build(root, ()) if root is not None else None
    problems += builder.problems
    return Document(path, text, value, builder.nodes), problems


def foreign(root: Path, file: Path) -> str | None:
    """Why `file` must not be read or published, or None for an ordinary file in the project.

    Data never names a path, but a pull request can add a symbolic link (to /etc/passwd, to
    /proc/self/environ with the build's secrets) or a pipe that would block the build forever.
    """
    try:
        target = file.resolve(strict=True)
        mode = target.stat().st_mode
    except (OSError, RuntimeError) as err:  # a broken or looping link
        return f"cannot be read ({getattr(err, 'strerror', None) or err}); replace it with a file"
    if not target.is_relative_to(root.resolve()):
        return (
            "is a symbolic link to a place outside the project; briefing files are read only "
            "from inside it: replace the link with the file itself"
        )
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "is not an ordinary file (a device, pipe or socket); replace it with a text file"
    return None


def read_bytes(root: Path, file: Path, shown: str) -> tuple[bytes | None, list[Problem]]:
    """At most MAX_BYTES + 1 bytes of `file`, or why it is refused (see `foreign`)."""
    reason = foreign(root, file) or (None if file.is_file() else "is a folder, not a file")
    if reason:
        return None, [Problem(shown, 1, 1, f"{Path(shown).name} {reason}")]
    with file.open("rb") as handle:
        return handle.read(MAX_BYTES + 1), []


def foreign_files(root: Path, folder: Path, skip: str = ".md") -> list[Problem]:
    """Entries under `folder` (MkDocs publishes every file in docs/) that `foreign` refuses;
    files ending in `skip` are left to whoever reads them."""
    problems: list[Problem] = []
    top = Path(os.path.relpath(folder, root)).as_posix() if folder.is_absolute() else str(folder)
    reason = foreign(root, folder)
    if reason:
        return [Problem(top, 1, 1, f"the folder {reason}")]
    for directory, folders, files in os.walk(folder):  # links to folders are not followed
        for name in sorted(folders + files):
            path = Path(directory, name)
            if name.endswith(skip) and name in files:
                continue
            reason = foreign(root, path)
            if reason:
                shown = Path(os.path.relpath(path, root)).as_posix()
                problems.append(Problem(shown, 1, 1, f"{name} {reason}"))
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
            )
        ]
    return parse(relative, data)

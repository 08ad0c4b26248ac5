"""Read `references.bib` into `Reference` records, placing every problem at its line.

bibtexparser splits the file into blocks and fields (raw values, as written); this module reads
each value by BibTeX's grammar (pieces in braces or quotes, numbers and @string names, joined
by `#`), resolves @string macros, and applies biblatex's crossref and xdata inheritance.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.library import Library

from ..model import KINDS, Reference, Span
from ..problems import Code, Problem, non_ascii
from .bibinherit import Entry, inherit
from .bibvalue import flaw_problem, read_value
from .markup import KEY_PATTERN
from .safefile import (
    MAX_BYTES,
    check_characters,
    decode,
    nul_characters,
    read_bytes,
    too_large,
)

KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.+/-]*$")
ENTRY_HEAD = re.compile(r"\s*@\s*\w+\s*[{(]\s*(?P<key>[^\s,{}()=]+)\s*,")
_KEYLESS_HEAD = re.compile(r"\s*@\s*(?P<type>\w+)\s*[{(]\s*(?:,|[^\s,{}()=]+\s*=)")
_COMMALESS_HEAD = re.compile(
    r"\s*@\s*(?P<type>\w+)\s*[{(]\s*(?P<key>[^\s,{}()=]+)\s+[^\s,{}()=\"#]+\s*="
)
RESERVED = re.compile(rf"^({'|'.join(KINDS)})-")
REQUIRED = ("title",)
KIND = "a bibliography"  # what the file is, in the message of one too large
# Entry types that are never works themselves: biblatex's @xdata holds fields for other
# entries, and a @set names entries cited together (each member is cited by its own key).
DATA_ONLY = frozenset({"xdata", "set"})


def _first_line(block: bibmodel.Block) -> int:
    return (block.start_line or 0) + 1


_BLOCK_START = re.compile(r"^[ \t]*@", re.M)
_SPECIAL_BLOCK = re.compile(r"\s*@\s*(?:string|preamble|comment|xdata)\b", re.I)
_MENTION = re.compile(rf"@({KEY_PATTERN})")
_PARENT_FIELD = re.compile(r"\b(?:crossref|xdata)\s*=\s*[{\"]?\s*([^}\"\n]*)", re.I)


def mentioned(texts: Iterable[str]) -> set[str]:
    """Every `@word` written in `texts`: all the keys they cite, and some words they don't."""
    return {key for text in texts for key in _MENTION.findall(text)}


def _braces(text: str) -> int:
    return text.count("{") - text.count("\\{") - text.count("}") + text.count("\\}")


def only(text: str, keys: Collection[str]) -> str:
    """`text` with every entry whose key is not in `keys` blanked, each line kept in its place.

    A shared bibliography is large and a briefing cites a few of its works: bibtexparser then
    reads those (and @string, @preamble, @xdata, anything it cannot name, and the entries they
    inherit from by crossref or xdata) instead of the whole file.
    The text is returned whole when its braces do not balance: the full parse reports that.
    """
    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    head_text = text[: starts[0]] if starts else text
    blocks: list[tuple[str | None, str]] = []  # (key of an entry that may be dropped, text)
    depth, block_start = 0, None
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        if depth == 0:
            block_start = start  # an entry starts here, not an @ inside a field
        depth += _braces(text[start:end])
        if depth != 0:
            continue
        assert block_start is not None
        block = text[block_start:end]
        head = ENTRY_HEAD.match(block)
        droppable = head is not None and not _SPECIAL_BLOCK.match(block)
        blocks.append((head["key"] if head and droppable else None, block))
    if depth != 0:
        return text
    wanted, new = set(keys), set(keys)
    while new:  # the parents of kept entries are kept too, and theirs
        parents = {
            key.strip()
            for name, block in blocks
            if name in new
            for found in _PARENT_FIELD.findall(block)
            for key in found.split(",")
        }
        new = parents - wanted
        wanted |= new
    pieces = [head_text]
    for name, block in blocks:
        pieces.append(
            "\n" * block.count("\n") if name is not None and name not in wanted else block
        )
    return "".join(pieces)


def _library(path: str, text: str) -> tuple[Library | None, list[Problem]]:
    """bibtexparser's blocks, raw values as written; a failure of the reader is a problem."""
    # bibtexparser logs each failed block itself; we report them with positions instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    try:
        return bibtexparser.parse_string(text, parse_stack=[]), []  # type: ignore[attr-defined]
    except Exception as error:  # the reader's own fault, on any input
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        return None, [
            Problem(
                path,
                1,
                1,
                f"the BibTeX reader could not read this file ({reason}); check its braces, "
                "quotes and @ signs, or split the file to find the entry at fault",
                code=Code.BIB_READER,
            )
        ]


def parse(
    path: str, data: bytes, keys: Collection[str] | None = None
) -> tuple[dict[str, Reference], list[Problem]]:
    """Entries by key, in file order, and every problem found in the file.

    With `keys`, only the entries under those keys are read (see `only`).
    """
    if len(data) > MAX_BYTES:
        return {}, [too_large(path, len(data), KIND)]
    text, problems = decode(path, data)
    if text is None:
        return {}, problems
    problems += check_characters(path, text) + nul_characters(path, text)
    library, failed = _library(path, text if keys is None else only(text, keys))
    if library is None:
        return {}, problems + failed
    strings: dict[str, str] = {}
    entries: dict[str, Entry] = {}
    for block in library.blocks:
        line = _first_line(block)
        if isinstance(block, bibmodel.String):
            value, flaw = read_value(str(block.value), strings)
            if flaw:
                where = f"@string '{block.key}': its value"
                problems.append(flaw_problem(path, line, where, str(block.value), flaw))
            strings[block.key.lower()] = value
        elif isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            if not block.key.strip():
                problems.append(_keyless(path, line, block.raw))
                continue
            first = entries[block.key].line if block.key in entries else None
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    f"duplicate BibTeX key '{block.key}' (first at line "
                    f"{first or _first_line(block.previous_block)}); "
                    "give each work its own key or delete the copy",
                    code=Code.BIB_DUPLICATE_KEY,
                    subject=block.key,
                )
            )
        elif isinstance(block, bibmodel.DuplicateFieldKeyBlock) and isinstance(
            block.ignore_error_block, bibmodel.Entry
        ):
            # The entry is readable: report the repeat and keep it, so citations of it resolve.
            entry = block.ignore_error_block
            repeated = " and ".join(f"'{k}'" for k in sorted(block.duplicate_keys))
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    f"entry '{entry.key}' repeats {repeated}; keep one of each",
                    code=Code.BIB_DUPLICATE_FIELD,
                    subject=entry.key,
                )
            )
            _add(path, entry, line, strings, entries, problems)
        elif isinstance(block, bibmodel.ParsingFailedBlock):
            if _KEYLESS_HEAD.match(block.raw or "") and not ENTRY_HEAD.match(block.raw or ""):
                problems.append(_keyless(path, line, block.raw))
                continue
            if comma := _COMMALESS_HEAD.match(block.raw or ""):
                problems.append(
                    Problem(
                        path,
                        line,
                        1,
                        f"entry '{comma['key']}': a comma is missing after its key; write "
                        f"`@{comma['type']}{{{comma['key']},`",
                        code=Code.BIB_KEY_COMMA,
                        subject=comma["key"],
                    )
                )
                continue
            reason = getattr(block.error, "abort_reason", None) or str(block.error)
            reason = " ".join(reason.split())
            head = ENTRY_HEAD.match(block.raw or "")
            entry_name = f"BibTeX entry '{head['key']}'" if head else "BibTeX entry"
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    f"this {entry_name} cannot be read: {reason}; check its braces, "
                    "quotes and the commas between fields",
                    code=Code.BIB_UNREADABLE_ENTRY,
                    subject=head["key"] if head else "",
                )
            )
        elif isinstance(block, bibmodel.Entry):
            if not block.key.strip():
                problems.append(_keyless(path, line, block.raw))
                continue
            problems += _check_key(path, block.key, line)
            _add(path, block, line, strings, entries, problems)
    resolved, found = inherit(path, entries)
    problems += found
    references: dict[str, Reference] = {}
    for key, record in entries.items():
        if record.type in DATA_ONLY:
            continue
        fields = resolved[key]
        for required in REQUIRED:
            if required not in fields:
                problems.append(
                    Problem(
                        path,
                        record.line,
                        1,
                        f"entry '{key}' has no {required}; add `{required} = {{...}}`",
                        code=Code.BIB_MISSING_FIELD,
                        subject=key,
                    )
                )
        references[key] = Reference(key, record.type, fields, Span(path, record.line, 1))
    return references, problems


def _keyless(path: str, line: int, raw: str | None) -> Problem:
    head = _KEYLESS_HEAD.match(raw or "")
    kind = head["type"] if head else "misc"
    return Problem(
        path,
        line,
        1,
        f"this BibTeX entry has no key: write one after `@{kind}{{`, e.g. "
        f"`@{kind}{{smith2020,`, and cite it by that key",
        code=Code.BIB_NO_KEY,
    )


def _add(
    path: str,
    entry: bibmodel.Entry,
    line: int,
    strings: Mapping[str, str],
    entries: dict[str, Entry],
    problems: list[Problem],
) -> None:
    """Read the entry's values (macros resolved, flaws reported) and keep it under its key."""
    fields: dict[str, str] = {}
    lines: dict[str, int] = {}
    for field in entry.fields:
        raw = str(field.value) if field.value is not None else ""
        field_line = (field.start_line if field.start_line is not None else line - 1) + 1
        value, flaw = read_value(raw, strings)
        if flaw:
            where = f"entry '{entry.key}': the value of '{field.key}'"
            problems.append(flaw_problem(path, field_line, where, raw, flaw))
        name = field.key.lower()
        fields.setdefault(name, value)
        lines.setdefault(name, field_line)
    if entry.key not in entries:
        entries[entry.key] = Entry(entry.key, entry.entry_type.lower(), fields, line, lines)


def _check_key(path: str, key: str, line: int) -> list[Problem]:
    if RESERVED.match(key):
        return [
            Problem(
                path,
                line,
                1,
                f"BibTeX key '{key}' starts with '{key.split('-')[0]}-', which is kept for "
                "briefing ids; rename the key (e.g. without the prefix)",
                code=Code.BIB_RESERVED_KEY,
                subject=key,
            )
        ]
    if not KEY.match(key):
        return [
            Problem(
                path,
                line,
                1,
                f"BibTeX key '{key}' may use only ASCII letters, digits and _ : . + / -"
                + (f" ({non_ascii(key)})" if non_ascii(key) else "")
                + "; rename it",
                code=Code.BIB_KEY_CHARACTERS,
                subject=key,
            )
        ]
    return []


def load(
    root: Path, relative: str = "references.bib", keys: Collection[str] | None = None
) -> tuple[dict[str, Reference], list[Problem]]:
    file = root / relative
    if not file.exists() and not file.is_symlink():
        return {}, []
    data, refused = read_bytes(root, file, relative, KIND)
    return parse(relative, data, keys) if data is not None else ({}, refused)

"""Read `references.bib` into `Reference` records, placing every problem at its line.

bibtexparser splits the file into blocks and fields (raw values, as written); this module reads
each value by BibTeX's grammar (pieces in braces or quotes, numbers and @string names, joined
by `#`), resolves @string macros, and applies biblatex's crossref and xdata inheritance.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel
from bibtexparser.library import Library

from ..model import KINDS, Reference, Span
from ..problems import Code, Problem, non_ascii
from .markup import KEY_PATTERN
from .safefile import MAX_BYTES, check_characters, decode, nul_characters, read_bytes

KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.+/-]*$")
ENTRY_HEAD = re.compile(r"\s*@\s*\w+\s*[{(]\s*(?P<key>[^\s,{}()=]+)\s*,")
_KEYLESS_HEAD = re.compile(r"\s*@\s*(?P<type>\w+)\s*[{(]\s*(?:,|[^\s,{}()=]+\s*=)")
_COMMALESS_HEAD = re.compile(
    r"\s*@\s*(?P<type>\w+)\s*[{(]\s*(?P<key>[^\s,{}()=]+)\s+[^\s,{}()=\"#]+\s*="
)
RESERVED = re.compile(rf"^({'|'.join(KINDS)})-")
REQUIRED = ("title",)
# BibTeX's standard styles define these macros; biblatex too.
MONTHS = {
    name[:3].lower(): name
    for name in (
        "January", "February", "March", "April", "May", "June", "July", "August",
        "September", "October", "November", "December",
    )
}  # fmt: skip
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


# --- values, by BibTeX's grammar -----------------------------------------------------------

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


def _flaw_problem(path: str, line: int, where: str, raw: str, flaw: Flaw) -> Problem:
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


# --- crossref and xdata, as biblatex defines them ------------------------------------------

# biblatex manual, appendix B ("Default Crossref Inheritance Setup"): fields no entry inherits.
NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey",
})  # fmt: skip
_NOT_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _titles(prefix: str, subtitle: str) -> dict[str, tuple[str, ...]]:
    return {
        "title": (f"{prefix}title",),
        "subtitle": (subtitle,),
        "titleaddon": (f"{prefix}titleaddon",),
        **{name: () for name in _NOT_TITLES},
    }


_MAIN = _titles("main", "mainsubtitle")
_BOOK = _titles("book", "booksubtitle")
# (parent types, child types, parent field -> the child's fields it fills); the rest of the
# parent's fields fill the same field of the child.
_RULES: tuple[tuple[frozenset[str], frozenset[str], dict[str, tuple[str, ...]]], ...] = (
    (
        frozenset({"mvbook", "book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        {"author": ("author", "bookauthor")},
    ),
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}), _MAIN),
    (
        frozenset({"mvcollection", "mvreference"}),
        frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
        _MAIN,
    ),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _BOOK),
    (
        frozenset({"collection", "reference"}),
        frozenset({"incollection", "inreference", "suppcollection"}),
        _BOOK,
    ),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _BOOK),
    (
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        {
            "title": ("journaltitle",),
            "subtitle": ("journalsubtitle",),
            **{name: () for name in _NOT_TITLES},
        },
    ),
)
_TYPE_ALIASES = {"conference": "inproceedings"}


def inherited(parent_type: str, child_type: str, fields: Mapping[str, str]) -> dict[str, str]:
    """The fields a `child_type` entry takes from its `parent_type` crossref parent's `fields`,
    by biblatex's default inheritance rules (the child's own fields win over these)."""
    parent_type = _TYPE_ALIASES.get(parent_type, parent_type)
    child_type = _TYPE_ALIASES.get(child_type, child_type)
    mapping: dict[str, tuple[str, ...]] = {}
    for parents, children, rules in _RULES:
        if parent_type in parents and child_type in children:
            for name, targets in rules.items():
                mapping.setdefault(name, targets)
    result: dict[str, str] = {}
    for name, value in fields.items():
        if name in NOT_INHERITED:
            continue
        for target in mapping.get(name, (name,)):
            result.setdefault(target, value)
    return result


@dataclass
class _Entry:
    """An entry as read, before inheritance: its fields by lower-case name, in file order."""

    key: str
    type: str
    fields: dict[str, str]
    line: int
    field_lines: dict[str, int]


def _parents(entry: _Entry, name: str) -> list[str]:
    return [key.strip() for key in entry.fields.get(name, "").split(",") if key.strip()]


def _parent_problem(
    entry: _Entry, field: str, key: str, parent: _Entry | None, chain: tuple[str, ...]
) -> tuple[Code, str] | None:
    """Why `entry` cannot inherit from the entry its `field` names as `key`, if it cannot."""
    if parent is None:
        return Code.BIB_UNKNOWN_PARENT, (
            f"entry '{entry.key}': {field} '{key}' names no entry in this file, so the fields "
            f"it should give are missing; add an entry '{key}' or delete the {field} field"
        )
    if parent.key in chain or parent.key == entry.key:
        loop = " -> ".join([*chain, entry.key, parent.key])
        return (
            Code.BIB_PARENT_LOOP,
            f"entry '{entry.key}': {field} '{key}' makes a loop ({loop}); delete one link",
        )
    return None


def _inherit(
    path: str, entries: Mapping[str, _Entry]
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Each entry's fields with those of its xdata entries, then its crossref parent, added.

    A parent that is missing, or a loop of parents, is a problem at the field that names it.
    """
    problems: list[Problem] = []
    done: dict[str, dict[str, str]] = {}
    folded = {key.casefold(): key for key in reversed(list(entries))}

    def find(key: str) -> _Entry | None:
        return entries.get(key) or entries.get(folded.get(key.casefold(), "\0"))

    def resolve(entry: _Entry, chain: tuple[str, ...]) -> dict[str, str]:
        if entry.key in done:
            return done[entry.key]
        fields = dict(entry.fields)
        for field in ("xdata", "crossref"):
            for parent_key in _parents(entry, field):
                parent = find(parent_key)
                line = entry.field_lines.get(field, entry.line)
                problem = _parent_problem(entry, field, parent_key, parent, chain)
                if problem:
                    problems.append(Problem(path, line, 1, problem[1], code=problem[0]))
                if problem or parent is None:
                    continue
                given = resolve(parent, (*chain, entry.key))
                if field == "xdata":
                    extra = {k: v for k, v in given.items() if k not in NOT_INHERITED}
                else:
                    extra = inherited(parent.type, entry.type, given)
                for name, value in extra.items():
                    fields.setdefault(name, value)
        done[entry.key] = fields
        return fields

    for entry in entries.values():
        resolve(entry, ())
    return done, problems


# --- the file -----------------------------------------------------------------------------


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
        return {}, [
            Problem(
                path,
                1,
                1,
                f"the file is larger than {MAX_BYTES:,} bytes; split it",
                code=Code.FILE_TOO_LARGE,
            )
        ]
    text, problems = decode(path, data)
    if text is None:
        return {}, problems
    problems += check_characters(path, text) + nul_characters(path, text)
    library, failed = _library(path, text if keys is None else only(text, keys))
    if library is None:
        return {}, problems + failed
    strings: dict[str, str] = {}
    entries: dict[str, _Entry] = {}
    for block in library.blocks:
        line = _first_line(block)
        if isinstance(block, bibmodel.String):
            value, flaw = read_value(str(block.value), strings)
            if flaw:
                where = f"@string '{block.key}': its value"
                problems.append(_flaw_problem(path, line, where, str(block.value), flaw))
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
    resolved, found = _inherit(path, entries)
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
    entries: dict[str, _Entry],
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
            problems.append(_flaw_problem(path, field_line, where, raw, flaw))
        name = field.key.lower()
        fields.setdefault(name, value)
        lines.setdefault(name, field_line)
    if entry.key not in entries:
        entries[entry.key] = _Entry(entry.key, entry.entry_type.lower(), fields, line, lines)


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
    data, refused = read_bytes(root, file, relative)
    return parse(relative, data, keys) if data is not None else ({}, refused)

"""Read `references.bib` into `Reference` records, placing every problem at its line."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterable
from pathlib import Path

import bibtexparser
from bibtexparser import model as bibmodel

from .markup import KEY_PATTERN
from .model import KINDS, Reference, Span
from .problems import Problem, non_ascii
from .yamlfile import MAX_BYTES, check_characters, decode, read_bytes

KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_:.+/-]*$")
ENTRY_HEAD = re.compile(r"\s*@\s*\w+\s*[{(]\s*(?P<key>[^\s,{}()=]+)\s*,")
RESERVED = re.compile(rf"^({'|'.join(KINDS)})-")
REQUIRED = ("title",)


def _first_line(block: bibmodel.Block) -> int:
    return (block.start_line or 0) + 1


_BLOCK_START = re.compile(r"^[ \t]*@", re.M)
_SPECIAL_BLOCK = re.compile(r"\s*@\s*(?:string|preamble|comment)\b", re.I)
_MENTION = re.compile(rf"@({KEY_PATTERN})")


def mentioned(texts: Iterable[str]) -> set[str]:
    """Every `@word` written in `texts`: all the keys they cite, and some words they don't."""
    return {key for text in texts for key in _MENTION.findall(text)}


def _braces(text: str) -> int:
    return text.count("{") - text.count("\\{") - text.count("}") + text.count("\\}")


def only(text: str, keys: Collection[str]) -> str:
    """`text` with every entry whose key is not in `keys` blanked, each line kept in its place.

    A shared bibliography is large and a briefing cites a few of its works: bibtexparser then
    reads those (and @string, @preamble and anything it cannot name) instead of the whole file.
    The text is returned whole when its braces do not balance: the full parse reports that.
    """
    starts = [m.start() for m in _BLOCK_START.finditer(text)]
    pieces = [text[: starts[0]] if starts else text]
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
        drop = head is not None and head["key"] not in keys and not _SPECIAL_BLOCK.match(block)
        pieces.append("\n" * block.count("\n") if drop else block)
    return "".join(pieces) if depth == 0 else text


def parse(
    path: str, data: bytes, keys: Collection[str] | None = None
) -> tuple[dict[str, Reference], list[Problem]]:
    """Entries by key, in file order, and every problem found in the file.

    With `keys`, only the entries under those keys are read (see `only`).
    """
    if len(data) > MAX_BYTES:
        return {}, [Problem(path, 1, 1, f"the file is larger than {MAX_BYTES:,} bytes; split it")]
    text, problems = decode(path, data)
    if text is None:
        return {}, problems
    problems += [p for p in check_characters(path, text) if "tab is used" not in p.message]
    # bibtexparser logs each failed block itself; we report them with positions instead.
    logging.getLogger("bibtexparser").setLevel(logging.CRITICAL)
    library = bibtexparser.parse_string(  # type: ignore[attr-defined]
        text if keys is None else only(text, keys)
    )
    references: dict[str, Reference] = {}
    first_seen: dict[str, int] = {}
    for block in library.blocks:
        line = _first_line(block)
        if isinstance(block, bibmodel.DuplicateBlockKeyBlock):
            problems.append(
                Problem(
                    path,
                    line,
                    1,
                    f"duplicate BibTeX key '{block.key}' (first at line "
                    f"{first_seen.get(block.key, _first_line(block.previous_block))}); "
                    "give each work its own key or delete the copy",
                )
            )
        elif isinstance(block, bibmodel.DuplicateFieldKeyBlock) and isinstance(
            block.ignore_error_block, bibmodel.Entry
        ):
            # The entry is readable: report the repeat and keep it, so citations of it resolve.
            entry = block.ignore_error_block
            fields = " and ".join(f"'{k}'" for k in sorted(block.duplicate_keys))
            problems.append(
                Problem(path, line, 1, f"entry '{entry.key}' repeats {fields}; keep one of each")
            )
            _add(path, entry, line, references, first_seen)
        elif isinstance(block, bibmodel.ParsingFailedBlock):
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
                )
            )
        elif isinstance(block, bibmodel.Entry):
            problems += _check_entry(path, block)
            _add(path, block, line, references, first_seen)
    return references, problems


def _add(
    path: str,
    entry: bibmodel.Entry,
    line: int,
    references: dict[str, Reference],
    first_seen: dict[str, int],
) -> None:
    first_seen.setdefault(entry.key, line)
    references[entry.key] = Reference(
        key=entry.key,
        type=entry.entry_type.lower(),
        fields={f.key.lower(): str(f.value) for f in entry.fields},
        span=Span(path, line, 1),
    )


# BibTeX and BibLaTeX field names: `<one of these> =` inside a value is a run-on field.
FIELD_NAMES = frozenset({
    "abstract", "address", "annotation", "author", "booktitle", "chapter", "date", "doi",
    "edition", "editor", "eprint", "eprintclass", "eprinttype", "howpublished", "institution",
    "isbn", "issn", "issue", "journal", "journaltitle", "keywords", "language", "location",
    "month", "note", "number", "organization", "pages", "pagetotal", "publisher", "school",
    "series", "subtitle", "title", "titleaddon", "type", "url", "urldate", "venue", "version",
    "volume", "year",
})  # fmt: skip
_ASSIGNMENT = re.compile(r"([A-Za-z][\w-]*)\s*=")


def _value_end(raw: str) -> int:
    """Where the first value of a field as written ends: after its closing brace or quote, or
    its bare word (a number or @string name). len(raw) when it never closes."""
    start = len(raw) - len(raw.lstrip())
    if start == len(raw):
        return start
    opening = raw[start]
    if opening not in '{"':
        match = re.compile(r"[^\s,#{}\"]*").match(raw, start)
        return match.end() if match else start
    depth = 0
    for index in range(start, len(raw)):
        char = raw[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0 and opening == "{":
                return index + 1
        elif char == '"' and depth == 0 and index > start:
            return index + 1
    return len(raw)


def _run_on(path: str, entry: bibmodel.Entry, field: bibmodel.Field) -> Problem | None:
    """A field whose value runs on into the next field: the comma between them is missing.

    BibTeX readers then take `title = {A} year = {2020}` for one title, and the year is lost.
    Values joined with `#` (concatenation) are fine.
    """
    raw = field.value if isinstance(field.value, str) else ""
    end = _value_end(raw)
    rest = raw[end:].strip()
    named = _ASSIGNMENT.match(rest)
    if not named or named[1].lower() not in FIELD_NAMES:
        return None  # text after braces inside a title, say: `{HSST} review`
    line = (field.start_line or entry.start_line or 0) + 1 + raw[:end].count("\n")
    shown = " ".join(rest.split())
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return Problem(
        path,
        line,
        1,
        f"entry '{entry.key}': the value of '{field.key}' runs on into `{shown}`; a comma is "
        f"missing after it: add one at the end of line {line}",
    )


def _check_entry(path: str, entry: bibmodel.Entry) -> list[Problem]:
    problems: list[Problem] = []
    line = _first_line(entry)
    key = entry.key
    if RESERVED.match(key):
        problems.append(
            Problem(
                path,
                line,
                1,
                f"BibTeX key '{key}' starts with '{key.split('-')[0]}-', which is kept for "
                "briefing ids; rename the key (e.g. without the prefix)",
            )
        )
    elif not KEY.match(key):
        problems.append(
            Problem(
                path,
                line,
                1,
                f"BibTeX key '{key}' may use only ASCII letters, digits and _ : . + / -"
                + (f" ({non_ascii(key)})" if non_ascii(key) else "")
                + "; rename it",
            )
        )
    for field in entry.fields:
        problem = _run_on(path, entry, field)
        if problem:
            problems.append(problem)
    names = {f.key.lower() for f in entry.fields}
    for required in REQUIRED:
        if required not in names:
            problems.append(
                Problem(
                    path, line, 1, f"entry '{key}' has no {required}; add `{required} = {{...}}`"
                )
            )
    return problems


def load(
    root: Path, relative: str = "references.bib", keys: Collection[str] | None = None
) -> tuple[dict[str, Reference], list[Problem]]:
    file = root / relative
    if not file.exists() and not file.is_symlink():
        return {}, []
    data, refused = read_bytes(root, file, relative)
    return parse(relative, data, keys) if data is not None else ({}, refused)

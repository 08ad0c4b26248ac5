"""Reading any file of a briefing safely: inside the project, ordinary, not too large, UTF-8,
with no character that hides or reorders text.

Shared by every reader (data files, references.bib, docs pages, stylesheets): a file is refused
before it is parsed, with the problem placed where an editor can fix it.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from pathlib import Path
from typing import NamedTuple

from ..problems import Code, Problem

# The most any file of a briefing may hold (data, a page, references.bib, a stylesheet): the
# real ones hold a few hundred kilobytes; more is something pasted in by mistake.
MAX_BYTES = 8 * 1024 * 1024
MAX_PLACED = 20  # problems of one kind of character in one file: the first ones say what to fix
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
_SUSPECT = re.compile("[" + "".join(sorted(BIDI | INVISIBLE)) + "]")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


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
    while len(invalid) < MAX_PLACED:
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
    where = Lines(text)
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
    """NUL characters in a text file (a page, references.bib), each placed (at most MAX_PLACED).

    YAML refuses them itself; elsewhere a NUL is never text: the file is damaged, or is a
    binary file saved under a text name.
    """
    problems: list[Problem] = []
    where = Lines(text)
    index = text.find("\x00")
    while index >= 0 and len(problems) < MAX_PLACED:
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


class Lines:
    """Line and column of offsets met in increasing order, in time linear in the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.index = 0
        self.line = 1

    def position(self, index: int) -> tuple[int, int]:
        self.line += self.text.count("\n", self.index, index)
        self.index = index
        return self.line, index - (self.text.rfind("\n", 0, index) + 1) + 1


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


def too_large(path: str, size: int, kind: str = "a data file") -> Problem:
    """The problem of a file of `size` bytes, over MAX_BYTES; `kind`: what the file is."""
    return Problem(
        path,
        1,
        1,
        f"the file is {size:,} bytes, more than the {MAX_BYTES:,} {kind} may hold; this is "
        "not briefing data: split it or remove what does not belong",
        code=Code.FILE_TOO_LARGE,
    )


def read_bytes(
    root: Path, file: Path, shown: str, kind: str = "a data file"
) -> tuple[bytes | None, list[Problem]]:
    """The bytes of `file`, or why it is refused (see `foreign`, `too_large`): a file too large
    is refused by its size, without reading more of it than MAX_BYTES + 1 bytes."""
    refused = foreign(root, file) or (
        None if file.is_file() else Refusal(Code.FILE_FOLDER, "is a folder, not a file")
    )
    if refused:
        name = Path(shown).name
        return None, [Problem(shown, 1, 1, f"{name} {refused.reason}", code=refused.code)]
    with file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return None, [too_large(shown, file.stat().st_size, kind)]
    return data, []


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

"""Problems found in a briefing, reported as `path:line:column: message` for editors.

Every problem carries a stable code beside its words, as sphinxcontrib-bibtex logs
`bibtex.key_not_found`: editors read the words, code tests the code, and the words can
improve without changing what the engine does. A code is `family.name`: the family says which
rule book the problem breaks (the table below), the name which rule, in lower-case words
joined by hyphens. Codes are listed once, in `Code`: a misspelt code is an AttributeError
where it is used (and a mypy error), and CONTRIBUTING's catalogue lists every one of them
(tests/test_contributing.py fails on a code missing from it, or listed there and gone).

| family        | what is wrong                                                         |
|---------------|-----------------------------------------------------------------------|
| `file`        | the file itself: size, encoding, invisible characters, links, missing |
| `yaml`        | a data file (or a page's front matter) is not YAML the engine reads   |
| `schema`      | a data file breaks its JSON Schema (a field, a type, a pattern)       |
| `data`        | items that do not fit together: ids, tables, dates, figures, labels   |
| `progress`    | a recommendation's history and responses                              |
| `ref`         | a cross-reference or relation, or a citation of an item               |
| `bib`         | references.bib, and citation keys it does not hold                    |
| `frontmatter` | the metadata at the top of a docs page                                |
| `id`          | an HTML id an author wrote that belongs to the engine, or one given twice |
| `content`     | a file under docs/ the site may not publish, or a stylesheet's URL    |
| `unused`      | (warnings) content that nothing uses                                  |
| `build`       | the build itself: the git history, a hand-written page in a made one's place |

The printed line stays `path:line:column: message` (DATA-CONTRACT.md, and what editors and
the tests read); the code travels in the record and in `python -m briefing validate --json`.
"""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum, unique
from typing import Any, Literal

from .model import Span

Severity = Literal["error", "warning"]


@unique
class Code(StrEnum):
    """Every problem the engine reports, by code (see the module's docstring)."""

    FILE_BYTE_ORDER_MARK = "file.byte-order-mark"
    FILE_WIDE_ENCODING = "file.wide-encoding"  # UTF-16 or UTF-32 without a mark
    FILE_INVALID_UTF8 = "file.invalid-utf8"
    FILE_NUL = "file.nul-character"
    FILE_INVISIBLE = "file.invisible-character"
    FILE_TOO_LARGE = "file.too-large"
    FILE_MISSING = "file.missing"
    FILE_LINK_OUTSIDE = "file.link-outside"
    FILE_UNREADABLE = "file.unreadable"
    FILE_SPECIAL = "file.special"  # a device, pipe or socket
    FILE_FOLDER = "file.folder"

    YAML_CONTROL = "yaml.control-character"
    YAML_TOO_MANY = "yaml.too-many-values"
    YAML_TOO_DEEP = "yaml.too-deep"
    YAML_ANCHOR = "yaml.anchor"
    YAML_ALIAS = "yaml.alias"
    YAML_TAG = "yaml.tag"
    YAML_QUESTION_MARK = "yaml.question-mark"
    YAML_SECOND_DOCUMENT = "yaml.second-document"
    YAML_GLUED_COMMENT = "yaml.glued-comment"
    YAML_TAB_INDENT = "yaml.tab-indent"
    YAML_TAB_SEPARATOR = "yaml.tab-separator"
    YAML_COLON_IN_VALUE = "yaml.colon-in-value"
    YAML_COLON_IN_BRACKETS = "yaml.colon-in-brackets"
    YAML_UNCLOSED_BRACKET = "yaml.unclosed-bracket"
    YAML_BAD_START = "yaml.bad-start"  # a character that cannot start a value
    YAML_NOT_KEY_VALUE = "yaml.not-key-value"
    YAML_INDENTATION = "yaml.indentation"
    YAML_DIRECTIVE = "yaml.directive"
    YAML_SYNTAX = "yaml.syntax"  # any other syntax error
    YAML_COMPLEX_KEY = "yaml.complex-key"
    YAML_EMPTY_KEY = "yaml.empty-key"
    YAML_INVISIBLE_KEY = "yaml.invisible-key"
    YAML_DUPLICATE_KEY = "yaml.duplicate-key"

    SCHEMA_REQUIRED = "schema.required"
    SCHEMA_UNKNOWN_FIELD = "schema.unknown-field"
    SCHEMA_TYPE = "schema.type"
    SCHEMA_EMPTY = "schema.empty"
    SCHEMA_ID = "schema.id"
    SCHEMA_DATE = "schema.date"
    SCHEMA_URL = "schema.url"
    SCHEMA_DOI = "schema.doi"
    SCHEMA_PATTERN = "schema.pattern"  # any other pattern
    SCHEMA_RANGE = "schema.range"
    SCHEMA_MIN_ITEMS = "schema.min-items"
    SCHEMA_UNIQUE_ITEMS = "schema.unique-items"
    SCHEMA_ENUM = "schema.enum"
    SCHEMA_GLOSSARY_TERM = "schema.glossary-term"
    SCHEMA_FORBIDDEN_FIELD = "schema.forbidden-field"  # a figure's field in a table, ...
    SCHEMA_OTHER = "schema.other"  # any other rule

    DATA_DUPLICATE_ID = "data.duplicate-id"
    DATA_ROW_LENGTH = "data.row-length"
    DATA_UNIT_COLUMN = "data.unit-column"
    DATA_NO_RECOMMENDATIONS = "data.no-recommendations"
    DATA_LABEL_PLACEHOLDER = "data.label-placeholder"
    DATA_LABEL_VALUE = "data.label-value"
    DATA_NO_SUCH_DAY = "data.no-such-day"
    DATA_FIGURE_SPECIAL = "data.figure-special"  # .nan, .inf
    DATA_FIGURE_EXPONENT = "data.figure-exponent"
    DATA_FIGURE_DIGITS = "data.figure-digits"
    DATA_FIGURE_SMALL = "data.figure-small"
    DATA_URL = "data.url"

    PROGRESS_CONTRADICTION = "progress.status-contradicts"
    PROGRESS_FUTURE = "progress.future-date"
    PROGRESS_BEFORE_REPORT = "progress.before-report"
    PROGRESS_ORDER = "progress.out-of-order"
    PROGRESS_REPEATED = "progress.repeated-entry"
    PROGRESS_NO_CHANGE = "progress.no-change"
    PROGRESS_ACTOR = "progress.unknown-actor"

    REF_UNKNOWN_ID = "ref.unknown-id"
    REF_CITES_ITEM = "ref.cites-item"
    REF_LOOKALIKE = "ref.lookalike"
    REF_NEAR_MISS = "ref.near-miss"

    BIB_UNKNOWN_KEY = "bib.unknown-key"
    BIB_READER = "bib.reader-failed"
    BIB_UNREADABLE_ENTRY = "bib.unreadable-entry"
    BIB_DUPLICATE_KEY = "bib.duplicate-key"
    BIB_DUPLICATE_FIELD = "bib.duplicate-field"
    BIB_NO_KEY = "bib.no-key"
    BIB_KEY_COMMA = "bib.key-comma"
    BIB_RESERVED_KEY = "bib.reserved-key"
    BIB_KEY_CHARACTERS = "bib.key-characters"
    BIB_MISSING_FIELD = "bib.missing-field"
    BIB_MISSING_COMMA = "bib.missing-comma"
    BIB_TRAILING_TEXT = "bib.trailing-text"
    BIB_UNDEFINED_STRING = "bib.undefined-string"
    BIB_UNCLOSED = "bib.unclosed"
    BIB_DANGLING_JOIN = "bib.dangling-join"
    BIB_UNKNOWN_PARENT = "bib.unknown-parent"
    BIB_PARENT_LOOP = "bib.parent-loop"
    BIB_URL = "bib.url"

    FRONTMATTER_UNKNOWN_KEY = "frontmatter.unknown-key"
    FRONTMATTER_VALUE = "frontmatter.value"
    FRONTMATTER_NOT_MAPPING = "frontmatter.not-mapping"

    ID_RESERVED = "id.reserved"
    ID_DUPLICATE_IN_PAGE = "id.duplicate-in-page"

    CONTENT_REFUSED_KIND = "content.refused-kind"
    CONTENT_THEME_FILE = "content.theme-file"
    CONTENT_BUILD_FILE = "content.build-file"
    CONTENT_CSS_IMPORT = "content.css-import"
    CONTENT_CSS_URL = "content.css-url"
    CONTENT_CSS_SYNTAX = "content.css-syntax"
    CONTENT_LINK_NO_SOURCE = "content.link-no-source"  # a raw-HTML link to no page or file

    UNUSED_QUOTE = "unused.quote"
    UNUSED_STATISTIC = "unused.statistic"
    UNUSED_REFERENCE = "unused.reference"

    BUILD_SHALLOW_CLONE = "build.shallow-clone"
    BUILD_GENERATED_PAGE = "build.generated-page"
    BUILD_UNNUMBERED = "build.unnumbered"  # a page shows other citations than were numbered
    BUILD_UNREAD_PAGE = "build.unread-page"  # a page the build did not read with the others
    BUILD_FINISH_PAGE = "build.finish-page"  # `finish`: the builder wrote no page for it
    BUILD_FINISH_MARKERS = "build.finish-markers"  # `finish`: the built page lost its markers


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in the sources, placed where an editor can fix it.

    `code` says which problem it is (`Code`); `subject`, the key or id it is about where code
    must match problems to what they are about (an unreadable entry and its citations).
    """

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"
    code: Code = field(kw_only=True)
    subject: str = field(default="", kw_only=True, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.code, Code):  # a code is one of Code's, never a loose string
            raise TypeError(f"{self.code!r} is not a problem code (briefing.problems.Code)")

    @classmethod
    def at(
        cls,
        span: Span,
        message: str,
        severity: Severity = "error",
        *,
        code: Code,
        subject: str = "",
    ) -> Problem:
        return cls(span.path, span.line, span.column, message, severity, code=code, subject=subject)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return visible(f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}")

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        message = visible(self.message).replace("%", "%25").replace("\r", "%0D")
        message = message.replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line},col={self.column}::{message}"

    def record(self) -> dict[str, Any]:
        """The problem as data, for tools (`python -m briefing validate --json`)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "code": str(self.code),
            "message": visible(self.message),
        }


def visible(text: str) -> str:
    """`text` with control, format and invisible characters shown as <U+XXXX>: a message that
    quotes a hostile id must not reorder (Trojan Source) or hide part of the editor's screen."""
    return "".join(
        f"<U+{ord(c):04X}>"
        if c not in "\n\t" and unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp")
        else c
        for c in text
    )


class BriefingError(Exception):
    """Raised when a briefing has errors; carries every problem found in the run."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: Iterable[Problem], github: bool | None = None) -> str:
    """One line per problem; GitHub annotations too when running in GitHub Actions."""
    if github is None:
        github = os.environ.get("GITHUB_ACTIONS") == "true"
    lines: list[str] = []
    for problem in problems:
        lines.append(str(problem))
        if github:
            lines.append(problem.github())
    return "\n".join(lines)


def nearest(word: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names closest to a misspelt one, best first."""
    return difflib.get_close_matches(word, sorted(known), n=limit, cutoff=0.6)


def suggestion(word: str, known: Iterable[str], kind: str) -> str:
    """A hint naming what would be right: the nearest ids, else a few known ones."""
    known = sorted(known)
    close = nearest(word, known)
    if close:
        return "did you mean " + " or ".join(repr(c) for c in close) + "?"
    if not known:
        return f"there are no {kind}s"
    shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
    return f"known {kind}s: {shown}"


# Letters of other scripts drawn like ASCII ones (the common part of Unicode's confusables):
# 'rec-flеxibility' with a Cyrillic 'е' looks right and links nowhere.
LOOKALIKES = dict(
    zip(
        "аеорсухіјѕһԁԛԝӏАВЕКМНОРСТХІЈЅοαινκρυχεΑΒΕΖΗΙΚΜΝΟΡΤΥΧɡ",
        "aeopcyxijshdqwlABEKMHOPCTXIJSoaivkpuxeABEZHIKMNOPTYXg",
        strict=True,
    )
)


def ascii_lookalike(char: str) -> str | None:
    """The ASCII letter `char` passes for ('е' -> 'e', 'é' -> 'e', 'ｅ' -> 'e'), if any."""
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    plain = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
    return plain if len(plain) == 1 and plain.isascii() and plain.isprintable() else None


def non_ascii(text: str) -> str:
    """'' for ASCII text; else what is not ASCII in it, named, e.g. "it contains 'е' (U+0435
    CYRILLIC SMALL LETTER IE), which looks like the ASCII 'e'"."""
    notes = []
    for char in dict.fromkeys(c for c in text if not c.isascii()):
        name = unicodedata.name(char, "an unnamed character")
        like = ascii_lookalike(char)
        looks = f", which looks like the ASCII '{like}'" if like else ""
        # An invisible or text-reordering character is named, never printed.
        code = f"U+{ord(char):04X} {name}"
        shown = code if unicodedata.category(char)[0] in "CZ" else f"'{char}' ({code})"
        notes.append(shown + looks)
    if not notes:
        return ""
    return "it contains " + " and ".join(notes[:3]) + (" and more" if len(notes) > 3 else "")


def ascii_spelling(text: str) -> str:
    """`text` with each look-alike replaced by the ASCII letter it passes for."""
    return "".join(ascii_lookalike(c) or c if not c.isascii() else c for c in text)

"""Problems found in a briefing, reported as `path:line:column: message` for editors."""

from __future__ import annotations

import difflib
import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from .model import Span

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in the sources, placed where an editor can fix it."""

    path: str
    line: int
    column: int
    message: str
    severity: Severity = "error"

    @classmethod
    def at(cls, span: Span, message: str, severity: Severity = "error") -> Problem:
        return cls(span.path, span.line, span.column, message, severity)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return visible(f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}")

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        message = visible(self.message).replace("%", "%25").replace("\r", "%0D")
        message = message.replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line},col={self.column}::{message}"


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

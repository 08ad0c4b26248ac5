"""Problems found in a briefing, reported as `path:line:column: message` for editors."""

from __future__ import annotations

import difflib
import os
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
        return f"{self.path}:{self.line}:{self.column}: {prefix}{self.message}"

    def github(self) -> str:
        """A GitHub Actions workflow command, so the problem shows on the pull request's diff."""
        message = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{self.severity} file={self.path},line={self.line},col={self.column}::{message}"


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

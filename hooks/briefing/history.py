"""Content history from git: when each source file last changed, and what changed when.

One `git log` per build gives both; outside a git checkout there is simply no history.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CONTENT = ("data", "docs", "references.bib")
_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class Change:
    """One commit that touched the content: its date (YYYY-MM-DD), subject and files."""

    date: str
    subject: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class History:
    changes: tuple[Change, ...] = ()
    updated: dict[str, str] = field(default_factory=dict)  # path -> date of its last change

    def last_updated(self, *paths: str) -> str | None:
        """The latest date on which any of `paths` changed."""
        dates = [self.updated[p] for p in paths if p in self.updated]
        return max(dates) if dates else None


def read(root: Path, paths: tuple[str, ...] = CONTENT) -> History:
    """The history of `paths` under `root`; empty when git or the repository is missing."""
    try:
        output = subprocess.run(
            [
                "git",
                "-C",
                str(root),
                "log",
                "--no-merges",
                f"--format={_SEPARATOR}%cs%x09%s",
                "--name-only",
                "--",
                *paths,
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return History()
    prefix = _git_prefix(root)
    changes: list[Change] = []
    updated: dict[str, str] = {}
    for record in output.split(_SEPARATOR)[1:]:
        head, _, rest = record.partition("\n")
        date, _, subject = head.partition("\t")
        files = tuple(
            f.removeprefix(prefix) for f in rest.splitlines() if f.strip() and f.startswith(prefix)
        )
        changes.append(Change(date, subject, files))
        for file in files:
            updated.setdefault(file, date)
    return History(tuple(changes), updated)


def _git_prefix(root: Path) -> str:
    """The project's folder inside its repository ('' when it is the repository's top)."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-prefix"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""

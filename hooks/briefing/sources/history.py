"""Content history from git: when each source file last changed, and what changed when.

One `git log` per build gives both; outside a git checkout there is simply no history. A shallow
clone (`git clone --depth N`, CI's default checkout) holds only the last commits, and git shows
the oldest of them as adding every file: those files are given no date rather than the wrong
one, and the history says it is incomplete.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from ..problems import Code, Problem

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
    # A shallow clone: what changed up to `since` (its oldest commit's date) is unknown.
    complete: bool = True
    since: str | None = None

    def last_updated(self, *paths: str) -> str | None:
        """The latest date on which any of `paths` changed."""
        dates = [self.updated[p] for p in paths if p in self.updated]
        return max(dates) if dates else None

    def warning(self) -> Problem | None:
        """What an incomplete history means for the pages, for the build log."""
        if self.complete:
            return None
        before = f" up to {self.since}" if self.since else ""
        return Problem(
            ".git",
            1,
            1,
            f'this is a shallow clone: the history{before} is missing, so "What changed" '
            "lists only later changes and a page last changed by then shows no date; "
            "fetch the whole history (git fetch --unshallow, or actions/checkout with "
            "fetch-depth: 0)",
            "warning",
            code=Code.BUILD_SHALLOW_CLONE,
        )


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
                f"--format={_SEPARATOR}%H%x09%cs%x09%s",
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
    prefix = _git(root, "rev-parse", "--show-prefix")
    shallow = _shallow_commits(root)
    changes: list[Change] = []
    updated: dict[str, str] = {}
    since: str | None = None
    for record in output.split(_SEPARATOR)[1:]:
        head, _, rest = record.partition("\n")
        commit, _, head = head.partition("\t")
        date, _, subject = head.partition("\t")
        if shallow is not None and commit in shallow:  # no parents here: git lists every file
            since = max(since or date, date)
            continue
        files = tuple(
            f.removeprefix(prefix) for f in rest.splitlines() if f.strip() and f.startswith(prefix)
        )
        changes.append(Change(date, subject, files))
        for file in files:
            updated.setdefault(file, date)
    return History(tuple(changes), updated, complete=shallow is None, since=since)


def _shallow_commits(root: Path) -> frozenset[str] | None:
    """The commits whose parents a shallow clone lacks; None when the history is whole."""
    if _git(root, "rev-parse", "--is-shallow-repository") != "true":
        return None
    listed = _git(root, "rev-parse", "--git-path", "shallow")
    try:
        text = (root / listed).read_text(encoding="ascii") if listed else ""
    except (OSError, UnicodeError):
        text = ""
    return frozenset(text.split())


def _git(root: Path, *args: str) -> str:
    """One line of `git` output ('' when git fails: the prefix then is the repository's top)."""
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""

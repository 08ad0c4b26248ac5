"""A shallow clone's history is reported as incomplete, never misattributed (briefing/history.py):
git shows the oldest commit of a shallow clone as adding every file, which would date every page
to it. Real shallow clones (`git clone --depth N file://…`), not a mocked git."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from briefing.checks.validate import validate
from briefing.render.pages import Pages, changes
from briefing.sources import history
from bs4 import BeautifulSoup
from sitetools import ROOT, build_env, git


def _commit(repo: Path, files: dict[str, str], subject: str, date: str) -> None:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", subject, date=f"{date}T10:00:00+00:00")


def _history(tmp_path: Path) -> Path:
    repo = tmp_path / "origin"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    _commit(repo, {"data/quotes.yml": "[]\n", "docs/a.md": "# A\n"}, "First", "2024-05-01")
    _commit(repo, {"data/quotes.yml": "- id: quote-x\n"}, "Add a quote", "2024-06-02")
    _commit(repo, {"docs/b.md": "# B\n"}, "Add page B", "2024-07-03")
    return repo


def _clone(origin: Path, to: Path, depth: int | None) -> Path:
    shallow = ["--depth", str(depth)] if depth else []
    subprocess.run(
        ["git", "clone", "-q", *shallow, f"file://{origin}", str(to)],
        check=True,
        capture_output=True,
    )
    return to


def test_a_whole_history_is_complete(tmp_path: Path) -> None:
    found = history.read(_clone(_history(tmp_path), tmp_path / "whole", None))
    assert found.complete and found.warning() is None
    assert [c.date for c in found.changes] == ["2024-07-03", "2024-06-02", "2024-05-01"]
    assert found.last_updated("docs/a.md") == "2024-05-01"


@pytest.mark.parametrize(
    ("depth", "changes", "dates", "since"),
    [
        (1, [], {}, "2024-07-03"),
        (2, [("2024-07-03", ("docs/b.md",))], {"docs/b.md": "2024-07-03"}, "2024-06-02"),
    ],
)
def test_a_shallow_clone_dates_only_what_its_history_shows(
    tmp_path: Path,
    depth: int,
    changes: list[tuple[str, tuple[str, ...]]],
    dates: dict[str, str],
    since: str,
) -> None:
    found = history.read(_clone(_history(tmp_path), tmp_path / "shallow", depth))
    assert not found.complete and found.since == since
    assert [(c.date, c.files) for c in found.changes] == changes
    # The oldest commit shows every file as added: none of them is dated by it.
    for path in ("docs/a.md", "docs/b.md", "data/quotes.yml"):
        assert found.last_updated(path) == dates.get(path), path
    warning = found.warning()
    assert warning is not None and warning.severity == "warning"
    assert "shallow clone" in warning.message and since in warning.message
    assert "git fetch --unshallow" in warning.message


def test_the_changes_page_says_the_history_is_incomplete(tmp_path: Path) -> None:
    briefing = validate(ROOT).checked()
    origin = _history(tmp_path)
    found = history.read(_clone(origin, tmp_path / "shallow", 2))
    page = changes.render(Pages(briefing, dict, found))
    assert "holds only part of its history" in page and "2 June 2024" in page
    assert "Add page B" in page and "Add a quote" not in page and "First" not in page
    assert "No history is available" not in page
    only_boundary = history.read(_clone(origin, tmp_path / "one", 1))
    page = changes.render(Pages(briefing, dict, only_boundary))
    assert "holds only part of its history" in page and "3 July 2024" in page
    assert "No history is available" not in page


@pytest.mark.slow
def test_a_build_from_a_shallow_clone_warns_and_dates_no_page_wrongly(tmp_path: Path) -> None:
    origin = tmp_path / "origin"
    origin.mkdir()
    for name in ("mkdocs.yml", "references.bib", "data", "docs", "hooks"):
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, origin / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, origin / name)
    git(origin, "init", "-q", "-b", "main")
    _commit(origin, {}, "The briefing", "2024-05-01")
    _commit(
        origin,
        {"docs/about.md": (origin / "docs/about.md").read_text() + "\nMore.\n"},
        "About: one more line",
        "2024-08-09",
    )
    clone = _clone(origin, tmp_path / "clone", 1)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--no-strict",
            "-f",
            str(clone / "mkdocs.yml"),
            "-d",
            "out",
        ],
        capture_output=True,
        text=True,
        env=build_env(),
        cwd=clone,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]  # --strict (mkdocs.yml) fails on it
    assert (
        "WARNING" in result.stderr and ".git:1:1: warning: this is a shallow clone" in result.stderr
    )
    changes = BeautifulSoup((clone / "out/changes/index.html").read_text(), "html.parser")
    assert "holds only part of its history" in changes.get_text(" ")
    for page in ("background", "about", "recommendations"):
        soup = BeautifulSoup((clone / "out" / page / "index.html").read_text(), "html.parser")
        assert soup.select_one("p.last-updated") is None, f"{page} is dated by the boundary commit"

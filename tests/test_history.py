"""Content history from git: last-updated dates and the "What changed" page."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from briefing import history
from briefing.render.pages import Pages
from briefing.validate import validate
from sitetools import ROOT, Site


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="Editor",
        GIT_AUTHOR_EMAIL="editor@example.org",
        GIT_COMMITTER_NAME="Editor",
        GIT_COMMITTER_EMAIL="editor@example.org",
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "docs").mkdir()
    _git(repo, "init", "-q", "-b", "main")
    (repo / "data" / "quotes.yml").write_text("[]\n")
    (repo / "docs" / "a.md").write_text("# A\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "First edition", date="2024-05-01T10:00:00+00:00")
    (repo / "data" / "quotes.yml").write_text("- id: quote-x\n")
    (repo / "README.md").write_text("not content\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "Add a *quote*", date="2024-06-02T10:00:00+00:00")
    return repo


def test_history_reads_changes_and_dates(tmp_path: Path) -> None:
    found = history.read(_repo(tmp_path))
    assert [(c.date, c.subject, c.files) for c in found.changes] == [
        ("2024-06-02", "Add a *quote*", ("data/quotes.yml",)),
        ("2024-05-01", "First edition", ("data/quotes.yml", "docs/a.md")),
    ]
    assert found.last_updated("docs/a.md") == "2024-05-01"
    assert found.last_updated("docs/a.md", "data/quotes.yml") == "2024-06-02"
    assert found.last_updated("data/other.yml") is None


def test_no_repository_means_no_history(tmp_path: Path) -> None:
    assert history.read(tmp_path) == history.History()


def test_changes_page_lists_changes_by_date(tmp_path: Path) -> None:
    briefing = validate(ROOT).checked()
    pages = Pages(briefing, dict, history.read(_repo(tmp_path)))
    page = pages.changes(None)  # type: ignore[arg-type]
    assert '## <time datetime="2024-06-02">2 June 2024</time>' in page
    assert r"- Add a \*quote\* (`data/quotes.yml`)" in page
    assert page.index("2024-06-02") < page.index("2024-05-01")


def test_built_pages_carry_last_updated(site: Site) -> None:
    for url in ("index.html", "background/index.html", "recommendations/mri/index.html"):
        stamp = site.pages[url].select_one("p.last-updated time")
        assert stamp is not None, url
        assert len(str(stamp["datetime"])) == 10
    heading = site.page("changes").find("h1")
    assert heading is not None
    assert heading.get_text(strip=True).startswith("What changed")

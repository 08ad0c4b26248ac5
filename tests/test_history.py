"""Content history from git: last-updated dates and the "What changed" page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from briefing.checks.validate import validate
from briefing.render.formats import Formats
from briefing.render.pages import Pages, changes
from briefing.sources import history
from sitetools import ROOT, Site, git


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    (repo / "docs").mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "data" / "quotes.yml").write_text("[]\n")
    (repo / "docs" / "a.md").write_text("# A\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "First edition", date="2024-05-01T10:00:00+00:00")
    (repo / "data" / "quotes.yml").write_text("- id: quote-x\n")
    (repo / "README.md").write_text("not content\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Add a *quote*", date="2024-06-02T10:00:00+00:00")
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
    page = changes.render(pages)
    assert '## <time datetime="2024-06-02">2 June 2024</time>' in page
    assert r"- Add a \*quote\* (`data/quotes.yml`)" in page
    assert page.index("2024-06-02") < page.index("2024-05-01")


def _last_commit_date(*paths: str) -> str:
    """What git says (committer date, YYYY-MM-DD) of the last commit touching `paths`."""
    return subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--no-merges", "--format=%cs", "--", *paths],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_built_pages_carry_last_updated(site: Site) -> None:
    evidence = ("data/findings.yml", "data/quotes.yml", "data/statistics.yml")
    sources = {
        "index.html": ("data/report.yml", "data/recommendations.yml", "data/statistics.yml"),
        "background/index.html": ("docs/background.md",),
        "recommendations/mri/index.html": (
            "data/recommendations.yml",
            *evidence,
            "data/themes.yml",
            "references.bib",
        ),
    }
    for url, files in sources.items():
        stamp = site.pages[url].select_one("p.last-updated time")
        assert stamp is not None, url
        day = _last_commit_date(*files)
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), day
        assert stamp["datetime"] == day, url
        assert stamp.get_text() == Formats().date(day), url
    heading = site.page("changes").find("h1")
    assert heading is not None
    assert heading.get_text(strip=True).startswith("What changed")

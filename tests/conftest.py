"""Shared helpers: copy a fixture briefing into a temporary folder, ready to validate or build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitetools import Site, mkdocs_build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOOK = ROOT / "hooks" / "briefing_hooks.py"


def make_project(tmp_path: Path, fixture_name: str) -> Path:
    """Copy `tests/fixtures/<fixture_name>` to `tmp_path/<fixture_name>` with a mkdocs.yml.

    The mkdocs.yml is the repository's own, with the hook path made absolute (MkDocs resolves
    hook paths relative to the config file), the stylesheet copied beside the pages and the
    `nav` removed, so the default reading order (home, prose pages by path, generated pages)
    is used.
    """
    project = tmp_path / fixture_name
    shutil.copytree(FIXTURES / fixture_name, project)
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(HOOK)]
    config.pop("nav", None)
    report = yaml.safe_load((project / "data" / "report.yml").read_text(encoding="utf-8"))
    if isinstance(report, dict):
        config["site_name"] = report.get("title", fixture_name)
        config["site_author"] = report.get("publisher", "")
        config["copyright"] = f"© {str(report.get('date', ''))[:4]} {config['site_author']}"
    for css in config.get("extra_css", []):
        target = project / "docs" / css
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "docs" / css, target)
    (project / "mkdocs.yml").write_text(
        yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return project


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build cache for the session's builds, never the user's own (see briefing/cache.py).

    With pytest-xdist the workers of one run share it (their temporary folders are side by
    side): what one worker's build printed or drew, another's finds. Entries are written whole
    or not at all (`Cache.put`), so builds side by side are safe."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # pytest-N/popen-gwK: pytest-N is the run's, shared by its workers
    folder = base / "build-cache"
    folder.mkdir(exist_ok=True)
    os.environ["BRIEFING_CACHE"] = str(folder)  # builds run in subprocesses: the environment
    return folder


def enquete_project(folder: Path) -> Path:
    """Copy `tests/fixtures/enquete` (the French inquiry, with its own mkdocs.yml and nav) to
    `folder/enquete`, its hook path made absolute and the stylesheet copied beside its pages."""
    project = folder / "enquete"
    shutil.copytree(FIXTURES / "enquete", project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - HOOK\n", f"  - {HOOK}\n"),
        encoding="utf-8",
    )
    css = project / "docs" / "assets" / "briefing.css"
    css.parent.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "assets" / "briefing.css", css)
    return project


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A fresh copy of the small, valid "Urban Trees" briefing."""
    return make_project(tmp_path, "mini")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real briefing, built once per test session with `mkdocs build --strict`; tests read
    it in any order, so none may change it (checked at the end of the session)."""
    out = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    built = Site(out, result.stderr)
    yield built
    assert built.changed() == [], "a test changed the shared parsed pages: change a copy"


@pytest.fixture(scope="session")
def enquete(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The French inquiry (`enquete_project`), built once per session with `mkdocs build
    --strict` for every test that reads it (tests/test_as_written.py, the browser's
    tests/browser/test_second_briefing.py); none may change it (checked at the end)."""
    folder = tmp_path_factory.mktemp("enquete")
    project = enquete_project(folder)
    result = mkdocs_build(project / "mkdocs.yml", folder / "site")
    assert result.returncode == 0, result.stderr
    built = Site(folder / "site", result.stderr)
    yield built
    assert built.changed() == [], "a test changed the shared parsed pages: change a copy"

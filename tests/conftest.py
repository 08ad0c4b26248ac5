"""Shared helpers: copy a fixture briefing into a temporary folder, ready to validate or build."""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitetools import BUILDERS, Site, build_with, mkdocs_build

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


def run_folder(factory: pytest.TempPathFactory) -> Path:
    """The test run's temporary folder: this process's, or the one pytest-xdist's workers share
    (each has its own inside it: pytest-N/popen-gwK)."""
    base = factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def built_once(
    factory: pytest.TempPathFactory,
    name: str,
    build: Callable[[Path], subprocess.CompletedProcess[str]],
) -> tuple[int, Site]:
    """The exit status of `build(folder)`, which builds a site into `folder / "site"`, and that
    site: built once per test run however many pytest-xdist workers ask for it. The first to ask
    builds while the others wait on a lock (released when the build ends: an event, not a
    clock), then every worker reads the same folder; a build that raised is tried again by the
    next to ask. The caller checks the status, and no test may change the folder."""
    base = run_folder(factory)
    folder = base / name
    record = base / f"{name}.json"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not record.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            result = build(folder)
            record.write_text(json.dumps([result.returncode, result.stderr]), encoding="utf-8")
    returncode, log = json.loads(record.read_text(encoding="utf-8"))
    return returncode, Site(folder / "site", log)


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build cache for the run's builds, never the user's own (see briefing/cache.py).

    With pytest-xdist the workers of one run share it (`run_folder`): what one worker's build
    printed or drew, another's finds. Entries are written whole or not at all (`Cache.put`), so
    builds side by side are safe."""
    folder = run_folder(tmp_path_factory) / "build-cache"
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
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The small "Urban Trees" briefing as it is (`make_project`), built once per test run with
    `mkdocs build --strict` (`built_once`) for every test that builds it unchanged; none may
    change it (checked at the end of the session)."""

    def build(folder: Path) -> subprocess.CompletedProcess[str]:
        return mkdocs_build(make_project(folder, "mini") / "mkdocs.yml", folder / "site")

    code, built = built_once(tmp_path_factory, "mini-site", build)
    assert code == 0, built.log
    yield built
    assert built.changed() == [], "a test changed the shared parsed pages: change a copy"


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real briefing, built once per test run with `mkdocs build --strict` (`built_once`);
    tests read it in any order, so none may change it (checked at the end of the session)."""
    code, built = built_once(
        tmp_path_factory, "site", lambda folder: mkdocs_build(ROOT / "mkdocs.yml", folder / "site")
    )
    assert code == 0, built.log
    yield built
    assert built.changed() == [], "a test changed the shared parsed pages: change a copy"


@pytest.fixture(scope="session")
def enquete(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The French inquiry (`enquete_project`), built once per test run with `mkdocs build
    --strict` (`built_once`) for every test that reads it (tests/test_as_written.py, the
    browser's tests/browser/test_second_briefing.py); none may change it (checked at the end)."""

    def build(folder: Path) -> subprocess.CompletedProcess[str]:
        return mkdocs_build(enquete_project(folder) / "mkdocs.yml", folder / "site")

    code, built = built_once(tmp_path_factory, "enquete", build)
    assert code == 0, built.log
    yield built
    assert built.changed() == [], "a test changed the shared parsed pages: change a copy"


URL = "https://example.org/repo/"  # a project's address on GitHub Pages: a sub-path
# The builds of every builder are made as GitHub Actions makes them, with a repository: edit
# links and the repository's link are compared too.
REPOSITORY = {"GITHUB_REPOSITORY": "example/briefing"}


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """The real briefing built by each builder (`make site BUILDER=... SITE_URL=URL`), once per
    test run (`built_once`), for tests/test_parity.py and the browser's; none may change it."""
    sites = {}
    for builder in BUILDERS:

        def build(folder: Path, builder: str = builder) -> subprocess.CompletedProcess[str]:
            return build_with(
                builder,
                ROOT / "mkdocs.yml",
                folder / "site",
                site_url=URL,
                work=folder / "work",
                environ=REPOSITORY,
            )

        code, built = built_once(tmp_path_factory, f"parity-{builder}", build)
        assert code == 0, f"{builder}:\n{built.log[-3000:]}"
        sites[builder] = built
    yield sites
    for builder, built in sites.items():
        assert built.changed() == [], f"{builder}: a test changed the shared parsed pages"

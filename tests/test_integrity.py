"""Integrity of what is published: valid HTML on every page, and never half a site.

The W3C Nu HTML Checker (vnu.jar from npm, pinned in tests/vnu/package-lock.json; `make test`
installs it) must report no error on any page of the real briefing or of the small fixture.
Errors the theme itself would cause are fixed at their source by the hooks
(material.fix_theme), never filtered out of the checker's report.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sitetools import ROOT, Site, build_env

VNU = ROOT / "tests" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run of the checker: Java's quick compiler alone (its optimising one costs more
# than it saves in a run this short: about half the checker's CPU time, the same report),
# with the deeper thread stack that the checker asks for under that compiler.
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-Xss16m")


def html_errors(site: Path) -> list[str]:
    """Every error the checker finds in the site's HTML pages, one line each."""
    java = shutil.which("java")
    assert java, "Java is needed to run the HTML checker (apt-get install default-jre-headless)"
    assert VNU.is_file(), f"{VNU} is missing: `make test` installs it (npm ci in tests/vnu)"
    options = ["--errors-only", "--skip-non-html", "--format", "json"]
    result = subprocess.run(
        [java, *JAVA_OPTIONS, "-jar", str(VNU), *options, str(site)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout)
    errors = [
        f"{m.get('url', '').removeprefix('file:')}:{m.get('lastLine', 0)}: {m['message']}"
        for m in report["messages"]
        if m.get("type") in ("error", "non-document-error")
    ]
    assert result.returncode == (1 if errors else 0), result.stderr[-2000:]
    return errors


@pytest.mark.slow
def test_every_page_of_the_briefing_is_valid_html(site: Site) -> None:
    """The session's build of the real briefing (conftest's `site`: the same `mkdocs build
    --strict` of mkdocs.yml this test used to run again on its own); vnu only reads it."""
    assert len(list(site.root.rglob("*.html"))) > 15
    assert html_errors(site.root) == []


@pytest.mark.slow
def test_every_page_of_a_briefing_without_a_nav_is_valid_html(mini_site: Site) -> None:
    """The small briefing (no `nav`), as the session built it (conftest's `mini_site`)."""
    assert len(list(mini_site.root.rglob("*.html"))) > 5
    assert html_errors(mini_site.root) == []


def test_the_checker_does_report_errors(tmp_path: Path) -> None:
    """The check can fail: a page with the theme's invalid attribute is reported."""
    (tmp_path / "bad.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>'
        '<input type="checkbox" autocomplete="off"><p id="a"></p><p id="a"></p></body></html>',
        encoding="utf-8",
    )
    errors = html_errors(tmp_path)
    assert any("autocomplete" in e for e in errors)
    assert any("Duplicate ID" in e for e in errors)


# --- make site: built aside, then swapped in -------------------------------------------------

PROJECT_FILES = (
    "Makefile",
    "mkdocs.yml",
    "references.bib",
    "requirements.txt",
    "requirements-test.txt",
)
PROJECT_DIRS = ("hooks", "data", "docs")


def _copy_project(dest: Path) -> Path:
    dest.mkdir()
    for name in PROJECT_FILES:
        shutil.copy2(ROOT / name, dest / name)
    for name in PROJECT_DIRS:
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def _make_site(project: Path, stamp: Path) -> subprocess.CompletedProcess[str]:
    """`make site` in the copy, with this checkout's virtual environment (nothing installed)."""
    return subprocess.run(
        ["make", "--no-print-directory", "site", f"VENV={ROOT / '.venv'}", f"STAMP={stamp}"],
        cwd=project,
        capture_output=True,
        text=True,
        env=build_env(),
        check=False,
        timeout=600,
    )


@pytest.mark.slow
def test_a_failed_make_site_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = _copy_project(tmp_path / "project")
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than requirements.txt: make installs nothing
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("the published site", encoding="utf-8")

    findings = project / "data" / "findings.yml"
    good = findings.read_text(encoding="utf-8")
    findings.write_text(good.replace("theme:", "theme: [unclosed", 1), encoding="utf-8")
    failed = _make_site(project, stamp)
    assert failed.returncode != 0
    assert "data/findings.yml:" in failed.stdout + failed.stderr
    assert "Traceback" not in failed.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "the published site"
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert not (project / "site.old").exists()

    findings.write_text(good, encoding="utf-8")
    built = _make_site(project, stamp)
    assert built.returncode == 0, built.stderr[-3000:]
    assert "the published site" not in (site / "index.html").read_text(encoding="utf-8")
    assert (site / "recommendations" / "index.html").is_file()
    assert not (project / "site.tmp").exists()
    assert not (project / "site.old").exists()

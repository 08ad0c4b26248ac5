"""GitHub workflows and issue forms: valid against GitHub's schemas (offline), and safe to run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.y*ml"))
TEMPLATES = GITHUB / "ISSUE_TEMPLATE"
ISSUE_FORMS = sorted(p for p in TEMPLATES.glob("*.y*ml") if p.stem != "config")
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"

# An exact release (`@v1.2.3`) or a full commit SHA; never a moving tag or branch (`@v4`, `@main`).
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$")


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    """Validate one file against a schema vendored in check-jsonschema, with no network."""
    assert CHECK_JSONSCHEMA.exists(), (
        f"{CHECK_JSONSCHEMA} missing: pip install -r requirements-test.txt"
    )
    env = dict(os.environ)
    # Any attempt to reach the network fails fast: the vendored schemas must be enough.
    for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        env[proxy] = "http://127.0.0.1:9"
    env.pop("NO_PROXY", None)
    env.pop("no_proxy", None)
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{path} is not a mapping"
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    return {"on" if key is True else str(key): value for key, value in data.items()}


def uses(node: object) -> Iterator[str]:
    """Every `uses:` value in a workflow: steps' actions and jobs' reusable workflows."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uses" and isinstance(value, str):
                yield value
            else:
                yield from uses(value)
    elif isinstance(node, list):
        for item in node:
            yield from uses(item)


def runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job.get("steps", []) if "run" in step]


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in job.get("steps", []) if str(s.get("uses", "")).startswith(action + "@")]
    assert len(found) == 1, f"expected one step using {action}"
    step: dict[str, Any] = found[0]
    return step


def test_files_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"check.yml", "publish.yml"} <= names
    assert {"correction.yml", "response.yml"} <= {p.name for p in ISSUE_FORMS}
    assert (TEMPLATES / "config.yml").is_file()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_github_schema(path: Path) -> None:
    result = check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_matches_github_schema(path: Path) -> None:
    result = check_jsonschema("vendor.github-issue-forms", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_issue_template_config_matches_github_schema() -> None:
    result = check_jsonschema("vendor.github-issue-config", TEMPLATES / "config.yml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_an_exact_version(path: Path) -> None:
    found = [u for u in uses(load(path)) if not u.startswith("./")]
    assert found, f"{path.name} uses no actions"
    loose = [u for u in found if not PINNED.match(u)]
    assert not loose, f"{path.name}: pin to @vX.Y.Z or a commit SHA: {loose}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_checkout_fetches_history_for_source_date_epoch(path: Path) -> None:
    """Every job that runs `make` checks the repository out first, with its whole history
    (the date of the last commit is SOURCE_DATE_EPOCH, and the pages' "last updated")."""
    checkouts = 0
    for name, job in load(path)["jobs"].items():
        steps = job.get("steps", [])
        checkout = [
            n for n, s in enumerate(steps) if str(s.get("uses", "")).startswith("actions/checkout@")
        ]
        make = [n for n, s in enumerate(steps) if re.search(r"\bmake\b", str(s.get("run", "")))]
        if make:
            assert checkout and checkout[0] < make[0], f"job {name} runs make before a checkout"
        for n in checkout:
            assert steps[n].get("with", {}).get("fetch-depth") == 0, f"job {name}: fetch-depth"
        checkouts += len(checkout)
    assert checkouts, f"{path.name} checks nothing out"


def test_check_workflow() -> None:
    workflow = load(GITHUB / "workflows" / "check.yml")
    triggers = workflow["on"]
    assert "pull_request" in triggers
    assert workflow["permissions"] == {"contents": "read"}
    assert "pull_request.number" in workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is True
    (job,) = workflow["jobs"].values()
    commands = runs(job)
    assert commands.index("make validate") < commands.index("make test")
    # Every builder builds the site under a sub-path, and each build's links are checked
    # before the next builder replaces it; the default builder's site is the one uploaded.
    builders = [c for c in commands if c.startswith("make site")]
    named = [re.findall(r"BUILDER=(\w+)", c) for c in builders]
    assert named == [["zensical"], ["properdocs"], ["mkdocs"]]
    assert all('SITE_URL="$PREVIEW_URL"' in c for c in builders)
    assert "github.io" in workflow["env"]["PREVIEW_URL"]
    for build in builders:
        after = commands[commands.index(build) + 1]
        assert after == 'make linkcheck SITE_URL="$PREVIEW_URL"', f"{build}: no link check after it"
    assert commands.index("make test") < commands.index(builders[0])
    upload = step_using(job, "actions/upload-artifact")
    assert upload["with"]["name"] == "site-preview"
    assert upload["with"]["path"].rstrip("/") == "site"


def test_publish_workflow() -> None:
    workflow = load(GITHUB / "workflows" / "publish.yml")
    triggers = workflow["on"]
    assert triggers["push"]["branches"] == ["main"]
    permissions = workflow["permissions"]
    assert permissions["pages"] == "write"
    assert permissions["id-token"] == "write"
    assert permissions["contents"] == "read"
    assert workflow["concurrency"]["group"]
    assert workflow["concurrency"]["cancel-in-progress"] is False

    jobs = workflow["jobs"]
    build, deploy = jobs["build"], jobs["deploy"]
    needs = deploy["needs"]
    assert "build" in ([needs] if isinstance(needs, str) else needs), "deploy must need build"
    assert "if" not in deploy, "a failed build must never deploy"
    commands = runs(build)
    pages = step_using(build, "actions/configure-pages")
    address = 'SITE_URL="${{ steps.' + pages["id"] + '.outputs.base_url }}/"'
    site, linkcheck = f"make site {address}", f"make linkcheck {address}"
    assert commands.index("make test") < commands.index(site) < commands.index(linkcheck)
    assert build["steps"].index(pages) < [s.get("run") for s in build["steps"]].index(site)
    assert step_using(build, "actions/upload-pages-artifact")["with"]["path"].rstrip("/") == "site"

    assert deploy["environment"]["name"] == "github-pages"
    step = step_using(deploy, "actions/deploy-pages")
    url = "${{ steps." + step["id"] + ".outputs.page_url }}"
    assert deploy["environment"]["url"] == url


# --- Publishing only from main, and who reviews code (SECURITY.md) ------------------------------

MAIN = "github.ref == 'refs/heads/main'"


def test_publish_runs_only_from_main_whatever_starts_it() -> None:
    """A manual run can be started from any branch: the build job refuses all but main, and
    every other job needs it (so it is skipped with it) or checks the ref itself."""
    workflow = load(GITHUB / "workflows" / "publish.yml")
    assert set(workflow["on"]) <= {"push", "workflow_dispatch"}
    assert workflow["on"]["push"] == {"branches": ["main"]}
    jobs: dict[str, dict[str, Any]] = workflow["jobs"]
    guarded = {name for name, job in jobs.items() if str(job.get("if", "")).strip() == MAIN}
    assert "build" in guarded
    for name, job in jobs.items():
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        condition = str(job.get("if", ""))
        assert name in guarded or (
            set(needs) & guarded
            and not re.search(r"always\(\)|failure\(\)|cancelled\(\)", condition)
        ), f"the {name} job could run from a branch other than main"


CODE_SAMPLES = (
    "hooks/briefing/sources/content.py",
    "hooks/briefing_hooks.py",
    "tests/test_security.py",
    "tests/vnu/package.json",
    "mkdocs.yml",
    ".github/workflows/publish.yml",
    ".github/CODEOWNERS",
    ".ci/run",
    "Makefile",
    "requirements.txt",
    "requirements.in",
    "requirements-test.txt",
    "requirements-test.in",
    "pyproject.toml",
    "package.json",
    "package-lock.json",
)
CONTENT_SAMPLES = (
    "data/report.yml",
    "docs/background.md",
    "docs/assets/briefing.css",
    "references.bib",
)


def codeowners() -> list[tuple[str, list[str]]]:
    rules = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            pattern, *owners = line.split()
            rules.append((pattern, owners))
    return rules


def owners_of(path: str) -> list[str]:
    """The owners GitHub requests for `path`: the last rule that matches wins (gitignore syntax)."""
    import pathspec

    found: list[str] = []
    for pattern, owners in codeowners():
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(path):
            found = owners
    return found


def test_codeowners_routes_every_code_path_to_maintainers() -> None:
    rules = codeowners()
    assert rules, ".github/CODEOWNERS has no rule"
    for pattern, owners in rules:
        assert owners, f"{pattern} has no owner"
        for owner in owners:
            assert re.fullmatch(r"@[\w.-]+(/[\w.-]+)?|[^@\s]+@[^@\s]+\.\w+", owner), owner
    for path in CODE_SAMPLES:
        assert owners_of(path), f"a change to {path} needs no maintainer's review"
    for path in CONTENT_SAMPLES:
        assert not owners_of(path), f"{path} is content: the build checks it, anyone may review"


def test_every_code_path_security_md_names_has_an_owner() -> None:
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    row = next(line for line in security.splitlines() if line.startswith("| **code** |"))
    named = re.findall(r"`([^`]+)`", row.split("|")[2])
    assert "mkdocs.yml" in named and "hooks/" in named
    for name in named:
        sample = name.replace("*", "") + ("x" if name.endswith("/") else "")
        assert owners_of(sample), f"SECURITY.md calls {name} code, but CODEOWNERS routes no one"
    owner = codeowners()[0][1][0]
    assert owner in security, f"SECURITY.md must say how to set the owner {owner}"


def test_security_md_and_contributing_agree_that_mkdocs_yml_is_code() -> None:
    """The reading order lives in mkdocs.yml, which is code: both say a maintainer reviews it."""
    sentence = "a maintainer reviews a change to `mkdocs.yml` as code"
    for guide in ("SECURITY.md", "CONTRIBUTING.md"):
        text = " ".join((ROOT / guide).read_text(encoding="utf-8").split())
        assert sentence in text, f"{guide} does not say that {sentence}"

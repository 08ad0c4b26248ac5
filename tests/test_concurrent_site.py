"""Two `make site` at once never leave no site (the Makefile: a folder of its own per build, the
swap under a lock). The builds are stand-ins (SITE_BUILD) that hold until every one of them has
built, so their swaps race each other; nothing waits on a clock."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sitetools import ROOT, build_env

# A stand-in for `mkdocs build --site-dir DIR`: writes a site that names its build in every
# file, then tells the test it has built and waits for the word to swap (or fail).
FAKE_BUILD = """
import socket, sys
from pathlib import Path
port, name, out = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
for page in ("index.html", "about/index.html", "recommendations/index.html", "a/b/c.css"):
    (out / page).parent.mkdir(parents=True, exist_ok=True)
    (out / page).write_text(name, encoding="utf-8")
with socket.create_connection(("127.0.0.1", port)) as held:
    held.sendall(name.encode() + b"\\n")
    word = held.makefile().readline().strip()
sys.exit(0 if word == "swap" else 1)
"""


def _project(tmp_path: Path) -> tuple[Path, Path]:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    for name in ("requirements.txt", "requirements-test.txt"):
        shutil.copy2(ROOT / name, project / name)
    (project / "fake_build.py").write_text(FAKE_BUILD, encoding="utf-8")
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than requirements.txt: make installs nothing
    site = project / "site"
    site.mkdir()
    (site / "index.html").write_text("old", encoding="utf-8")
    return project, stamp


def _race(project: Path, stamp: Path, outcomes: dict[str, str]) -> dict[str, int]:
    """Run one `make site` per name at once; when all have built, tell each its outcome."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        runs = {
            name: subprocess.Popen(
                [
                    "make",
                    "--no-print-directory",
                    "site",
                    f"STAMP={stamp}",
                    f"CHROMIUM={sys.executable}",  # exists: make installs no browser
                    f"SITE_BUILD={sys.executable} fake_build.py {port} {name}",
                ],
                cwd=project,
                env=build_env(),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for name in outcomes
        }
        held = []
        for _ in outcomes:  # every build has written its whole site and waits
            connection, _ = server.accept()
            name = connection.makefile().readline().strip()
            held.append((connection, name))
        for connection, name in held:  # now all of them swap at once
            connection.sendall(outcomes[name].encode() + b"\n")
            connection.close()
        return {name: run.wait(timeout=120) for name, run in runs.items()}


@pytest.mark.parametrize(
    "outcomes",
    [
        {"one": "swap", "two": "swap"},
        {"one": "swap", "two": "swap", "three": "swap", "four": "swap"},
        {"one": "fail", "two": "swap", "three": "fail"},
        {"one": "fail", "two": "fail"},
    ],
    ids=["two", "four", "one-of-three-succeeds", "both-fail"],
)
def test_builds_at_once_always_leave_one_whole_site(
    tmp_path: Path, outcomes: dict[str, str]
) -> None:
    if shutil.which("make") is None or shutil.which("flock") is None:
        pytest.skip("make and flock (util-linux) are needed")
    project, stamp = _project(tmp_path)
    for _ in range(3):
        codes = _race(project, stamp, outcomes)
        assert codes == {n: 0 if o == "swap" else 2 for n, o in outcomes.items()}
        site = project / "site"
        assert (site / "index.html").is_file(), "no site was left"
        builders = {f.read_text(encoding="utf-8") for f in site.rglob("*") if f.is_file()}
        swapped = {n for n, o in outcomes.items() if o == "swap"}
        if swapped:
            assert len(builders) == 1 and builders <= swapped, f"a mixed site: {builders}"
            assert len([f for f in site.rglob("*") if f.is_file()]) == 4
        else:
            assert builders == {"old"}, "a failed build touched the published site"
        leftovers = sorted(p.name for p in project.iterdir() if p.name.startswith("site."))
        assert leftovers in ([], ["site.lock"]), leftovers

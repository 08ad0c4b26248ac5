"""The built site is a function of its sources: two builds are byte-for-byte identical."""

from __future__ import annotations

import difflib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).parent / "mkdocs"
SOURCE_DATE_EPOCH = "1714521600"  # 2024-05-01T00:00:00Z; CI uses the last commit's date


def build(site_dir: Path, hash_seed: str) -> dict[str, bytes]:
    """Build the real site into `site_dir`; return every file's bytes by relative path."""
    env = dict(os.environ)
    env.update(
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        NO_MKDOCS_2_WARNING="1",
        PYTHONPATH=str(ROOT / "hooks"),
        PYTHONDONTWRITEBYTECODE="1",
        # Different seeds: anything that depends on set or dict-of-str iteration order shows up.
        PYTHONHASHSEED=hash_seed,
        # Nothing from the build cache: each build makes its charts, entries and PDF itself.
        BRIEFING_CACHE="off",
    )
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return {
        path.relative_to(site_dir).as_posix(): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.is_file()
    }


def explain(name: str, first: bytes, second: bytes) -> str:
    try:
        a, b = first.decode().splitlines(), second.decode().splitlines()
    except UnicodeDecodeError:
        return f"{name}: binary files differ ({len(first)} and {len(second)} bytes)"
    diff = difflib.unified_diff(a, b, f"first/{name}", f"second/{name}", n=1, lineterm="")
    return "\n".join(list(diff)[:40])


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first = build(tmp_path / "first", hash_seed="1")
    second = build(tmp_path / "second", hash_seed="2")

    assert sorted(first) == sorted(second), "the builds wrote different files"
    assert {"index.html", "sitemap.xml", "sitemap.xml.gz"} <= set(first)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, "\n\n".join(explain(n, first[n], second[n]) for n in differing[:5])

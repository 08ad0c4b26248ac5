"""The built site is a function of its sources: two builds are byte-for-byte identical, whatever
the hash seed, with the build cache or without."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from sitetools import ROOT, Site, mkdocs_build


def build(site_dir: Path, hash_seed: str) -> dict[str, bytes]:
    """Build the real site into `site_dir` as the session's `site` is built (`mkdocs_build`),
    with another hash seed and no build cache."""
    environ = {
        "PYTHONDONTWRITEBYTECODE": "1",
        # Another seed: anything that depends on set or dict-of-str iteration order shows up.
        "PYTHONHASHSEED": hash_seed,
        # Nothing from the build cache: this build makes its charts, entries and PDF itself.
        "BRIEFING_CACHE": "off",
    }
    result = mkdocs_build(ROOT / "mkdocs.yml", site_dir, environ)
    assert result.returncode == 0, result.stdout + result.stderr
    return files(site_dir)


def files(site_dir: Path) -> dict[str, bytes]:
    """Every file's bytes by relative path."""
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
def test_two_builds_are_byte_identical(site: Site, tmp_path: Path) -> None:
    """The session's build (the shared build cache on, the run's own hash seed) and one made
    here (no cache, another hash seed) are the same bytes."""
    first = files(site.root)
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    second = build(tmp_path / "second", hash_seed=seed)

    assert sorted(first) == sorted(second), "the builds wrote different files"
    assert {"index.html", "sitemap.xml", "sitemap.xml.gz", "downloads/briefing.pdf"} <= set(first)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, "\n\n".join(explain(n, first[n], second[n]) for n in differing[:5])

"""Builders without hooks: the engine runs before them (the export) and after them (finish).

`zensical_build` is `make site BUILDER=zensical`: the briefing exported for the post-builder
pass into a work folder kept between builds (`.zensical/` in the project, so Zensical's own
cache makes the next build cheaper), built there with `zensical build`, copied into the
folder asked for and finished there (afterbuild.py). MkDocs and ProperDocs run the hooks and
need nothing here.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import sys
from pathlib import Path

from ..problems import BriefingError, Problem
from . import afterbuild, export, finish

WORK = ".zensical"  # the export Zensical builds, in the project (it keeps Zensical's cache)


class BuildFailed(Exception):
    """The builder itself failed: its output says why."""


def zensical_command(*args: str) -> list[str]:
    """Zensical as this Python runs it (the virtual environment's)."""
    return [sys.executable, "-m", "zensical", *args]


def zensical_build(
    config_path: Path,
    site_dir: Path,
    *,
    site_url: str | None = None,
    strict: bool = True,
    work: Path | None = None,
) -> tuple[afterbuild.Finished, list[Problem]]:
    """Build the briefing of `config_path` with Zensical into `site_dir` (new or empty),
    finished; the pass's outcome and the export's warnings. `work`: the export's folder
    (`.zensical/` in the project unless given; a new one builds without Zensical's cache).

    Raises what export.export and afterbuild.finish_site raise, and BuildFailed.
    """
    root = config_path.resolve().parent
    if site_dir.exists() and (not site_dir.is_dir() or any(site_dir.iterdir())):
        # Pages of another build left there would be published unfinished.
        raise ValueError(f"{site_dir}: not an empty folder; build into a new or empty one")
    work = (work or root / WORK).resolve()
    work.parent.mkdir(parents=True, exist_ok=True)  # a --work folder in a folder not made yet
    with work.with_name(f"{work.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two builds at once take turns with the work folder
        given = afterbuild.handed(config_path, site_url)  # read once, for both steps
        warnings = export.export(
            config_path,
            work,
            strict,
            for_finish=True,
            site_url=site_url,
            in_place=True,
            prepared=given.prepared,
            handed=given.handed,
        )
        ran = subprocess.run(
            zensical_command("build", *(["--strict"] if strict else []), "-f", "mkdocs.yml"),
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if ran.returncode != 0:
            raise BuildFailed((ran.stdout + ran.stderr).strip() or f"exit status {ran.returncode}")
        shutil.copytree(work / "site", site_dir, dirs_exist_ok=True)
    pages = afterbuild.finish_pages(given, site_dir)
    if pages.problems:
        shutil.rmtree(site_dir)  # Zensical's pages, unfinished: never left to be published
        raise BriefingError(pages.problems)
    published = afterbuild.finish_written(given, site_dir, pages, epoch=finish.epoch())
    done = afterbuild.Finished(len(pages.written), published, tuple(warnings), tuple(pages.notes))
    return done, warnings

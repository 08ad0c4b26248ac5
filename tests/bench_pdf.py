"""Time the PDF step at 1x and 10x the briefing:
`python tests/bench_pdf.py [--compare NAME=HOOKS ...]`.

Builds a scaled copy of the briefing (tests/factory.py) with the build cache off and prints,
per build, the PDF's time from the build log, its page count, and the build's wall and CPU
time (the typesetter's child processes included). Each `--compare` names another checkout's
`hooks/` folder (e.g. an older commit's, from `git archive`) to time in the same run, each
build alternating with ours so all see the same machine load:

    git archive bf8c03d hooks | tar -x -C /tmp/chromium-old    # Chromium, the site printed
    git archive 1fa66d7 hooks | tar -x -C /tmp/weasyprint      # WeasyPrint, the print edition
    python tests/bench_pdf.py --compare old=/tmp/chromium-old/hooks \
        --compare weasy=/tmp/weasyprint/hooks

Prints figures; asserts none.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdf
import yaml
from factory import make_briefing

ROOT = Path(__file__).resolve().parent.parent


def _build(project: Path, hooks: Path, name: str, out: Path) -> str:
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(hooks / "briefing_hooks.py")]
    path = project / f"mkdocs-{name}.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    env = dict(
        os.environ,
        NO_MKDOCS_2_WARNING="1",
        PYTHONPATH=str(hooks),
        BRIEFING_CACHE="off",
        SOURCE_DATE_EPOCH="1700000000",
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(path), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        cwd=project,
        check=False,
        timeout=3600,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if result.returncode:
        return f"{name}: build failed\n{result.stderr[-1500:]}"
    took = re.search(r"the PDF took ([\d.]+) s", result.stderr)
    pages = len(pypdf.PdfReader(out / "downloads" / "briefing.pdf").pages)
    return (
        f"{name:<8} PDF {took.group(1) if took else '?':>6} s  {pages:>4} pages  "
        f"build {wall:6.1f} s wall, {cpu:6.1f} s CPU  (load {os.getloadavg()[0]:.1f})"
    )


def _without(project: Path, copy: Path, drop: list[str]) -> Path:
    """`project`, or a copy of it without the fields `drop` names (FILE.FIELD)."""
    if not drop:
        return project
    shutil.copytree(project, copy, symlinks=True)
    for given in drop:
        stem, _, field = given.partition(".")
        path = copy / "data" / f"{stem}.yml"
        items = yaml.safe_load(path.read_text(encoding="utf-8"))
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict):
                item.pop(field, None)
        path.write_text(yaml.safe_dump(items, sort_keys=False, allow_unicode=True), "utf-8")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument(
        "--drop",
        action="append",
        default=[],
        help="FILE.FIELD left out of every item of data/FILE.yml for the compared checkouts "
        "(a field an older engine does not know, e.g. recommendations.history)",
    )
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--compare", action="append", default=[], help="NAME=another checkout's hooks/ folder"
    )
    args = parser.parse_args()
    variants = {"this": ROOT / "hooks"}
    for given in args.compare:
        name, _, folder = given.rpartition("=")
        variants[name or f"compare{len(variants)}"] = Path(folder).resolve()
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        for scale in (int(s) for s in args.scales.split(",")):
            project = make_briefing(Path(scratch) / f"x{scale}", copies=scale)
            older = _without(project, Path(scratch) / f"x{scale}-older", args.drop)
            for run in range(args.runs):
                for name, hooks in variants.items():
                    out = Path(scratch) / f"site-{name}-{scale}-{run}"
                    source = project if name == "this" else older
                    print(f"{scale:>3}x {_build(source, hooks, name, out)}", flush=True)


if __name__ == "__main__":
    main()

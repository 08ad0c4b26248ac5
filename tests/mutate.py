"""`make mutate`: mutation testing of the engine's stages with mutmut, score and survivors.

Each stage (checks, rendering, downloads) is mutated on its own, with the fast tests that cover
it: mutmut changes one thing in the code at a time (a comparison, a constant, a call's
argument ...) and runs the tests that reach the changed function; a mutant that no test notices
"survived", and is either a missing test or an equivalent change (listed, with the reason, in the
closing note of issue 18).

mutmut names a module after its path, and the engine lives in `hooks/briefing/`, imported as
`briefing`: so each stage runs in a scratch copy under `.mutate/<stage>/` where the engine is at
`src/briefing/` (mutmut drops the `src.`), with the briefing's data beside it. Tests that run a
build or the command line in a subprocess, or need a built site, are left out (`-p mutate`
below): the mutant lives in mutmut's process only, so they could not notice it, and they are slow.

Not part of `make test`; nothing here is asserted. Usage:

    make mutate                        # every stage
    make mutate ARGS="downloads"       # one or more stages
    make mutate ARGS="--report checks" # print the last run's figures again, run nothing
"""

from __future__ import annotations

import argparse
import inspect
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutate"


@dataclass(frozen=True)
class Stage:
    name: str
    modules: tuple[str, ...]  # paths under hooks/
    tests: tuple[str, ...]  # test files under tests/


STAGES = {
    stage.name: stage
    for stage in (
        Stage(
            "checks",
            ("briefing/check.py", "briefing/schema.py", "briefing/validate.py"),
            ("test_validation.py", "test_schema_fast.py", "test_fuzz_data.py"),
        ),
        Stage(
            "rendering",
            ("briefing/render/*.py",),
            ("test_render.py", "test_head.py", "test_charts.py", "test_outputs.py"),
        ),
        Stage("downloads", ("briefing/downloads.py",), ("test_downloads.py", "test_outputs.py")),
    )
}
# Fixtures that build a site in a subprocess, and calls that run one.
BUILT = {"site", "larger", "exported", "published", "served", "mini_site"}
RUNS = re.compile(r"\b(mkdocs_build|plain_build|run_cli|subprocess\.\w+)\(")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep the tests that run the engine in this process (the mutate run's plugin)."""
    kept, left = [], []
    for item in items:
        function = getattr(item, "function", None)
        source = inspect.getsource(function) if function is not None else ""
        built = BUILT & set(getattr(item, "fixturenames", ()))
        if built or item.get_closest_marker("slow") or RUNS.search(source):
            left.append(item)
        else:
            kept.append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def prepare(stage: Stage) -> Path:
    """A scratch project for `stage`: the engine under src/, the tests, the briefing's files."""
    folder = SCRATCH / stage.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "hooks", folder / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "tests", folder / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    copied = ["data", "docs", "references.bib", "mkdocs.yml", "CONTRIBUTING.md", "CITATION.cff"]
    for name in copied:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.exists():
            shutil.copy(source, folder / name)
    tests = [f"tests/{t}" for t in stage.tests if (ROOT / "tests" / t).exists()]
    (folder / "pyproject.toml").write_text(
        "[tool.pytest.ini_options]\n"
        'pythonpath = ["src", "tests"]\n'
        'addopts = "-p mutate -p no:randomly -p no:cacheprovider -q"\n'
        'markers = ["slow: builds the whole site"]\n'
        "\n[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = {_toml_list([f'src/{m}' for m in stage.modules])}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        f"also_copy = {_toml_list(copied)}\n"
        "use_git_change_detection = false\n",
        encoding="utf-8",
    )
    return folder


def run(stage: Stage, children: int) -> int:
    folder = prepare(stage)
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the mutated engine, never the one in hooks/
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=env.get("SOURCE_DATE_EPOCH", "0"))
    mutmut = Path(sys.executable).parent / "mutmut"
    command = [str(mutmut), "run", "--max-children", str(children)]
    with (folder / "run.log").open("w", encoding="utf-8") as log:
        done = subprocess.run(command, cwd=folder, env=env, stdout=log, stderr=log, check=False)
    return done.returncode


def report(stage: Stage) -> tuple[int, int]:
    """Print the stage's score per module and its survivors; (killed, total)."""
    folder = SCRATCH / stage.name
    mutmut = Path(sys.executable).parent / "mutmut"
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(mutmut), "results", "--all", "true"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in done.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = re.sub(r"\.x(_|ǁ).*$", "", name)
        counts[module][status] += 1
        if status not in ("killed", "timeout", "caught by type check", "segfault"):
            survivors[module].append(f"{name}: {status}")
    killed_all = total_all = 0
    print(f"\n== {stage.name} ==")
    for module in sorted(counts):
        c = counts[module]
        total = sum(c.values())
        killed = c["killed"] + c["timeout"] + c["caught by type check"] + c["segfault"]
        killed_all, total_all = killed_all + killed, total_all + total
        others = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k != "killed")
        print(f"{module:32} {killed:5}/{total:<5} killed {100 * killed / total:5.1f}%  {others}")
    if total_all:
        score = 100 * killed_all / total_all
        print(f"{'(stage)':32} {killed_all:5}/{total_all:<5} killed {score:5.1f}%")
    for module in sorted(survivors):
        print(f"\n-- surviving in {module} (see each: cd {folder} && mutmut show NAME)")
        for line in survivors[module]:
            print("  " + line)
    return killed_all, total_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="*", help=f"of {', '.join(STAGES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument("--children", type=int, default=2, help="mutants run at once")
    args = parser.parse_args()
    names = args.stages or list(STAGES)
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        parser.error(f"no stage {', '.join(unknown)}; the stages are {', '.join(STAGES)}")
    for name in names:
        stage = STAGES[name]
        if not args.report:
            print(f"mutating {name} ({', '.join(stage.modules)}) ...", flush=True)
            code = run(stage, args.children)
            if code:
                print(f"mutmut exited {code}: see {SCRATCH / name / 'run.log'}")
        report(stage)
    return 0


if __name__ == "__main__":
    sys.exit(main())

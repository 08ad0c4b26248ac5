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

    make mutate                          # every stage (checks is the slowest: about an hour)
    make mutate ARGS="downloads"         # one or more stages
    make mutate ARGS="--survivors"       # only the mutants the last run left alive, with the
                                         # tests as they are now: the habit after adding tests
    make mutate ARGS="rendering --survivors --only 'briefing.render.nav*'"  # one module's
    make mutate ARGS="checks --survivors --reached"  # only those a stopped run had reached
    make mutate ARGS="--report checks"   # print the last run's figures again, run nothing
    make mutate ARGS="--show NAME"       # what one mutant changed

Each run's statuses are kept in `.mutate/<stage>.json`.
"""

from __future__ import annotations

import argparse
import fnmatch
import inspect
import json
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
            ("briefing/checks/*.py", "briefing/sources/schema.py"),
            # test_schema_fast's properties and the fuzzer take a minute a mutant: left out
            (
                "test_validation.py",
                "test_check_messages.py",
                "test_as_written.py",  # labels, tables, no recommendations
                "test_tracker.py",  # check_progress
            ),
        ),
        Stage(
            "rendering",
            # fnmatch's * crosses folders: render/*.py holds render/pages/*.py
            ("briefing/render/*.py",),
            (
                "test_render.py",
                "test_numbering.py",
                "test_charts.py",
                "test_outputs.py",
                "test_as_written.py",
                "test_tracker.py",
                "test_history.py",
                "test_feed.py",
                "test_mutants_render.py",
                "test_mutants_charts.py",
                "test_mutants_site.py",
                "test_mutants_pages.py",
                "test_mutants_tracker.py",
            ),
        ),
        Stage(
            # the files the download list offers: briefing.json and recommendations.csv
            # (briefing_json, items), references.bib and references.json (downloads), the
            # citation files (citefiles); the PDF is printed by Chromium in a subprocess, the
            # feed is a page of news, not a download
            "downloads",
            (
                "briefing/publish/downloads.py",
                "briefing/publish/briefing_json.py",
                "briefing/publish/items.py",
                "briefing/publish/citefiles.py",
            ),
            (
                "test_downloads.py",
                "test_outputs.py",
                "test_tracker.py",
                "test_mutants_downloads.py",
            ),
        ),
    )
}
# Fixtures that build a site in a subprocess (by their names in the test files), and calls
# that run one, or MkDocs' configuration (its hooks are at hooks/, not in the scratch copy).
BUILT = {"site", "larger", "exported", "published", "served", "enquete"}
RUNS = re.compile(r"\b(mkdocs_build|plain_build|run_cli|subprocess\.\w+|load_config)\(")


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


KILLED = ("killed", "timeout", "caught by type check", "segfault")


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)  # the mutated engine, never the one in hooks/
    env.update(NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH=env.get("SOURCE_DATE_EPOCH", "0"))
    return env


def run(stage: Stage, children: int, names: list[str] | None = None) -> int:
    """mutmut over `stage` in a fresh scratch copy: every mutant, or only `names`."""
    folder = prepare(stage)
    mutmut = Path(sys.executable).parent / "mutmut"
    command = [str(mutmut), "run", "--max-children", str(children), *(names or [])]
    with (folder / "run.log").open("w", encoding="utf-8") as log:
        done = subprocess.run(
            command, cwd=folder, env=_environment(), stdout=log, stderr=log, check=False
        )
    return done.returncode


def results(stage: Stage) -> dict[str, str]:
    """Each mutant's name and status after the stage's last run."""
    done = subprocess.run(
        [str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
        cwd=SCRATCH / stage.name,
        env=_environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    found = {}
    for line in done.stdout.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if "__mutmut_" in name:
            found[name] = status
    return found


def saved(stage: Stage) -> Path:
    return SCRATCH / f"{stage.name}.json"


def report(stage: Stage, statuses: dict[str, str]) -> tuple[int, int]:
    """Print the stage's score per module and its survivors; (killed, total)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for name, status in sorted(statuses.items()):
        module = re.sub(r"\.x(_|ǁ).*$", "", name)
        counts[module][status] += 1
        if status not in (*KILLED, "not checked"):
            survivors[module].append(f"{name}: {status}")
    killed_all = total_all = 0
    print(f"\n== {stage.name} ==")
    for module in sorted(counts):
        c = counts[module]
        total = sum(c.values()) - c["not checked"]  # a run stopped early checked only some
        if not total:
            print(f"{module:32}     none checked ({c['not checked']} not checked)")
            continue
        killed = sum(c[k] for k in KILLED)
        killed_all, total_all = killed_all + killed, total_all + total
        others = ", ".join(f"{k} {v}" for k, v in sorted(c.items()) if k != "killed")
        print(f"{module:32} {killed:5}/{total:<5} killed {100 * killed / total:5.1f}%  {others}")
    if total_all:
        score = 100 * killed_all / total_all
        print(f"{'(stage)':32} {killed_all:5}/{total_all:<5} killed {score:5.1f}%")
    for module in sorted(survivors):
        print(f"\n-- surviving in {module} (see one: make mutate ARGS='--show NAME')")
        for line in survivors[module]:
            print("  " + line)
    return killed_all, total_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stages", nargs="*", help=f"of {', '.join(STAGES)} (default: all)")
    parser.add_argument("--report", action="store_true", help="print the last run's figures")
    parser.add_argument(
        "--survivors",
        action="store_true",
        help="run only the mutants the last run left alive, with today's tests (a kill stays one)",
    )
    parser.add_argument(
        "--reached",
        action="store_true",
        help="with --survivors: only the mutants the last run reached (not those it never got to)",
    )
    parser.add_argument(
        "--only",
        metavar="PATTERN",
        help="only mutants whose name matches one of these, comma-separated (briefing.render.nav*)",
    )
    parser.add_argument("--show", metavar="NAME", help="the diff of one mutant")
    parser.add_argument("--children", type=int, default=2, help="mutants run at once")
    args = parser.parse_args()
    if args.show:
        stage_name = next(
            (n for n in STAGES if saved(STAGES[n]).exists() and args.show in _load(STAGES[n])),
            None,
        )
        if stage_name is None:
            parser.error(f"no mutant {args.show} in the last runs")
        mutmut = Path(sys.executable).parent / "mutmut"
        folder = SCRATCH / stage_name
        command = [str(mutmut), "show", args.show]
        return subprocess.run(command, cwd=folder, env=_environment(), check=False).returncode
    names = args.stages or list(STAGES)
    unknown = [n for n in names if n not in STAGES]
    if unknown:
        parser.error(f"no stage {', '.join(unknown)}; the stages are {', '.join(STAGES)}")
    for name in names:
        stage = STAGES[name]
        statuses = _load(stage) if saved(stage).exists() else {}
        if not statuses and (SCRATCH / name / "mutants").is_dir():  # a run that kept no record
            statuses = results(stage)
            saved(stage).write_text(json.dumps(statuses, indent=1) + "\n", encoding="utf-8")
        if not args.report:
            alive = [n for n, status in statuses.items() if status not in KILLED]
            if args.reached:
                alive = [n for n in alive if statuses[n] != "not checked"]
            patterns = args.only.split(",") if args.only else []
            if patterns:
                alive = [n for n in alive if any(fnmatch.fnmatch(n, p) for p in patterns)]
            if args.survivors and not statuses:
                parser.error(f"{name} has not run yet: make mutate ARGS={name}")
            which = f"{len(alive)} survivors" if args.survivors else ", ".join(stage.modules)
            print(f"mutating {name} ({which}) ...", flush=True)
            if args.survivors and not alive:
                code = 0
            else:
                chosen = alive if args.survivors else patterns or None
                code = run(stage, args.children, chosen)
            if code:
                print(f"mutmut exited {code}: see {SCRATCH / name / 'run.log'}")
            partial = args.survivors or args.only
            fresh = results(stage)
            if code and all(v == "not checked" for v in fresh.values()):
                # a run that stopped before any mutant (a test failing unmutated) tells nothing
                print(f"no mutant was checked: the last figures for {name} are kept")
                report(stage, statuses)
                continue
            if partial:  # what this run checked replaces the last word on those mutants;
                # the mutants of code since removed are dropped (mutmut lists every current one)
                fresh = {
                    n: statuses.get(n, v) if v == "not checked" else v for n, v in fresh.items()
                }
            statuses = fresh
            saved(stage).write_text(json.dumps(statuses, indent=1) + "\n", encoding="utf-8")
        report(stage, statuses)
    return 0


def _load(stage: Stage) -> dict[str, str]:
    data: dict[str, str] = json.loads(saved(stage).read_text(encoding="utf-8"))
    return data


if __name__ == "__main__":
    sys.exit(main())

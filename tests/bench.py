"""`make bench`: what a build costs as the briefing grows, printed as one table.

The real briefing is scaled 1x, 10x and 50x with the test factory (renamed copies of every item,
reference and prose page); one more row adds a publisher's shared bibliography of 5,000
entries, of which the briefing cites a few percent (`extra.briefing.bibliography: shared`).
For each, in one run on this machine:

- hooks build, cold: `mkdocs build --strict` with the hooks and an empty build cache
  (`hooks/briefing/cache.py`): everything made, as on a fresh CI machine; one run;
- hooks build, cached: the same build again, with the cache the first one filled (what an
  editor's next `make site` costs); best of --repeat runs;
- plain build: `mkdocs build --strict` of the export (`python -m briefing export`), which has
  no hooks: MkDocs' and Material's own cost for the same pages. Runs alternate with the hooks
  builds, so both meet the same load;
- hook time: time spent in the hook module during a build (cold, cached): importing it (and so the
  engine) and inside its `on_*` functions. The build runs through `_mkdocs` below, which
  wraps each `on_*` function in an accumulator as MkDocs loads the module: the hook file and
  the normal build path are untouched;
- export, validate: `python -m briefing export` and `validate --strict` (what `make validate`
  runs);
- serve rebuild: from renaming the first recommendation in data/recommendations.yml while
  `mkdocs serve` runs to its "Reloading browsers" log line (best of two edits; one from 50x).
  The PDF changes with the edit and is printed in the background after the reload: the CPU
  time is the server's own, without the typesetter's;
- peak MB: the largest resident set of the hooks build's process.

A second table gives each builder (README, "Choosing a builder") the same three figures: a cold
build (empty build cache; for Zensical also a new export folder, so Zensical's own cache is
empty too), a cached build (best of --repeat), and the serve rebuild after the same edit, to
the moment the edited pages are served finished: MkDocs' and ProperDocs' "Reloading browsers";
for Zensical, the engine's "Finished N page(s)" once Zensical has rebuilt and the post-builder
pass has finished what it wrote (CPU: the preview's process and Zensical's, not the PDF's
browser). ProperDocs runs the hooks; Zensical is `python -m briefing build --builder zensical`
and `python -m briefing serve --builder zensical` (what `make site`/`make serve BUILDER=` run).

Times are CPU seconds (user + system, with the processes a command waited for) unless
`--clock wall`: on a shared machine, other work stretches wall-clock time but not CPU time.

Not a test (pytest collects test_*.py only); nothing here is asserted. Targets are printed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve()
SHARED_TOTAL = 5000
BIG = 50  # copies from which each timing is taken once (and one serve edit): minutes each


@dataclass(frozen=True)
class Scenario:
    name: str
    copies: int
    filler: int = 0  # never-cited entries added to references.bib
    shared: bool = False


@dataclass
class Row:
    scenario: Scenario
    pages: int = 0
    cited: int = 0
    entries: int = 0
    hooks_build: float = 0.0  # with the build cache the cold build filled
    cold_build: float = 0.0  # with an empty build cache
    cold_hook_time: float = 0.0
    export: float = 0.0
    plain_build: float = 0.0
    hook_time: float = 0.0
    hooks: dict[str, float] | None = None
    validate: float = 0.0
    serve: float | None = None
    peak_mb: float = 0.0
    builders: dict[str, BuilderCost] = field(default_factory=dict)


@dataclass
class BuilderCost:
    """One builder's cost for one briefing."""

    cold: float = 0.0
    cached: float = 0.0
    serve: float | None = None


# --- clocks -------------------------------------------------------------------------------------

CLOCK_ENV = "BRIEFING_BENCH_CLOCK"


def cpu_now() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _clock() -> Callable[[], float]:
    return time.perf_counter if os.environ.get(CLOCK_ENV) == "wall" else cpu_now


@dataclass(frozen=True)
class Cost:
    """What one command cost: wall and CPU seconds, and its peak resident memory."""

    wall: float
    cpu: float
    peak_mb: float

    def seconds(self) -> float:
        return self.wall if os.environ.get(CLOCK_ENV) == "wall" else self.cpu


# --- the instrumented MkDocs run (a child process) ----------------------------------------------


def _instrumented_mkdocs(report: Path, args: list[str]) -> int:
    """Run the MkDocs command line with every hook function timed; write the totals to `report`.

    MkDocs loads `hooks:` files through `Hooks._load_hook`; wrapping its result here leaves
    the hook module and the normal build path unchanged.
    """
    from mkdocs.__main__ import cli
    from mkdocs.config import config_options

    clock = _clock()
    totals: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    load = config_options.Hooks._load_hook

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*a: Any, **k: Any) -> Any:
            started = clock()
            try:
                return function(*a, **k)
            finally:
                totals[name] += clock() - started
                calls[name] += 1

        return wrapper

    def load_timed(self: Any, name: str, path: str) -> Any:
        started = clock()
        module = load(self, name, path)  # the first call imports the engine
        totals["(import)"] += clock() - started
        if not getattr(module, "_bench_timed", False):
            for attr in dir(module):
                if attr.startswith("on_") and callable(getattr(module, attr)):
                    setattr(module, attr, timed(attr, getattr(module, attr)))
            module._bench_timed = True
        return module

    config_options.Hooks._load_hook = load_timed  # type: ignore[assignment]
    code = 0
    try:
        cli.main(args=args, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    except Exception as error:  # Abort from a strict build, or a crash: report, don't hide
        print(f"mkdocs failed: {error!r}", file=sys.stderr)
        code = 1
    report.write_text(json.dumps({"hooks": totals, "calls": calls, "code": code}), "utf-8")
    return code


# --- measuring from the parent ------------------------------------------------------------------


def _env() -> dict[str, str]:
    """The tests' build environment (see sitetools), with bytecode as builds normally have."""
    from sitetools import build_env  # here: the timed builds run this file too

    env = build_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # builds import the engine as usual: from bytecode
    return env


def _run(command: list[str], cwd: Path) -> Cost:
    """What a command that must succeed cost (its rusage, from wait4)."""
    with tempfile.TemporaryFile(mode="w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=_env(), stdout=subprocess.DEVNULL, stderr=err, text=True
        )
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(command)}\n{err.read()[-4000:]}")
    return Cost(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _mkdocs_build(config: Path, out: Path) -> tuple[Cost, dict[str, Any]]:
    """The cost and the child's report of one `mkdocs build --strict`."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        report = Path(handle.name)
    try:
        args = ["build", "--strict", "-f", str(config), "-d", str(out)]
        cost = _run([sys.executable, str(HERE), "_mkdocs", str(report), *args], config.parent)
        data: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    finally:
        report.unlink(missing_ok=True)
    return cost, data


def _lines(stream: Any, into: queue.Queue[tuple[float, float, str]], pid: int) -> None:
    for line in iter(stream.readline, ""):
        into.put((time.perf_counter(), _cpu_of(pid), line))
    into.put((time.perf_counter(), 0.0, ""))


def _own_cpu(pid: int) -> tuple[float, str, int]:
    """CPU seconds a running process has used so far (not its children's), its name, and its
    parent's id; (0, "", 0) once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0, "", 0
    name, rest = stat.split("(", 1)[1].rsplit(")", 1)
    fields = rest.split()
    ticks = sum(int(f) for f in fields[11:13])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK"), name, int(fields[1])


def _cpu_of(pid: int) -> float:
    """CPU seconds a server has used so far: its own and its running children's (Zensical
    under the engine's preview), not the browser's that prints the PDF (the typesetter makes
    the PDF after the reload; reaped during a later reading, it would be counted against
    whichever edit that was)."""
    parents: dict[int, int] = {}
    spent: dict[int, tuple[float, str]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            cpu, name, parent = _own_cpu(int(entry.name))
            parents[int(entry.name)] = parent
            spent[int(entry.name)] = (cpu, name)
    total = 0.0
    for child, (cpu, name) in spent.items():
        ancestor = child
        while ancestor not in (0, 1, pid):
            ancestor = parents.get(ancestor, 0)
        if ancestor == pid and not name.startswith("chrom"):
            total += cpu
    return total


def _wait_for(
    lines: queue.Queue[tuple[float, float, str]],
    wanted: str,
    timeout: float,
    unless: str | None = None,
) -> tuple[float, float]:
    deadline = time.perf_counter() + timeout
    while True:
        try:
            at, cpu, line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
        except queue.Empty:
            raise SystemExit(f"serve: no {wanted!r} within {timeout:.0f} s") from None
        if not line:
            raise SystemExit("serve stopped")
        if "error happened during the rebuild" in line or "Aborted" in line:
            raise SystemExit(f"serve: {line.strip()}")
        if wanted in line and not (unless and unless in line):
            return at, cpu


_TITLE = re.compile(r"^  title: [^'\"\n>|][^\n]*$", re.M)  # a plain one-line title


@dataclass(frozen=True)
class Serving:
    """How a builder serves: the command, the line that says it serves, and the line that says
    an edit is served (unless the line also holds `pending`: more pages are still to come)."""

    command: tuple[str, ...]
    ready: str
    done: str
    pending: str | None = None


def _serving(builder: str, address: str) -> Serving:
    if builder == "zensical":  # the engine's preview: the export, `zensical serve`, the pass
        command: tuple[str, ...] = ("-m", "briefing", "serve", "--builder", "zensical")
        command += ("-a", address)
        return Serving(command, "Finished ", "Finished ", pending="still to come")
    command = ("-m", builder, "serve", "--strict", "-a", address)  # mkdocs, properdocs
    return Serving(command, "Serving on", "Reloading browsers")


def _serve_rebuild(project: Path, edits: int = 2, builder: str = "mkdocs") -> float:
    """Seconds from one edit of data/recommendations.yml to the edited pages being served
    (best of `edits`). The edit renames the first recommendation: the pages that show it
    change, and the PDF.
    """
    from sitetools import free_port, stop  # here: the timed builds run this file too

    serving = _serving(builder, f"127.0.0.1:{free_port()}")
    server = subprocess.Popen(
        [sys.executable, *serving.command, "-f", str(project / "mkdocs.yml")],
        cwd=project,
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[tuple[float, float, str]] = queue.Queue()
    threading.Thread(target=_lines, args=(server.stderr, lines, server.pid), daemon=True).start()
    data = project / "data" / "recommendations.yml"
    original = data.read_text(encoding="utf-8")
    wall = os.environ.get(CLOCK_ENV) == "wall"
    best = float("inf")
    try:
        _wait_for(lines, serving.ready, 900, unless=serving.pending)
        for n in range(edits):
            time.sleep(1.0)  # let the watcher settle
            text = _TITLE.sub(rf"\g<0> ({builder} edit {n})", original, count=1)
            edited, cpu = time.perf_counter(), _cpu_of(server.pid)
            data.write_text(text, encoding="utf-8")
            done, cpu_done = _wait_for(lines, serving.done, 900, unless=serving.pending)
            best = min(best, done - edited if wall else cpu_done - cpu)
    finally:
        stop(server)
        data.write_text(original, encoding="utf-8")
    return best


def _builder_build(builder: str, config: Path, out: Path, work: Path) -> Cost:
    """One `make site BUILDER=...` build of `config` into `out` (new); Zensical's export in
    `work`."""
    shutil.rmtree(out, ignore_errors=True)
    if builder == "zensical":
        command = ["-m", "briefing", "build", "--builder", "zensical", str(out)]
        command += ["-f", str(config), "--work", str(work)]
    else:
        command = ["-m", builder, "build", "--strict", "-f", str(config), "-d", str(out)]
    return _run([sys.executable, *command], config.parent)


def measure_builder(builder: str, project: Path, work: Path, repeat: int, big: bool) -> BuilderCost:
    """A builder's cold and cached builds and serve rebuild (MkDocs' come from `measure`)."""
    config = project / "mkdocs.yml"
    store = work / f"{project.name}-{builder}-cache"  # empty: the cold build fills it
    shutil.rmtree(store, ignore_errors=True)
    exported = work / f"{project.name}-{builder}-work"
    shutil.rmtree(exported, ignore_errors=True)
    saved = os.environ.get("BRIEFING_CACHE")
    os.environ["BRIEFING_CACHE"] = str(store)
    try:
        out = work / f"site-{builder}"
        cost = BuilderCost(cold=_builder_build(builder, config, out, exported).seconds())
        runs = [_builder_build(builder, config, out, exported) for _ in range(repeat)]
        cost.cached = min(run.seconds() for run in runs)
        cost.serve = _serve_rebuild(project, edits=1 if big else 2, builder=builder)
    finally:
        if saved is None:
            os.environ.pop("BRIEFING_CACHE", None)
        else:
            os.environ["BRIEFING_CACHE"] = saved
    return cost


def _entries(project: Path) -> int:
    text = (project / "references.bib").read_text(encoding="utf-8")
    return len(re.findall(r"^@\w+\s*\{", text, flags=re.M))


def measure(scenario: Scenario, work: Path, repeat: int, builders: tuple[str, ...] = ()) -> Row:
    from factory import make_briefing

    repeat = 1 if scenario.copies >= BIG else repeat
    project = work / scenario.name.replace(" ", "-").replace(",", "")
    settings = {"bibliography": "shared"} if scenario.shared else None
    make_briefing(
        project,
        copies=scenario.copies,
        title=f"Benchmark briefing {scenario.name}",
        filler=scenario.filler,
        settings=settings,
    )
    row = Row(scenario, entries=_entries(project), cited=13 * scenario.copies)
    config = project / "mkdocs.yml"
    store = work / f"{project.name}-cache"  # this scenario's own build cache, empty at first
    shutil.rmtree(store, ignore_errors=True)
    os.environ["BRIEFING_CACHE"] = str(store)
    cold, cold_report = _mkdocs_build(config, work / "site-hooks")
    row.cold_build = cold.seconds()
    row.cold_hook_time = sum(float(v) for v in cold_report["hooks"].values())
    tree = work / f"{project.name}-export"
    export = [sys.executable, "-m", "briefing", "export", "--strict", "-f", str(config), str(tree)]
    row.export = min(_run(export, project).seconds() for _ in range(repeat))
    row.pages = sum(1 for _ in (tree / "docs").rglob("*.md"))
    hooks, plain = [], []
    for _ in range(repeat):  # alternating, so both meet the same load
        hooks.append(_mkdocs_build(config, work / "site-hooks"))
        plain.append(_mkdocs_build(tree / "mkdocs.yml", work / "site-plain")[0])
    cost, report = min(hooks, key=lambda run: run[0].seconds())
    row.hooks_build = cost.seconds()
    row.hooks = {k: float(v) for k, v in report["hooks"].items()}
    row.hook_time = sum(row.hooks.values())
    row.peak_mb = max(cold.peak_mb, *(run[0].peak_mb for run in hooks))
    row.plain_build = min(c.seconds() for c in plain)
    validate = [sys.executable, "-m", "briefing", "validate", "--strict", str(project)]
    row.validate = min(_run(validate, project).seconds() for _ in range(repeat))
    row.serve = _serve_rebuild(project, edits=1 if scenario.copies >= BIG else 2)
    row.builders["mkdocs"] = BuilderCost(row.cold_build, row.hooks_build, row.serve)
    for builder in builders:
        if builder != "mkdocs":
            print(f"  ... with {builder}", file=sys.stderr, flush=True)
            row.builders[builder] = measure_builder(
                builder, project, work, repeat, big=scenario.copies >= BIG
            )
    return row


# --- the table ------------------------------------------------------------------------------------


def table(rows: list[Row]) -> Iterator[str]:
    base = rows[0].cold_hook_time if rows else 0.0
    yield (
        "| briefing | pages | refs cited/in .bib | plain build s | hooks build cold s | ratio "
        "| hooks build cached s | ratio | hook time cold/cached s | cold hook time / 1x "
        "| export s | validate s | serve rebuild s | peak MB |"
    )
    yield "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
    for row in rows:
        serve = f"{row.serve:.2f}" if row.serve is not None else "-"
        yield (
            f"| {row.scenario.name} | {row.pages} | {row.cited}/{row.entries} "
            f"| {row.plain_build:.2f} | {row.cold_build:.2f} "
            f"| {row.cold_build / row.plain_build:.2f} "
            f"| {row.hooks_build:.2f} | {row.hooks_build / row.plain_build:.2f} "
            f"| {row.cold_hook_time:.2f}/{row.hook_time:.2f} | {row.cold_hook_time / base:.1f} "
            f"| {row.export:.2f} | {row.validate:.2f} | {serve} | {row.peak_mb:.0f} |"
        )


def builder_table(rows: list[Row]) -> Iterator[str]:
    yield "| briefing | builder | cold build s | cached build s | serve rebuild s |"
    yield "|---|---|--:|--:|--:|"
    for row in rows:
        for builder, cost in row.builders.items():
            serve = f"{cost.serve:.2f}" if cost.serve is not None else "-"
            yield (
                f"| {row.scenario.name} | {builder} | {cost.cold:.2f} | {cost.cached:.2f} "
                f"| {serve} |"
            )


def builder_targets(rows: list[Row]) -> Iterator[str]:
    """A builder without hooks must not make the editor's loop slower than MkDocs'."""
    for row in rows:
        mkdocs = row.builders.get("mkdocs")
        for builder, cost in row.builders.items():
            if builder == "mkdocs" or mkdocs is None or mkdocs.serve is None:
                continue
            if cost.serve is None:
                continue
            mark = "met" if cost.serve <= mkdocs.serve else "MISSED"
            yield (
                f"- {row.scenario.name}: {builder}'s serve rebuild {cost.serve:.2f} s, "
                f"MkDocs' {mkdocs.serve:.2f} s (<=): {mark}"
            )


def targets(rows: list[Row]) -> Iterator[str]:
    by_name = {row.scenario.name: row for row in rows}
    for row in rows:
        for kind, seconds in (("cold", row.cold_build), ("cached", row.hooks_build)):
            ratio = seconds / row.plain_build
            mark = "met" if ratio <= 1.05 else "MISSED"
            yield (
                f"- {row.scenario.name}: hooks build ({kind}) {ratio:.2f}x the plain build "
                f"(<= 1.05): {mark}"
            )
    if "1x" in by_name and "50x" in by_name:
        growth = by_name["50x"].cold_hook_time / by_name["1x"].cold_hook_time
        mark = "met" if growth <= 55 else "MISSED"
        yield f"- cold hook time at 50x is {growth:.1f}x that at 1x (<= 55): {mark}"
    for row in rows:
        if row.serve is not None:
            mark = "met" if row.serve <= row.hooks_build else "MISSED"
            yield (
                f"- {row.scenario.name}: serve rebuild {row.serve:.2f} s, full build "
                f"{row.hooks_build:.2f} s (<=): {mark}"
            )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_mkdocs"]:
        return _instrumented_mkdocs(Path(argv[1]), argv[2:])
    parser = argparse.ArgumentParser(prog="tests/bench.py", description=__doc__.split("\n")[0])
    parser.add_argument("--scales", default="1,10,50", help="copies of the briefing, e.g. 1,10")
    parser.add_argument("--repeat", type=int, default=2, help="runs per timing; the best counts")
    parser.add_argument("--no-shared", action="store_true", help="skip the 5,000-entry row")
    parser.add_argument("--keep", type=Path, help="build here and keep the projects")
    parser.add_argument("--hooks", action="store_true", help="also print time per hook")
    parser.add_argument("--clock", choices=("cpu", "wall"), default="cpu")
    parser.add_argument(
        "--builders",
        default="mkdocs,properdocs,zensical",
        help="the builders of the second table (mkdocs: the first table's figures)",
    )
    args = parser.parse_args(argv)
    os.environ[CLOCK_ENV] = args.clock  # read here and by the instrumented builds

    scenarios = [Scenario(f"{n}x", n) for n in map(int, args.scales.split(","))]
    if not args.no_shared:
        copies = 10
        scenarios.append(
            Scenario(f"{copies}x, shared 5k .bib", copies, SHARED_TOTAL - 13 * copies, True)
        )
    work = args.keep or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    started = time.perf_counter()
    try:
        for scenario in scenarios:
            print(f"measuring {scenario.name} ...", file=sys.stderr, flush=True)
            builders = tuple(b for b in args.builders.split(",") if b)
            if scenario.shared:
                builders = ()  # the builders' table: the briefing at each scale
            rows.append(measure(scenario, work, args.repeat, builders))
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"\nBuild cost in {args.clock} seconds, {time.strftime('%Y-%m-%d %H:%M')}, "
        f"{os.cpu_count()} CPU(s), load {os.getloadavg()[0]:.1f}, "
        f"best of {args.repeat} (1 run from {BIG}x), {time.perf_counter() - started:.0f} s in all\n"
    )
    print("\n".join(table(rows)))
    print("\nTargets:")
    print("\n".join(targets(rows)))
    print(f"\nBy builder ({args.clock} seconds):\n")
    print("\n".join(builder_table(rows)))
    print("\nTargets:")
    print("\n".join(builder_targets(rows)))
    if args.hooks:
        print("\nHook time by function (s):")
        for row in rows:
            parts = ", ".join(f"{k} {v:.2f}" for k, v in sorted((row.hooks or {}).items()))
            print(f"- {row.scenario.name}: {parts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench-hostile`: what validating each hostile file of tests/test_hostile.py costs here.

The tests assert no time (shared machines are noisy; a watchdog there catches a hang): this
prints the figures instead, one row per case, with the target a sane machine meets. Seconds
are wall-clock, best of --repeat runs, each on a fresh copy of the small briefing; peak MB is
Python's allocations while validating (tracemalloc, which slows a run about twofold).

Not a test (pytest collects test_*.py only); nothing here is asserted.
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from briefing.checks.validate import validate
from conftest import make_project
from test_hostile import HOSTILE, MB, PATHOLOGICAL, alias_bomb, glossary_of, measured

TARGET_SECONDS = 15.0  # per validation, on a loaded CI machine; a sane run takes under one
Setup = Callable[[Path], None]


def _markdown(text: str) -> Setup:
    def setup(root: Path) -> None:
        (root / "docs" / "method.md").write_text(f"# Method\n\n{text}\n", encoding="utf-8")

    return setup


def _bombs(root: Path) -> None:
    for name in ("report", "glossary", "themes", "findings", "quotes", "statistics"):
        (root / "data" / f"{name}.yml").write_text(alias_bomb(), encoding="utf-8")


def _glossary(count: int) -> Setup:
    def setup(root: Path) -> None:
        (root / "data" / "glossary.yml").write_text(glossary_of(count), encoding="utf-8")

    return setup


def cost(setup: Setup, repeat: int, *, memory: bool) -> tuple[float, float]:
    """(best seconds, peak MB) of validating a fresh copy of the small briefing after `setup`."""
    best, peak = float("inf"), 0.0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            root = make_project(Path(folder), "mini")
            setup(root)
            if memory:
                _, spent = measured(functools.partial(validate, root))
                peak = max(peak, spent.peak / MB)
            started = time.perf_counter()
            validate(root)
            best = min(best, time.perf_counter() - started)
    return best, peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (best is shown)")
    args = parser.parse_args()
    cases: list[tuple[str, Setup]] = [(case, mutate) for case, mutate, _, _ in HOSTILE]
    cases += [(f"Markdown: {name}", _markdown(text)) for name, text in PATHOLOGICAL.items()]
    cases.append(("an alias bomb in every data file", _bombs))
    print(f"{'case':60} {'seconds':>8} {'peak MB':>8}   (target: under {TARGET_SECONDS:.0f} s)")
    slowest = 0.0
    for name, setup in cases:
        seconds, peak = cost(setup, args.repeat, memory=True)
        slowest = max(slowest, seconds)
        print(f"{name[:60]:60} {seconds:8.3f} {peak:8.1f}", flush=True)
    small, _ = cost(_glossary(1_000), args.repeat, memory=False)
    large, _ = cost(_glossary(10_000), args.repeat, memory=False)
    print(f"\nslowest case: {slowest:.3f} s")
    print(
        f"glossary of 1,000 terms: {small:.3f} s; of 10,000: {large:.3f} s; "
        f"ratio {large / max(small, 1e-9):.1f} (linear: about 10, quadratic: about 100)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

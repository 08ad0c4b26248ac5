"""What reading the data files costs, and what the other YAML readers would cost.

`python tests/bench_yaml.py [--scales 1,10,50]` makes scaled copies of the real briefing
(tests/factory.py) and prints, per scale, the best of three runs of: `yamlfile.parse` over every
data file (what the build does), libyaml's event stream alone (the floor), PyYAML's
pure-Python parser and ruamel.yaml's (YAML 1.2, pure Python: the alternatives considered), and
the whole `validate` of the briefing. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "tests")]

import yaml  # noqa: E402
from briefing.checks.validate import validate  # noqa: E402
from briefing.sources import yamlfile, yamlstream  # noqa: E402
from factory import make_briefing  # noqa: E402


def best(function: Callable[[], object], repeat: int = 3) -> float:
    """The fastest of `repeat` runs, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times) * 1000


def _each(read: Callable[[str], object], texts: list[str]) -> float:
    return best(lambda: [read(text) for text in texts])


def readers() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {
        "yamlfile.parse": lambda text: yamlfile.parse("x.yml", text.encode("utf-8")),
        "libyaml events": lambda text: list(yaml.parse(text, Loader=yamlstream.PARSER)),
        "PyYAML pure compose": lambda text: yaml.compose(text, Loader=yaml.SafeLoader),
    }
    try:
        from ruamel.yaml import YAML

        ruamel = YAML(typ="safe", pure=True)
        found["ruamel.yaml compose"] = ruamel.compose
    except ImportError:  # pragma: no cover - a transitive dependency, present in .venv
        pass
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,50")
    args = parser.parse_args(argv)
    columns = [*readers(), "validate"]
    print("| scale | characters | " + " | ".join(f"{c} (ms)" for c in columns) + " |")
    print("|---" * (len(columns) + 2) + "|")
    with tempfile.TemporaryDirectory() as work:
        for scale in (int(s) for s in args.scales.split(",")):
            root = make_briefing(Path(work) / f"x{scale}", copies=scale)
            texts = [p.read_text(encoding="utf-8") for p in sorted((root / "data").glob("*.yml"))]
            cells = [_each(read, texts) for read in readers().values()]
            cells.append(best(partial(validate, root)))
            size = sum(len(t) for t in texts)
            print(f"| {scale}x | {size:,} | " + " | ".join(f"{c:,.0f}" for c in cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m briefing validate`: check a briefing without building it."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .problems import format_problems
from .validate import validate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check data/, references.bib and docs/")
    check.add_argument("root", nargs="?", default=".", type=Path, help="the briefing's folder")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    result = validate(args.root)
    if result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    elapsed = time.perf_counter() - started
    print(
        f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

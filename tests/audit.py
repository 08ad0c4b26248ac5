"""Lighthouse scores of the built site: a benchmark, not a test (`make audit` runs it).

Serves site/ on 127.0.0.1 (gzipped, as a static host serves it), runs Lighthouse (npm,
package.json) in its default mobile profile on the home page and a recommendation page with
Debian's Chromium, and prints each category's score per page: the median of a few runs, since
the performance score moves from run to run. Targets: 100 for accessibility, best practices and
SEO, at least 95 for performance. Every audit that cost points is listed under the table.

    .venv/bin/python tests/audit.py [SITE_DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from browser.chromium import ARGS, CHROMIUM
from browser.server import serve

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = {
    "performance": 95,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
}


def first_recommendation(site: Path) -> str:
    """The first recommendation page linked from the home page (reading order)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'href="(?:\./)?(recommendations/[^"/#]+/)"', home)
    if not found:
        raise SystemExit(f"{site}/index.html links to no recommendation page")
    return found.group(1)


def lighthouse(url: str, out: Path) -> dict[str, Any]:
    """One Lighthouse run of `url`: its JSON report."""
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={' '.join(ARGS)}",
    ]
    env = dict(os.environ, CHROME_PATH=str(CHROMIUM))
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return report


def scores(report: dict[str, Any]) -> dict[str, int]:
    return {k: round(100 * (report["categories"][k]["score"] or 0)) for k in CATEGORIES}


def lost_points(report: dict[str, Any]) -> list[str]:
    """The weighted audits that did not pass, with what Lighthouse says of them."""
    lines = []
    for key in CATEGORIES:
        for ref in report["categories"][key]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                shown = audit.get("displayValue", "")
                lines.append(f"{key}: {ref['id']} {audit['score']:.2f} {shown}".rstrip())
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=ROOT / "site")
    parser.add_argument("--runs", type=int, default=5, help="runs per page (median kept)")
    args = parser.parse_args()
    for needed, how in ((LIGHTHOUSE, "npm ci"), (CHROMIUM, "apt-get install chromium")):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: {how} (`make audit` does it)")
    if not (args.site / "index.html").exists():
        raise SystemExit(f"{args.site} holds no built site: run `make site` first")
    pages = {"home": "", "recommendation": first_recommendation(args.site)}
    rows: dict[str, dict[str, int]] = {}
    notes: dict[str, list[str]] = {}
    with serve(args.site, compress=True) as base, tempfile.TemporaryDirectory() as tmp:
        for name, path in pages.items():
            reports = []
            for i in range(args.runs):
                reports.append(lighthouse(base + path, Path(tmp) / f"{name}-{i}.json"))
                print(f"  {name} run {i + 1}: {scores(reports[-1])}", flush=True)
            runs = [scores(r) for r in reports]
            rows[f"/{path}"] = {k: int(statistics.median(r[k] for r in runs)) for k in CATEGORIES}
            # What cost points in the run of median performance.
            reports.sort(key=lambda r: scores(r)["performance"])
            notes[f"/{path}"] = lost_points(reports[len(reports) // 2])
    width = max(len(p) for p in rows)
    print(f"Lighthouse {lighthouse_version()}, mobile, median of {args.runs} run(s)")
    print(f"{'page':<{width}}  " + "  ".join(f"{k:>14}" for k in CATEGORIES))
    for page, row in rows.items():
        print(f"{page:<{width}}  " + "  ".join(f"{row[k]:>14}" for k in CATEGORIES))
    print(
        f"{'target':<{width}}  " + "  ".join(f"{'>= ' + str(t):>14}" for t in CATEGORIES.values())
    )
    missed = [
        f"{page}: {k} {row[k]} < {target}"
        for page, row in rows.items()
        for k, target in CATEGORIES.items()
        if row[k] < target
    ]
    for page, lines in notes.items():
        for line in lines:
            print(f"  {page} lost points on {line}")
    print("below target: " + "; ".join(missed) if missed else "every target met")
    return 0


def lighthouse_version() -> str:
    package = ROOT / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


if __name__ == "__main__":
    sys.exit(main())

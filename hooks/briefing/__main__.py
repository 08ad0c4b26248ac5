"""`python -m briefing validate`: check a briefing without building it (`--json`: the problems
as a JSON list on standard output, each with its path, line, column, severity, code and message).

`python -m briefing export OUT`: write it out as a plain MkDocs project that needs no hooks.

`python -m briefing export --for-finish OUT` then a builder without hooks (`zensical build -f
OUT/mkdocs.yml`), then `python -m briefing finish OUT/site`: everything the hooks do after
Markdown (sanitising, charts, head tags, the policy, downloads, PDF, feeds) over that site.

`python -m briefing build --builder zensical SITE`: the three steps at once (what
`make site BUILDER=zensical` runs), the export kept in .zensical/ for Zensical's cache.

`python -m briefing serve --builder zensical [-a IP:PORT]`: a live preview with Zensical
(what `make serve BUILDER=zensical` runs): the export kept current, each rebuild finished.

`python -m briefing protect SITE`: give every page of a site built without the hooks its
Content-Security-Policy.

`python -m briefing cite > CITATION.cff`: write how to cite the briefing, from data/report.yml.

`python -m briefing linkcheck SITE [--base /repo/]`: follow every internal link and anchor of a
built site, by any builder, as a browser does with the site served under that address.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import yaml

from . import cache
from .checks.validate import bibliography_is_shared, validate
from .citations import cite
from .problems import BriefingError, Problem, format_problems
from .publish import afterbuild, builders, csp, finish, linkcheck, pdf, zensical_serve
from .publish.export import briefing_settings, export, read_config
from .sources import content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="briefing", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check data/, references.bib and docs/")
    check.add_argument("root", nargs="?", default=".", type=Path, help="the briefing's folder")
    check.add_argument("--strict", action="store_true", help="fail on warnings too")
    check.add_argument(
        "--json", action="store_true", help="print the problems as JSON, with their codes"
    )
    out = commands.add_parser("export", help="write the rendered pages as a plain MkDocs project")
    out.add_argument("out", type=Path, help="the folder to write (new, or an earlier export)")
    out.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    out.add_argument("--strict", action="store_true", help="fail on warnings too")
    out.add_argument(
        "--for-finish", action="store_true", help="for a builder followed by `briefing finish`"
    )
    out.add_argument("--site-url", help="with --for-finish: the site's address (else mkdocs.yml's)")
    done = commands.add_parser(
        "finish", help="do what the hooks do over a site built from `export --for-finish`"
    )
    done.add_argument("site", type=Path, help="the built site's folder")
    done.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    done.add_argument("--site-url", help="the site's address, as given to the export")
    build = commands.add_parser(
        "build", help="export, build with a builder without hooks, finish (make site BUILDER=)"
    )
    build.add_argument("site", type=Path, help="the folder to build into (new or empty)")
    build.add_argument("--builder", choices=("zensical",), required=True)
    build.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    build.add_argument("--site-url", help="the site's address (else mkdocs.yml's)")
    build.add_argument("--work", type=Path, help="the export's folder (default: .zensical/)")
    preview = commands.add_parser(
        "serve", help="a live preview with a builder without hooks (make serve BUILDER=)"
    )
    preview.add_argument("--builder", choices=("zensical",), required=True)
    preview.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    preview.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", help="IP:PORT to serve at")
    protect = commands.add_parser("protect", help="add the Content-Security-Policy to a built site")
    protect.add_argument("site", type=Path, help="the built site's folder")
    cite_it = commands.add_parser("cite", help="write CITATION.cff (from data/report.yml)")
    cite_it.add_argument("root", nargs="?", default=".", type=Path, help="the briefing's folder")
    links = commands.add_parser("linkcheck", help="check a built site's internal links")
    links.add_argument("site", type=Path, help="the built site's folder")
    links.add_argument("--base", default="/", help="the address it is served under, e.g. /repo/")
    args = parser.parse_args(argv)
    if args.command == "linkcheck":
        return _linkcheck(args.site, args.base)
    if args.command == "cite":
        return _cite(args.root)
    if args.command == "export":
        return _export(args.config_file, args.out, args.strict, args.for_finish, args.site_url)
    if args.command == "serve":
        return zensical_serve.serve(args.config_file, args.dev_addr)
    if args.command == "build":
        return _build(args.config_file, args.site, args.site_url, args.work)
    if args.command == "finish":
        return _finish(args.config_file, args.site, args.site_url)
    if args.command == "protect":
        if not args.site.is_dir():
            print(f"{args.site}: not a folder; give the built site's folder", file=sys.stderr)
            return 1
        count = csp.protect_folder(args.site)
        print(f"{args.site}: {count} page(s) carry the Content-Security-Policy", file=sys.stderr)
        return 0

    started = time.perf_counter()
    config = args.root / "mkdocs.yml"
    try:
        settings = read_config(config) if config.is_file() else {}
        shared = bibliography_is_shared(briefing_settings(settings))
    except (ValueError, yaml.YAMLError) as err:
        print(f"{config}: extra.briefing.bibliography: {err}", file=sys.stderr)
        return 1
    docs = args.root / str(settings.get("docs_dir", "docs"))
    try:
        theme = content.configured_theme_dirs(settings, args.root) if settings else ()
    except ValueError as err:
        print(f"{config}: theme: {err}", file=sys.stderr)
        return 1
    result = validate(args.root, docs, shared_bibliography=shared, theme=theme)
    if args.json:
        records = [problem.record() for problem in result.problems]
        sys.stdout.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif result.problems:
        print(format_problems(result.problems), file=sys.stderr)
    failed = bool(result.errors) or (args.strict and bool(result.warnings))
    elapsed = time.perf_counter() - started
    print(
        f"{len(result.errors)} error(s), {len(result.warnings)} warning(s) in {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 1 if failed else 0


def _linkcheck(site: Path, base: str) -> int:
    if not site.is_dir():
        print(f"{site}: not a folder; give the built site's folder", file=sys.stderr)
        return 1
    report = linkcheck.check_folder(site, base)
    for broken in report.broken:
        print(f"{site}/{broken}", file=sys.stderr)
    print(
        f"{report.pages} page(s), {report.links} internal link(s) followed under "
        f"{report.base}, {len(report.broken)} broken",
        file=sys.stderr,
    )
    return 1 if report.broken or not report.pages else 0


def _cite(root: Path) -> int:
    result = validate(root)
    if result.errors:
        print(format_problems(result.problems), file=sys.stderr)
        print(f"{len(result.errors)} error(s): no CITATION.cff written.", file=sys.stderr)
        return 1
    sys.stdout.write(cite.cff(result.checked().report))
    return 0


def _export(
    config: Path, out: Path, strict: bool, for_finish: bool = False, site_url: str | None = None
) -> int:
    started = time.perf_counter()
    done = _reported(
        config,
        lambda: (out, export(config, out, strict, for_finish=for_finish, site_url=site_url)),
        "exported",
    )
    if done is None:
        return 1
    print(f"exported to {out} in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    if problem := cache.shared().problem:
        print(f"note: built without a cache: {problem}", file=sys.stderr)
    return 0


def _finish(config: Path, site: Path, site_url: str | None) -> int:
    if not site.is_dir():
        print(f"{site}: not a folder; give the built site's folder", file=sys.stderr)
        return 1

    def run() -> tuple[afterbuild.Finished, Sequence[Problem]]:
        done = afterbuild.finish_site(config, site, site_url=site_url, epoch=finish.epoch())
        return done, done.warnings

    return _after_build(config, run, "finished", f"finished {{pages}} page(s) in {site}")


def _build(config: Path, site: Path, site_url: str | None, work: Path | None) -> int:
    def run() -> tuple[afterbuild.Finished, Sequence[Problem]]:
        return builders.zensical_build(config, site, site_url=site_url, work=work)

    return _after_build(config, run, "built", f"built {{pages}} page(s) with Zensical into {site}")


def _after_build(
    config: Path,
    run: Callable[[], tuple[afterbuild.Finished, Sequence[Problem]]],
    undone: str,
    done_line: str,
) -> int:
    """Run a build or the post-builder pass and say what came of it: the problems, or what was
    written (`done_line` with `{pages}`); nothing `undone` when it failed."""
    started = time.perf_counter()
    done = _reported(config, run, undone)
    if done is None:
        return 1
    for problem in done.published.problems:
        print(f"warning: {problem}", file=sys.stderr)
    for note in done.notes:
        print(note, file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(
        f"{done_line.format(pages=done.pages)}; {finish.summary(done.published)}; {elapsed:.2f} s",
        file=sys.stderr,
    )
    return 0


Done = TypeVar("Done")


def _reported(
    config: Path, run: Callable[[], tuple[Done, Sequence[Problem]]], undone: str
) -> Done | None:
    """What `run` made, its warnings printed; None, its error printed, when it failed (so
    nothing was `undone`)."""
    try:
        done, warnings = run()
    except BriefingError as err:
        print(format_problems(err.problems), file=sys.stderr)
        print(f"{len(err.problems)} problem(s): nothing was {undone}.", file=sys.stderr)
        return None
    except builders.BuildFailed as err:
        print(f"zensical build: {err}", file=sys.stderr)
        return None
    except pdf.PdfError as err:
        print(f"downloads/briefing.pdf: {err}", file=sys.stderr)
        return None
    except (ValueError, OSError, yaml.YAMLError) as err:
        print(f"{config}: {err}", file=sys.stderr)
        return None
    if warnings:
        print(format_problems(list(warnings)), file=sys.stderr)
    return done


if __name__ == "__main__":
    sys.exit(main())

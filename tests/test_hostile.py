"""Hostile files: each is refused with a clear `path:line:column:` error, fast, in little memory.

A pull request can carry any bytes. Whatever they are, validation names the file and the line,
never raises, never runs anything, never reads outside the project, and costs tens of
megabytes at most. Time is never asserted (shared machines are noisy): a watchdog of minutes
catches the hang, the quadratic blow-up or the expanded alias bomb, and
`make bench-hostile` (tests/bench_hostile.py) prints what each case costs on this machine.
The basic error classes are in test_validation.py; this file is about attacks.
"""

from __future__ import annotations

import os
import re
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from briefing.checks.validate import Result, validate
from briefing.citations import csljson
from briefing.citations.bibliography import Bibliography
from briefing.problems import Problem
from briefing.sources import bib, yamlfile

LINE = re.compile(r"^[^:]+:\d+:\d+: ")
WATCHDOG = 300  # seconds: a validation still running then hangs (a sane one takes under one)
PEAK_BYTES = 160 * 1024 * 1024  # Python allocations while validating; 8 MB files are refused
MB = 1024 * 1024


@dataclass(frozen=True)
class Cost:
    seconds: float
    peak: int


def measured(run: Callable[[], Result]) -> tuple[Result, Cost]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = run()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return result, Cost(elapsed, peak)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def alias_bomb() -> str:
    """The billion laughs: nine references per level, nine levels (387 million leaves)."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        ref = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([ref] * 9)}]")
    return "\n".join(lines) + "\n"


Mutation = Callable[[Path], None]


def _bytes(relative: str, data: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).write_bytes(data)

    return mutate


def _glossary(text: str) -> Mutation:
    return _bytes("data/glossary.yml", text.encode())


def _prefix(relative: str, data: bytes) -> Mutation:
    def mutate(root: Path) -> None:
        (root / relative).write_bytes(data + (root / relative).read_bytes())

    return mutate


def _edit(relative: str, old: str, new: str) -> Mutation:
    return lambda root: edit(root / relative, old, new)


def _link(relative: str, target: str) -> Mutation:
    def mutate(root: Path) -> None:
        link = root / relative
        if link.exists():
            link.unlink()
        link.symlink_to(target)

    return mutate


def _fifo(relative: str) -> Mutation:
    return lambda root: os.mkfifo(root / relative)


HOSTILE: list[tuple[str, Mutation, str, str]] = [
    # (case, mutation, the file the error must name, words the message must hold)
    ("alias bomb", _glossary(alias_bomb()), "data/glossary.yml", "anchors and aliases"),
    ("merge key bomb", _glossary("a: &a {x: 1}\nb:\n  <<: *a\n"), "data/glossary.yml", "anchor"),
    (
        "deep flow nesting",
        _glossary("k: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        "data/glossary.yml",
        "nested more than",
    ),
    (
        "deep block nesting",
        _glossary("".join("  " * i + "k:\n" for i in range(2000))),
        "data/glossary.yml",
        "nested more than",
    ),
    (
        "deep unclosed nesting",
        _glossary("k: " + "{a: " * 50_000 + "\n"),
        "data/glossary.yml",
        "nested more than",
    ),
    (
        "huge data file",
        _bytes("data/quotes.yml", b"# padding\n" * (MB + 1)),
        "data/quotes.yml",
        "more than the 8,388,608",
    ),
    (
        "huge page",
        _bytes("docs/method.md", b"words " * (2 * MB)),
        "docs/method.md",
        "more than the 8,388,608 a page may hold",
    ),
    (
        "huge bibliography",
        _bytes("references.bib", b"% padding\n" * (MB + 1)),
        "references.bib",
        "more than the 8,388,608 a bibliography may hold",
    ),
    (
        "a million tiny values",
        _glossary("".join(f"T{i}: x\n" for i in range(300_000))),
        "data/glossary.yml",
        "more than 50,000 values",
    ),
    ("one 7 MB line", _glossary("UHI: " + "y" * (7 * MB) + "\n"), "", ""),
    (
        "7 MB line, then a syntax error",
        _glossary("UHI: " + "y" * (7 * MB) + "\n: : [\n"),
        "data/glossary.yml",
        "not valid YAML",
    ),
    (
        "invalid UTF-8 in data",
        _bytes("data/themes.yml", b"- id: theme-\xff\xfe\n"),
        "data/themes.yml",
        "invalid UTF-8",
    ),
    (
        "invalid UTF-8 in BibTeX",
        _bytes("references.bib", b"@misc{a, title={\xc3\x28}}\n"),
        "references.bib",
        "invalid UTF-8",
    ),
    (
        "overlong UTF-8 in a page",
        _bytes("docs/method.md", b"# Method\n\xc0\xaf\n"),
        "docs/method.md",
        "invalid UTF-8",
    ),
    (
        "UTF-16 byte-order mark",
        _bytes("data/glossary.yml", "\ufeffUHI: x\n".encode("utf-16")),
        "data/glossary.yml",
        "UTF-16 byte-order mark",
    ),
    (
        "UTF-8 byte-order mark on a page",
        _prefix("docs/method.md", b"\xef\xbb\xbf"),
        "docs/method.md",
        "byte-order mark",
    ),
    (
        "right-to-left override in an id",
        _edit("data/themes.yml", "id: theme-care", "id: theme-\u202eerac"),
        "data/themes.yml",
        "U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
    (
        "bidirectional isolate in a page",
        _edit("docs/method.md", "Households", "House\u2067holds"),
        "docs/method.md",
        "U+2067",
    ),
    (
        "zero-width space in a BibTeX key",
        _edit("references.bib", "@article{oke2017", "@article{oke\u200b2017"),
        "references.bib",
        "U+200B",
    ),
    (
        "Cyrillic letter in an id",
        _edit("data/themes.yml", "id: theme-care", "id: theme-\u0441are"),
        "data/themes.yml",
        "U+0441 CYRILLIC SMALL LETTER ES), which looks like the ASCII 'c'",
    ),
    (
        "Greek letter in a cross-reference",
        _edit("docs/context.md", "@rec-plant-hot-streets", "@rec-plant-h\u03bft-streets"),
        "docs/context.md",
        "write '@rec-plant-hot-streets'",
    ),
    (
        "Cyrillic letter in a BibTeX key",
        _edit("references.bib", "@article{oke2017", "@article{\u043eke2017"),
        "references.bib",
        "U+043E CYRILLIC SMALL LETTER O",
    ),
    (
        "Cyrillic letter in a field name",
        _edit("data/themes.yml", "  title: Caring", "  t\u0456tle: Caring"),
        "data/themes.yml",
        "which looks like the ASCII 'i'",
    ),
    (
        "fullwidth letter in a glossary term",
        _glossary("\uff35HI: Urban Heat Island\n"),
        "data/glossary.yml",
        "FULLWIDTH LATIN CAPITAL LETTER U",
    ),
    (
        "BibTeX brace bomb",
        _bytes(
            "references.bib", b"@misc{deep, title = {" + b"{" * 100_000 + b"}" * 100_000 + b"}}\n"
        ),
        "",
        "",
    ),
    (
        "BibTeX unclosed braces",
        _bytes("references.bib", b"@misc{deep, title = {" + b"{" * 100_000 + b"\n"),
        "references.bib",
        "",
    ),
    (
        "data file linked to /etc/passwd",
        _link("data/quotes.yml", "/etc/passwd"),
        "data/quotes.yml",
        "symbolic link to a place outside the project",
    ),
    (
        "page linked to the build's environment",
        _link("docs/env.md", "/proc/self/environ"),
        "docs/env.md",
        "symbolic link to a place outside the project",
    ),
    (
        "asset linked outside",
        _link("docs/secret.txt", "/etc/hostname"),
        "docs/secret.txt",
        "symbolic link to a place outside the project",
    ),
    (
        "bibliography linked outside",
        _link("references.bib", "/etc/passwd"),
        "references.bib",
        "symbolic link",
    ),
    (
        "a pipe that would block the build",
        _fifo("docs/pipe.md"),
        "docs/pipe.md",
        "not an ordinary file",
    ),
]


@pytest.mark.timeout(WATCHDOG)
@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [pytest.param(m, p, w, id=case) for case, m, p, w in HOSTILE],
)
def test_hostile_file_is_refused_clearly_fast_and_in_little_memory(
    mini: Path, mutate: Mutation, path: str, words: str
) -> None:
    mutate(mini)
    result, cost = measured(lambda: validate(mini))
    assert all(LINE.match(str(p)) for p in result.problems), result.problems
    if path:
        named = [p for p in result.errors if p.path == path and words in p.message]
        assert named, "\n".join(map(str, result.problems))
    assert cost.peak < PEAK_BYTES, f"{cost.peak / MB:.0f} MB"


def glossary_of(count: int) -> str:
    return "".join(f"T{i}: term {i}\n" for i in range(count))


@pytest.mark.timeout(WATCHDOG)
def test_cost_grows_linearly_not_worse(mini: Path) -> None:
    """Ten times the values cost about ten times the memory, not a hundred; the time it takes
    is a benchmark figure (tests/bench_hostile.py), never asserted."""

    def cost(count: int) -> int:
        (mini / "data" / "glossary.yml").write_text(glossary_of(count), encoding="utf-8")
        result, spent = measured(lambda: validate(mini))
        assert result.errors == [] and len(result.checked().glossary) == count
        return spent.peak

    small, large = cost(1_000), cost(10_000)
    assert large < 40 * small, (small, large)


@pytest.mark.timeout(WATCHDOG)
def test_alias_bomb_in_every_data_file_at_once(mini: Path) -> None:
    for name in ("report", "glossary", "themes", "findings", "quotes", "statistics"):
        (mini / "data" / f"{name}.yml").write_text(alias_bomb(), encoding="utf-8")
    result, cost = measured(lambda: validate(mini))
    assert {p.path for p in result.errors} >= {
        f"data/{n}.yml" for n in ("report", "glossary", "themes", "findings", "quotes")
    }
    assert cost.peak < PEAK_BYTES


# --- no code from data -----------------------------------------------------------------------

PAYLOADS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/new:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.check_output [['touch', '{marker}']]",
    "!!python/name:os.system",
    "!!python/module:os",
    "!!binary aGVsbG8=",
    "!!set {{a, b}}",
    "!ENV HOME",
    "!relative $config_dir",
    "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_yaml_tags_are_refused_and_nothing_runs(mini: Path, tmp_path: Path, payload: str) -> None:
    marker = tmp_path / "ran"
    with (mini / "data" / "report.yml").open("a", encoding="utf-8") as handle:
        handle.write("evil: " + payload.format(marker=marker) + "\n")
    result = validate(mini)
    assert not marker.exists()
    tagged = [p for p in result.errors if p.path == "data/report.yml" and "tag" in p.message]
    assert tagged, result.problems
    assert LINE.match(str(tagged[0]))
    assert tagged[0].line == (mini / "data" / "report.yml").read_text().count("\n")


def test_a_tagged_key_or_list_is_refused_too() -> None:
    document, problems = yamlfile.parse(
        "data/x.yml", b"? !!python/object/apply:os.getcwd []\n: v\nl: !!python/tuple [1, 2]\n"
    )
    assert document is None
    assert [(p.line, "not allowed" in p.message) for p in problems] == [(1, True), (3, True)]


def test_bibtex_cannot_include_or_run_anything(tmp_path: Path) -> None:
    """BibTeX has no include; LaTeX macros are converted as text, never run or read."""
    (tmp_path / "references.bib").write_text(
        "@misc{a, title = {\\input{/etc/passwd} \\include{/etc/passwd} \\write18{touch ran}},\n"
        "  note = {\\immediate\\write18{touch ran2}}, url = {file:///etc/passwd}}\n",
        encoding="utf-8",
    )
    references, problems = bib.load(tmp_path)
    assert problems == []
    item = csljson.to_csl_json(references["a"])
    entry = Bibliography().format([references["a"]])["a"]
    for text in (str(item), entry):
        assert "root:" not in text
    assert 'href="file:' not in entry
    assert not (tmp_path / "ran").exists()
    assert not (Path.cwd() / "ran").exists()


def test_problems_never_print_an_invisible_character(mini: Path) -> None:
    """A message naming a text-reordering character must not itself reorder the terminal."""
    edit(mini / "data" / "themes.yml", "id: theme-care", "id: theme-c\u202eare")
    problems: list[Problem] = list(validate(mini).problems)
    assert problems
    assert not any("\u202e" in str(p) for p in problems)


# --- Markdown that makes a regular expression backtrack ---------------------------------------

PATHOLOGICAL = {
    "an unclosed citation with many locators": "[@a, p. 1" + "; @b, p. 2" * 20_000,
    "an unclosed citation with many keys": "[@a" + "; @b" * 40_000,
    "a citation key of hyphens": "[@a" + "-" * 100_000,
    "brackets that never close": "[x][" * 40_000,
    "a cross-reference of many parts": "@rec-" + "a-" * 60_000,
    "a near-miss of many parts": "@Rec_" + "a-" * 60_000 + "!",
    "backticks of every length": "".join("`" * i + "x" for i in range(1, 500)),
    "fences that never close": "```\n" * 30_000,
    "alternating indentation": "    code\n\ntext\n\n" * 20_000,
}


@pytest.mark.timeout(WATCHDOG)
@pytest.mark.parametrize("text", list(PATHOLOGICAL.values()), ids=list(PATHOLOGICAL))
def test_the_markdown_scanner_takes_linear_time(mini: Path, text: str) -> None:
    (mini / "docs" / "method.md").write_text(f"# Method\n\n{text}\n", encoding="utf-8")
    result, cost = measured(lambda: validate(mini))
    assert all(LINE.match(str(p)) for p in result.problems)
    assert cost.peak < PEAK_BYTES, f"{cost.peak / MB:.0f} MB"


@pytest.mark.parametrize("where", ["docs", "bib"])
def test_a_nul_character_in_a_page_or_the_bibliography_is_placed(mini: Path, where: str) -> None:
    """A NUL is never text: reported at its line and column, never accepted silently."""
    if where == "docs":
        page = mini / "docs" / "context.md"
        lines = page.read_text(encoding="utf-8").split("\n")
        lines[1] = "ab\x00cd" + lines[1]
        page.write_text("\n".join(lines), encoding="utf-8")
        shown = "docs/context.md"
    else:
        bib = mini / "references.bib"
        bib.write_text("\x00" + bib.read_text(encoding="utf-8"), encoding="utf-8")
        shown = "references.bib"
    found = [p for p in validate(mini).errors if "NUL character" in p.message]
    assert [(p.path, p.line, p.column) for p in found] == [
        (shown, 2, 3) if where == "docs" else (shown, 1, 1)
    ]

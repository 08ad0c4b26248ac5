"""A mutation fuzzer over the real briefing: whatever an edit breaks, the report is clean.

Deterministic, seeded mutations of each data file, references.bib and a docs page (delete,
duplicate or swap lines, change indentation, insert random bytes or awkward characters,
truncate, give a field a value of another type, rename an id or key). For each, `validate()`
never raises and every problem reads `path:line:column: message`; and a mutation that is
certainly wrong, judged without the engine (not UTF-8, not YAML, against the file's published
schema), gets an error that names the file. A few full strict builds
of mutated copies exit 0, or non-zero with such lines and no traceback.

A failure names the file, the seed and the mutation, so `mutated(...)` reproduces it.
"""

from __future__ import annotations

import functools
import json
import random
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from briefing.checks.validate import validate
from briefing.problems import Problem
from briefing.sources.yamlfile import DECIMAL_FLOAT, DECIMAL_INT
from factory import write_config
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from sitetools import ROOT, mkdocs_build

TARGETS = [
    *(f"data/{name}.yml" for name in ("report", "glossary", "themes", "findings")),
    *(f"data/{name}.yml" for name in ("quotes", "statistics", "recommendations")),
    "references.bib",
    "docs/background.md",
]
PER_FILE = 34  # 9 files: about 300 validations, a few seconds
LINE = re.compile(r"^[^:\n]+:\d+:\d+: ")
ID = re.compile(rb"\b(theme|finding|quote|stat|rec)-[a-z0-9]+(?:-[a-z0-9]+)*")
KEY = re.compile(rb"(@\w+\{)([^,\s]+),")
FIELD = re.compile(rb"^(\s*-?\s*[\w-]+:)[ \t]*(\S.*)$")
AWKWARD = [
    ": ", "- ", "[", "]", "{", "}", "&a ", "*a", "!!python/object/apply:os.system ['true']",
    "|", ">", "'", '"', "%", "@", "@rec-", "[@", "#", "\t", "\r", "\x00", "---\n", "...\n",
    "\u202e", "\u0435", "\ufeff", "\u200b", "é", "🌳", "\\", "`", "```\n", "<script>", "{{ x }}",
]  # fmt: skip
VALUES = [b"[1, 2]", b"{a: b}", b"123", b"1.5e3", b"true", b"null", b"''", b"[]", b"{}"]
VALUES += [b"-", b"|", b"2024-13-45", b"~", b".nan", b"0x1F", b"!!binary aGk=", b"*x"]

Mutation = Callable[[bytes, random.Random], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    lines.insert(i, lines[i])
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reindent(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    body = lines[i].lstrip(b" ")
    indent = len(lines[i]) - len(body)
    new = max(0, indent + rng.choice([-4, -2, -1, 1, 2, 3]))
    lines[i] = (b"\t" if rng.random() < 0.2 else b"") + b" " * new + body
    return b"\n".join(lines)


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randint(1, 12)) + data[at:]


def insert_characters(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(AWKWARD).encode("utf-8") + data[at:]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def retype(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    fields = [i for i, line in enumerate(lines) if FIELD.match(line)]
    if not fields:
        return insert_characters(data, rng)
    i = rng.choice(fields)
    match = FIELD.match(lines[i])
    assert match is not None
    lines[i] = match.group(1) + b" " + rng.choice(VALUES)
    return b"\n".join(lines)


def rename_id(data: bytes, rng: random.Random) -> bytes:
    found = list(ID.finditer(data)) + list(KEY.finditer(data))
    if not found:
        return insert_characters(data, rng)
    match = rng.choice(found)
    name = match.group(0) if match.re is ID else match.group(2)
    start = match.start() if match.re is ID else match.start(2)
    others = sorted({m.group(0) for m in ID.finditer(data)} - {name}) or [name]
    renamed = rng.choice(
        [
            name + b"x",
            name.upper(),
            name.replace(b"-", b"_", 1),
            name.replace(b"e", "\u0435".encode(), 1),
            name[: max(1, len(name) // 2)],
            rng.choice(others),
            b"rec-" + name,
            b"",
        ]
    )
    return data[:start] + renamed + data[start + len(name) :]


MUTATIONS: list[Mutation] = [
    delete_line,
    duplicate_line,
    swap_lines,
    reindent,
    insert_bytes,
    insert_characters,
    truncate,
    retype,
    rename_id,
]


def mutated(original: bytes, seed: int) -> tuple[bytes, str]:
    """The `seed`th mutation of a file: the same bytes on every run and every machine."""
    rng = random.Random(seed)
    result = original
    names = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        mutation = rng.choice(MUTATIONS)
        result = mutation(result, rng)
        names.append(mutation.__name__)
    return result, "+".join(names)


def copy_briefing(dest: Path) -> Path:
    """The real briefing's sources and settings, nothing else."""
    shutil.copytree(ROOT / "data", dest / "data")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copy(ROOT / "references.bib", dest / "references.bib")
    write_config(dest)
    return dest


def bad_lines(problems: tuple[Problem, ...], root: Path) -> list[str]:
    found = []
    for problem in problems:
        line = str(problem)
        if not (isinstance(problem, Problem) and LINE.match(line)):
            found.append(f"not path:line:column: {line!r}")
        elif problem.line < 1 or problem.column < 1 or not (root / problem.path).exists():
            found.append(f"no such place: {line!r}")
    return found


class _AsWritten(yaml.SafeLoader):
    """PyYAML's safe loader, reading values as the contract does: dates stay text, and only
    `true`/`false` and plain decimal numbers are booleans and numbers."""


def _scalar(kind: Callable[[str], object]) -> Callable[[yaml.SafeLoader, yaml.Node], object]:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> object:
        value = loader.construct_scalar(node)  # type: ignore[arg-type]
        return kind(str(value))

    return construct


def _bool(value: str) -> object:
    return {"true": True, "false": False}.get(value.lower(), value)


def _int(value: str) -> object:
    return int(value) if DECIMAL_INT.fullmatch(value) else value


def _float(value: str) -> object:
    return float(value) if DECIMAL_FLOAT.fullmatch(value) else value


_KINDS: list[tuple[str, Callable[[str], object]]] = [
    ("timestamp", str),
    ("bool", _bool),
    ("int", _int),
    ("float", _float),
]
for _tag, _kind in _KINDS:
    _AsWritten.add_constructor(f"tag:yaml.org,2002:{_tag}", _scalar(_kind))


@functools.cache
def _schema(name: str) -> Draft202012Validator:
    """The data file's published JSON Schema, read here and not through the engine."""
    folder = ROOT / "hooks" / "briefing" / "schemas"
    resources = [
        (p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
        for p in folder.glob("*.schema.json")
    ]
    return Draft202012Validator(
        {"$ref": f"{name}.schema.json"}, registry=Registry().with_resources(resources)
    )


def broken(target: str, data: bytes) -> str | None:
    """Why a mutated file is certainly wrong, judged without the engine; None when it may
    still be valid (a swapped pair of list items, a comment ...)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return f"not UTF-8 ({error.reason})"
    if not target.startswith("data/"):
        return None
    try:
        value = yaml.load(text, Loader=_AsWritten)  # a safe loader
    except yaml.YAMLError as error:
        return f"not YAML ({type(error).__name__})"
    name = target.removeprefix("data/").removesuffix(".yml")
    wrong = next(iter(_schema(name).iter_errors(value)), None)
    return f"against its schema: {wrong.message[:80]}" if wrong is not None else None


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_briefing(tmp_path_factory.mktemp("fuzz") / "briefing")


@pytest.mark.parametrize("target", TARGETS)
def test_every_mutation_is_reported_as_path_line_column(project: Path, target: str) -> None:
    file = project / target
    original = file.read_bytes()
    failures = []
    required = 0  # mutations that must be reported
    try:
        for n in range(PER_FILE):
            seed = TARGETS.index(target) * 1000 + n
            data, name = mutated(original, seed)
            file.write_bytes(data)
            try:
                result = validate(project)
            except Exception as error:  # the one thing validation must never do
                failures.append(f"seed {seed} ({name}): raised {error!r}")
                continue
            failures += [f"seed {seed} ({name}): {b}" for b in bad_lines(result.problems, project)]
            why = broken(target, data)
            if why is not None:
                required += 1
                if not any(p.path == target for p in result.errors):
                    failures.append(f"seed {seed} ({name}): {why}, yet no error names {target}")
    finally:
        file.write_bytes(original)
    assert failures == []
    assert required > 0, "no mutation of this file was certainly wrong: the check checked nothing"


def test_mutations_are_deterministic() -> None:
    original = (ROOT / "data" / "findings.yml").read_bytes()
    assert mutated(original, 7) == mutated(original, 7)
    assert {mutated(original, seed)[0] for seed in range(20)} != {original}


BUILDS = [
    ("data/recommendations.yml", 3),
    ("data/findings.yml", 11),
    ("data/statistics.yml", 5),
    ("references.bib", 2),
    ("data/themes.yml", 8),
]
PROBLEM_LINE = re.compile(r"^(?:\S+\s+-\s+)?[^\s:]+:\d+:\d+: ", re.MULTILINE)


@pytest.mark.slow
@pytest.mark.parametrize(("target", "seed"), BUILDS)
def test_a_strict_build_of_a_mutated_copy_fails_cleanly_or_succeeds(
    tmp_path: Path, target: str, seed: int
) -> None:
    root = copy_briefing(tmp_path / "briefing")
    file = root / target
    data, name = mutated(file.read_bytes(), seed)
    file.write_bytes(data)
    result = mkdocs_build(root / "mkdocs.yml", tmp_path / "site")
    assert "Traceback" not in result.stderr, f"{name}:\n{result.stderr[-3000:]}"
    if result.returncode != 0:
        assert PROBLEM_LINE.search(result.stderr), f"{name}:\n{result.stderr[-3000:]}"

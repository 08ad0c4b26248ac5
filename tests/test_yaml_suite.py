"""The official YAML test suite (tests/yaml_suite.py): no crash, every refusal placed and
explained, every accepted value the suite's.

Each of the suite's 402 cases gets one verdict:

- agree: accepted, with the value of the suite's event tree (and of its JSON, where it has one,
  type for type; the project's rule that only forms YAML 1.1 and 1.2 read alike become
  numbers, booleans or null is applied to plain scalars, see `yamlfile.scalar_value`);
- by-design: refused only for what briefing data never holds (anchors, aliases, tags, a second
  document, a key that is not a plain word, an empty key, '?' glued to text);
- invalid: the suite says it is not YAML, and it is refused;
- gap: valid YAML that libyaml refuses (its known gaps: tabs as separation, JSON-like
  `{"a":b}` and empty keys in flow collections, unknown `%` directives, ...), refused with a
  placed message that shows the line to change; listed below, so a change of parser shows;
- lenient: invalid YAML that libyaml reads (`[-]`, a flow list not indented under its key,
  ...), listed too. (A comment glued to a value, `"v"# c`, which libyaml also reads, is refused.)

A `differs` (accepted with another value) or a crash fails the run.
"""

from __future__ import annotations

from collections import Counter

import pytest
import yaml_suite
from yaml_suite import PLACED, Verdict

GAPS = {
    "2JQS#0", "2LFX#0", "2SXE#0", "4ABK#0", "4MUZ#0", "4MUZ#1", "4MUZ#2", "58MP#0", "5MUD#0",
    "5T43#0", "6BCT#0", "6CA3#0", "6LVF#0", "6M2F#0", "7Z25#0", "8XYN#0", "96NN#0", "96NN#1",
    "9SA2#0", "A2M4#0", "BEC7#0", "CFD4#0", "DBG4#0", "DK3J#0", "DK95#0", "DK95#3", "DK95#4",
    "FP8R#0", "FRK4#0", "HM87#0", "HWV9#0", "K3WX#0", "M2N8#0", "M7A3#0", "MUS6#5", "MUS6#6",
    "NHX8#0", "NJ66#0", "NKF9#0", "Q5MG#0", "QT73#0", "R4YG#0", "S3PD#0", "SM9W#1", "UKK6#0",
    "UT92#0", "VJP3#1", "W4TN#0", "W5VH#0", "Y79Y#1", "Y79Y#10",
}  # fmt: skip
LENIENT = {
    "9C9N#0", "DK95#1", "G5U8#0", "QB6E#0", "S98Z#0", "X4QW#0", "Y79Y#3", "YJV2#0",
}  # fmt: skip


@pytest.fixture(scope="module")
def verdicts() -> list[Verdict]:
    return yaml_suite.verdicts()


def test_the_whole_suite_runs(verdicts: list[Verdict]) -> None:
    counts = Counter(v.kind for v in verdicts)
    assert len(verdicts) == 402
    assert counts["crash"] == 0, [v.detail for v in verdicts if v.kind == "crash"]
    assert counts["differs"] == 0, [(v.case.id, v.detail) for v in verdicts if v.kind == "differs"]
    assert counts["agree"] >= 180
    assert counts["by-design"] + counts["invalid"] + counts["gap"] + counts["lenient"] > 200


def test_every_refusal_is_placed(verdicts: list[Verdict]) -> None:
    for verdict in verdicts:
        if verdict.kind in ("by-design", "invalid", "gap"):
            assert verdict.problems, verdict.case.id
        lines = verdict.case.yaml.count("\n") + 2
        for problem in verdict.problems:
            assert PLACED.match(str(problem)), (verdict.case.id, str(problem))
            assert 1 <= problem.line <= lines, (verdict.case.id, str(problem))
            assert "<unicode string>" not in problem.message


def test_libyaml_gaps_are_the_known_ones(verdicts: list[Verdict]) -> None:
    assert {v.case.id for v in verdicts if v.kind == "gap"} == GAPS
    for verdict in verdicts:
        if verdict.kind == "gap":  # worded as a syntax error or a tab, never as a hazard
            assert any(
                p.message.startswith(("not valid YAML", "a tab is used")) for p in verdict.problems
            ), verdict.case.id


def test_lenient_cases_are_the_known_ones(verdicts: list[Verdict]) -> None:
    assert {v.case.id for v in verdicts if v.kind == "lenient"} == LENIENT


def test_refused_by_design_names_the_reason(verdicts: list[Verdict]) -> None:
    design = [v for v in verdicts if v.kind == "by-design"]
    assert len(design) > 50
    for verdict in design:
        assert any(
            any(reason in p.message for reason in yaml_suite.BY_DESIGN) for p in verdict.problems
        ), verdict.case.id


@pytest.mark.parametrize(
    ("ours", "json", "deliberate"),
    [
        ("1e3", 1000.0, True),  # YAML 1.1 reads text
        ("0x1F", 31, True),
        ("010", 10, True),  # 1.1 reads 8
        (".inf", float("inf"), True),
        ("12", 12, False),  # text the rule would read as 12: a real difference
        ("true", True, False),
        ("text", 1, False),
        ({"a": "1e3"}, {"a": 1000.0}, True),
        (["1e3", "x"], [1000.0, "y"], False),
    ],
)
def test_deliberate_differences_are_only_the_rule(
    ours: object, json: object, deliberate: bool
) -> None:
    noted: list[tuple[str, object]] = []
    assert yaml_suite.deliberate(ours, json, noted) is deliberate


def test_same_is_type_strict() -> None:
    assert yaml_suite.same({"a": [1, "b"]}, {"a": [1, "b"]})
    assert not yaml_suite.same(1, 1.0)
    assert not yaml_suite.same(1, True)
    assert not yaml_suite.same({"a": 1}, {"b": 1})


def test_tree_reading() -> None:
    tree = yaml_suite.read_tree(
        "+STR\n +DOC ---\n  +MAP {}\n   =VAL :1\n   =VAL &a :010\n   =VAL 'k\n"
        '   +SEQ []\n    =VAL :null\n    =VAL "a\\tb\\\\\n   -SEQ\n  -MAP\n -DOC\n-STR\n'
    )
    assert tree.value == {"1": "010", "k": [None, "a\tb\\"]}
    assert tree.anchors and not tree.tags and tree.documents == 1

"""yamlfile.parse: bytes in, plain values (or none) and problems placed at line and column out."""

from __future__ import annotations

import math
from typing import Any

import pytest
from briefing import yamlfile
from briefing.model import Span

ANCHORS = "anchors and aliases are not allowed in briefing data; write the value out in full"
TAB = "a tab is used for indentation; YAML indents with spaces only: replace the tab with spaces"
LEGACY = ": the file looks saved as Windows-1252 or Latin-1, where this is"
SAVE = "; reopen it in that encoding and save it as UTF-8"


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b"", None),
        (b"# only a comment\n", None),
        (b"a: text\n", {"a": "text"}),
        (b"a: 1\n", {"a": 1}),
        (b"a: -12\n", {"a": -12}),
        (b"a: 0\n", {"a": 0}),
        (b"a: 1.5\n", {"a": 1.5}),
        (b"a: .5\n", {"a": 0.5}),
        (b"a: 6.02e+23\n", {"a": 6.02e23}),
        (b"a: true\n", {"a": True}),
        (b"a: False\n", {"a": False}),
        (b"a: ~\n", {"a": None}),
        (b"a: null\n", {"a": None}),
        (b"a:\n", {"a": None}),
        # Dates stay text, exactly as written.
        (b"d: 2024-05-20\n", {"d": "2024-05-20"}),
        (b'd: "2024-05"\n', {"d": "2024-05"}),
        (b"d: 2024-05\n", {"d": "2024-05"}),
        (b"d: 2024-05-20 10:00:00\n", {"d": "2024-05-20 10:00:00"}),
        # YAML 1.1 oddities stay text: no Norway problem, no octal, no base 60.
        (b"a: yes\n", {"a": "yes"}),
        (b"a: No\n", {"a": "No"}),
        (b"a: off\n", {"a": "off"}),
        (b"a: 010\n", {"a": "010"}),
        (b"a: 12:30\n", {"a": "12:30"}),
        (b"a: 0x1F\n", {"a": "0x1F"}),
        (b"a: 0o17\n", {"a": "0o17"}),
        (b"a: 1_000\n", {"a": "1_000"}),
        (b"a: .inf\n", {"a": ".inf"}),
        (b"a: .nan\n", {"a": ".nan"}),
        (b"a: 1e3\n", {"a": "1e3"}),
        # Keys are always text.
        (b"1: one\nnull: two\ntrue: three\n", {"1": "one", "null": "two", "true": "three"}),
        (b"- [a, 1]\n- {b: c}\n", [["a", 1], {"b": "c"}]),
        (b"t: |\n  line one\n  line two\n", {"t": "line one\nline two\n"}),
        (b"t: |-\n  kept\n", {"t": "kept"}),
        (b"t: >\n  folded\n  text\n", {"t": "folded text\n"}),
        (b"t: 'it''s'\n", {"t": "it's"}),
        (b't: "a\\tb"\n', {"t": "a\tb"}),
        ("a: café ✓\n".encode(), {"a": "café ✓"}),
        (b"a: 1\r\nb: 2\r\n", {"a": 1, "b": 2}),
        (b"---\na: 1\n...\n", {"a": 1}),
    ],
)
def test_values(data: bytes, value: Any) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert problems == []
    assert document is not None
    assert document.value == value
    assert type(document.value) is type(value)
    if isinstance(value, dict):
        assert [type(v) for v in document.value.values()] == [type(v) for v in value.values()]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"a: 1\nb: 2\na: 3\n",
            [
                "x.yml:3:1: duplicate key 'a' (first at line 1); a key may appear once in a "
                "mapping: keep one and delete the other"
            ],
        ),
        (
            b"- id: x\n  t: 1\n  t: 2\n  t: 3\n",
            [
                "x.yml:3:3: duplicate key 't' (first at line 2); a key may appear once in a "
                "mapping: keep one and delete the other",
                "x.yml:4:3: duplicate key 't' (first at line 2); a key may appear once in a "
                "mapping: keep one and delete the other",
            ],
        ),
        (b"a:\n\t- b\n", [f"x.yml:2:1: {TAB}"]),
        (b"a:\n  \tb: 1\n", [f"x.yml:2:3: {TAB}"]),
        (b"a: \x81\n", ["x.yml:1:4: invalid UTF-8 (byte 81); save the file as UTF-8"]),
        (
            b"a: ok\nb: \xe9 \x92\nc: \x80\n",
            [
                f"x.yml:2:4: invalid UTF-8 (byte e9){LEGACY} 'é' (LATIN SMALL LETTER E WITH "
                f"ACUTE){SAVE}",
                f"x.yml:2:6: invalid UTF-8 (byte 92){LEGACY} '’' (RIGHT SINGLE QUOTATION "
                f"MARK){SAVE}",
                f"x.yml:3:4: invalid UTF-8 (byte 80){LEGACY} '€' (EURO SIGN){SAVE}",
            ],
        ),
        (
            b"\xff\xfea\x00:\x00",
            [
                "x.yml:1:1: the file starts with a UTF-16 byte-order mark; save it as UTF-8 "
                "without a byte-order mark"
            ],
        ),
        (
            b"a: &x 1\nb: *x\n",
            [f"x.yml:1:4: anchor '&x': {ANCHORS}", f"x.yml:2:4: alias '*x': {ANCHORS}"],
        ),
        (
            b"base: &b {a: 1}\nmore:\n  <<: *b\n",
            [f"x.yml:1:7: anchor '&b': {ANCHORS}", f"x.yml:3:7: alias '*b': {ANCHORS}"],
        ),
        (
            b"a: *nowhere\n",
            [f"x.yml:1:4: alias '*nowhere': {ANCHORS}"],
        ),
        (
            b"a: !!python/object:os.system x\n",
            [
                "x.yml:1:4: YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed; "
                "write a plain value (quote it if it must stay text)"
            ],
        ),
        (
            b"a: !!binary aGVsbG8=\n",
            [
                "x.yml:1:4: YAML tag 'tag:yaml.org,2002:binary' is not allowed; "
                "write a plain value (quote it if it must stay text)"
            ],
        ),
        (
            b"a: !custom x\n",
            [
                "x.yml:1:4: YAML tag '!custom' is not allowed; "
                "write a plain value (quote it if it must stay text)"
            ],
        ),
        (
            b"a: x\n---\nb: y\n",
            ["x.yml:2:1: a second YAML document ('---'); a data file holds one"],
        ),
        (
            b"a: " + b"[" * 40 + b"]" * 40 + b"\n",
            ["x.yml:1:35: nested more than 32 levels deep; briefing data is never this deep"],
        ),
        (
            b"a: b: c\n",
            [
                "x.yml:1:5: not valid YAML: mapping values are not allowed here "
                "(a value containing ': ' must be quoted)"
            ],
        ),
        (
            b'a: "unclosed\n',
            [
                "x.yml:2:1: not valid YAML: while scanning a quoted scalar: "
                "found unexpected end of stream"
            ],
        ),
        (
            b"a:\n  b: 1\n c: 2\n",
            [
                "x.yml:3:2: not valid YAML: while parsing a block mapping: did not find expected "
                "key (check the indentation of this line, or quote the whole value)"
            ],
        ),
        (
            b"a: [b, c]]\n",
            [
                "x.yml:1:10: not valid YAML: while parsing a block mapping: did not find expected "
                "key (check the indentation of this line, or quote the whole value)"
            ],
        ),
        (
            b"a: @x\n",
            [
                "x.yml:1:4: not valid YAML: while scanning for the next token: found character "
                "'@' that cannot start any token"
            ],
        ),
    ],
)
def test_refused(data: bytes, expected: list[str]) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert document is None or any("duplicate key" in str(p) for p in problems)
    assert [str(p) for p in problems] == expected


@pytest.mark.parametrize(
    ("data", "value", "expected"),
    [
        # Read, but reported: the value is usable and the editor still hears of it.
        (
            b"\xef\xbb\xbfa: 1\n",
            {"a": 1},
            [
                "x.yml:1:1: the file starts with a UTF-8 byte-order mark; save it as UTF-8 "
                "without a byte-order mark"
            ],
        ),
        (
            "a: x\u200by\n".encode(),
            {"a": "x\u200by"},
            [
                "x.yml:1:5: invisible or text-reordering character U+200B (ZERO WIDTH SPACE); "
                "delete it"
            ],
        ),
        (
            "a: abc\u202edef\n".encode(),
            {"a": "abc\u202edef"},
            [
                "x.yml:1:7: invisible or text-reordering character U+202E (RIGHT-TO-LEFT "
                "OVERRIDE); delete it"
            ],
        ),
        (
            b"? [a]\n: b\nc: d\n",
            {"c": "d"},
            ["x.yml:1:3: a key must be a plain word such as 'title'"],
        ),
        (
            b"a: 1\na: 2\n",
            {"a": 1},
            [
                "x.yml:2:1: duplicate key 'a' (first at line 1); a key may appear once in a "
                "mapping: keep one and delete the other"
            ],
        ),
    ],
)
def test_read_but_reported(data: bytes, value: Any, expected: list[str]) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert document is not None
    assert document.value == value
    assert [str(p) for p in problems] == expected


def test_too_large() -> None:
    document, problems = yamlfile.parse("x.yml", b"#" * (yamlfile.MAX_BYTES + 1))
    assert document is None
    assert [str(p) for p in problems] == [
        "x.yml:1:1: the file is 8,388,609 bytes, more than the 8,388,608 a data file may hold; "
        "this is not briefing data: split it or remove what does not belong"
    ]


def test_at_most_fifty_problems_per_file() -> None:
    data = "".join(f"k{n}: &a{n} v\n" for n in range(200)).encode()
    document, problems = yamlfile.parse("x.yml", data)
    assert document is None
    assert len(problems) == 50


def test_every_tab_is_reported() -> None:
    document, problems = yamlfile.parse("x.yml", b"a:\n\tb: 1\n\tc: 2\n")
    assert document is None
    assert [(p.line, p.column) for p in problems] == [(2, 1), (3, 1)]


TEXT = b"""# comment
title: A title
items:
  - id: first
    text: |
      Line one
      line two
  - id: second
    tags: [a, b]
"""


@pytest.mark.parametrize(
    ("path", "span", "key_span"),
    [
        ((), (2, 1), (2, 1)),
        (("title",), (2, 8), (2, 1)),
        (("items",), (4, 3), (3, 1)),
        (("items", 0), (4, 5), (4, 5)),
        (("items", 0, "id"), (4, 9), (4, 5)),
        (("items", 0, "text"), (5, 11), (5, 5)),
        (("items", 1, "tags"), (9, 11), (9, 5)),
        (("items", 1, "tags", 1), (9, 15), (9, 15)),
        # Missing paths fall back to their nearest existing parent.
        (("items", 1, "nothing"), (8, 5), (8, 5)),
        (("items", 7), (4, 3), (4, 3)),
    ],
)
def test_positions(
    path: yamlfile.JSONPath, span: tuple[int, int], key_span: tuple[int, int]
) -> None:
    document, problems = yamlfile.parse("x.yml", TEXT)
    assert problems == []
    assert document is not None
    assert document.span(path) == Span("x.yml", *span)
    assert document.key_span(path) == Span("x.yml", *key_span)


def test_block_scalar_source_is_kept_for_placing_tokens() -> None:
    document, _ = yamlfile.parse("x.yml", TEXT)
    assert document is not None
    node = document.nodes[("items", 0, "text")]
    assert document.text[node.start : node.end].startswith("|\n      Line one\n")
    assert node.style == "|"


def test_floats_are_finite() -> None:
    document, _ = yamlfile.parse("x.yml", b"a: 1.25\nb: -0.5e-3\n")
    assert document is not None
    assert all(math.isfinite(v) for v in document.value.values())

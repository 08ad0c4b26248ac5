"""yamlfile.parse: bytes in, plain values (or none) and problems placed at line and column out."""

from __future__ import annotations

import math
from typing import Any

import pytest
from briefing.model import Span
from briefing.sources import safefile, yamlfile

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
    document, problems = yamlfile.parse("x.yml", b"#" * (safefile.MAX_BYTES + 1))
    assert document is None
    assert [str(p) for p in problems] == [
        "x.yml:1:1: the file is 8,388,609 bytes, more than the 8,388,608 a data file may hold; "
        "this is not briefing data: split it or remove what does not belong"
    ]


@pytest.mark.parametrize(
    "row", ["k{n}: &a{n} v\n", "k{n}: *a\n", "k{n}: '#'# c\n", "- [*a, *b, !t x]\n"]
)
def test_at_most_fifty_problems_per_file(row: str) -> None:
    data = "".join(row.format(n=n) for n in range(200)).encode()
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


# --- one parser decides: what libyaml and PyYAML's pure-Python parser disagree on -------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            b"keywords: [energy:, policy]\n",
            "x.yml:1:18: not valid YAML: while scanning a plain scalar: found unexpected ':' "
            "(inside [ ] or { }, a value containing ':' must be quoted, e.g. 'energy:')",
        ),
        (
            b"%FOO bar\n---\na: 1\n",
            "x.yml:1:5: not valid YAML: while scanning a directive: found unknown directive name "
            "(a line starting with '%' is a YAML directive: quote a value that starts with '%')",
        ),
        (b"%YAML 1.3\n---\na: 1\n", "x.yml:1:1: not valid YAML: found incompatible YAML document"),
        (
            b"{ ?foo: bar }\n",
            "x.yml:1:3: '?foo': YAML readers disagree on a '?' directly before text (a key, or "
            "part of the text); quote the text, or put a space after '?' if it starts a key",
        ),
        (
            b'a: "x"# note\n',
            "x.yml:1:7: not valid YAML: a comment must follow a space; put a space before '#' "
            "(or quote the value, if '#' is part of it)",
        ),
        (
            b"a: 1\x00\n",
            "x.yml:1:5: control character U+0000 (a control character) is not allowed in YAML; "
            "delete it",
        ),
        (
            b"a: \xc2\x9b\n",
            "x.yml:1:4: control character U+009B (a control character) is not allowed in YAML; "
            "delete it",
        ),
    ],
)
def test_disagreements_are_placed(data: bytes, expected: str) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert document is None
    assert [str(p) for p in problems] == [expected]


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b"a: 'x:'\nb: [\"energy:\", policy]\n", {"a": "x:", "b": ["energy:", "policy"]}),
        (b"%YAML 1.2\n---\na: 1\n", {"a": 1}),
        (b"a: ! 12\n", {"a": "12"}),  # the non-specific tag: text
        (b"a: C#\nb: http://x.org/#top # a comment\n", {"a": "C#", "b": "http://x.org/#top"}),
        (b"? x\n: 1\n", {"x": 1}),
        # libyaml drops a last line of spaces with no line break; YAML keeps it.
        (b"- |+\n   ", ["\n"]),
        (b"foo: |\n  x\n   ", {"foo": "x\n \n"}),
        (b"a: |\n  x", {"a": "x"}),
    ],
)
def test_read_as_yaml_says(data: bytes, value: Any) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert problems == []
    assert document is not None
    assert document.value == value


# --- tabs: refused only where YAML (as libyaml reads it) refuses them -----------------------


@pytest.mark.parametrize(
    ("data", "value"),
    [
        (b'a: "x\tb"\n', {"a": "x\tb"}),
        (b"a: 'x\tb'\n", {"a": "x\tb"}),
        (b"a: x\tb\n", {"a": "x\tb"}),
        (b"a: x\t# comment\n", {"a": "x"}),
        (b"t: |\n  one\ttwo\n  \tindented by a tab after the spaces\n", None),
        (b'a: "two\n\tlines"\n', {"a": "two lines"}),
        (b"a: [1,\n\t2]\n", {"a": [1, 2]}),
    ],
)
def test_tabs_where_yaml_allows_them(data: bytes, value: Any) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert problems == []
    assert document is not None
    if value is not None:
        assert document.value == value
    else:
        assert document.value == {"t": "one\ttwo\n\tindented by a tab after the spaces\n"}


SEPARATOR = (
    "a tab is used where YAML needs a space (after '-', '?' or ':', or before a value); "
    "replace the tab with a space"
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"- a\n-\tb\n", [f"x.yml:2:2: {SEPARATOR}"]),
        (b"t: |\n  a\n\tb\n", [f"x.yml:3:1: {TAB}"]),
        (b"a: x\n\tb: y\n", [f"x.yml:2:1: {TAB}"]),
        # Each refused tab is reported, not only the first.
        (b"a:\n\tb: 1\n\tc: 2\n-\tx\n", [f"x.yml:2:1: {TAB}", f"x.yml:3:1: {TAB}"]),
    ],
)
def test_tabs_refused_say_what_they_are(data: bytes, expected: list[str]) -> None:
    document, problems = yamlfile.parse("x.yml", data)
    assert document is None
    assert [str(p) for p in problems][: len(expected)] == expected


# --- encodings, for every file the engine reads ------------------------------------------------

UTF8_HINT = (
    "which is not read; save it as UTF-8 (in VS Code: click the encoding in the bottom bar, "
    "Save with Encoding > UTF-8)"
)


@pytest.mark.parametrize(
    ("codec", "name"),
    [
        ("utf-16-le", "UTF-16 (little-endian)"),
        ("utf-16-be", "UTF-16 (big-endian)"),
        ("utf-32-le", "UTF-32 (little-endian)"),
        ("utf-32-be", "UTF-32 (big-endian)"),
    ],
)
@pytest.mark.parametrize("text", ["title: Trees\n", "@misc{a, title={Café}}\n", "# Méthode\n"])
def test_wide_encodings_without_a_mark(codec: str, name: str, text: str) -> None:
    decoded, problems = safefile.decode("f", text.encode(codec))
    assert decoded is None
    assert [str(p) for p in problems] == [
        f"f:1:1: the file is {name} text (every other byte, or three in four, is zero), "
        + UTF8_HINT
    ]


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-be"])
def test_utf32_byte_order_mark(codec: str) -> None:
    data = ("\ufeff" if codec.endswith("be") else "").encode(codec) + "a: 1\n".encode(codec)
    decoded, problems = safefile.decode("f", data)
    assert decoded is None
    assert [p.message for p in problems] == [
        "the file starts with a UTF-32 byte-order mark; save it as UTF-8 without a byte-order mark"
    ]


@pytest.mark.parametrize(
    "data",
    [b"a: 1\x00\n", b"\x00", b"a\x00b\x00c", "a: é\n".encode(), b"", b"x" * 10 + b"\x00" * 2],
)
def test_a_few_nul_bytes_are_not_a_wide_encoding(data: bytes) -> None:
    assert safefile.wide_encoding(data) is None or data == b"a\x00b\x00c"


@pytest.mark.parametrize(
    ("data", "meant"),
    [
        (b"It\x92s", "'’' (RIGHT SINGLE QUOTATION MARK)"),
        (b"caf\xe9", "'é' (LATIN SMALL LETTER E WITH ACUTE)"),
        (b"\x93quoted\x94", "'“' (LEFT DOUBLE QUOTATION MARK)"),
        (b"\xa3 5", "'£' (POUND SIGN)"),
    ],
)
def test_windows_1252_is_named_with_the_character(data: bytes, meant: str) -> None:
    decoded, problems = safefile.decode("f", data)
    assert decoded is None
    assert problems[0].message.endswith(
        f": the file looks saved as Windows-1252 or Latin-1, where this is {meant}; "
        "reopen it in that encoding and save it as UTF-8"
    )


# --- joiners: text where Unicode uses them, refused where they only hide ---------------------

INVISIBLE = "invisible or text-reordering character"


@pytest.mark.parametrize(
    "text",
    [
        "👩\u200d💻",  # woman technologist
        "🏳\ufe0f\u200d🌈",  # rainbow flag, with a variation selector
        "👩🏽\u200d⚕\ufe0f",  # health worker, with a skin tone
        "👨\u200d👩\u200d👧\u200d👦",  # family
        "می\u200cخواهم",  # Persian: ZWNJ inside a word
        "क्\u200dष",  # Devanagari: ZWJ after a virama (half form)
        "র\u200d্য",  # Bengali: ZWJ before a virama (ra-phala)
        "ශ්\u200dරී",  # Sinhala: ZWJ after the virama (rakaaraansaya)
        "ന്\u200d",  # Malayalam chillu at the end of a word
    ],
)
def test_joiners_that_spell_text_are_accepted(text: str) -> None:
    assert safefile.check_characters("f", f"a: {text}\n") == []
    document, problems = yamlfile.parse("x.yml", f"a: {text}\n".encode())
    assert problems == []
    assert document is not None and document.value == {"a": text}


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("\u200d", 4),  # alone
        ("rec\u200d-x", 7),  # in Latin text
        ("pass\u200cword", 8),
        ("👩 \u200d 💻", 6),  # not between the two emoji
        ("a\u200d👩", 5),  # a letter and an emoji
        ("中\u200c文", 5),  # a script that does not join
        ("ش\u200ca", 5),  # Arabic, then Latin
    ],
)
def test_joiners_that_hide_text_are_refused(text: str, column: int) -> None:
    problems = safefile.check_characters("f", f"a: {text}\n")
    assert [(p.line, p.column) for p in problems] == [(1, column)]
    assert problems[0].message.startswith(INVISIBLE)


def test_a_joiner_in_a_key_is_refused_even_between_emoji() -> None:
    document, problems = yamlfile.parse("x.yml", "👩\u200d💻: x\n".encode())
    assert document is not None
    assert [str(p) for p in problems] == [
        "x.yml:1:1: invisible character U+200D (ZERO WIDTH JOINER) in a key; a key is a plain "
        "word: delete it"
    ]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"?\n: x\n", "x.yml:1:2: an empty key; write a name such as 'title' before the ':'"),
        (b"'': x\n", "x.yml:1:1: an empty key; write a name such as 'title' before the ':'"),
        (b"<<: {a: 1}\n", "x.yml:1:1: a key must be a plain word such as 'title'"),
    ],
)
def test_keys_that_are_not_words(data: bytes, expected: str) -> None:
    _, problems = yamlfile.parse("x.yml", data)
    assert [str(p) for p in problems] == [expected]


@pytest.mark.parametrize("newline", ["\r", "\x85", "\u2028", "\u2029"])
def test_lines_are_counted_as_editors_count_them(newline: str) -> None:
    # YAML also breaks lines at these; an editor's line numbers count LF only.
    document, problems = yamlfile.parse("x.yml", f"a: 1{newline}b: 2\nc: [\n".encode())
    assert document is None
    assert [(p.line, p.column) for p in problems] == [(3, 1)]

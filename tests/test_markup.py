"""markup.scan, near_misses and replace: Markdown in, citations and cross-references out."""

from __future__ import annotations

import pytest
from briefing.sources import markup


def describe(token: markup.Token) -> str:
    """A token as a short string: `cite a; b, p. 4` or `xref rec-x` or `xref rec-x [words]`."""
    if token.is_citation:
        return "cite " + "; ".join(
            c.key + (f", {c.locator}" if c.locator else "") for c in token.cites
        )
    return f"xref {token.target}" + (f" [{token.label}]" if token.label else "")


def tokens(text: str) -> list[str]:
    found = markup.scan(text)
    for token in found:
        assert text[token.start : token.end] == token.source
    return [describe(t) for t in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Citations: one key, several keys, locators.
        ("See [@a].", ["cite a"]),
        ("See [@a; @b] and [@a, p. 4].", ["cite a; b", "cite a, p. 4"]),
        ("[@a, pp. 4-5; @b, ch. 2]", ["cite a, pp. 4-5; b, ch. 2"]),
        ("[@a, p. 4; @b, pp. 5, 7]", ["cite a, p. 4; b, pp. 5, 7"]),
        ("[@a , p. 4 ; @b ]", ["cite a, p. 4; b"]),
        ("[@a,p.4]", ["cite a, p.4"]),
        ("[@nshcs2019, p. 4]", ["cite nshcs2019, p. 4"]),
        ("[@a.b:c/d-e+f]", ["cite a.b:c/d-e+f"]),
        ("[@Smith_2020]", ["cite Smith_2020"]),
        ("text[@a]. More", ["cite a"]),
        # Not citations: links, images, escapes, reference definitions, prose in brackets.
        ("[@a](http://x.org)", []),
        ("![@a]", []),
        ("\\[@a]", []),
        ("[@a]: http://x.org", []),
        ("[@a][ref]", []),
        ("[see @a]", []),
        ("[@a; see @b]", []),
        ("[@a.]", []),
        ("[@]", []),
        # Bare cross-references.
        ("@rec-x and @theme-y-z. Also (@stat-a).", ["xref rec-x", "xref theme-y-z", "xref stat-a"]),
        ("@finding-a1-b2, @quote-q", ["xref finding-a1-b2", "xref quote-q"]),
        ("@rec-flexibility's text", ["xref rec-flexibility"]),
        ("See @rec-x.", ["xref rec-x"]),
        ("@rec-x-", ["xref rec-x"]),
        # Not cross-references: other prefixes, e-mail addresses, handles, URLs, escapes.
        ("@someone and @recommendation", []),
        ("mail someone@example.org or a@rec-x.org", []),
        ("mail rec-x@example.org", []),
        ("word@rec-x", []),
        ("https://x.org/@rec-x and <https://x.org/@rec-x>", []),
        ("\\@rec-x", []),
        ("@rec-x_y @rec-xY @Rec-x @rec_x", []),
        ("@rec-", []),
        # Custom cross-references.
        ("[words][rec-x]", ["xref rec-x [words]"]),
        ("[**bold** words][theme-a]", ["xref theme-a [**bold** words]"]),
        ("[a][rec-x][b]", ["xref rec-x [a]"]),
        ("[words] [rec-x]", []),
        ("[words][ref]", []),
        ("![image][rec-x]", []),
        ("[text with [@a] inside][rec-x]", ["cite a"]),
        ("[@a] and [x][rec-a] and @rec-b", ["cite a", "xref rec-a [x]", "xref rec-b"]),
        # A citation of an item id is still a citation: validation reports it.
        ("[@rec-x]", ["cite rec-x"]),
    ],
)
def test_scan(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Code spans, single and double backticks.
        ("`[@a]` and [@b]", ["cite b"]),
        ("``[@a] ` still code`` and [@b]", ["cite b"]),
        ("`@rec-x` and @rec-y", ["xref rec-y"]),
        ("`[x][rec-x]`", []),
        ("text `code\nspan [@a]` more", []),
        ("text `unclosed [@a]", ["cite a"]),
        ("\\`[@a]`", ["cite a"]),
        ("`a`\n\n[@b]`", ["cite b"]),
        # Fenced code blocks: backticks, tildes, longer fences, info strings.
        ("```\n[@a]\n```\n[@b]", ["cite b"]),
        ("~~~python\n[@a]\n~~~\n[@b]", ["cite b"]),
        ("````\n```\n[@a]\n```\n````\n[@b]", ["cite b"]),
        ("```yaml\nsummary: [@a] @rec-x\n```", []),
        ("   ```\n[@a]\n   ```\n[@b]", ["cite b"]),
        ("line\n```\n[@a]\n```", []),
        ("[@a]\n\n```\n[@b]\n```\n\n[@c]", ["cite a", "cite c"]),
        # Unclosed fences run to the end.
        ("```\n[@a]\nunclosed", []),
        ("~~~\n[@a]\n```\n[@b]", []),
        ("```\n[@a]\n``` not a closing fence\n[@b]", []),
        # A fence inside a list item or a block quote.
        ("- item\n  ```\n  [@a]\n  ```\n[@b]", ["cite b"]),
        ("- item\n\n    ~~~\n    [@a]\n    ~~~\n", []),
        ("> ```\n> [@a]\n> ```\n", []),
        # Indented code blocks.
        ("para\n\n    [@a] code\n\nafter [@b]", ["cite b"]),
        ("    [@a] code at the start", []),
        ("\t[@a] tab-indented code", []),
        ("para\n\n    code [@a]\n    more [@b]\n", []),
        ("para\n    [@a] lazy continuation", ["cite a"]),
        ("    ```\n[@a]\n    ```", ["cite a"]),
        # Lists: content indented 4 spaces is part of the item, not code.
        ("- item\n\n    [@a] in item paragraph\n", ["cite a"]),
        ("1. item\n\n    [@a] in item\n", ["cite a"]),
        ("1) item\n\n    [@a] in item\n", ["cite a"]),
        ("* item\n\n    @rec-x in item\n", ["xref rec-x"]),
        ("1. item\n\n    [@a] in item\n\n        [@b] code in item\n", ["cite a"]),
        ("- item\n\nParagraph\n\n    [@a] code again\n", []),
        ("!!! note\n    [@a] in admonition\n", ["cite a"]),
    ],
)
def test_nothing_inside_code(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@Rec-x", [(0, "@Rec-x")]),
        ("@rec-X", [(0, "@rec-X")]),
        ("see @rec_x_y", [(4, "@rec_x_y")]),
        ("see @rec-x_y.", [(4, "@rec-x_y")]),
        ("@THEME-a", [(0, "@THEME-a")]),
        ("@rec-x @stat-a", []),
        ("`@Rec-x`", []),
        ("```\n@Rec-x\n```", []),
        ("a@Rec-x.org", []),
        ("@Recommendations", []),
    ],
)
def test_near_misses(text: str, expected: list[tuple[int, str]]) -> None:
    assert markup.near_misses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("See [@a; @b], p. [@c, p. 4].", "See <cite a; b>, p. <cite c, p. 4>."),
        ("@rec-x and [words][theme-y].", "<xref rec-x> and <xref theme-y [words]>."),
        ("`[@a]` [@a]", "`[@a]` <cite a>"),
        ("```\n[@a]\n```\n[@a]\n", "```\n[@a]\n```\n<cite a>\n"),
        ("café [@a] – ünïcödé\r\n@rec-x\r\n", "café <cite a> – ünïcödé\r\n<xref rec-x>\r\n"),
        ("no tokens at all, someone@example.org", "no tokens at all, someone@example.org"),
        ("", ""),
    ],
)
def test_replace(text: str, expected: str) -> None:
    assert markup.replace(text, lambda t: f"<{describe(t)}>") == expected


SAMPLES = [
    "# Title\n\nSee [@a; @b] and @rec-x.\r\n\n```\n[@c]\n```\n\n- item\n\n    [@d, p. 4]\n",
    "\ufeffText with a BOM [@a]  \n\ttab\n\n    code [@b]\n~~~\n[@c]",
    "ends without newline [words][finding-y]",
    "trailing spaces   \n\n\n[@a]\n\n\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_replace_keeps_everything_else_byte_identical(text: str) -> None:
    assert markup.replace(text, lambda t: t.source) == text
    marked = markup.replace(text, lambda t: "\x00")
    found = markup.scan(text)
    pieces = []
    position = 0
    for token in found:
        pieces.append(text[position : token.start])
        position = token.end
    pieces.append(text[position:])
    assert marked.split("\x00") == pieces


def test_replace_with_given_tokens() -> None:
    text = "[@a] and [@b]"
    only_second = markup.scan(text)[1:]
    assert markup.replace(text, lambda t: "B", only_second) == "[@a] and B"


def test_code_ranges() -> None:
    text = "a `x` b\n\n```\ncode\n```\n\n    indented\n"
    ranges = markup.code_ranges(text)
    assert [text[a:b] for a, b in ranges] == ["`x`", "```\ncode\n```\n", "    indented\n"]

"""Properties of the citation and cross-reference scanner (markup.py) and resolver, for any text.

- It never crashes and always finds tokens in order, inside the text, without overlap.
- It never changes text outside its syntax: replacing each token by itself gives the input
  back, and with a marker for each token the text between them is the input's.
- It never touches code: whatever is inside a code span or a fenced block comes out identical.
- It is stable on its own output: resolving resolved text changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from briefing.render.numbering import Cited, number
from briefing.render.resolve import Resolver, Target
from briefing.sources import markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

settings.register_profile(
    "briefing", max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("briefing")

IDS = ["rec-a", "rec-plant-trees", "theme-b", "finding-c", "quote-d-1", "stat-e"]
KEYS = ["oke2017", "smith:2020", "a_b", "x.y+z/1"]
TOKENS = [
    *(f"@{i}" for i in IDS),
    *(f"[@{k}]" for k in KEYS),
    "[@oke2017, p. 4]",
    "[@oke2017; @smith:2020, ch. 2]",
    "[custom words][theme-b]",
    "[more][rec-plant-trees]",
]
# Text that looks like syntax half the time: tokens, their pieces, Markdown's own characters.
PIECES = [*TOKENS, "@", "[", "]", "[@", "; ", ", p. ", "`", "``", "\\", "\n", "\n\n", "    "]
PIECES += ["```", "~~~", "- ", "1. ", "!!! note\n", "rec-", "@Rec-x", "@rec_x", "a@rec-a", "#"]
text_like_markdown = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=40
).map("".join)
any_text = st.one_of(st.text(max_size=300), text_like_markdown)


class EveryTarget(Mapping[str, Target]):
    """Targets for any id, so any text resolves (validation, not the resolver, rejects ids)."""

    def __getitem__(self, key: str) -> Target:
        return Target(f"{key.split('-')[0]}.md", key, f"Label {len(key)}", f"Title {len(key)}")

    def __iter__(self) -> Iterator[str]:
        return iter(IDS)

    def __len__(self) -> int:
        return len(IDS)


def resolver(text: str) -> Resolver:
    """A resolver whose numbering read `text` (as a build reads every page before rendering)."""
    numbering = number([Cited("background.md", "Background", (text,))])
    return Resolver(EveryTarget(), numbering, tooltips={k: f"Entry for {len(k)}." for k in KEYS})


@given(any_text)
def test_scanning_never_fails_and_tokens_are_where_they_say(text: str) -> None:
    tokens = markup.scan(text)
    previous_end = 0
    for token in tokens:
        assert previous_end <= token.start < token.end <= len(text)
        assert text[token.start : token.end] == token.source
        assert token.is_citation != (token.target is not None)
        previous_end = token.end
    code = markup.code_ranges(text)
    assert all(not (a < t.end and t.start < b) for t in tokens for a, b in code)
    markup.near_misses(text)


@given(any_text)
def test_replacing_each_token_by_itself_gives_the_text_back(text: str) -> None:
    assert markup.replace(text, lambda token: token.source) == text


MARK = "\ue000"  # a private-use character, filtered out of the input


@given(any_text.filter(lambda t: MARK not in t))
def test_text_outside_tokens_is_unchanged(text: str) -> None:
    tokens = markup.scan(text)
    replaced = markup.replace(text, lambda token: MARK)
    between = [0, *(p for t in tokens for p in (t.start, t.end)), len(text)]
    expected = [text[between[i] : between[i + 1]] for i in range(0, len(between), 2)]
    assert replaced.split(MARK) == expected


@given(any_text)
def test_resolving_never_fails(text: str) -> None:
    resolver(text).resolve(text, "background.md")


@given(any_text)
def test_resolving_is_stable_on_its_own_output(text: str) -> None:
    r = resolver(text)
    once = r.resolve(text, "background.md")
    assert r.resolve(once, "background.md") == once


# Prose without the characters that open or escape code, so the code below stays code.
prose = st.lists(
    st.one_of(
        st.sampled_from(TOKENS),
        st.text(
            alphabet=st.characters(
                blacklist_characters="`~\\\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029",
                blacklist_categories=["Cs"],
            ),
            max_size=12,
        ),
    ),
    max_size=8,
).map(lambda parts: " ".join(parts).strip())
code_text = st.lists(
    st.one_of(st.sampled_from(TOKENS), st.text(alphabet="abc @[];,.-_:#*", max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)


@given(prose, code_text, prose, st.lists(code_text, min_size=1, max_size=4), prose)
def test_code_spans_and_fenced_blocks_come_out_identical(
    before: str, span: str, between: str, block: list[str], after: str
) -> None:
    span = span.strip() or "x"
    inline = f"`{span}`"
    fenced = "```\n" + "\n".join(block) + "\n```\n"
    text = f"{before} {inline} {between}\n\n{fenced}\n{after}\n"
    resolved = resolver(text).resolve(text, "background.md")
    assert inline in resolved
    assert fenced in resolved


@given(st.sampled_from(TOKENS), st.sampled_from(["`", "``"]))
def test_a_token_in_code_is_never_a_token(token: str, ticks: str) -> None:
    text = f"before {ticks}{token}{ticks} after\n\n```\n{token}\n```\n"
    assert markup.scan(text) == []

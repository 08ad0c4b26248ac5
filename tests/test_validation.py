"""Validation end to end: a broken copy of the fixture briefing in, exact problem lines out.

Each test writes one mistake into a fresh copy of tests/fixtures/mini and compares every line
`validate` reports, `path:line:column: message`, so a change of wording or position shows here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
import yaml
from briefing.checks.validate import validate
from briefing.sources import bib, yamlfile

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"

ANCHORS = "anchors and aliases are not allowed in briefing data; write the value out in full"
FIXED_KEY = "(add the work to references.bib or fix the key)"


def lines(root: Path) -> list[str]:
    return [str(p) for p in validate(root).problems]


def edit(root: Path, relative: str, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in a copied fixture file."""
    file = root / relative
    text = file.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {relative}"
    file.write_text(text.replace(old, new), encoding="utf-8")


def write(root: Path, relative: str, content: str | bytes) -> None:
    file = root / relative
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")


THEMES = "- id: theme-shade\n  title: Shade\n- id: theme-care\n  title: Care\n"


# --- clean briefings --------------------------------------------------------------------------


def test_real_briefing_has_no_problem() -> None:
    result = validate(ROOT)
    assert [str(p) for p in result.errors] == []
    assert [str(p) for p in result.warnings] == []
    assert result.briefing is not None
    assert result.checked() is result.briefing


def test_fixture_has_no_problem() -> None:
    result = validate(MINI)
    assert result.problems == ()
    briefing = result.checked()
    assert [t.id for t in briefing.themes] == ["theme-shade", "theme-care"]
    assert len(briefing.findings) == 4
    assert [q.id for q in briefing.quotes] == ["quote-cool-street", "quote-watering"]
    figure, table = briefing.statistics
    assert (figure.value, figure.unit, figure.qualifier, figure.is_table) == (
        70,
        "%",
        "at least",
        False,
    )
    assert (table.columns, table.chart, table.is_table) == (
        ("District", "Canopy cover (%)"),
        "bar",
        True,
    )
    assert [r.number for r in briefing.recommendations] == [1, 2]
    assert briefing.recommendations[1].responses[0].actor == "City Parks Department"
    assert {k: r.type for k, r in briefing.references.items()} == {
        "oke2017": "article",
        "cityatlas2024": "online",
        "greenfield2021": "book",
    }


def test_copied_fixture_has_no_problem_and_a_config(mini: Path) -> None:
    assert lines(mini) == []
    config = yaml.safe_load((mini / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["hooks"] == [str(ROOT / "hooks" / "briefing_hooks.py")]
    assert "nav" not in config
    assert config["site_name"] == "Urban Trees and Summer Heat"
    assert (mini / "docs" / "assets" / "briefing.css").is_file()


# --- the YAML layer ---------------------------------------------------------------------------


def test_duplicate_mapping_key(mini: Path) -> None:
    edit(mini, "data/themes.yml", "  title: Caring", "  title: Care\n  title: Caring")
    assert lines(mini) == [
        "data/themes.yml:8:3: duplicate key 'title' (first at line 7); "
        "a key may appear once in a mapping: keep one and delete the other",
    ]


def test_tab_indentation(mini: Path) -> None:
    # Themes cannot be read, so the findings' references to them are not reported again.
    edit(mini, "data/themes.yml", "  title: Caring", "\ttitle: Caring")
    assert lines(mini) == [
        "data/themes.yml:7:1: a tab is used for indentation; YAML indents with spaces only: "
        "replace the tab with spaces",
    ]


def test_invalid_utf8(mini: Path) -> None:
    write(mini, "data/themes.yml", THEMES.replace("Care", "Caf\xe9").encode("latin-1"))
    assert lines(mini) == [
        "data/themes.yml:4:13: invalid UTF-8 (byte e9): the file looks saved as Windows-1252 or "
        "Latin-1, where this is 'é' (LATIN SMALL LETTER E WITH ACUTE); reopen it in that "
        "encoding and save it as UTF-8",
    ]


def test_invalid_utf8_in_a_page(mini: Path) -> None:
    write(mini, "docs/method.md", b"# Method\n\nCaf\xe9 [@oke2017]\n")
    assert lines(mini) == [
        "docs/method.md:3:4: invalid UTF-8 (byte e9): the file looks saved as Windows-1252 or "
        "Latin-1, where this is 'é' (LATIN SMALL LETTER E WITH ACUTE); reopen it in that "
        "encoding and save it as UTF-8",
    ]


def test_byte_order_mark(mini: Path) -> None:
    # A UTF-8 byte-order mark is reported, but the file is still read.
    write(mini, "data/themes.yml", b"\xef\xbb\xbf" + THEMES.encode())
    assert lines(mini) == [
        "data/themes.yml:1:1: the file starts with a UTF-8 byte-order mark; "
        "save it as UTF-8 without a byte-order mark",
    ]


def test_utf16_byte_order_mark(mini: Path) -> None:
    write(mini, "data/themes.yml", THEMES.encode("utf-16"))
    assert lines(mini) == [
        "data/themes.yml:1:1: the file starts with a UTF-16 byte-order mark; "
        "save it as UTF-8 without a byte-order mark",
    ]


def test_anchor_and_alias(mini: Path) -> None:
    write(mini, "data/themes.yml", THEMES.replace("Shade", "&t Shade").replace("Care", "*t"))
    assert lines(mini) == [
        f"data/themes.yml:2:10: anchor '&t': {ANCHORS}",
        f"data/themes.yml:4:10: alias '*t': {ANCHORS}",
    ]


def billion_laughs(levels: int = 9) -> str:
    rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        name, previous = chr(ord("a") + n), chr(ord("a") + n - 1)
        rows.append(f"{name}: &{name} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(rows) + "\n"


def test_alias_bomb_fails_fast_in_little_memory(mini: Path) -> None:
    write(mini, "data/glossary.yml", billion_laughs())
    tracemalloc.start()
    try:
        result = validate(mini)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    found = [str(p) for p in result.problems]
    assert found[:3] == [
        f"data/glossary.yml:1:4: anchor '&a': {ANCHORS}",
        f"data/glossary.yml:2:4: anchor '&b': {ANCHORS}",
        f"data/glossary.yml:2:8: alias '*a': {ANCHORS}",
    ]
    assert all(p.startswith("data/glossary.yml:") for p in found)
    assert len(found) <= 50


def test_alias_bomb_is_never_expanded() -> None:
    tracemalloc.start()
    try:
        document, problems = yamlfile.parse("bomb.yml", billion_laughs(12).encode())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert document is None
    assert problems
    assert peak < 50 * 1024 * 1024


def test_too_large_file_is_not_read(mini: Path) -> None:
    with (mini / "data" / "glossary.yml").open("wb") as handle:
        handle.truncate(2**30)  # sparse: 1 GiB on paper, nothing on disk
    tracemalloc.start()
    try:
        found = lines(mini)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found == [
        "data/glossary.yml:1:1: the file is 1,073,741,824 bytes, more than the 8,388,608 a data "
        "file may hold; this is not briefing data: split it or remove what does not belong",
    ]
    assert peak < 50 * 1024 * 1024


def test_yaml_syntax_error(mini: Path) -> None:
    edit(mini, "data/themes.yml", "title: Caring for Young Trees", "title: Caring: for trees")
    assert lines(mini) == [
        "data/themes.yml:7:16: not valid YAML: mapping values are not allowed here "
        "(a value containing ': ' must be quoted)",
    ]


def test_yaml_unclosed_flow_sequence(mini: Path) -> None:
    edit(mini, "data/themes.yml", "title: Caring for Young Trees", "title: [Caring")
    assert lines(mini) == [
        "data/themes.yml:8:10: not valid YAML: while parsing a flow sequence: "
        "expected ',' or ']', but got ':'",
    ]


# --- the schemas ------------------------------------------------------------------------------


def test_missing_required_field(mini: Path) -> None:
    edit(mini, "data/quotes.yml", "  attribution: Survey respondent, East district\n", "")
    assert lines(mini) == [
        "data/quotes.yml:6:3: missing required field 'attribution'; add `attribution: ...`",
    ]


def test_unknown_field_with_nearest_name(mini: Path) -> None:
    edit(mini, "data/quotes.yml", "  context:", "  contxt:")
    assert lines(mini) == [
        "data/quotes.yml:5:3: unknown field 'contxt' (did you mean 'context' or 'text'?); "
        "allowed fields: attribution, context, id, note, text",
    ]


def test_every_unknown_field_is_reported(mini: Path) -> None:
    edit(
        mini, "data/themes.yml", "  title: Caring", "  colour: green\n  summery: x\n  title: Caring"
    )
    assert lines(mini) == [
        "data/themes.yml:7:3: unknown field 'colour'; allowed fields: id, note, summary, title",
        "data/themes.yml:8:3: unknown field 'summery' (did you mean 'summary'?); "
        "allowed fields: id, note, summary, title",
    ]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "data/themes.yml",
            "title: Caring for Young Trees",
            "title: [Caring, Young Trees]",
            "data/themes.yml:7:10: 'title' must be text, not a list",
        ),
        (
            "data/statistics.yml",
            "value: 70",
            'value: "seventy"',
            "data/statistics.yml:5:10: 'value' must be a number, not text",
        ),
        (
            "data/statistics.yml",
            "key: true",
            "key: 1",
            "data/statistics.yml:8:8: 'key' must be true or false, not a number",
        ),
        (
            "data/statistics.yml",
            "    - [East, 12]",
            "    - East 12",
            "data/statistics.yml:18:7: each entry of 'rows' must be a list, not text",
        ),
        (
            "data/statistics.yml",
            "    - [East, 12]",
            "    - [East, [12]]",
            "data/statistics.yml:18:14: each value in 'rows' must be text or a number or empty, "
            "not a list",
        ),
        (
            "data/findings.yml",
            "    - quote-watering",
            "    - 12",
            "data/findings.yml:23:7: each entry of 'evidence' must be text, not a number",
        ),
        (
            "data/statistics.yml",
            "    - District",
            "    - {District: name}",
            "data/statistics.yml:14:7: each entry of 'columns' must be text, not a mapping",
        ),
        (
            "data/report.yml",
            "authors:\n  - Riverside Civic Trust, Green Spaces Group\n  - Ada Example",
            "authors: Ada Example",
            "data/report.yml:5:10: 'authors' must be a list, not text",
        ),
        (
            "data/themes.yml",
            "  title: Caring for Young Trees",
            "  title:",
            "data/themes.yml:7:9: 'title' must be text, not empty",
        ),
        (
            "data/glossary.yml",
            "UHI: Urban Heat Island",
            "UHI: 3",
            "data/glossary.yml:2:6: 'UHI' must be text, not a number",
        ),
    ],
)
def test_wrong_type(mini: Path, relative: str, old: str, new: str, expected: str) -> None:
    edit(mini, relative, old, new)
    found = lines(mini)
    assert found[0] == expected
    # Only a quote left without evidence may follow, as a warning.
    assert all(": warning: quote 'quote-watering' is not used" in line for line in found[1:])


def test_data_file_of_the_wrong_shape(mini: Path) -> None:
    write(mini, "data/themes.yml", "id: theme-shade\ntitle: Shade\n")
    assert lines(mini) == ["data/themes.yml:1:1: data/themes.yml must be a list, not a mapping"]


def test_list_entry_that_is_not_a_mapping(mini: Path) -> None:
    write(mini, "data/themes.yml", "- id: theme-shade\n  title: Shade\n- theme-care\n")
    assert lines(mini) == [
        "data/findings.yml:18:10: unknown theme 'theme-care'; did you mean 'theme-shade'?",
        "data/findings.yml:25:10: unknown theme 'theme-care'; did you mean 'theme-shade'?",
        "data/themes.yml:3:3: each entry of data/themes.yml must be a mapping of "
        "'field: value', not text",
    ]


def test_bad_id_pattern_where_the_item_is_defined(mini: Path) -> None:
    edit(mini, "data/themes.yml", "- id: theme-care", "- id: theme-Care")
    assert lines(mini) == [
        "data/findings.yml:18:10: unknown theme 'theme-care'; did you mean 'theme-Care' or "
        "'theme-shade'?",
        "data/findings.yml:25:10: unknown theme 'theme-care'; did you mean 'theme-Care' or "
        "'theme-shade'?",
        "data/themes.yml:6:7: 'theme-Care' is not a valid theme id: ids look like "
        "'theme-some-words' (lower-case ASCII letters, digits, single hyphens)",
    ]


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "data/findings.yml",
            "  theme: theme-care\n  title: Residents",
            "  theme: theme_care\n  title: Residents",
            "data/findings.yml:25:10: 'theme_care' is not a valid theme id: ids look like "
            "'theme-some-words' (lower-case ASCII letters, digits, single hyphens)",
        ),
        (
            "data/findings.yml",
            "    - quote-watering",
            "    - finding-watering",
            "data/findings.yml:23:7: 'evidence': 'finding-watering' is not a quote or statistic id "
            "(quote-... or stat-...)",
        ),
        (
            "data/recommendations.yml",
            "    - finding-volunteers",
            "    - theme-care",
            "data/recommendations.yml:19:7: 'theme-care' is not a valid finding id: ids look like "
            "'finding-some-words' (lower-case ASCII letters, digits, single hyphens)",
        ),
    ],
)
def test_bad_id_pattern(mini: Path, relative: str, old: str, new: str, expected: str) -> None:
    edit(mini, relative, old, new)
    found = lines(mini)
    assert found[0] == expected
    # Only a quote left without evidence may follow, as a warning.
    assert all(": warning: quote 'quote-watering' is not used" in line for line in found[1:])


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        (
            "data/report.yml",
            'date: "2025-06"',
            "date: June 2025",
            "data/report.yml:8:7: 'date': 'June 2025' is not a date; write \"YYYY-MM-DD\" or "
            '"YYYY-MM"',
        ),
        (
            "data/report.yml",
            'date: "2025-06"',
            "date: 2025-06-31",
            "data/report.yml:8:7: 'date': '2025-06-31' is not a date: June 2025 has 30 days",
        ),
        (
            "data/recommendations.yml",
            'date: "2025-09-01"',
            'date: "2025-02-29"',
            "data/recommendations.yml:25:13: 'date': '2025-02-29' is not a date: "
            "February 2025 has 28 days",
        ),
        (
            "data/recommendations.yml",
            "status: accepted",
            "status: done",
            "data/recommendations.yml:23:11: 'status': 'done' is not one of: proposed, accepted, "
            "in-progress, implemented, declined",
        ),
        (
            "data/statistics.yml",
            "qualifier: at least",
            "qualifier: circa",
            "data/statistics.yml:7:14: 'qualifier': 'circa' is not one of: about, "
            "approximately, around, roughly, nearly, almost, at least, at most, more than, over, "
            "just over, fewer than, less than, under, just under, up to, no more than, "
            "no fewer than",
        ),
        (
            "data/report.yml",
            "url: https://example.org/urban-trees",
            "url: example.org/urban-trees",
            "data/report.yml:17:6: 'url': 'example.org/urban-trees' is not an http(s) or mailto "
            "address",
        ),
        (
            "data/recommendations.yml",
            "  addresses:\n    - finding-watering\n    - finding-volunteers\n",
            "  addresses: []\n",
            "data/recommendations.yml:17:14: 'addresses' needs at least 1 item(s)",
        ),
        (
            "data/glossary.yml",
            "UHI: Urban",
            "U H I: Urban",
            "data/glossary.yml:2:1: 'U H I' is not a glossary term: use letters, digits, & . - /",
        ),
    ],
)
def test_value_not_allowed(mini: Path, relative: str, old: str, new: str, expected: str) -> None:
    edit(mini, relative, old, new)
    assert lines(mini) == [expected]


def test_statistic_with_both_value_and_columns(mini: Path) -> None:
    edit(mini, "data/statistics.yml", "  chart: bar", "  chart: bar\n  value: 3")
    assert lines(mini) == [
        "data/statistics.yml:21:3: 'value' belongs to a single figure, but this statistic is a "
        "table (it has columns): a statistic is either a single figure (value, unit, qualifier) "
        "or a table (columns, rows, chart)",
    ]


def test_single_figure_with_a_chart(mini: Path) -> None:
    edit(mini, "data/statistics.yml", "  key: true", "  key: true\n  chart: bar")
    assert lines(mini) == [
        "data/statistics.yml:9:3: 'chart' belongs to a table, but this statistic has no columns: "
        "a statistic is either a single figure (value, unit, qualifier) or a table "
        "(columns, rows, chart)",
    ]


# --- semantic checks --------------------------------------------------------------------------


def test_duplicate_id_across_files(mini: Path) -> None:
    edit(mini, "data/quotes.yml", "- id: quote-watering", "- id: finding-watering")
    assert lines(mini) == [
        "data/findings.yml:23:7: unknown quote 'quote-watering'; known quotes: quote-cool-street",
        "data/quotes.yml:6:3: warning: quote 'finding-watering' is not used: list it in a "
        "finding's evidence or cross-reference it, or delete it",
        "data/quotes.yml:6:7: 'finding-watering' is not a valid quote id: ids look like "
        "'quote-some-words' (lower-case ASCII letters, digits, single hyphens)",
        "data/quotes.yml:6:7: duplicate id 'finding-watering' (first at data/findings.yml:17:7); "
        "ids are unique across the whole briefing: rename one",
    ]


def test_duplicate_id_in_one_file(mini: Path) -> None:
    edit(mini, "data/themes.yml", "- id: theme-care", "- id: theme-shade")
    assert lines(mini)[-1] == (
        "data/themes.yml:6:7: duplicate id 'theme-shade' (first at data/themes.yml:2:7); "
        "ids are unique across the whole briefing: rename one"
    )


def test_dangling_theme(mini: Path) -> None:
    edit(
        mini,
        "data/findings.yml",
        "  theme: theme-care\n  title: Young",
        "  theme: theme-cares\n  title: Young",
    )
    assert lines(mini) == [
        "data/findings.yml:18:10: unknown theme 'theme-cares'; "
        "did you mean 'theme-care' or 'theme-shade'?",
    ]


def test_dangling_evidence(mini: Path) -> None:
    edit(
        mini,
        "data/findings.yml",
        "    - quote-watering",
        "    - quote-waterin\n    - stat-tree-count",
    )
    assert lines(mini) == [
        "data/findings.yml:23:7: unknown quote 'quote-waterin'; did you mean 'quote-watering'?",
        "data/findings.yml:24:7: unknown statistic 'stat-tree-count'; "
        "known statistics: stat-canopy-by-district, stat-want-more-trees",
        "data/quotes.yml:6:3: warning: quote 'quote-watering' is not used: list it in a "
        "finding's evidence or cross-reference it, or delete it",
    ]


def test_dangling_addresses(mini: Path) -> None:
    edit(mini, "data/recommendations.yml", "    - finding-volunteers", "    - finding-volunteer")
    assert lines(mini) == [
        "data/recommendations.yml:19:7: unknown finding 'finding-volunteer'; did you mean "
        "'finding-volunteers' or 'finding-watering' or 'finding-hot-streets'?",
    ]


def test_table_row_length_mismatch(mini: Path) -> None:
    edit(mini, "data/statistics.yml", "[East, 12]", "[East, 12, 4]")
    edit(mini, "data/statistics.yml", "[South, 18]", "[South]")
    assert lines(mini) == [
        "data/statistics.yml:18:7: this row has 3 value(s) but the table has 2 column(s) "
        "(District, Canopy cover (%)); give one value per column",
        "data/statistics.yml:19:7: this row has 1 value(s) but the table has 2 column(s) "
        "(District, Canopy cover (%)); give one value per column",
    ]


# --- citations and cross-references -----------------------------------------------------------


def test_unknown_citation_key_in_a_block_scalar(mini: Path) -> None:
    edit(
        mini,
        "data/findings.yml",
        "benefit of street trees [@greenfield2021].",
        "benefit of street trees\n    [@greenfield2012]. See also [@oke2017; @oke2071, p. 3].",
    )
    assert lines(mini) == [
        "data/findings.yml:7:5: unknown citation key 'greenfield2012'; "
        f"did you mean 'greenfield2021'? {FIXED_KEY}",
        "data/findings.yml:7:33: unknown citation key 'oke2071'; "
        f"did you mean 'oke2017'? {FIXED_KEY}",
    ]


def test_unknown_citation_key_in_a_plain_scalar(mini: Path) -> None:
    edit(mini, "data/statistics.yml", "survey, 2025.", "survey, 2025 [@survey2025].")
    assert lines(mini) == [
        "data/statistics.yml:4:57: unknown citation key 'survey2025'; known references: "
        f"cityatlas2024, greenfield2021, oke2017 {FIXED_KEY}",
    ]


def test_unknown_citation_key_in_a_page(mini: Path) -> None:
    edit(mini, "docs/context.md", "[@oke2017, p. 4]", "[@oke2071, p. 4]")
    assert lines(mini) == [
        "docs/context.md:3:116: unknown citation key 'oke2071'; "
        f"did you mean 'oke2017'? {FIXED_KEY}",
    ]


def test_citation_in_an_indented_list_paragraph_is_checked(mini: Path) -> None:
    edit(mini, "docs/method.md", "[@greenfield2021, ch. 3]", "[@greenfeld2021, ch. 3]")
    assert lines(mini) == [
        "docs/method.md:7:45: unknown citation key 'greenfeld2021'; "
        f"did you mean 'greenfield2021'? {FIXED_KEY}",
    ]


def test_citations_inside_code_are_not_reported(mini: Path) -> None:
    # The fixture's method page cites unknown keys and ids in code spans and code blocks.
    text = (mini / "docs" / "method.md").read_text(encoding="utf-8")
    for written in (
        "`[@nokey2020]`",
        "``[@another-missing]``",
        "[@missing2019]",
        "[@also-missing]",
    ):
        assert written in text
    edit(mini, "docs/context.md", "around them", "around them (`[@nokey]`, `@rec-nowhere`)")
    assert lines(mini) == []


def test_unknown_cross_reference(mini: Path) -> None:
    edit(mini, "docs/context.md", "@rec-plant-hot-streets,", "@rec-plant-hot-street,")
    edit(mini, "docs/context.md", "][theme-shade]", "][theme-shady]")
    edit(mini, "data/themes.yml", "have none.", "have none (@finding-hot-street).")
    assert lines(mini) == [
        "data/themes.yml:5:78: unknown finding 'finding-hot-street'; "
        "did you mean 'finding-hot-streets' or 'finding-volunteers'?",
        "docs/context.md:5:27: unknown recommendation 'rec-plant-hot-street'; "
        "did you mean 'rec-plant-hot-streets'?",
        "docs/context.md:5:63: unknown theme 'theme-shady'; did you mean 'theme-shade' or "
        "'theme-care'?",
    ]


def test_citing_an_item_id(mini: Path) -> None:
    edit(mini, "docs/context.md", "trees@example.org.", "trees@example.org [@rec-watering-rota].")
    assert lines(mini) == [
        "docs/context.md:7:55: '[@rec-watering-rota]' cites 'rec-watering-rota', which is an "
        "item id, not a reference: write @rec-watering-rota without brackets to "
        "cross-reference it",
    ]


def test_email_addresses_and_handles_are_plain_text(mini: Path) -> None:
    edit(
        mini,
        "docs/context.md",
        "trees@example.org.",
        "trees@example.org, rec-x@example.org or @riverside.",
    )
    assert lines(mini) == []


# --- references.bib ---------------------------------------------------------------------------


BROKEN_ENTRY = "\n@misc{broken2020,\n  title = {Never closed,\n  year  = {2020}\n"
EXTRA_ENTRY = "\n@book{{{key},\n  title = {{Another Book}},\n  year  = {{2020}}\n}}\n"


def test_bibtex_parse_failure(mini: Path) -> None:
    edit(mini, "references.bib", "@book{greenfield2021,", BROKEN_ENTRY + "\n@book{greenfield2021,")
    assert lines(mini) == [
        "references.bib:22:1: this BibTeX entry 'broken2020' cannot be read: Unexpected block "
        "start: `@book`. Was still looking for field-value closing `}`; check its braces, quotes "
        "and the commas between fields",
    ]


def test_unreadable_cited_entry_is_reported_once(mini: Path) -> None:
    edit(mini, "references.bib", "@book{greenfield2021,", "@book{greenfield2021,\n  note = {x,")
    found = lines(mini)
    assert any("this BibTeX entry 'greenfield2021' cannot be read" in line for line in found)
    assert not any("unknown citation key 'greenfield2021'" in line for line in found)


def test_bibtex_repeated_field(mini: Path) -> None:
    # The entry is still read, so citing it raises nothing more.
    edit(
        mini,
        "references.bib",
        "  year      = {2021}",
        "  year      = {2021},\n  year      = {2022}",
    )
    assert lines(mini) == [
        "references.bib:21:1: entry 'greenfield2021' repeats 'year'; keep one of each"
    ]


def test_duplicate_bibtex_key(mini: Path) -> None:
    write(
        mini,
        "references.bib",
        (mini / "references.bib").read_text() + EXTRA_ENTRY.format(key="oke2017"),
    )
    assert lines(mini) == [
        "references.bib:29:1: duplicate BibTeX key 'oke2017' (first at line 1); "
        "give each work its own key or delete the copy",
    ]


def test_reserved_prefix_bibtex_key(mini: Path) -> None:
    write(
        mini,
        "references.bib",
        (mini / "references.bib").read_text() + EXTRA_ENTRY.format(key="stat-book"),
    )
    edit(mini, "docs/context.md", "trees@example.org.", "trees@example.org [@stat-book].")
    assert lines(mini) == [
        "references.bib:29:1: BibTeX key 'stat-book' starts with 'stat-', which is kept for "
        "briefing ids; rename the key (e.g. without the prefix)",
    ]


def test_bibtex_entry_without_title(mini: Path) -> None:
    edit(mini, "references.bib", "  title     = {Shade: A Short History of Street Trees},\n", "")
    assert lines(mini) == [
        "references.bib:21:1: entry 'greenfield2021' has no title; add `title = {...}`",
    ]


# --- files --------------------------------------------------------------------------------------


def test_missing_report(mini: Path) -> None:
    (mini / "data" / "report.yml").unlink()
    assert lines(mini) == ["data/report.yml:1:1: missing: every briefing needs data/report.yml"]


def test_other_data_files_are_optional(mini: Path) -> None:
    for name in ("glossary", "quotes"):
        (mini / "data" / f"{name}.yml").unlink()
    edit(mini, "data/findings.yml", "    - quote-cool-street\n", "")
    edit(mini, "data/findings.yml", "  evidence:\n    - quote-watering\n", "")
    assert lines(mini) == []


def test_unreadable_findings_are_reported_once(mini: Path) -> None:
    # Neither "unknown finding" for each recommendation nor "not used" for each quote.
    edit(
        mini,
        "data/findings.yml",
        "  theme: theme-care\n  title: Residents",
        "\ttheme: theme-care\n  title: Residents",
    )
    assert lines(mini) == [
        "data/findings.yml:25:1: a tab is used for indentation; YAML indents with spaces only: "
        "replace the tab with spaces",
    ]


# --- warnings -----------------------------------------------------------------------------------


def test_unused_quote(mini: Path) -> None:
    edit(mini, "data/findings.yml", "  evidence:\n    - quote-watering\n", "")
    result = validate(mini)
    assert result.errors == []
    assert [str(p) for p in result.warnings] == [
        "data/quotes.yml:6:3: warning: quote 'quote-watering' is not used: list it in a "
        "finding's evidence or cross-reference it, or delete it",
    ]


def test_unused_statistic(mini: Path) -> None:
    edit(mini, "data/statistics.yml", "  key: true\n", "")
    edit(mini, "data/findings.yml", "    - stat-want-more-trees\n", "")
    edit(mini, "data/report.yml", " (@stat-want-more-trees)", "")
    assert lines(mini) == [
        "data/statistics.yml:2:3: warning: statistic 'stat-want-more-trees' is not used: list it "
        "in a finding's evidence, cross-reference it or mark it `key: true`, or delete it",
    ]


def test_uncited_reference(mini: Path) -> None:
    edit(mini, "docs/method.md", " [@cityatlas2024]", "")
    edit(mini, "data/statistics.yml", " [@cityatlas2024]", "")
    edit(mini, "data/recommendations.yml", "@cityatlas2024; ", "")
    assert lines(mini) == [
        "references.bib:12:1: warning: reference 'cityatlas2024' is never cited: cite it with "
        "[@cityatlas2024] or delete it",
    ]


def test_near_miss_cross_reference(mini: Path) -> None:
    edit(
        mini, "docs/context.md", "trees@example.org.", "trees@example.org; see @Rec-watering-rota."
    )
    edit(mini, "data/themes.yml", "have none.", "have none (@theme_care).")
    assert lines(mini) == [
        "data/themes.yml:5:78: warning: '@theme_care' looks like a cross-reference but ids are "
        "lower-case with hyphens, e.g. '@theme-care'; write it that way, or put it in `code` if "
        "it is meant literally",
        "docs/context.md:7:60: warning: '@Rec-watering-rota' looks like a cross-reference but ids "
        "are lower-case with hyphens, e.g. '@rec-watering-rota'; write it that way, or put it in "
        "`code` if it is meant literally",
    ]


# --- one run, every problem ---------------------------------------------------------------------


def test_all_problems_of_a_file_in_one_run(mini: Path) -> None:
    edit(mini, "data/recommendations.yml", "status: accepted", "status: done")
    edit(mini, "data/recommendations.yml", "    - finding-volunteers", "    - finding-volunteer")
    edit(mini, "data/recommendations.yml", 'date: "2025-09-01"', 'date: "2025-9-1"')
    assert lines(mini) == [
        "data/recommendations.yml:19:7: unknown finding 'finding-volunteer'; did you mean "
        "'finding-volunteers' or 'finding-watering' or 'finding-hot-streets'?",
        "data/recommendations.yml:23:11: 'status': 'done' is not one of: proposed, accepted, "
        "in-progress, implemented, declined",
        "data/recommendations.yml:25:13: 'date': '2025-9-1' is not a date; write \"YYYY-MM-DD\" "
        'or "YYYY-MM"',
    ]


def test_all_problems_of_all_files_in_one_run(mini: Path) -> None:
    edit(mini, "data/themes.yml", "  title: Caring", "  title: Care\n  title: Caring")
    edit(mini, "data/quotes.yml", "  context:", "  contxt:")
    edit(mini, "references.bib", "@book{greenfield2021,", "@book{rec-greenfield2021,")
    edit(mini, "docs/context.md", "[@oke2017, p. 4]", "[@oke2071, p. 4]")
    result = validate(mini)
    assert [f"{p.path}:{p.line}" for p in result.errors] == [
        "data/findings.yml:6",
        "data/quotes.yml:5",
        "data/report.yml:10",
        "data/themes.yml:8",
        "docs/context.md:3",
        "docs/context.md:3",
        "docs/method.md:7",
        "references.bib:21",
    ]
    assert [f"{p.path}:{p.line}" for p in result.warnings] == ["references.bib:21"]


# --- the command line -------------------------------------------------------------------------


def run_cli(*args: str, github: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env["PYTHONPATH"] = str(ROOT / "hooks")
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "briefing", "validate", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def test_cli_clean_briefing_exits_zero() -> None:
    done = run_cli(str(MINI))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("0 error(s), 0 warning(s) in ")


def test_cli_real_briefing_is_strictly_clean() -> None:
    done = run_cli("--strict", str(ROOT))
    assert done.returncode == 0, done.stderr


def test_cli_errors_exit_one_with_lines_and_no_traceback(mini: Path) -> None:
    edit(mini, "data/themes.yml", "  title: Caring", "  title: Care\n  title: Caring")
    edit(mini, "docs/context.md", "[@oke2017, p. 4]", "[@oke2071, p. 4]")
    done = run_cli(str(mini))
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[:-1] == lines(mini)
    assert len(lines(mini)) == 2
    assert done.stderr.splitlines()[-1].startswith("2 error(s), 0 warning(s) in ")


def test_cli_survives_the_worst_input(mini: Path) -> None:
    write(mini, "data/report.yml", b"\xff\xfe\x00garbage")
    write(mini, "references.bib", b"@article{")
    write(mini, "data/glossary.yml", billion_laughs())
    done = run_cli(str(mini))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "data/report.yml:1:1: the file starts with a UTF-16 byte-order mark" in done.stderr


def test_cli_strict_fails_on_warnings(mini: Path) -> None:
    edit(mini, "data/findings.yml", "  evidence:\n    - quote-watering\n", "")
    warning = (
        "data/quotes.yml:6:3: warning: quote 'quote-watering' is not used: list it in a "
        "finding's evidence or cross-reference it, or delete it"
    )
    lenient = run_cli(str(mini))
    assert lenient.returncode == 0
    assert lenient.stderr.splitlines()[0] == warning
    strict = run_cli("--strict", str(mini))
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == warning
    assert strict.stderr.splitlines()[1].startswith("0 error(s), 1 warning(s) in ")


def test_cli_github_annotations(mini: Path) -> None:
    edit(mini, "data/themes.yml", "  title: Caring", "  title: Care\n  title: Caring")
    edit(mini, "data/findings.yml", "  evidence:\n    - quote-watering\n", "")
    done = run_cli(str(mini), github=True)
    assert done.returncode == 1
    assert done.stderr.splitlines()[:-1] == [
        "data/quotes.yml:6:3: warning: quote 'quote-watering' is not used: list it in a "
        "finding's evidence or cross-reference it, or delete it",
        "::warning file=data/quotes.yml,line=6,col=3::quote 'quote-watering' is not used: list "
        "it in a finding's evidence or cross-reference it, or delete it",
        "data/themes.yml:8:3: duplicate key 'title' (first at line 7); a key may appear once in "
        "a mapping: keep one and delete the other",
        "::error file=data/themes.yml,line=8,col=3::duplicate key 'title' (first at line 7); a "
        "key may appear once in a mapping: keep one and delete the other",
    ]


def test_cli_without_github_actions_prints_no_annotations(mini: Path) -> None:
    edit(mini, "data/themes.yml", "  title: Caring", "  title: Care\n  title: Caring")
    done = run_cli(str(mini))
    assert "::error" not in done.stderr


def test_missing_comma_between_bibtex_fields(mini: Path) -> None:
    # BibTeX readers take the next field into this one's value: the publisher would be lost.
    edit(mini, "references.bib", "Street Trees},\n", "Street Trees}\n")
    assert lines(mini) == [
        "references.bib:23:1: entry 'greenfield2021': the value of 'title' runs on into "
        "`publisher = {Example Press}`; a comma is missing after it: add one at the end of "
        "line 23",
    ]


@pytest.mark.parametrize(
    "value",
    [
        "{{HSST} b = c}",  # a title with braces and an equals sign in it
        "{A} # { and B}",  # concatenation
        '"Quoted, with {braces}"',
        "{Proof that P = NP}",
        "2021",
    ],
)
def test_values_that_only_look_like_a_missing_comma(value: str) -> None:
    text = f"@book{{k,\n  title = {value},\n  year = 2020\n}}\n"
    references, problems = bib.parse("references.bib", text.encode())
    assert problems == [] and "k" in references


@pytest.mark.parametrize(
    ("entry", "line"),
    [
        ("@book{k,\n  title = {T}\n  year = {2020}\n}", 2),
        ('@book{k,\n  title = "T"\n  year = 2020\n}', 2),
        ("@book{k,\n  title = {T},\n  year = 2020 author = {A}\n}", 3),
        ("@book{k, title = {Two\n  lines} note = {x}}", 2),
    ],
)
def test_missing_comma_is_placed_where_the_value_ends(entry: str, line: int) -> None:
    _, problems = bib.parse("references.bib", entry.encode())
    assert [(p.line, "a comma is missing" in p.message) for p in problems] == [(line, True)]

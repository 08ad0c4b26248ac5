"""Every kind of mistake the checks name, each with its exact `path:line:column: message`.

One mistake a row, written into a fresh copy of tests/fixtures/mini and validated in-process
(`validate`): the schema's messages for each rule (type, pattern, bounds, lengths, enums, a
figure's field on a table), the relations between items, citations, unused items, URLs in
references.bib, the flow-row comma hint, and the duplicate-id check on built pages
(`anchors.in_page`). `make mutate ARGS=checks` runs these; each row pins a branch that only
its wording or its place would otherwise show.
"""

# The tables hold each message whole, on one line, as the editor sees it.
# ruff: noqa: E501

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from pathlib import Path

import pytest
from briefing.checks import anchors, check_progress
from briefing.checks.validate import bibliography_is_shared, validate
from briefing.model import Span
from briefing.problems import BriefingError

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
EMPTY = "is empty; write its text or delete the field"
TABLE = "but this statistic is a table (it has columns): a statistic is either a single figure"
ROW = (
    "this row has {n} value(s) but the table has 2 column(s) (District, Canopy cover (%)); "
    "give one value per column"
)
FLOW = (
    "; the row is written in flow style ([...]), where a comma separates values, and this cell "
    'holds an unquoted comma: quote the cell: "{cell}"'
)
LARGE = (
    "is larger than a briefing's figures can be (at most 1,000,000,000,000,000 either side of "
    "0); check the number, or give it in a larger unit (millions, billions)"
)
ID_FORM = "(lower-case ASCII letters, digits, single hyphens)"
CYRILLIC_A = "it contains 'а' (U+0430 CYRILLIC SMALL LETTER A), which looks like the ASCII 'a'"


def project(tmp_path: Path, edits: list[tuple[str, str, str]], deleted: str | None = None) -> Path:
    """A copy of the mini briefing with each (file, old, new) edit made once, and the file
    `deleted` gone."""
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    for relative, old, new in edits:
        file = root / relative
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} is not once in {relative}"
        file.write_text(text.replace(old, new), encoding="utf-8")
    if deleted:
        (root / deleted).unlink()
    return root


def problems(root: Path, *, shared: bool = False) -> list[str]:
    return [str(p) for p in validate(root, shared_bibliography=shared).problems]


S, R, F = "data/statistics.yml", "data/report.yml", "data/findings.yml"
SCHEMA = [
    # the value's type, named in words, for a field, an entry of a list and a value in a row
    ("value-list", [(S, "value: 70", "value: [70]")], [f"{S}:5:10: 'value' must be a number, not a list"]),
    ("value-true", [(S, "value: 70", "value: true")], [f"{S}:5:10: 'value' must be a number, not true/false"]),
    ("value-null", [(S, "value: 70", "value:")], [f"{S}:5:9: 'value' must be a number, not empty"]),
    ("value-blank", [(S, "value: 70", "value: ''")], [f"{S}:5:10: 'value' must be a number, not empty text"]),
    ("value-text", [(S, "value: 70", "value: seventy")], [f"{S}:5:10: 'value' must be a number, not text"]),
    ("key-number", [(S, "key: true", "key: 3")], [f"{S}:8:8: 'key' must be true or false, not a number"]),
    ("key-text", [(S, "key: true", "key: 'yes'")], [f"{S}:8:8: 'key' must be true or false, not text"]),
    ("title-mapping", [("data/themes.yml", "title: Caring for Young Trees", "title: {a: b}")],
     ["data/themes.yml:7:10: 'title' must be text, not a mapping"]),
    ("author-list", [(R, "  - Ada Example", "  - [Ada, Example]")],
     [f"{R}:7:5: each entry of 'authors' must be text, not a list"]),
    ("cell-mapping", [(S, "- [North, 31]", "- [North, {a: 1}]")],
     [f"{S}:17:15: each value in 'rows' must be text or a number or empty, not a mapping"]),
    ("file-mapping", [("data/themes.yml", "- id: theme-shade", "x: 1\ny:\n- id: theme-shade")],
     ["data/themes.yml:2:1: data/themes.yml must be a list, not a mapping"]),
    ("entry-number", [("data/quotes.yml", "- id: quote-watering", "- 12\n- id: quote-watering")],
     ["data/quotes.yml:6:3: each entry of data/quotes.yml must be a mapping of 'field: value', not a number"]),
    # patterns: ids of each kind, dates, addresses, DOIs, evidence
    ("stat-id", [(S, "id: stat-want-more-trees", "id: stat_want"), (F, "    - stat-want-more-trees\n", ""), (R, " (@stat-want-more-trees)", "")],
     [f"{S}:2:7: 'stat_want' is not a valid stat id: ids look like 'stat-some-words' {ID_FORM}"]),
    ("rec-id", [("data/recommendations.yml", "id: rec-watering-rota", "id: rec-Watering"), (R, " with @rec-watering-rota", "")],
     [f"data/recommendations.yml:13:7: 'rec-Watering' is not a valid rec id: ids look like 'rec-some-words' {ID_FORM}"]),
    ("theme-id", [("data/themes.yml", "id: theme-care", "id: theme-cаre")],
     [f"{F}:18:10: unknown theme 'theme-care'; did you mean 'theme-cаre' or 'theme-shade'?",
      f"{F}:25:10: unknown theme 'theme-care'; did you mean 'theme-cаre' or 'theme-shade'?",
      f"data/themes.yml:6:7: 'theme-cаre' is not a valid theme id: ids look like 'theme-some-words' {ID_FORM}; {CYRILLIC_A}"]),
    ("evidence-kind", [(F, "    - stat-canopy-by-district", "    - finding-watering")],
     [f"{F}:16:7: 'evidence': 'finding-watering' is not a quote or statistic id (quote-... or stat-...)"]),
    ("date", [(R, 'date: "2025-06"', 'date: "June 2025"')],
     [f"{R}:8:7: 'date': 'June 2025' is not a date; write \"YYYY-MM-DD\" or \"YYYY-MM\""]),
    ("url", [(R, "url: https://example.org/urban-trees", "url: ftp://example.org/x")],
     [f"{R}:17:6: 'url': 'ftp://example.org/x' is not an http(s) or mailto address"]),
    ("doi", [(R, "licence: CC BY 4.0", "licence: CC BY 4.0\ndoi: https://doi.org/10.1/x")],
     [f"{R}:17:6: doi: 'https://doi.org/10.1/x' is not a DOI such as 10.1234/abcd (no https://doi.org/)"]),
    ("blank-title", [("data/themes.yml", "title: Caring for Young Trees", 'title: "   "')],
     [f"data/themes.yml:7:10: 'title' {EMPTY}"]),
    ("empty-title", [("data/themes.yml", "title: Caring for Young Trees", 'title: ""')],
     [f"data/themes.yml:7:10: 'title' {EMPTY}"]),
    ("blank-column", [(S, "    - District", "    - ' '")], [f"{S}:14:7: each entry of 'columns' {EMPTY}"]),
    # bounds, lengths, enums, uniqueness, a figure's field on a table
    ("huge", [(S, "value: 70", "value: 1.0e+300")], [f"{S}:5:10: 'value': 1e+300 {LARGE}"]),
    ("huge-negative", [(S, "value: 70", "value: -123456789012345678901234567890")],
     [f"{S}:5:10: '-123456789012345678901234567890' has 29 significant digits, more than the 15 a figure keeps exactly; round it",
      f"{S}:5:10: 'value': -12345678901… (31 characters) {LARGE}"]),
    # a number is shown whole up to 24 characters, cut short from 25
    ("24-characters", [(S, "value: 70", "value: -12345678901234567890123")],
     [f"{S}:5:10: '-12345678901234567890123' has 23 significant digits, more than the 15 a figure keeps exactly; round it",
      f"{S}:5:10: 'value': -12345678901234567890123 {LARGE}"]),
    ("25-characters", [(S, "value: 70", "value: -123456789012345678901234")],
     [f"{S}:5:10: '-123456789012345678901234' has 24 significant digits, more than the 15 a figure keeps exactly; round it",
      f"{S}:5:10: 'value': -12345678901… (25 characters) {LARGE}"]),
    ("no-addresses", [("data/recommendations.yml", "  addresses:\n    - finding-watering\n    - finding-volunteers", "  addresses: []")],
     ["data/recommendations.yml:17:14: 'addresses' needs at least 1 item(s)"]),
    ("no-authors", [(R, "authors:\n  - Riverside Civic Trust, Green Spaces Group\n  - Ada Example", "authors: []")],
     [f"{R}:5:10: 'authors' needs at least 1 item(s)"]),
    ("twice", [(F, "  evidence:\n    - stat-canopy-by-district", "  evidence:\n    - stat-canopy-by-district\n    - stat-canopy-by-district")],
     [f"{F}:16:5: 'evidence' lists the same entry twice; keep one"]),
    ("chart", [(S, "chart: bar", "chart: pie")], [f"{S}:20:10: 'chart': 'pie' is not one of: bar"]),
    ("units-empty", [(S, "  chart: bar", "  chart: bar\n  units: {}")], [f"{S}:21:10: 'units': {{}} should be non-empty"]),
    ("unit-on-table", [(S, "  chart: bar", "  chart: bar\n  unit: '%'")],
     [f"{S}:21:3: 'unit' belongs to a single figure, {TABLE} (value, unit, qualifier) or a table (columns, rows, chart)"]),
    # glossary terms, required and unknown fields (with look-alike letters named)
    ("term", [("data/glossary.yml", "UHI: Urban Heat Island", "U*HI: Urban Heat Island")],
     ["data/glossary.yml:2:1: 'U*HI' is not a glossary term: use letters, digits, & . - /"]),
    ("term-lookalike", [("data/glossary.yml", "UHI: Urban Heat Island", "UНI!: Urban Heat Island")],
     ["data/glossary.yml:2:1: 'UНI!' is not a glossary term: use letters, digits, & . - /; it contains 'Н' (U+041D CYRILLIC CAPITAL LETTER EN), which looks like the ASCII 'H'"]),
    ("term-placed", [("data/glossary.yml", "NDVI: Normalised", "N*DVI: Normalised")],
     ["data/glossary.yml:3:1: 'N*DVI' is not a glossary term: use letters, digits, & . - /"]),
    # an unknown field and another mistake in one file: both, each at its place, in either order
    ("unknown-then-type", [("data/quotes.yml", "  context: Asked", "  colour: red\n  context: Asked"), ("data/quotes.yml", "  attribution: Survey respondent, East district", "  attribution: 12")],
     ["data/quotes.yml:5:3: unknown field 'colour'; allowed fields: attribution, context, id, note, text",
      "data/quotes.yml:9:16: 'attribution' must be text, not a number"]),
    ("type-then-unknown", [("data/quotes.yml", "  attribution: Survey respondent, North district", "  attribution: 12"), ("data/quotes.yml", "  attribution: Survey respondent, East district", "  attribution: Survey respondent, East district\n  colour: red")],
     ["data/quotes.yml:4:16: 'attribution' must be text, not a number",
      "data/quotes.yml:9:3: unknown field 'colour'; allowed fields: attribution, context, id, note, text"]),
    ("required", [("data/quotes.yml", "  attribution: Survey respondent, East district\n", "")],
     ["data/quotes.yml:6:3: missing required field 'attribution'; add `attribution: ...`"]),
    ("unknown-field", [("data/quotes.yml", "  attribution: Survey respondent, East district", "  attribution: Survey respondent, East district\n  attributіon: again\n  colour: red")],
     ["data/quotes.yml:9:3: unknown field 'attributіon' (did you mean 'attribution'?); it contains 'і' (U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I), which looks like the ASCII 'i'; allowed fields: attribution, context, id, note, text",
      "data/quotes.yml:10:3: unknown field 'colour'; allowed fields: attribution, context, id, note, text"]),
]  # fmt: skip


@pytest.mark.parametrize(("edits", "expected"), [c[1:] for c in SCHEMA], ids=[c[0] for c in SCHEMA])
def test_each_schema_rule_is_named_in_words(
    tmp_path: Path, edits: list[tuple[str, str, str]], expected: list[str]
) -> None:
    assert problems(project(tmp_path, edits)) == expected


RELATIONS = [
    ("xref-unknown", [("docs/context.md", "@stat-canopy-by-district.", "@stat-canopy-by-distric.")],
     ["docs/context.md:5:131: unknown statistic 'stat-canopy-by-distric'; did you mean 'stat-canopy-by-district'?"]),
    ("theme-unknown", [(F, "  theme: theme-shade\n  title: The hottest", "  theme: theme-shady\n  title: The hottest")],
     [f"{F}:11:10: unknown theme 'theme-shady'; did you mean 'theme-shade' or 'theme-care'?"]),
    ("cite-an-item", [("docs/context.md", "[@oke2017, p. 4]", "[@rec-plant-hot-streets]")],
     ["docs/context.md:3:116: '[@rec-plant-hot-streets]' cites 'rec-plant-hot-streets', which is an item id, not a reference: write @rec-plant-hot-streets without brackets to cross-reference it"]),
    ("cite-unknown", [("docs/context.md", "[@oke2017, p. 4]", "[@oke2071]")],
     ["docs/context.md:3:116: unknown citation key 'oke2071'; did you mean 'oke2017'? (add the work to references.bib or fix the key)"]),
    ("quote-unused", [(F, "    - quote-cool-street\n", "")],
     ["data/quotes.yml:2:3: warning: quote 'quote-cool-street' is not used: list it in a finding's evidence or cross-reference it, or delete it"]),
    ("bib-url", [("references.bib", "  url          = {https://example.org/tree-atlas},", "  URL          = {javascript:alert(1)},")],
     ["references.bib:17:3: entry 'cityatlas2024', field 'url': the URL 'javascript:alert(1)' is refused: 'javascript:' addresses are not allowed, only https:, http: and mailto:"]),
    ("bib-howpublished", [("references.bib", "  address   = {Riverside},", "  address   = {Riverside},\n  howpublished = {\\url{ftp://example.org/book}},")],
     ["references.bib:26:3: entry 'greenfield2021', field 'howpublished': the URL 'ftp://example.org/book' is refused: 'ftp:' addresses are not allowed, only https:, http: and mailto:"]),
    ("bib-url-blank", [("references.bib", "  url          = {https://example.org/tree-atlas},", "  url          = {  },")], []),
    ("forged-ids", [("docs/method.md", "# Method", '# Method {#ref-oke2017}\n\n<div id="rec-x">A</div>\n\nText {: #Theme-shade }\n\n`<p id="quote-in-code">`')],
     ["docs/method.md:1:10: the id 'ref-oke2017' is written here, but ids starting with 'ref-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id",
      "docs/method.md:3:1: the id 'rec-x' is written here, but ids starting with 'rec-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id (to link to the item, cross-reference it: @rec-x)",
      "docs/method.md:5:6: the id 'Theme-shade' is written here, but ids starting with 'theme-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id (to link to the item, cross-reference it: @Theme-shade)"]),
    # a flow row with a comma inside a cell: the hint quotes the cell; a value too many, a
    # quoted cell or a block row get the count alone
    ("comma-tight", [(S, "- [North, 31]", "- [Less than £20,000, 31]")],
     [f"{S}:17:8: " + ROW.format(n=3) + FLOW.format(cell="Less than £20,000")]),
    ("comma-two", [(S, "- [North, 31]", "- [Less than £20,000,000, 31]")],
     [f"{S}:17:8: " + ROW.format(n=4) + FLOW.format(cell="Less than £20,000,000")]),
    ("comma-words", [(S, "- [North, 31]", "- [North, East, 31]")],
     [f"{S}:17:8: " + ROW.format(n=3) + FLOW.format(cell="North, East")]),
    ("comma-tightest", [(S, "- [North, 31]", "- [North, East, 20,000]")],
     [f"{S}:17:15: " + ROW.format(n=4) + FLOW.format(cell="East, 20,000")]),
    ("comma-number-then-word", [(S, "- [North, 31]", "- [North, 31, East]")],
     [f"{S}:17:15: " + ROW.format(n=3) + FLOW.format(cell="31, East")]),
    ("comma-quoted-cell", [(S, "- [North, 31]", '- [North, "East, West", 31]')],
     [f"{S}:17:7: " + ROW.format(n=3)]),
    ("value-too-many", [(S, "- [North, 31]", "- [North, 31, 4]")], [f"{S}:17:7: " + ROW.format(n=3)]),
    ("quoted-too-many", [(S, "- [North, 31]", '- ["North, East", 31, 4]')], [f"{S}:17:7: " + ROW.format(n=3)]),
    ("block-row", [(S, "    - [North, 31]", "    - - North\n      - East\n      - 31")], [f"{S}:17:7: " + ROW.format(n=3)]),
    # two cuts as tight: the first is named; a quoted cell or a comment before the cut cell
    # does not hide it; a double quote in the cell is escaped in the hint
    ("comma-first-of-two", [(S, "- [North, 31]", "- [North,East,South]")],
     [f"{S}:17:8: " + ROW.format(n=3) + FLOW.format(cell="North,East")]),
    ("comma-after-a-quoted-cell", [(S, "- [North, 31]", '- ["North", 20,000]')],
     [f"{S}:17:17: " + ROW.format(n=3) + FLOW.format(cell="20,000")]),
    ("comma-after-a-comment", [(S, "- [North, 31]", "- [North, # a note\n      Less than £20,000]")],
     [f"{S}:18:7: " + ROW.format(n=3) + FLOW.format(cell="Less than £20,000")]),
    ("comma-double-quote", [(S, "- [North, 31]", '- [North "side", East, 31]')],
     [f"{S}:17:8: " + ROW.format(n=3) + FLOW.format(cell='North \\"side\\", East')]),
    # a key with a hyphen is still a key, not an item id
    ("cite-unknown-hyphenated", [("docs/context.md", "[@oke2017, p. 4]", "[@oke-2017]")],
     ["docs/context.md:3:116: unknown citation key 'oke-2017'; did you mean 'oke2017'? (add the work to references.bib or fix the key)"]),
    # the URL is placed in its own entry: not in the one before (on the line before), even
    # when it is on the entry's first line
    ("bib-url-on-the-entry-line", [("references.bib", "urban.2017.001}\n}\n\n@online{cityatlas2024,\n", "urban.2017.001},\n  url = {https://example.org/oke}}\n@online{cityatlas2024, url = {javascript:alert(1)},\n"), ("references.bib", "  url          = {https://example.org/tree-atlas},\n", "")],
     ["references.bib:11:24: entry 'cityatlas2024', field 'url': the URL 'javascript:alert(1)' is refused: 'javascript:' addresses are not allowed, only https:, http: and mailto:"]),
    # an inherited URL (crossref) is placed at the entry that inherits it, not at the next
    # entry's field (an indented @ starts an entry too)
    ("bib-url-inherited", [("references.bib", "  year      = {2021}\n}", "  year      = {2021}\n}\n@inbook{child2020, crossref = {parent2020}, title = {Child}, author = {Ash, Ann}}\n  @book{parent2020,\n  url = {javascript:alert(1)},\n  title = {Parent}, year = {2020}}\n")],
     ["references.bib:28:1: entry 'child2020', field 'url': the URL 'javascript:alert(1)' is refused: 'javascript:' addresses are not allowed, only https:, http: and mailto:",
      "references.bib:28:1: warning: reference 'child2020' is never cited: cite it with [@child2020] or delete it",
      "references.bib:30:3: entry 'parent2020', field 'url': the URL 'javascript:alert(1)' is refused: 'javascript:' addresses are not allowed, only https:, http: and mailto:"]),
    # an unquoted id in an attribute list
    ("forged-unquoted-id", [("docs/method.md", "# Method", "# Method\n\nText {: id=rec-x }")],
     ["docs/method.md:3:6: the id 'rec-x' is written here, but ids starting with 'rec-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id (to link to the item, cross-reference it: @rec-x)"]),
    # after an id of the editor's own; a hyphenated one; an unquoted value kept whole
    ("forged-after-an-own-id", [("docs/method.md", "# Method", '# Method\n\nText <span id="mine"></span> <span id="rec-plant-hot-streets"></span> <b id=Xrec-xY></b>')],
     ["docs/method.md:3:30: the id 'rec-plant-hot-streets' is written here, but ids starting with 'rec-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id (to link to the item, cross-reference it: @rec-plant-hot-streets)"]),
    # a tag that starts where a code span ends, and ends where another begins
    ("forged-between-code-spans", [("docs/method.md", "# Method", '# Method\n\nText `a`<b id="rec-x">`c` more')],
     ["docs/method.md:3:9: the id 'rec-x' is written here, but ids starting with 'rec-' belong to the briefing's items, references, citations and glossary terms, and links to them would land here instead; choose another id (to link to the item, cross-reference it: @rec-x)"]),
    # the report's own address is checked like every other
    ("report-url", [(R, "url: https://example.org/urban-trees", "url: javascript:alert(1)")],
     [f"{R}:17:6: 'url': 'javascript:alert(1)' is not an http(s) or mailto address"]),
    # ones the schema's pattern lets through, but a browser reads otherwise or not at all
    ("report-url-control", [(R, "url: https://example.org/urban-trees", 'url: "https://example.org/urban\\x01trees"')],
     [f"{R}:17:6: 'url': it contains a tab, a line break or a control character, which browsers remove"]),
    ("report-url-unreadable", [(R, "url: https://example.org/urban-trees", "url: https://[example.org")],
     [f"{R}:17:6: 'url': it is not a URL a browser can read"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("edits", "expected"), [c[1:] for c in RELATIONS], ids=[c[0] for c in RELATIONS]
)
def test_each_relation_and_reference_mistake_is_placed(
    tmp_path: Path, edits: list[tuple[str, str, str]], expected: list[str]
) -> None:
    assert problems(project(tmp_path, edits)) == expected


SPARE_STAT = "- id: stat-spare\n  title: Spare\n  source: A count.\n  value: 3\n  unit: '%'\n"
SPARE_WORK = (
    "\n@book{spare2020,\n  author = {Spare, Sam},\n  title = {Spare},\n  year = {2020}\n}\n"
)


SPARE_CHILD = (
    "\n@book{spare2020, author = {Spare, Sam}, title = {Spare}, xdata = {pubOne,PubTwo},\n"
    "  crossref = {Series}}\n"
    "@xdata{pubone, publisher = {Spare Press}}\n@xdata{pubtwo, location = {Leeds}}\n"
    "@book{series, title = {A Series}, year = {2020}}\n"
)


@pytest.mark.parametrize(
    ("file", "added", "shared", "expected"),
    [
        (S, SPARE_STAT, False, [f"{S}:21:3: warning: statistic 'stat-spare' is not used: list it in a finding's evidence, cross-reference it or mark it `key: true`, or delete it"]),
        (S, SPARE_STAT + "  key: true\n", False, []),
        ("references.bib", SPARE_WORK, False, ["references.bib:29:1: warning: reference 'spare2020' is never cited: cite it with [@spare2020] or delete it"]),
        ("references.bib", SPARE_WORK, True, []),
        # parents are cited through the entries that inherit from them (two xdata, a crossref),
        # named in any case
        ("references.bib", SPARE_CHILD, False, ["references.bib:29:1: warning: reference 'spare2020' is never cited: cite it with [@spare2020] or delete it"]),
    ],
    ids=["statistic", "key-statistic", "work", "work-in-a-shared-bibliography", "parents"],
)  # fmt: skip
def test_unused_items_are_warned_unless_kept_on_purpose(
    tmp_path: Path, file: str, added: str, shared: bool, expected: list[str]
) -> None:
    root = project(tmp_path, [])
    with (root / file).open("a", encoding="utf-8") as out:
        out.write(added)
    result = validate(root, shared_bibliography=shared)
    assert [str(p) for p in result.problems] == expected
    assert [str(p) for p in result.warnings] == expected
    assert result.errors == []
    assert result.checked() is result.briefing


NO_RECS = "unknown recommendation '{rec}'; there are no recommendations"
RECS_NAMED = [
    "data/report.yml:12:19: " + NO_RECS.format(rec="rec-plant-hot-streets"),
    "data/report.yml:12:102: " + NO_RECS.format(rec="rec-watering-rota"),
    "docs/context.md:5:27: " + NO_RECS.format(rec="rec-plant-hot-streets"),
]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, ["data/recommendations.yml:1:1: missing: every briefing needs data/recommendations.yml, a list of its recommendations (`- id: rec-...`, with title, text and addresses)", *RECS_NAMED]),
        ("# none yet\n[]\n", ["data/recommendations.yml:2:1: the briefing has no recommendations: list them here (`- id: rec-...`, with title, text and addresses)", *RECS_NAMED]),
        # unreadable: its one problem is that, not a missing file (nor what it would hold)
        ("- id: [rec-x\n", ["data/recommendations.yml:2:1: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got the end of the file"]),
    ],
    ids=["missing", "empty", "unreadable"],
)  # fmt: skip
def test_a_briefing_without_recommendations_is_told_why(
    tmp_path: Path, content: str | None, expected: list[str]
) -> None:
    root = project(tmp_path, [])
    recommendations = root / "data" / "recommendations.yml"
    if content is None:
        recommendations.unlink()
    else:
        recommendations.write_text(content, encoding="utf-8")
    assert problems(root) == expected


RECS = "data/recommendations.yml"


@pytest.mark.parametrize(
    ("edits", "append", "expected"),
    [
        # a placeholder the label cannot fill, named with those it can (or none)
        ([("data/labels.yml", "", 'recommendation: "Rec {nmber}"\nexecutive_summary: "Summary {x} {y}"\nrecommendation_title: "Rec {number}: {title} {x}"\n')], "",
         ["data/labels.yml:1:17: label 'recommendation' uses {nmber}, which it cannot fill; the values this label has: {number}",
          "data/labels.yml:2:20: label 'executive_summary' uses {x}, {y}, which it cannot fill; the values this label has: none",
          "data/labels.yml:3:23: label 'recommendation_title' uses {x}, which it cannot fill; the values this label has: {number}, {title}"]),
        # a day no calendar has: the month's days where there is a month of a year
        ([(RECS, '    - date: "2025-09-01"', '    - date: "0001-02-30"'), ("data/report.yml", 'date: "2025-06"', 'date: "0000-01-15"')], "",
         [f"{RECS}:25:13: 'date': '0001-02-30' is not a date: February 1 has 28 days",
          "data/report.yml:8:7: 'date': '0000-01-15' is not a date: no such day"]),
        # what is not a date or not an entry is the schema's to say; the calendar check is quiet
        ([(RECS, '    - date: "2025-09-01"', "    - date: 20250901"), ("data/report.yml", 'date: "2025-06"', "date: 2025")], "",
         [f"{RECS}:25:13: 'date' must be text, not a number", "data/report.yml:8:7: 'date' must be text, not a number"]),
        ([], "- just words\n", [f"{RECS}:31:3: each entry of {RECS} must be a mapping of 'field: value', not text"]),
    ],
    ids=["label-placeholders", "no-such-day", "dates-not-text", "an-entry-not-a-mapping"],
)  # fmt: skip
def test_labels_and_dates_the_schema_lets_through_are_placed(
    tmp_path: Path, edits: list[tuple[str, str, str]], append: str, expected: list[str]
) -> None:
    root = project(tmp_path, [e for e in edits if e[1]])
    for relative, _, content in (e for e in edits if not e[1]):
        (root / relative).write_text(content, encoding="utf-8")
    with (root / RECS).open("a", encoding="utf-8") as out:
        out.write(append)
    assert problems(root) == expected


STATS_HEAD = (
    "# yaml-language-server: $schema=../../../../hooks/briefing/schemas/statistics.schema.json\n"
)
NO_STAT = "unknown statistic '{s}'; there are no statistics"


@pytest.mark.parametrize(
    ("edits", "deleted", "expected"),
    [
        # units for a column the table does not have: a near name is suggested, or the columns
        ([(S, "    - [South, 18]\n  chart: bar", "    - [South, 18]\n  units:\n    Canopy cover (%): '%'\n    Canopy cuver (%): '%'\n    Trees: count\n  chart: bar")], None,
         [f"{S}:22:5: 'units' names 'Canopy cuver (%)', which is not a column of this table; did you mean 'Canopy cover (%)'?",
          f"{S}:23:5: 'units' names 'Trees', which is not a column of this table; known columns: Canopy cover (%), District"]),
        # an entry that is not a statistic does not hide a table's short row after it
        ([(S, STATS_HEAD, STATS_HEAD + "- just words\n"), (S, "    - [East, 12]", "    - [East]")], None,
         [f"{S}:2:3: each entry of {S} must be a mapping of 'field: value', not text",
          f"{S}:19:7: this row has 1 value(s) but the table has 2 column(s) (District, Canopy cover (%)); give one value per column"]),
        # nor a bad figure in a table after it
        ([(S, STATS_HEAD, STATS_HEAD + "- just words\n"), (S, "    - [East, 12]", "    - [East, .nan]")], None,
         [f"{S}:2:3: each entry of {S} must be a mapping of 'field: value', not text",
          f"{S}:19:14: '.nan' is not a figure a briefing can show: leave the cell empty (null), or quote it if it is meant as text"]),
        # rows without columns: the schema says so, the table check is quiet
        ([(S, "  columns:\n    - District\n    - Canopy cover (%)\n", "")], None,
         [f"{S}:9:3: missing required field 'unit'; add `unit: ...`",
          f"{S}:9:3: missing required field 'value'; add `value: ...`",
          f"{S}:13:3: 'rows' belongs to a table, but this statistic has no columns: a statistic is either a single figure (value, unit, qualifier) or a table (columns, rows, chart)",
          f"{S}:17:3: 'chart' belongs to a table, but this statistic has no columns: a statistic is either a single figure (value, unit, qualifier) or a table (columns, rows, chart)"]),
        # no statistics file at all: what names one is told there are none
        ([], S,
         [f"{F}:9:7: " + NO_STAT.format(s="stat-want-more-trees"),
          f"{F}:14:58: " + NO_STAT.format(s="stat-canopy-by-district"),
          f"{F}:16:7: " + NO_STAT.format(s="stat-canopy-by-district"),
          f"{R}:10:102: " + NO_STAT.format(s="stat-want-more-trees"),
          "docs/context.md:5:131: " + NO_STAT.format(s="stat-canopy-by-district")]),
    ],
    ids=["units-not-columns", "after-an-entry-not-a-mapping", "figure-after-an-entry-not-a-mapping", "rows-without-columns", "no-statistics-file"],
)  # fmt: skip
def test_each_table_mistake_is_placed(
    tmp_path: Path, edits: list[tuple[str, str, str]], deleted: str | None, expected: list[str]
) -> None:
    assert problems(project(tmp_path, edits, deleted=deleted)) == expected


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # a table's cells are figures too: digits a float cannot keep, YAML's .nan; quoted, text
        ([(S, "    - [North, 31]", "    - [North, 1234567890.123456789]"), (S, "    - [East, 12]", "    - [East, .nan]"), (S, "    - [South, 18]", '    - [South, "1e5"]')],
         [f"{S}:17:15: '1234567890.123456789' has 19 significant digits, more than the 15 a figure keeps exactly; round it",
          f"{S}:18:14: '.nan' is not a figure a briefing can show: leave the cell empty (null), or quote it if it is meant as text"]),
        ([(S, "    - [North, 31]", "    - [North, 1e5]")],
         [f"{S}:17:15: '1e5' is read as text, not as a number (YAML wants a decimal point before an exponent): write the number in full, or quote it if it is meant as text"]),
        # a look-alike letter in an id, then a capital: each is told, in the order written
        ([("docs/context.md", "@rec-plant-hot-streets, follows", "@rec-plant-hot-str\u0435ets, @Rec-plant-hot-streets, follows")],
         ["docs/context.md:5:27: '@rec-plant-hot-str\u0435ets' looks like a cross-reference but it contains '\u0435' (U+0435 CYRILLIC SMALL LETTER IE), which looks like the ASCII 'e'; ids are ASCII: write '@rec-plant-hot-streets'",
          "docs/context.md:5:51: warning: '@Rec-plant-hot-streets' looks like a cross-reference but ids are lower-case with hyphens, e.g. '@rec-plant-hot-streets'; write it that way, or put it in `code` if it is meant literally"]),
        # a figure's size: at least 0.0001 but 0; 15 significant digits are kept exactly
        ([(S, "value: 70", "value: -0.00001")],
         [f"{S}:5:10: '-0.00001' is smaller than a briefing's figures can be (0, or at least 0.0001 in size); give it in a smaller unit (per thousand, per million)"]),
        ([(S, "value: 70", "value: 0.0001")], []),
        ([(S, "value: 70", "value: 0")], []),
        ([(S, "value: 70", "value: 123456789012.345")], []),
    ],
    ids=["cells", "cell-exponent", "look-alikes", "too-small", "the-smallest", "zero", "fifteen-digits"],
)  # fmt: skip
def test_figures_in_cells_and_look_alike_ids_are_placed(
    tmp_path: Path, edits: list[tuple[str, str, str]], expected: list[str]
) -> None:
    assert problems(project(tmp_path, edits)) == expected


QUOTES, QUOTES_HEAD = "data/quotes.yml", STATS_HEAD.replace("statistics", "quotes")
FINDINGS_HEAD = STATS_HEAD.replace("statistics", "findings")
NO_FINDING = "unknown finding '{f}'; there are no findings"


@pytest.mark.parametrize(
    ("edits", "deleted", "expected"),
    [
        # what the schema refuses, or a file that is not there, hides no later mistake
        ([(QUOTES, QUOTES_HEAD, QUOTES_HEAD + "- just words\n"), (QUOTES, "- id: quote-watering", "- id: quote-cool-street")], None,
         [f"{F}:23:7: unknown quote 'quote-watering'; known quotes: quote-cool-street",
          f"{QUOTES}:2:3: each entry of {QUOTES} must be a mapping of 'field: value', not text",
          f"{QUOTES}:7:7: duplicate id 'quote-cool-street' (first at {QUOTES}:3:7); ids are unique across the whole briefing: rename one"]),
        ([(F, FINDINGS_HEAD, FINDINGS_HEAD + "- just words\n"), (F, "  theme: theme-care\n  title: Young", "  theme: theme-cure\n  title: Young")], None,
         [f"{F}:2:3: each entry of {F} must be a mapping of 'field: value', not text",
          f"{F}:19:10: unknown theme 'theme-cure'; did you mean 'theme-care' or 'theme-shade'?"]),
        ([(F, "    - quote-cool-street\n    - stat-want-more-trees", "    - 12\n    - theme-shade\n    - quote-cool-stret")], None,
         [f"{F}:8:7: each entry of 'evidence' must be text, not a number",
          f"{F}:9:7: 'evidence': 'theme-shade' is not a quote or statistic id (quote-... or stat-...)",
          f"{F}:10:7: unknown quote 'quote-cool-stret'; did you mean 'quote-cool-street'?",
          f"{QUOTES}:2:3: warning: quote 'quote-cool-street' is not used: list it in a finding's evidence or cross-reference it, or delete it"]),
        ([(F, "    - quote-cool-street\n", ""), (RECS, "- id: rec-watering-rota", "- id: rec-plant-hot-streets")], QUOTES,
         [f"{F}:22:7: unknown quote 'quote-watering'; there are no quotes",
          f"{RECS}:13:7: duplicate id 'rec-plant-hot-streets' (first at {RECS}:2:7); ids are unique across the whole briefing: rename one",
          f"{R}:12:102: unknown recommendation 'rec-watering-rota'; known recommendations: rec-plant-hot-streets"]),
        ([], F,
         [f"{QUOTES}:2:3: warning: quote 'quote-cool-street' is not used: list it in a finding's evidence or cross-reference it, or delete it",
          f"{QUOTES}:6:3: warning: quote 'quote-watering' is not used: list it in a finding's evidence or cross-reference it, or delete it",
          f"{RECS}:7:41: " + NO_FINDING.format(f="finding-shade-valued"),
          f"{RECS}:9:7: " + NO_FINDING.format(f="finding-shade-valued"),
          f"{RECS}:10:7: " + NO_FINDING.format(f="finding-hot-streets"),
          f"{RECS}:18:7: " + NO_FINDING.format(f="finding-watering"),
          f"{RECS}:19:7: " + NO_FINDING.format(f="finding-volunteers")]),
    ],
    ids=["duplicate-after-an-entry-not-a-mapping", "theme-after-an-entry-not-a-mapping", "evidence-after-bad-entries", "no-quotes-file", "no-findings-file"],
)  # fmt: skip
def test_ids_and_relations_are_checked_past_what_the_schema_refuses(
    tmp_path: Path, edits: list[tuple[str, str, str]], deleted: str | None, expected: list[str]
) -> None:
    assert problems(project(tmp_path, edits, deleted=deleted)) == expected


def test_a_key_a_shared_bibliography_lacks_is_found_near_in_the_docs_folder_given(
    tmp_path: Path,
) -> None:
    """A shared list is read in part; a key not in that part has the whole list read to
    suggest the nearest, and the pages are read from the same folder both times."""
    root = project(tmp_path, [("docs/context.md", "[@oke2017, p. 4]", "[@oke2071, p. 4]")])
    (root / "docs").rename(root / "pages")
    found = validate(root, root / "pages", shared_bibliography=True)
    assert [str(p) for p in found.problems] == [
        "pages/context.md:3:116: unknown citation key 'oke2071'; did you mean 'oke2017'? "
        "(add the work to references.bib or fix the key)"
    ]


def test_checked_raises_every_error_and_no_warning(tmp_path: Path) -> None:
    root = project(
        tmp_path, [(F, "    - quote-cool-street\n", ""), (S, "chart: bar", "chart: pie")]
    )
    result = validate(root)
    assert [p.severity for p in result.problems] == ["warning", "error"]
    with pytest.raises(BriefingError) as raised:
        result.checked()
    assert [str(p) for p in raised.value.problems] == [
        f"{S}:20:10: 'chart': 'pie' is not one of: bar"
    ]


@pytest.mark.parametrize(
    ("settings", "shared"),
    [({}, False), ({"bibliography": "own"}, False), ({"bibliography": "shared"}, True)],
)
def test_bibliography_setting(settings: dict[str, object], shared: bool) -> None:
    assert bibliography_is_shared(settings) is shared


@pytest.mark.parametrize("value", ["Shared", "", None, "both"])
def test_bibliography_setting_refuses_other_values(value: object) -> None:
    with pytest.raises(ValueError, match=rf"^{value!r} is not one of: own, shared$"):
        bibliography_is_shared({"bibliography": value})


# --- ids used twice in a built page ----------------------------------------------------------

PAGE = """<html><head><title id="t">x</title><script id="s">var a = '<b id="dup">';</script>
<style id="css">p#dup { }</style></head><body>
<!-- <i id="dup"> a comment -->
<div id="dup" class=x><p ID = 'dup'>text with id="dup" in it</p></div>
<span id=plain></span><a id="a&amp;b" href="#dup">link</a><a id='a&amp;b'></a>
<textarea id="area"><em id="plain"></em></textarea><img id="last"/>
</body></html>"""


def test_ids_of_a_built_page_skip_raw_text_and_comments() -> None:
    assert anchors.ids(PAGE) == [
        "t",
        "s",
        "css",
        "dup",
        "dup",
        "plain",
        "a&b",
        "a&b",
        "area",
        "last",
    ]
    assert anchors.duplicates(PAGE) == ["dup", "a&b"]
    assert anchors.duplicates('<p id="one"></p><p id="two"></p>') == []
    # unquoted values are taken whole, whatever letter they start with
    assert anchors.duplicates("<b id=Xab></b><i id=Xab></i><p id=q></p><p id='q'></p>") == [
        "Xab",
        "q",
    ]


def test_an_id_used_twice_is_placed_where_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text(
        "# Page\n\nSee the dup-list and\n\n## List {#dup}\n\nthe a&b mark\n", encoding="utf-8"
    )
    found = [str(p) for p in anchors.in_page(PAGE, tmp_path, "docs/page.md", "page/")]
    assert found == [
        "docs/page.md:5:11: the id 'dup' is given to more than one element of the built page "
        "'page/'; links to it land on the first: rename one of them",
        "docs/page.md:7:5: the id 'a&b' is given to more than one element of the built page "
        "'page/'; links to it land on the first: rename one of them",
    ]
    # not found as written, or the file unreadable: the file's first line; the home page is '/'
    elsewhere = [str(p) for p in anchors.in_page(PAGE, tmp_path, "docs/gone.md", "")]
    assert elsewhere == [
        "docs/gone.md:1:1: the id 'dup' is given to more than one element of the built page "
        "'/'; links to it land on the first: rename one of them",
        "docs/gone.md:1:1: the id 'a&b' is given to more than one element of the built page "
        "'/'; links to it land on the first: rename one of them",
    ]
    assert anchors.in_page("<p id='x'></p><p id='y'></p>", tmp_path, "docs/page.md", "") == []


def test_an_id_is_placed_on_its_line_when_the_page_starts_with_a_blank_line() -> None:
    assert anchors.place("dup", "\n## List {#dup}\n", "docs/page.md") == Span("docs/page.md", 2, 11)
    assert anchors.place("dup", "\n\nthe dup", "docs/page.md") == Span("docs/page.md", 3, 5)


def test_a_shared_bibliography_is_read_for_what_is_cited_and_whole_for_an_unknown_key(
    tmp_path: Path,
) -> None:
    """A shared list: only the cited works are read, unless a key is unknown; then the whole
    list is read, so the message can suggest the nearest key among all of them."""
    root = project(tmp_path, [])
    with (root / "references.bib").open("a", encoding="utf-8") as out:
        out.write(SPARE_WORK)
    cited = validate(root, shared_bibliography=True)
    assert cited.problems == ()
    assert sorted(cited.checked().references) == ["cityatlas2024", "greenfield2021", "oke2017"]
    own = validate(root)
    assert sorted(own.checked().references) == [
        "cityatlas2024",
        "greenfield2021",
        "oke2017",
        "spare2020",
    ]
    context = root / "docs" / "context.md"
    context.write_text(
        context.read_text(encoding="utf-8").replace("[@oke2017, p. 4]", "[@spare2021]"),
        encoding="utf-8",
    )
    unknown = validate(root, shared_bibliography=True)
    assert [str(p) for p in unknown.problems] == [
        "docs/context.md:3:116: unknown citation key 'spare2021'; did you mean 'spare2020'? "
        "(add the work to references.bib or fix the key)"
    ]
    assert unknown.briefing is not None
    assert sorted(unknown.briefing.references) == [
        "cityatlas2024",
        "greenfield2021",
        "oke2017",
        "spare2020",
    ]


KINDS = (
    "(published kinds: .md, .avif, .bib, .css, .csv, .docx, .epub, .gif, .ico, .jpeg, .jpg, "
    ".json, .odp, .ods, .odt, .pdf, .png, .pptx, .rtf, .tsv, .txt, .webp, .woff, .woff2, .xlsx)"
)


def test_the_docs_folder_and_the_theme_are_the_ones_given(tmp_path: Path) -> None:
    """Pages and published files come from the docs folder given (docs/ by default), and a
    file there may not take the place of one of the given theme's files."""
    root = project(tmp_path, [])
    (root / "docs" / "tool.exe").write_bytes(b"MZ")
    exe = f"tool.exe is not published with the site: files of kind .exe are not published {KINDS}"
    default = validate(root)
    assert [str(p) for p in default.problems] == [f"docs/tool.exe:1:1: {exe}"]
    assert sorted(default.sources.pages) == ["context.md", "method.md"]
    (root / "docs").rename(root / "pages")
    moved = validate(root, root / "pages")
    assert [str(p) for p in moved.problems] == [f"pages/tool.exe:1:1: {exe}"]
    assert sorted(moved.sources.pages) == ["context.md", "method.md"]
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "main.html").write_text("<p>theme</p>", encoding="utf-8")
    (root / "pages" / "tool.exe").unlink()
    (root / "pages" / "main.html").write_text("<p>x</p>", encoding="utf-8")
    themed = validate(root, root / "pages", theme=[theme])
    assert [str(p) for p in themed.problems] == [
        "pages/main.html:1:1: main.html would replace the theme's own file main.html on every "
        "page; rename it or move it to another folder"
    ]


def test_a_shared_work_mentioned_outside_a_citation_is_read_and_not_warned(
    tmp_path: Path,
) -> None:
    """A key written in code (`[@spare2020]`) is read from a shared list, as every key the
    texts mention is, and a shared list's uncited works are never warned about."""
    root = project(tmp_path, [])
    with (root / "references.bib").open("a", encoding="utf-8") as out:
        out.write(SPARE_WORK)
    method = root / "docs" / "method.md"
    method.write_text(
        method.read_text(encoding="utf-8") + "\nWritten `[@spare2020]` in code.\n",
        encoding="utf-8",
    )
    shared = validate(root, shared_bibliography=True)
    assert shared.problems == ()
    assert "spare2020" in shared.checked().references
    assert [str(p) for p in validate(root).problems] == [
        "references.bib:29:1: warning: reference 'spare2020' is never cited: cite it with "
        "[@spare2020] or delete it"
    ]


# --- "today" for the tracker's dates: the later of the editor's and UTC's -------------------


class _LocalDay(date):
    @classmethod
    def today(cls) -> _LocalDay:
        return cls(2026, 12, 1)  # 17:00 on 1 December at UTC-12 ...


class _Moment(datetime):
    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Moment:
        moment = cls(2026, 12, 2, 5, 0, tzinfo=UTC)  # ... is 05:00 on 2 December in UTC
        return moment if tz is not None else moment.astimezone(timezone(timedelta(hours=-12)))


def test_today_is_the_later_of_the_local_and_the_utc_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(check_progress, "date", _LocalDay)
    monkeypatch.setattr(check_progress, "datetime", _Moment)
    assert check_progress.today() == date(2026, 12, 2)

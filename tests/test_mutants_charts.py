"""What the rendering stage's charts, number formats, allow-list and numbering do that the
survivors of `make mutate` (stage rendering: charts, svgcheck, formats, numbering, citing)
showed no engine-only test checking; each test runs in-process, without a build.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from briefing import cache
from briefing.model import Statistic
from briefing.render import charts, svgcheck
from briefing.render.formats import Formats
from briefing.render.numbering import Backlink, CitedIn, Numbering, cited_in
from test_mutants_render import COSTS, LOSSES, NS, PAIRS


def _texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


# --- what charts.svg makes of a drawing: the prologue, the global style, the cache ----------


def _drawn_as(
    monkeypatch: pytest.MonkeyPatch, change: tuple[str, str], stat: Statistic = COSTS
) -> tuple[str, str]:
    """The inline SVG of matplotlib's real drawing of `stat`, and of that drawing changed by
    `change` (old, new), with the cache off."""
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    real = charts._draw(stat)
    assert real.count(change[0]) == 1
    expected = charts.svg(stat)
    changed = real.replace(*change)
    monkeypatch.setattr(charts, "_draw", lambda stat, formats: changed)
    return expected, charts.svg(stat)


def test_a_global_style_written_over_several_lines_is_still_removed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    style = "*{stroke-linejoin: round; stroke-linecap: butt}"
    expected, made = _drawn_as(monkeypatch, (style, style.replace("; ", ";\n  ")))
    assert made == expected


def test_a_drawing_is_cut_at_its_first_svg_tag_a_nested_svg_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nested = '<svg viewBox="0 0 1 1"></svg>'
    expected, made = _drawn_as(monkeypatch, ("</svg>", nested + "</svg>"))
    assert made == expected.removesuffix("</svg>") + nested + "</svg>"


def test_a_fresh_chart_refused_names_every_problem_separated_by_semicolons(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(charts.UnsafeChart) as raised:
        _drawn_as(monkeypatch, ("</svg>", "<script/><foreignObject/></svg>"))
    assert str(raised.value) == (
        "the chart of 'stat-costs' is not safe to embed: element <script>; element <foreignObject>"
    )


def test_a_cached_chart_drawn_again_replaces_the_entry_on_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next build (a new process, reading only the folder) finds the fresh drawing."""
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    fresh = charts.svg(COSTS)
    name = cache.key("chart", charts.cache_parts(COSTS))
    drawn = cache.shared().get("chart", name)
    cache.shared().put("chart", name, b"not svg")
    assert charts.svg(COSTS) == fresh
    assert cache.Cache(tmp_path / "cache").get("chart", name) == drawn


def test_charts_whose_categories_only_english_writes_alike_are_cached_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1.5 (a number) and "1.5" (text) are one category in English, two in French."""
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    numbers = replace(LOSSES, id="stat-a", columns=("Band", "Count"), rows=((1.5, 4), (2.5, 3)))
    words = replace(numbers, id="stat-b", rows=(("1.5", 4), ("2.5", 3)))
    french = Formats("fr_FR")
    assert _texts(charts.svg(numbers, french)) == ["1,5", "2,5", "4", "3", "Count"]
    assert _texts(charts.svg(words, french)) == ["1.5", "2.5", "4", "3", "Count"]


# --- how matplotlib is asked to draw: the height, the legend ----------------------------------


def test_a_chart_is_as_tall_as_its_categories_wrapped_lines() -> None:
    """Two categories of three and two lines: the panel's height is for five lines of text."""
    tall = replace(
        LOSSES,
        id="stat-tall",
        columns=("Group", "Count"),
        rows=(
            ("Clinical engineers in acute trusts and more besides", 4),  # 3 lines
            ("Medical physicists working in acute trusts today", 3),  # 2 lines
        ),
    )
    (view_box,) = re.findall(r'viewBox="([^"]*)"', charts.svg(tall))
    assert view_box == "0 0 508.559062 113.929656"  # 0.9 in higher than two one-line rows


def _legend(svg: str) -> list[tuple[str, str]]:
    """(y, words) of each legend entry of a chart of Men and Women."""
    return re.findall(r'y="([0-9.]+)"[^>]*>(Men|Women)</text>', svg)


def test_the_legend_sits_at_the_lower_right_wherever_the_longest_bars_are() -> None:
    first = replace(PAIRS, rows=((2022, 45, 55), (2023, 5, 6)))
    last = replace(PAIRS, rows=((2022, 5, 6), (2023, 45, 55)))  # bars under the lower right
    (view_box,) = re.findall(r'viewBox="0 0 [0-9.]+ ([0-9.]+)"', charts.svg(first))
    legend = _legend(charts.svg(first))
    assert [words for _, words in legend] == ["Men", "Women"]
    assert all(float(y) > float(view_box) / 2 for y, _ in legend)  # the lower half
    assert _legend(charts.svg(last)) == legend


def test_a_series_named_like_matplotlibs_hidden_label_keeps_its_legend_entry() -> None:
    stat = replace(PAIRS, columns=("Year", "_nolegend_", "Women"))
    assert _texts(charts.svg(stat)) == [
        *("2022", "2023", "40", "45", "60", "55"),
        *("_nolegend_", "Women"),
    ]
    fills = re.findall(r'style="fill: (#[0-9a-f]{6})"', charts.svg(stat))
    assert fills[-2:] == [charts.PALETTE[0], charts.PALETTE[1]]  # the legend's two swatches


# --- the series of a table --------------------------------------------------------------------


def test_a_table_of_one_column_has_no_categories_and_no_series() -> None:
    one = replace(LOSSES, columns=("Year",), rows=((2022,), (2023,)))
    assert charts.series(one) == ([], [])


def test_short_rows_give_an_empty_category_and_missing_values() -> None:
    """A Statistic built in code (the checks refuse a row shorter than its table)."""
    short = replace(LOSSES, columns=("Group", "Count"), rows=(("A", 4), (), ("B",)))
    assert charts.series(short) == (
        ["A", "", "B"],
        [charts.Series("Count", "Count", None, (4.0, None, None))],
    )


def test_every_numeric_column_is_a_series_after_a_text_one_and_empty_cells() -> None:
    table = replace(
        LOSSES,
        columns=("Group", "Notes", "Rate (%)", "Count"),
        rows=(("A", "new", 4, None), ("B", "old", "", 2.5)),
    )
    assert charts.series(table) == (
        ["A", "B"],
        [
            charts.Series("Rate (%)", "Rate", "%", (4.0, None)),
            charts.Series("Count", "Count", None, (None, 2.5)),
        ],
    )


# --- a table column's unit, and numbers in the locale -----------------------------------------


def _first_column(*cells: object) -> Statistic:
    return replace(LOSSES, columns=("When", "Count"), rows=tuple((c, 1) for c in cells))


def test_a_first_column_of_years_with_empty_cells_is_still_years() -> None:
    stat = _first_column(2020, None, "", 2021)
    assert [Formats().cell(stat, 0, c) for c in (2020, 2021)] == ["2020", "2021"]


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        ((1000, 2999), ["1000", "2999"]),  # the bounds are years
        ((999, 2000), ["999", "2,000"]),
        ((2000, 3000), ["2,000", "3,000"]),
    ],
)
def test_a_first_column_is_years_only_from_1000_to_2999(
    cells: tuple[int, int], shown: list[str]
) -> None:
    stat = _first_column(*cells)
    assert [Formats().cell(stat, 0, c) for c in cells] == shown


def test_a_cell_past_the_last_column_is_a_plain_number() -> None:
    """A Statistic built in code (the checks refuse a row longer than its table): no column's
    unit, even the last column's, reaches it."""
    stat = replace(COSTS, columns=("Year", "XXXX"), units={"XXXX": "GBP"})
    assert [Formats().cell(stat, i, 1234) for i in (1, 2, 3)] == ["£1,234", "1,234", "1,234"]


def test_a_number_is_empty_for_none_as_written_for_a_boolean_and_never_rounded() -> None:
    formats = Formats()
    assert [formats.number(v) for v in (None, True, False)] == ["", "True", "False"]
    assert [formats.number(1.23456), Formats("fr_FR").number(1234.56789)] == [
        "1.23456",
        "1\u202f234,56789",
    ]


def test_a_qualifier_without_a_label_is_written_before_the_figure() -> None:
    """A qualifier outside the schema's list (each of those has its label)."""
    assert Formats().figure(17, "%", "give or take") == "give or take 17%"


# --- numbering: the pages citing a work --------------------------------------------------------


def test_each_citing_page_is_listed_once_with_its_first_citation_and_count() -> None:
    a1, b1, a2 = (
        Backlink("a.md", "cite-k-1", "A"),
        Backlink("b.md", "cite-k-1", "B"),
        Backlink("a.md", "cite-k-2", "A"),
    )
    assert cited_in([a1, b1, a2]) == [CitedIn(a1, 2), CitedIn(b1, 1)]


def test_a_numbering_names_the_pages_citing_a_work_and_none_for_a_work_never_cited() -> None:
    a1, a2 = Backlink("a.md", "cite-k-1", "A"), Backlink("a.md", "cite-k-2", "A")
    numbering = Numbering(backlinks={"k": (a1, a2)})
    assert numbering.cited_in("k") == [CitedIn(a1, 2)]
    assert numbering.cited_in("never") == []


# --- the allow-list: a clip-path's reference may hold what an id may --------------------------


def test_a_clip_path_to_an_id_with_a_colon_is_allowed() -> None:
    svg = f'<svg {NS}><g clip-path="url(#stat-x-a:1)"/><path fill="url(#stat-x-a:1)"/></svg>'
    assert svgcheck.problems(svg, "stat-x") == [
        "<path fill>: 'url(#stat-x-a:1)' holds characters no chart writes"
    ]

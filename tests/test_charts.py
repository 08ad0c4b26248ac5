"""Bar charts of `chart: bar` tables: inline SVG beside the table, accessible, in both schemes."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from briefing.checks.validate import validate
from briefing.model import Span, Statistic
from briefing.render import charts
from sitetools import ROOT, Site


def _stat(columns: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> Statistic:
    return Statistic(
        id="stat-example",
        title="An <example> & more",
        source=None,  # type: ignore[arg-type]
        value=None,
        unit=None,
        qualifier=None,
        columns=columns,
        rows=rows,
        chart="bar",
        key=False,
        note=None,
        span=Span("data/statistics.yml", 1, 1),
    )


SPECIALISMS = _stat(
    ("Specialism", "Responses", "Response rate (%)"),
    (("Radiotherapy", 43, 68), ("Nuclear Medicine", 26, 20), ("Magnetic Resonance", 19, None)),
)
SAME_UNIT = _stat(
    ("Year", "Men (%)", "Women (%)", "Note"), ((2020, 40, 60, "a"), (2021, 45, 55, "b"))
)


@pytest.mark.parametrize(
    ("stat", "labels", "units", "panels"),
    [
        (
            SPECIALISMS,
            ["Responses", "Response rate"],
            [None, "%"],
            [["Responses"], ["Response rate"]],
        ),
        (SAME_UNIT, ["Men", "Women"], ["%", "%"], [["Men", "Women"]]),
    ],
)
def test_series_and_panels(
    stat: Statistic, labels: list[str], units: list[str | None], panels: list[list[str]]
) -> None:
    categories, found = charts.series(stat)
    assert categories == [str(row[0]) for row in stat.rows]
    assert [s.label for s in found] == labels
    assert [s.unit for s in found] == units
    assert [[s.label for s in panel] for panel in charts.panels(found)] == panels


def test_only_bar_tables_with_numbers_are_charted() -> None:
    assert charts.has_chart(SPECIALISMS)
    assert not charts.has_chart(replace(SPECIALISMS, chart=None))
    words = _stat(("Band", "Meaning"), (("8a", "Entry"), ("9", "Top")))
    assert not charts.has_chart(words)


def test_description_reads_every_value() -> None:
    text = charts.describe(SPECIALISMS)
    assert text.startswith("2 bar charts of the table above.")
    assert "Radiotherapy: 43;" in text and "Radiotherapy: 68%;" in text
    assert "Magnetic Resonance: no value." in text


@pytest.mark.parametrize("stat", [SPECIALISMS, SAME_UNIT])
def test_svg_is_accessible_themeable_and_deterministic(stat: Statistic) -> None:
    svg = charts.svg(stat)
    assert svg == charts.svg(stat), "the same table draws the same bytes"
    opening = re.match(r"<svg\b[^>]*>", svg)
    assert opening is not None
    assert 'role="img"' in opening.group(0)
    assert 'aria-labelledby="stat-example-chart-title stat-example-chart-desc"' in opening.group(0)
    assert "width=" not in opening.group(0), "it scales with the column"
    assert '<title id="stat-example-chart-title">An &lt;example&gt; &amp; more</title>' in svg
    assert '<desc id="stat-example-chart-desc">' in svg
    assert "currentColor" in svg
    assert "#010203" not in svg and "#ffffff" not in svg, "no fixed ink or background"
    assert "<style" not in svg and "<metadata" not in svg and "<?xml" not in svg
    ids = re.findall(r'\sid="([^"]*)"', svg)
    assert len(ids) == len(set(ids))
    assert all(i.startswith("stat-example-chart-") for i in ids)
    for reference in re.findall(r'(?:url\(#|href="#)([^")]+)', svg):
        assert reference in ids
    assert not re.search(r"https?://(?!www\.w3\.org/)", svg)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", charts.PALETTE)
@pytest.mark.parametrize("background", ["#ffffff", "#1e2029"])  # Material's light and slate
def test_bar_colours_contrast_with_both_schemes(colour: str, background: str) -> None:
    light, dark = sorted((_luminance(colour), _luminance(background)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 3, "WCAG 1.4.11: 3:1 for graphics"


def test_embed_replaces_placeholders_once_each() -> None:
    page = f"<p>a</p>{charts.placeholder(SPECIALISMS)}<p>b</p>"
    embedded = charts.embed(page, [SPECIALISMS])
    assert embedded.startswith('<p>a</p><figure class="chart" id="stat-example-chart"><svg')
    assert embedded.endswith("</svg></figure><p>b</p>")
    assert charts.embed(page, []) == page
    swapped = '<div id="stat-example-chart" class="chart"></div>'
    assert "<svg" in charts.embed(swapped, [SPECIALISMS])


def test_survey_page_has_a_chart_after_each_bar_table(site: Site) -> None:
    survey = site.page("survey")
    charted = [s for s in validate(ROOT).checked().statistics if s.chart == "bar"]
    assert len(charted) == 2
    for stat in charted:
        table = survey.find(id=f"{stat.id}-table")
        assert table is not None
        figure = table.find_next_sibling()
        assert figure is not None and figure.name == "figure", stat.id
        assert figure["id"] == f"{stat.id}-chart"
        svg = figure.find("svg")
        assert svg is not None and svg["role"] == "img"
        title, desc = svg.find("title"), svg.find("desc")
        assert title is not None and title.get_text() == stat.title
        assert desc is not None and "bar chart" in desc.get_text().lower()
        labelled = str(svg["aria-labelledby"]).split()
        assert labelled == [str(title["id"]), str(desc["id"])]

"""Bar charts of the tables marked `chart: bar`, drawn at build time as accessible inline SVG.

Why inline SVG: text and axes are drawn in `currentColor`, so a chart follows the page's light
or dark scheme, stays sharp at any size, and its words are real text (searchable, read by
assistive technology through its `<title>` and `<desc>`). The table stays beside the chart:
the chart is a picture of the table, never the only way to the numbers.

The survey page carries a placeholder per chart (it survives HTML sanitising, which drops every
`<svg>` written in Markdown); `embed` swaps the trusted, generated SVG in afterwards.
"""

from __future__ import annotations

import html
import io
import math
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .. import cache
from ..model import Statistic
from . import svgcheck
from .formats import Formats, is_currency

_DEFAULT = Formats()

# Sentinel for text and axes, replaced by `currentColor` once matplotlib has written the SVG.
_INK = "#010203"
# Bar colours with at least 3:1 contrast (WCAG 1.4.11) on white and on Material's slate
# background (#1e2029), and telling apart for the common colour-vision deficiencies.
PALETTE = ("#2f7ed8", "#c46a00", "#1b8a5a", "#8a63d2", "#d1495b")
_UNIT = re.compile(r"^(?P<label>.*?)\s*\((?P<unit>[^()]+)\)\s*$")
_PLACEHOLDER = re.compile(
    r'<div (?:class="chart" id="(?P<a>[^"]+)-chart"|id="(?P<b>[^"]+)-chart" class="chart")>'
    r"\s*</div>"
)
_WIDTH = 6.4  # inches: about the width of Material's content column
_SALT = "briefing-charts"  # svg.hashsalt: the ids matplotlib derives stay the same every build


@dataclass(frozen=True)
class Series:
    """One numeric column: its name as written, its label and unit (from "Name (unit)")."""

    name: str
    label: str
    unit: str | None
    values: tuple[float | None, ...]

    def shown(self, value: float, formats: Formats = _DEFAULT) -> str:
        """A bar's value as the table would show it: money as money, in the locale."""
        if is_currency(self.unit):
            return formats.money(value, str(self.unit))
        return formats.number(value) + (self.unit if self.unit in ("%", "‰") else "")


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def series(stat: Statistic, formats: Formats = _DEFAULT) -> tuple[list[str], list[Series]]:
    """Categories (the first column) and one series per numeric column of a table."""
    if not stat.is_table or len(stat.columns) < 2:
        return [], []
    categories = [formats.cell(stat, 0, row[0]) if row else "" for row in stat.rows]
    found = []
    for index, name in enumerate(stat.columns[1:], start=1):
        cells = [row[index] if index < len(row) else None for row in stat.rows]
        present = [c for c in cells if c not in (None, "")]
        if not present or not all(_numeric(c) for c in present):
            continue
        match = _UNIT.match(name)
        label, unit = (match["label"], match["unit"]) if match else (name, None)
        unit = stat.units.get(name, unit)
        values = tuple(float(c) if _numeric(c) else None for c in cells)  # type: ignore[arg-type]
        found.append(Series(name, label, unit, values))
    return categories, found


def has_chart(stat: Statistic) -> bool:
    """Whether the statistic is a table marked `chart: bar` with at least one numeric column."""
    return stat.chart == "bar" and bool(series(stat)[1])


def chart_id(stat: Statistic) -> str:
    return f"{stat.id}-chart"


def placeholder(stat: Statistic) -> str:
    """What the survey page holds where the chart goes (see `embed`)."""
    return f'<div class="chart" id="{html.escape(chart_id(stat))}"></div>'


def panels(found: list[Series]) -> list[list[Series]]:
    """Series grouped by unit, in column order: one panel per unit, grouped bars within it.

    Two series in different units (responses and a response rate) never share an axis.
    """
    groups: dict[str | None, list[Series]] = {}
    for item in found:
        groups.setdefault(item.unit, []).append(item)
    return list(groups.values())


def describe(stat: Statistic, formats: Formats = _DEFAULT) -> str:
    """The chart's words for assistive technology: every value, as the table has them."""
    categories, found = series(stat, formats)
    words = formats.labels
    parts = []
    for item in found:
        values = "; ".join(
            f"{category}: "
            + (item.shown(value, formats) if value is not None else words("no_value"))
            for category, value in zip(categories, item.values, strict=True)
        )
        parts.append(
            f"{words('chart_series', series=item.name, category=stat.columns[0])} {values}."
        )
    count = len(panels(found))
    kind = words("chart_one") if count == 1 else words("chart_many", count=count)
    return f"{kind} " + " ".join(parts)


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, 26)) or label


def _draw(stat: Statistic, formats: Formats = _DEFAULT) -> str:
    """The chart as matplotlib writes it (SVG text, sentinel colours)."""
    import matplotlib as mpl  # imported here: only a build that draws charts pays for it
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure

    categories, found = series(stat, formats)
    groups = panels(found)
    columns = min(2, len(groups))
    rows = math.ceil(len(groups) / columns)
    bars = max(len(g) for g in groups)
    lines = sum(_wrap(c).count("\n") + 1 for c in categories)
    height_per_panel = 0.35 + max(lines * 0.2, len(categories) * max(0.32, bars * 0.22))
    with mpl.rc_context(
        {
            "svg.hashsalt": _SALT,
            "svg.fonttype": "none",  # text stays text: selectable, searchable, in the page's colour
            # Labels are data, drawn as written: "$10 to $20" is never read as math (mathtext)
            # or given to LaTeX.
            "text.parse_math": False,
            "text.usetex": False,
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Verdana", "Arial"],
            "font.size": 10,
            "text.color": _INK,
            "axes.labelcolor": _INK,
            "axes.edgecolor": _INK,
            "xtick.color": _INK,
            "ytick.color": _INK,
            "axes.facecolor": "none",
            "figure.facecolor": "none",
            "savefig.facecolor": "none",
            "savefig.edgecolor": "none",
        }
    ):
        figure = Figure(figsize=(_WIDTH, 0.2 + rows * height_per_panel))
        axes = figure.subplots(rows, columns, sharey=True, squeeze=False).flatten()
        positions = range(len(categories))
        colours = iter(PALETTE * len(found))
        for ax, group in zip(axes, groups, strict=False):
            thickness = 0.8 / len(group)
            for n, item in enumerate(group):
                offset = (n - (len(group) - 1) / 2) * thickness
                shown = [(i + offset, v) for i, v in zip(positions, item.values, strict=True)]
                drawn = [(y, v) for y, v in shown if v is not None]
                container = ax.barh(
                    [y for y, _ in drawn],
                    [v for _, v in drawn],
                    height=thickness * 0.9,
                    color=next(colours),
                    label=item.label,
                )
                ax.bar_label(
                    container, labels=[item.shown(v, formats) for _, v in drawn], padding=3
                )
            values = [v for item in group for v in item.values if v is not None]
            low, high = min(0.0, *values), max(0.0, *values)
            # Room after the longest bar for its label: money in words is longer than "68".
            longest = max(len(item.shown(v, formats)) for item in group for v in values)
            room = 1.15 + 0.035 * longest
            ax.set_xlim(low * room, high * room if high else 1)
            title = group[0].name if len(group) == 1 else (group[0].unit or "")
            ax.set_title(title, loc="left", fontsize=10, fontweight="bold")
            ax.set_yticks(list(positions), [_wrap(c) for c in categories])
            ax.tick_params(axis="y", length=0)
            ax.xaxis.set_visible(False)
            for side in ("top", "right", "bottom"):
                ax.spines[side].set_visible(False)
            if len(group) > 1:
                # Handles and labels given: a label starting with "_" is not hidden.
                handles = [c for c in ax.containers if isinstance(c, BarContainer)]
                labels = [item.label for item in group]
                ax.legend(handles, labels, frameon=False, loc="lower right", fontsize=9)
        for ax in axes[len(groups) :]:
            ax.set_visible(False)
        axes[0].invert_yaxis()  # first row at the top, as in the table
        buffer = io.StringIO()
        metadata: Mapping[str, None] = {"Date": None, "Creator": None, "Format": None, "Type": None}
        figure.savefig(buffer, format="svg", metadata=metadata, bbox_inches="tight")
    return buffer.getvalue()


_REFERENCED = re.compile(r'(?:url\(#|href="#)([^")]+)')
_ID = re.compile(r'\sid="([^"]*)"')


def _clean(svg: str, prefix: str, title: str, desc: str) -> str:
    """matplotlib's SVG made fit to inline in a page: no prologue or global style, ids unique
    in the page (prefixed; those nothing refers to dropped), colours from the page."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<defs>\s*<style[^>]*>.*?</style>\s*</defs>", "", svg, flags=re.S)
    referenced = set(_REFERENCED.findall(svg))

    def ident(match: re.Match[str]) -> str:
        name = match.group(1)
        return f' id="{prefix}-{name}"' if name in referenced else ""

    svg = _ID.sub(ident, svg)
    svg = re.sub(r'(url\(#|href="#)', rf"\g<1>{prefix}-", svg)
    svg = svg.replace(_INK, "currentColor")
    svg = re.sub(r"\s*\n\s*", "\n", svg).replace("\nL ", " L ").replace("\nz\n", " z")
    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    opening = re.match(r"<svg\b[^>]*>", svg)
    assert opening is not None
    view_box = re.search(r'viewBox="([^"]*)"', opening.group(0))
    assert view_box is not None
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view_box.group(1)}" class="chart-svg" role="img" '
        f'aria-labelledby="{title_id} {desc_id}">'
        f'<title id="{title_id}">{html.escape(title)}</title>'
        f'<desc id="{desc_id}">{html.escape(desc)}</desc>'
    )
    return head + svg[opening.end() :].strip()


def _checked(drawn: str, stat: Statistic, formats: Formats) -> tuple[str, list[str]]:
    """The SVG ready to inline, and what in it fails the allow-list (nothing, when safe)."""
    prefix = chart_id(stat)
    try:
        made = _clean(drawn, prefix, stat.title, describe(stat, formats))
    except (ValueError, AssertionError):  # not matplotlib's SVG at all
        return "", ["not an SVG document"]
    return made, svgcheck.problems(made, prefix)


def cache_parts(stat: Statistic, formats: Formats = _DEFAULT) -> tuple[str, str]:
    """What a drawn chart depends on: its numbers as shown, in the briefing's locale."""
    return (formats.locale, repr(series(stat, formats)))


class UnsafeChart(ValueError):
    """A freshly drawn chart failed the SVG allow-list (a bug, or a new matplotlib)."""


def svg(stat: Statistic, formats: Formats = _DEFAULT) -> str:
    """The chart of a `chart: bar` table as inline SVG, with a title and a description.

    matplotlib draws a chart only for numbers not drawn before (see `cache.py`); the numbers
    are keyed as shown, so another locale draws its own. Fresh or cached, the SVG passes the
    allow-list of `svgcheck`; a cached entry that fails is drawn again and replaced; a fresh
    one that fails raises UnsafeChart.
    """
    store, parts = cache.shared(), cache_parts(stat, formats)
    drawn = store.remember_text("chart", parts, lambda: _draw(stat, formats))
    made, found = _checked(drawn, stat, formats)
    if not found:
        return made
    fresh = _draw(stat, formats)
    made, found = _checked(fresh, stat, formats)
    if found:
        raise UnsafeChart(f"the chart of '{stat.id}' is not safe to embed: {'; '.join(found)}")
    store.put("chart", cache.key("chart", parts), fresh.encode("utf-8"))
    return made


def figure(stat: Statistic, formats: Formats = _DEFAULT) -> str:
    """The chart in its figure element, ready to take the placeholder's place."""
    chart = svg(stat, formats)
    return f'<figure class="chart" id="{html.escape(chart_id(stat))}">{chart}</figure>'


def embed(page_html: str, stats: Iterable[Statistic], formats: Formats = _DEFAULT) -> str:
    """`page_html` with each chart placeholder replaced by its chart (drawn once per build)."""
    charted = {s.id: s for s in stats if has_chart(s)}
    drawn: dict[str, str] = {}

    def chart(match: re.Match[str]) -> str:
        stat_id = match["a"] or match["b"]
        if stat_id not in charted:
            return match.group(0)
        if stat_id not in drawn:
            drawn[stat_id] = figure(charted[stat_id], formats)
        return drawn[stat_id]

    return _PLACEHOLDER.sub(chart, page_html)

"""The survey figures page: every statistic, its table and chart, and the quotes no theme
shows."""

from __future__ import annotations

import html

from ...model import Markdown, Statistic
from .. import charts
from ..resolve import PageLinks
from ..text import attr, md_escape, md_link
from .common import Common, present
from .paths import SURVEY, theme_page


def texts(c: Common) -> tuple[Markdown | str, ...]:
    texts = [t for s in c.b.statistics for t in (s.source, s.note)]
    stray = [q for q in c.b.quotes if q.id not in c.quote_home]
    return present(*texts, *c.quote_texts(stray, SURVEY, None))


def render(c: Common, linker: PageLinks) -> str:
    src, title = SURVEY, c.title(SURVEY)
    lines = [f"# {md_escape(title)}", ""]
    lines += [c.md("figures_intro"), ""]
    for stat in c.b.statistics:
        lines += [f"## {md_escape(stat.title)} {{#{stat.id}}}", ""]
        if stat.is_table:
            lines += [_table(c, stat), ""]
            if charts.has_chart(stat):
                lines += [charts.placeholder(stat), ""]
        else:
            shown = c.formats.figure(stat.value, stat.unit, stat.qualifier)
            lines += [f'<p class="figure-value">{html.escape(shown)}</p>', ""]
        source = c.field(linker, stat.source)
        lines += [c.md("source", source=source), ""]
        lines += [c.note(linker, stat.note)]
        used_by = c.relations.evidence_for.get(stat.id, ())
        if used_by:
            links = ", ".join(
                f"[{md_escape(f.title)}]({md_link(src, theme_page(f.theme), f.id)})"
                for f in used_by
            )
            lines += [c.md("evidence_for", findings=links), ""]
    stray = [q for q in c.b.quotes if q.id not in c.quote_home]
    if stray:
        lines += [f"## {c.md('other_quotes')}", ""]
        lines += [c.quotes_shown(linker, stray, src, None)]
    return "\n".join(lines)


def _table(c: Common, stat: Statistic) -> str:
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in stat.columns)
    rows = []
    for row in stat.rows:
        cells = []
        for i, value in enumerate(row):
            numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
            shown = html.escape(c.formats.cell(stat, i, value))
            if i == 0:
                cells.append(f'<th scope="row">{shown}</th>')
            else:
                cls = ' class="numeric"' if numeric else ""
                cells.append(f"<td{cls}>{shown}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table class="data-table" id="{attr(stat.id)}-table">'
        f"<caption>{html.escape(stat.title)}</caption>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )

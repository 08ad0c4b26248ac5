"""Statistics: tables whose rows fit their columns and units, and figures a briefing can mean
(what the schema's bounds do not reach)."""

from __future__ import annotations

import re
from itertools import pairwise

from ..model import Span
from ..problems import Code, Problem, suggestion
from ..sources.load import Sources
from ..sources.yamlfile import Document, JSONPath


def tables(sources: Sources) -> list[Problem]:
    problems: list[Problem] = []
    document = sources.documents.get("statistics")
    if document is None or not isinstance(document.value, list):
        return problems
    for i, item in enumerate(document.value):
        if not isinstance(item, dict):
            continue
        columns, rows = item.get("columns"), item.get("rows")
        if not isinstance(columns, list) or not isinstance(rows, list):
            continue
        for j, row in enumerate(rows):
            if isinstance(row, list) and len(row) != len(columns):
                span, hint = document.span((i, "rows", j)), ""
                if len(row) > len(columns):
                    span, hint = _comma_hint(document, (i, "rows", j), len(row), len(columns))
                problems.append(
                    Problem.at(
                        span,
                        f"this row has {len(row)} value(s) but the table has "
                        f"{len(columns)} column(s) ({', '.join(map(str, columns))}); "
                        "give one value per column" + hint,
                        code=Code.DATA_ROW_LENGTH,
                    )
                )
        units = item.get("units")
        if isinstance(units, dict):
            for name in units:
                if name not in columns:
                    problems.append(
                        Problem.at(
                            document.key_span((i, "units", name)),
                            f"'units' names '{name}', which is not a column of this table; "
                            f"{suggestion(str(name), [str(c) for c in columns], 'column')}",
                            code=Code.DATA_UNIT_COLUMN,
                        )
                    )
    return problems


def _comma_hint(
    document: Document, path: tuple[int, str, int], values: int, columns: int
) -> tuple[Span, str]:
    """Where a flow-style row (`- [Less than £20,000, 39]`) has an unquoted comma inside a
    cell, and how to write it: YAML reads `[a, b]`'s commas as separators, so the cell splits."""
    row = document.nodes.get(path)
    if row is None or not document.text[row.start : row.end].lstrip().startswith("["):
        return document.span(path), ""
    extra = values - columns
    cells = [document.nodes.get((*path, k)) for k in range(values)]
    best: tuple[int, Span, str] | None = None
    for k in range(values - extra):
        group = cells[k : k + extra + 1]
        if any(c is None or c.style for c in group):
            continue  # a quoted value holds its commas
        found = [c for c in group if c is not None]
        between = [document.text[a.end : b.start] for a, b in pairwise(found)]
        if not all(t.strip() == "," for t in between):
            continue
        tight = sum(t == "," for t in between)  # "20,000": no space after the comma
        i, _, j = path
        row_value = document.value[i]["rows"][j]
        words = all(isinstance(row_value[k + n + 1], str) for n in range(extra))
        if not tight and not words:
            continue  # "[East, 12, 4]": a value too many, not a cell cut in two
        if best is None or tight > best[0]:
            written = document.text[found[0].start : found[-1].end]
            best = (tight, found[0].span, written)
    if best is None:
        return document.span(path), ""
    written = best[2].replace('"', '\\"')
    return best[1], (
        "; the row is written in flow style ([...]), where a comma separates values, and "
        f'this cell holds an unquoted comma: quote the cell: "{written}"'
    )


SMALLEST = 0.0001  # the smallest figure in size but 0 (CONTRIBUTING, "Numbers")
DIGITS = 15  # significant digits a float holds exactly
_SPECIAL_FLOAT = re.compile(r"^[-+]?\.(?:inf|nan)$", re.IGNORECASE)
_EXPONENT = re.compile(r"[-+]?[0-9]+[eE][-+]?[0-9]+")
_MANTISSA = re.compile(r"^[-+]?([0-9.]*)")


def numbers(sources: Sources) -> list[Problem]:
    """Figures a briefing cannot mean, where the schema's bounds (at most 10^15 in size) do not
    reach: more significant digits than a float holds, a size below 0.0001 (shown as 1e-05),
    and YAML's `.nan` and `.inf`, which the reader keeps as text."""
    document = sources.documents.get("statistics")
    if document is None or not isinstance(document.value, list):
        return []
    problems: list[Problem] = []
    for i, item in enumerate(document.value):
        if not isinstance(item, dict):
            continue
        places: list[tuple[JSONPath, object]] = [((i, "value"), item.get("value"))]
        rows = item.get("rows")
        for j, row in enumerate(rows if isinstance(rows, list) else []):
            for k, cell in enumerate(row if isinstance(row, list) else []):
                places.append(((i, "rows", j, k), cell))
        for path, value in places:
            node = document.nodes.get(path)
            if node is None:
                continue
            written = document.text[node.start : node.end].strip()
            flaw = _figure(value, written, node.style)
            if flaw:
                code, why = flaw
                problems.append(Problem.at(node.span, f"'{written}' {why}", code=code))
    return problems


def _figure(value: object, written: str, style: str | None) -> tuple[Code, str] | None:
    """Why a figure as written cannot be shown as the editor meant it, or None."""
    if isinstance(value, str):
        if style not in (None, ""):  # quoted or a block: text, as the editor meant
            return None
        if _SPECIAL_FLOAT.match(value):
            return Code.DATA_FIGURE_SPECIAL, (
                "is not a figure a briefing can show: leave the cell empty (null), or quote "
                "it if it is meant as text"
            )
        if _EXPONENT.fullmatch(value):
            return Code.DATA_FIGURE_EXPONENT, (
                "is read as text, not as a number (YAML wants a decimal point before an "
                "exponent): write the number in full, or quote it if it is meant as text"
            )
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    mantissa = _MANTISSA.match(written)  # digits as written (YAML reads "1_000" as text)
    digits = (mantissa.group(1) if mantissa else "").replace(".", "").strip("0")
    if len(digits) > DIGITS:
        return Code.DATA_FIGURE_DIGITS, (
            f"has {len(digits)} significant digits, more than the {DIGITS} a figure keeps "
            "exactly; round it"
        )
    if value != 0 and abs(value) < SMALLEST:
        return Code.DATA_FIGURE_SMALL, (
            f"is smaller than a briefing's figures can be (0, or at least {SMALLEST} in size); "
            "give it in a smaller unit (per thousand, per million)"
        )
    return None

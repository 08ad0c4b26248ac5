"""Dates of works: biblatex's `date` fields and BibTeX's year, month and day as CSL dates."""

from __future__ import annotations

import re

from ..sources.bibvalue import MONTH_MACROS
from .latex import to_text

_NO_DATE = re.compile(r"\W*(n\.?\s?d|no date|undated|s\.?\s?d)\W*", re.IGNORECASE)


def _date_parts(text: str) -> list[int] | None:
    """[year, month, day] from YYYY, YYYY-MM or YYYY-MM-DD; None if it is not such a date."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not match:
        return None
    parts = [int(group) for group in match.groups() if group]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def _month(raw: str) -> int | None:
    """A month number from "3", "03", "mar" or "March"."""
    text = raw.strip(" {}.").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return MONTH_MACROS.index(text[:3]) + 1 if text[:3] in MONTH_MACROS else None


def csl_date(fields: dict[str, str], name: str) -> dict[str, object] | None:
    """A CSL date from a biblatex date (ranges with "/") or from year, month and day fields."""
    raw = fields.get(name, "").strip(" {}")
    if raw:
        pieces = [_date_parts(piece) for piece in raw.split("/") if piece.strip()]
        if pieces and all(pieces):
            return {"date-parts": pieces[:2]}
        literal = to_text(raw)
        return None if _NO_DATE.fullmatch(literal) else {"literal": literal}
    if name != "date" or not fields.get("year", "").strip(" {}"):
        return None
    year = fields["year"].strip(" {}")
    if not re.fullmatch(r"\d{1,4}", year):
        literal = to_text(year)
        # Styles print their own "n.d." when there is no date; a literal one would double it.
        return None if _NO_DATE.fullmatch(literal) else {"literal": literal}
    parts = [int(year)]
    month = _month(fields.get("month", ""))
    if month:
        parts.append(month)
        day = fields.get("day", "").strip(" {}")
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}

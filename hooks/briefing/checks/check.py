"""Semantic checks, what a schema cannot say, in one call: ids and relations (`ids`), tables and
figures (`figures`), web addresses (`urls`), recommendations' histories (`check_progress`),
citations and cross-references (`crossrefs`), content nothing uses (`unused`); and here, the
few checks of one file each (no recommendations, labels, calendar dates)."""

from __future__ import annotations

import calendar
import re
from datetime import date

from .. import labels
from ..model import Briefing
from ..problems import Code, Problem
from ..sources.bibvalue import MONTH_NAMES
from ..sources.load import Sources
from ..sources.yamlfile import Document, JSONPath
from . import check_progress, crossrefs, figures, ids, unused, urls

DAY = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def check(
    sources: Sources,
    briefing: Briefing,
    *,
    shared_bibliography: bool,
    today: date | None = None,
) -> list[Problem]:
    """Every semantic problem; warnings for content that nothing uses.

    A shared bibliography (a publisher's, used by many briefings) may hold works this briefing
    never cites: they are not reported. `today` (the real clock's by default) bounds the dates
    of status changes and responses.
    """
    unreadable = ids.unreadable(sources)
    used, cited, found = crossrefs.markdown(sources, briefing, unreadable)
    return [
        *ids.duplicates(sources),
        *ids.relations(sources, briefing, unreadable),
        *figures.tables(sources),
        *_no_recommendations(sources),
        *_labels(sources),
        *_dates(sources),
        *urls.urls(sources, briefing),
        *figures.numbers(sources),
        *check_progress.check(sources, briefing, today),
        *found,
        # what an unreadable file uses is unknown: no "not used" guesses
        *([] if unreadable else unused.unused(briefing, used, cited, shared_bibliography)),
    ]


def _no_recommendations(sources: Sources) -> list[Problem]:
    """A briefing is its recommendations: none at all is reported at their file."""
    document = sources.documents.get("recommendations")
    path = "data/recommendations.yml"
    if document is None and not (sources.root / path).is_file():
        return [
            Problem(
                path,
                1,
                1,
                "missing: every briefing needs data/recommendations.yml, a list of its "
                "recommendations (`- id: rec-...`, with title, text and addresses)",
                code=Code.FILE_MISSING,
            )
        ]
    if document is not None and document.value in (None, []):
        return [
            Problem.at(
                document.span(()),
                "the briefing has no recommendations: list them here "
                "(`- id: rec-...`, with title, text and addresses)",
                code=Code.DATA_NO_RECOMMENDATIONS,
            )
        ]
    return []


def _labels(sources: Sources) -> list[Problem]:
    """Labels whose `{placeholders}` the page cannot fill (the schema checks their names)."""
    document = sources.documents.get("labels")
    if document is None:
        return []
    defaults = labels.defaults()
    problems: list[Problem] = []
    for path, text in labels.flatten(document.value):
        name = labels.SEPARATOR.join(path)
        if name not in defaults:
            continue  # the schema reports an unknown label
        allowed = labels.placeholders(defaults[name])
        unknown = sorted(labels.placeholders(text) - allowed)
        missing = sorted({"value"} & allowed - labels.placeholders(text))
        if unknown:
            known = ", ".join(f"{{{p}}}" for p in sorted(allowed)) or "none"
            problems.append(
                Problem.at(
                    document.span(path),
                    f"label '{name}' uses {', '.join(f'{{{p}}}' for p in unknown)}, which it "
                    f"cannot fill; the values this label has: {known}",
                    code=Code.DATA_LABEL_PLACEHOLDER,
                )
            )
        if missing:
            problems.append(
                Problem.at(
                    document.span(path),
                    f"label '{name}' must hold {{value}}, where the number goes: "
                    f"e.g. '{defaults[name]}'",
                    code=Code.DATA_LABEL_VALUE,
                )
            )
    return problems


def _dates(sources: Sources) -> list[Problem]:
    """Dates the schema's pattern lets through but no calendar has, such as 2025-02-30."""
    places: list[tuple[Document, JSONPath, object]] = []
    report = sources.documents.get("report")
    if report is not None and isinstance(report.value, dict):
        places.append((report, ("date",), report.value.get("date")))
    recommendations = sources.documents.get("recommendations")
    if recommendations is not None and isinstance(recommendations.value, list):
        for i, item in enumerate(recommendations.value):
            for name in ("responses", "history"):
                entries = item.get(name) if isinstance(item, dict) else None
                for j, entry in enumerate(entries if isinstance(entries, list) else []):
                    if isinstance(entry, dict):
                        where = (i, name, j, "date")
                        places.append((recommendations, where, entry.get("date")))
    problems: list[Problem] = []
    for document, path, value in places:
        match = DAY.match(value) if isinstance(value, str) else None
        if match is None:
            continue  # absent, or not YYYY-MM-DD: the schema reports it
        year, month, day = (int(part) for part in match.groups())
        try:
            date(year, month, day)
        except ValueError:
            why = "no such day"  # in the year 0, which no calendar here has
            if year >= 1:  # DAY's month is 01 to 12
                days = calendar.monthrange(year, month)[1]
                why = f"{MONTH_NAMES[month - 1]} {year} has {days} days"
            problems.append(
                Problem.at(
                    document.span(path),
                    f"'date': '{value}' is not a date: {why}",
                    code=Code.DATA_NO_SUCH_DAY,
                )
            )
    return problems

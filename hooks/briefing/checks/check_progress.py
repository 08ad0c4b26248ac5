"""Checks of what became of each recommendation: its `history` of status changes and its
`responses`, as the schema cannot say them (order, dates against the report and today,
contradictions, duplicates, who acted).

"Today" is the real clock's (never SOURCE_DATE_EPOCH, the last commit's date: an entry an
editor adds today must pass under `make serve` before it is committed). Only the check reads
the clock; nothing built depends on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import pairwise
from typing import Any

from ..model import Briefing
from ..problems import Code, Problem, nearest, suggestion
from ..sources.load import Sources
from ..sources.yamlfile import Document

_DATE = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])(?:-([0-3][0-9]))?$")
Day = tuple[int, ...]  # (year, month) or (year, month, day)


def today() -> date:
    """Today wherever the editor is: the later of the local and the UTC date."""
    return max(date.today(), datetime.now(UTC).date())


def parse(value: object) -> Day | None:
    """A YYYY-MM-DD or YYYY-MM date as numbers; None if it is not one (reported elsewhere)."""
    match = _DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    year, month, day = match.groups()
    if day is None:
        return (int(year), int(month))
    try:
        date(int(year), int(month), int(day))
    except ValueError:
        return None  # check._dates says why
    return (int(year), int(month), int(day))


def before(a: Day, b: Day) -> bool:
    """Whether `a` is surely earlier than `b`, at the precision both have (2024-05 is not
    before 2024-05-20)."""
    n = min(len(a), len(b))
    return a[:n] < b[:n]


def check(sources: Sources, briefing: Briefing, now: date | None = None) -> list[Problem]:
    """Every problem in the recommendations' histories and responses."""
    document = sources.documents.get("recommendations")
    if document is None or not isinstance(document.value, list):
        return []
    clock = now or today()
    current: Day = (clock.year, clock.month, clock.day)
    report = parse(briefing.report.date)
    people = {briefing.report.publisher, *briefing.report.authors}
    problems: list[Problem] = []
    for i, item in enumerate(document.value):
        if isinstance(item, dict):
            problems += _recommendation(document, i, item, report, current, people)
    return problems


def _entries(item: Mapping[str, Any], name: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    value = item.get(name)
    for j, entry in enumerate(value if isinstance(value, list) else []):
        if isinstance(entry, dict):
            yield j, entry


def _recommendation(
    document: Document,
    i: int,
    item: Mapping[str, Any],
    report: Day | None,
    current: Day,
    people: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    raw_actors = item.get("actors")
    actors = (
        [a.strip() for a in raw_actors if isinstance(a, str)]
        if isinstance(raw_actors, list)
        else []
    )
    for name, what in (("history", "status change"), ("responses", "response")):
        entries = list(_entries(item, name))
        problems += _dates(document, i, name, what, entries, report, current)
        problems += _duplicates(document, i, name, entries)
        problems += _actors(document, i, name, what, entries, actors, people)
    history = list(_entries(item, "history"))
    problems += _repeats(document, i, history)
    written = item.get("status")
    if history and isinstance(written, str):
        j, latest = history[-1]
        said = latest.get("status")
        if isinstance(said, str) and said != written:
            problems.append(
                Problem.at(
                    document.span((i, "status")),
                    f"'status: {written}' contradicts the history, whose latest entry "
                    f"({latest.get('date')}, line {document.span((i, 'history', j)).line}) "
                    f"says '{said}'; the current status is the latest entry's: delete this "
                    f"`status:` line or make it '{said}'",
                    code=Code.PROGRESS_CONTRADICTION,
                )
            )
    return problems


def _dates(
    document: Document,
    i: int,
    name: str,
    what: str,
    entries: Sequence[tuple[int, Mapping[str, Any]]],
    report: Day | None,
    current: Day,
) -> list[Problem]:
    problems: list[Problem] = []
    previous: tuple[Day, str, int] | None = None
    for j, entry in entries:
        value = entry.get("date")
        day = parse(value)
        if day is None:
            continue  # absent or malformed: the schema or check._dates reports it
        span = document.span((i, name, j, "date"))
        if before(current, day):
            problems.append(
                Problem.at(
                    span,
                    f"'date': '{value}' is in the future (today is "
                    f"{'-'.join(f'{n:02d}' for n in current)}); record a {what} once it "
                    "has happened",
                    code=Code.PROGRESS_FUTURE,
                )
            )
        if report is not None and before(day, report):
            shown = "-".join(f"{n:02d}" for n in report)
            problems.append(
                Problem.at(
                    span,
                    f"'date': '{value}' is before the report's date ({shown}, data/report.yml); "
                    f"a {what} comes after the report: fix the date",
                    code=Code.PROGRESS_BEFORE_REPORT,
                )
            )
        if previous is not None and before(day, previous[0]):
            problems.append(
                Problem.at(
                    span,
                    f"'{name}' is oldest first, but this {what} ({value}) is older than the "
                    f"one before it ({previous[1]}, line {previous[2]}): move it above that one",
                    code=Code.PROGRESS_ORDER,
                )
            )
        if previous is None or not before(day, previous[0]):
            previous = (day, str(value), span.line)
    return problems


def _key(name: str, entry: Mapping[str, Any]) -> tuple[object, ...]:
    def norm(value: object) -> object:
        return " ".join(value.split()) if isinstance(value, str) else value

    fields = ("date", "status") if name == "history" else ("date", "actor", "text")
    return tuple(norm(entry.get(f)) for f in fields)


def _duplicates(
    document: Document, i: int, name: str, entries: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[tuple[object, ...], int] = {}
    same = "date and status" if name == "history" else "date, actor and text"
    for j, entry in entries:
        key = _key(name, entry)
        span = document.span((i, name, j))
        if key in seen:
            problems.append(
                Problem.at(
                    span,
                    f"this entry of '{name}' repeats the one at line {seen[key]} (same {same}); "
                    "delete one of them",
                    code=Code.PROGRESS_REPEATED,
                )
            )
        else:
            seen[key] = span.line
    return problems


def _actors(
    document: Document,
    i: int,
    name: str,
    what: str,
    entries: Sequence[tuple[int, Mapping[str, Any]]],
    actors: Sequence[str],
    people: set[str],
) -> list[Problem]:
    problems: list[Problem] = []
    for j, entry in entries:
        actor = entry.get("actor")
        if not isinstance(actor, str) or not actor.strip():
            continue
        actor = actor.strip()
        if actor in actors or (name == "history" and actor in people):
            continue
        listed = f"({', '.join(actors)})" if actors else "(none are listed)"
        hint = suggestion(actor, actors, "actor") if nearest(actor, actors) else ""
        close = f"{hint[0].upper()}{hint[1:]} " if hint else ""
        problems.append(
            Problem.at(
                document.span((i, name, j, "actor")),
                f"'{actor}' is not among this recommendation's actors {listed}: {close}"
                f"add them to `actors:` if they were asked to act, or fix the name of this "
                f"{what}'s actor",
                "warning",
                code=Code.PROGRESS_ACTOR,
            )
        )
    return problems


def _repeats(
    document: Document, i: int, history: Sequence[tuple[int, Mapping[str, Any]]]
) -> list[Problem]:
    """A history entry whose status is the one before's records no change."""
    problems: list[Problem] = []
    for (k, earlier), (j, entry) in pairwise(history):
        status = entry.get("status")
        if not isinstance(status, str) or status != earlier.get("status"):
            continue
        if _key("history", entry) == _key("history", earlier):
            continue  # a duplicate, reported as such
        problems.append(
            Problem.at(
                document.span((i, "history", j, "status")),
                f"the status is already '{status}' since {earlier.get('date')} (line "
                f"{document.span((i, 'history', k)).line}): a history entry records a change "
                "of status; record news without a change as a response",
                "warning",
                code=Code.PROGRESS_NO_CHANGE,
            )
        )
    return problems

"""A citation group as the reader sees it ("[1–3, 5]"): the order and the runs of its numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..sources.markup import Cite


@dataclass(frozen=True)
class Grouping:
    """How a style orders and joins the numbers of one citation ("[2,1]" -> "[1,2]", "[1,2,3]"
    -> "[1–3]"): sorted when its citations sort by citation-number, collapsed when its
    citation layout collapses citation-number (Vancouver, Nature)."""

    sort: bool = False
    collapse: bool = False


Number = Callable[[int, Cite, "int | None"], str]


def _number(index: int, cite: Cite, number: int | None) -> str:
    return "?" if number is None else str(number)


def _nothing(index: int, cite: Cite, number: int | None) -> str:
    return ""


def citation_group(
    cites: Sequence[Cite],
    numbers: Mapping[str, int],
    grouping: Grouping,
    *,
    number: Number = _number,
    hidden: Number = _nothing,
    escape: Callable[[str], str] = str,
) -> str:
    """A citation group as the reader sees it, "[1–3, 5; 7, p. 4]": the one rendering for the
    pages (`number` writes each number's link) and for plain text (the number itself).

    A run of three or more consecutive numbers without locators becomes "first–last" when the
    style collapses; the numbers inside the run are given to `hidden` (the pages keep an anchor
    there for the references page's backlinks). `index` is the cite's place as written.
    """
    items = [(index, cite, numbers.get(cite.key)) for index, cite in enumerate(cites)]
    if grouping.sort:
        items.sort(key=lambda item: (item[2] is None, item[2] or 0, item[0]))
    runs: list[list[tuple[int, Cite, int | None]]] = []
    for item in items:
        last = runs[-1][-1] if runs else None
        if (
            grouping.collapse
            and last is not None
            and last[2] is not None
            and item[2] == last[2] + 1
            and not last[1].locator
            and not item[1].locator
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            middle = "".join(hidden(*item) for item in run[1:-1])
            parts.append(f"{number(*run[0])}{middle}–{number(*run[-1])}")
            continue
        for item in run:
            locator = f", {escape(item[1].locator)}" if item[1].locator else ""
            parts.append(number(*item) + locator)
    separator = "; " if any(c.locator for c in cites) else ","
    return f"[{separator.join(parts)}]"

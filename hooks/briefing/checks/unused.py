"""Warnings for content that nothing uses: quotes and statistics no finding or text names,
works never cited (unless references.bib is a shared bibliography)."""

from __future__ import annotations

from ..model import Briefing
from ..problems import Code, Problem
from ..sources.bibinherit import PARENT_FIELDS, parent_keys


def unused(
    briefing: Briefing, used: set[str], cited: set[str], shared_bibliography: bool
) -> list[Problem]:
    problems: list[Problem] = []
    evidence = {identifier for finding in briefing.findings for identifier in finding.evidence}
    for quote in briefing.quotes:
        if quote.id not in evidence and quote.id not in used:
            problems.append(
                Problem.at(
                    quote.span,
                    f"quote '{quote.id}' is not used: list it in a finding's evidence or "
                    "cross-reference it, or delete it",
                    "warning",
                    code=Code.UNUSED_QUOTE,
                )
            )
    for stat in briefing.statistics:
        if stat.id not in evidence and stat.id not in used and not stat.key:
            problems.append(
                Problem.at(
                    stat.span,
                    f"statistic '{stat.id}' is not used: list it in a finding's evidence, "
                    "cross-reference it or mark it `key: true`, or delete it",
                    "warning",
                    code=Code.UNUSED_STATISTIC,
                )
            )
    if shared_bibliography:
        return problems
    # A parent (a proceedings a paper's crossref names, the xdata it takes its publisher from) is
    # cited through the entries that inherit from it; BibTeX matches the keys in any case.
    parents = {
        key.casefold()
        for reference in briefing.references.values()
        for field in PARENT_FIELDS
        for key in parent_keys(reference.fields, field)
    }
    for key, reference in briefing.references.items():
        if key not in cited and key.casefold() not in parents:
            problems.append(
                Problem.at(
                    reference.span,
                    f"reference '{key}' is never cited: cite it with [@{key}] or delete it",
                    "warning",
                    code=Code.UNUSED_REFERENCE,
                )
            )
    return problems

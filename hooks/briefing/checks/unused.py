"""Warnings for content that nothing uses: quotes and statistics no finding or text names,
works never cited (unless references.bib is a shared bibliography)."""

from __future__ import annotations

from collections import defaultdict

from ..model import Briefing
from ..problems import Code, Problem


def unused(
    briefing: Briefing, used: set[str], cited: set[str], shared_bibliography: bool = False
) -> list[Problem]:
    problems: list[Problem] = []
    evidence: dict[str, int] = defaultdict(int)
    for finding in briefing.findings:
        for identifier in finding.evidence:
            evidence[identifier] += 1
    for quote in briefing.quotes:
        if quote.id not in evidence and quote.id not in used:
            problems.append(
                Problem.at(
                    quote.span,
                    f"quote '{quote.id}' is not used: list it in a finding's evidence or "
                    "cross-reference it, or delete it",
                    "warning",
                    code=Code.UNUSED_QUOTE,
                    subject=quote.id,
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
                    subject=stat.id,
                )
            )
    # A crossref parent (a proceedings, say) is cited through the entries that inherit from it.
    parents = {
        parent.strip()
        for reference in briefing.references.values()
        for parent in reference.fields.get("crossref", "").split(",")
    }
    for key, reference in briefing.references.items():
        if key not in cited and key not in parents and not shared_bibliography:
            problems.append(
                Problem.at(
                    reference.span,
                    f"reference '{key}' is never cited: cite it with [@{key}] or delete it",
                    "warning",
                    code=Code.UNUSED_REFERENCE,
                    subject=key,
                )
            )
    return problems

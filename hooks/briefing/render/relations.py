"""The relations between a briefing's items, both ways, computed once per build.

The data name relations one way (a finding lists its evidence, a recommendation the findings
it addresses); pages and downloads also show them the other way ("Addressed by", "Evidence
for"). Both read this one record, so they never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TypeVar

from ..model import Briefing, Finding, Quote, Recommendation, Statistic, Theme

T = TypeVar("T")


def _frozen(index: Mapping[str, list[T]]) -> Mapping[str, tuple[T, ...]]:
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


@dataclass(frozen=True)
class Relations:
    """Items by id, and each relation read both ways (in the data files' order)."""

    themes: Mapping[str, Theme]
    findings: Mapping[str, Finding]
    quotes: Mapping[str, Quote]
    stats: Mapping[str, Statistic]
    findings_by_theme: Mapping[str, tuple[Finding, ...]]  # theme id -> its findings
    addressed_by: Mapping[str, tuple[Recommendation, ...]]  # finding id -> recommendations
    evidence_for: Mapping[str, tuple[Finding, ...]]  # quote or statistic id -> findings


def relations(briefing: Briefing) -> Relations:
    """Every relation of `briefing`, both ways."""
    by_theme: dict[str, list[Finding]] = defaultdict(list)
    evidence_for: dict[str, list[Finding]] = defaultdict(list)
    for finding in briefing.findings:
        by_theme[finding.theme].append(finding)
        for evidence in dict.fromkeys(finding.evidence):
            evidence_for[evidence].append(finding)
    addressed_by: dict[str, list[Recommendation]] = defaultdict(list)
    for rec in briefing.recommendations:
        for finding_id in dict.fromkeys(rec.addresses):
            addressed_by[finding_id].append(rec)

    return Relations(
        MappingProxyType({t.id: t for t in briefing.themes}),
        MappingProxyType({f.id: f for f in briefing.findings}),
        MappingProxyType({q.id: q for q in briefing.quotes}),
        MappingProxyType({s.id: s for s in briefing.statistics}),
        _frozen(by_theme),
        _frozen(addressed_by),
        _frozen(evidence_for),
    )

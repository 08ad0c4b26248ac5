"""briefing.json: every item with its fields as written, its address and its relations
resolved both ways; references with their numbers (schema: briefing-download.schema.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from .. import weblinks
from ..citations.cite import Citation
from ..model import Recommendation
from ..render import timeline
from ..render.formats import column_unit
from .items import csl_item, item_url, source, url_of_rec
from .items import url as address

if TYPE_CHECKING:
    from ..render.site import Site

SCHEMA = Path(__file__).parent.parent / "schemas" / "briefing-download.schema.json"
FORMAT_VERSION = 1


def briefing(
    site: Site, citation: Citation | None = None, site_url: str | None = None
) -> dict[str, object]:
    """Every item with its fields as written (Markdown fields as Markdown), its address, and its
    relations resolved both ways; references with their numbers. Keys in a fixed order."""
    b = site.briefing
    numbers = site.numbering.numbers
    shown = site.formats  # display fields in the briefing's language; the data stay numbers
    related = site.relations
    themes, findings = related.themes, related.findings
    addressed_by = related.addressed_by
    evidence_for = {k: [f.id for f in found] for k, found in related.evidence_for.items()}

    def url(item_id: str) -> str:
        return item_url(site, item_id, site_url)

    def theme_ref(theme_id: str) -> dict[str, object]:
        theme = themes[theme_id]
        return {"id": theme.id, "number": theme.number, "title": theme.title}

    def finding_ref(finding_id: str) -> dict[str, object]:
        finding = findings[finding_id]
        return {"id": finding.id, "title": finding.title, "theme": finding.theme}

    def rec_ref(rec: Recommendation) -> dict[str, object]:
        return {"id": rec.id, "number": rec.number, "title": rec.title}

    report = b.report
    data: dict[str, object] = {
        "$schema": "briefing.schema.json",
        "format_version": FORMAT_VERSION,
        "report": {
            "title": report.title,
            "subtitle": report.subtitle,
            "publisher": report.publisher,
            "authors": list(report.authors),
            "date": report.date,
            "summary": source(report.summary),
            "keywords": list(report.keywords),
            "licence": report.licence,
            "doi": report.doi,
            "url": weblinks.web(report.url),
            "site_url": weblinks.web(site_url),
            "note": source(report.note),
            "citation": (
                {"key": citation.reference.key, "text": citation.text, "bibtex": citation.bibtex}
                if citation
                else None
            ),
        },
        "glossary": [
            {"term": term, "expansion": b.glossary[term]}
            for term in sorted(b.glossary, key=str.casefold)
        ],
        "themes": [
            {
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "summary": source(t.summary),
                "note": source(t.note),
                "url": url(t.id),
                "findings": [f.id for f in b.findings if f.theme == t.id],
            }
            for t in b.themes
        ],
        "findings": [
            {
                "id": f.id,
                "title": f.title,
                "statement": source(f.statement),
                "note": source(f.note),
                "url": url(f.id),
                "theme": theme_ref(f.theme),
                "evidence": [
                    {
                        "id": e,
                        "kind": "quote" if e.startswith("quote-") else "stat",
                        "label": site.targets[e].label,
                    }
                    for e in f.evidence
                ],
                "addressed_by": [rec_ref(r) for r in addressed_by.get(f.id, [])],
            }
            for f in b.findings
        ],
        "quotes": [
            {
                "id": q.id,
                "text": q.text,
                "attribution": q.attribution,
                "context": q.context,
                "note": source(q.note),
                "url": url(q.id),
                "evidence_for": evidence_for.get(q.id, []),
            }
            for q in b.quotes
        ],
        "statistics": [
            {
                "id": s.id,
                "title": s.title,
                "source": source(s.source),
                "value": s.value,
                "unit": s.unit,
                "qualifier": s.qualifier,
                "shown": None if s.is_table else shown.figure(s.value, s.unit, s.qualifier),
                "columns": list(s.columns) if s.is_table else None,
                "rows": [list(row) for row in s.rows] if s.is_table else None,
                "units": {c: column_unit(s, i) for i, c in enumerate(s.columns)}
                if s.is_table
                else None,
                "shown_rows": [[shown.cell(s, i, v) for i, v in enumerate(row)] for row in s.rows]
                if s.is_table
                else None,
                "chart": s.chart,
                "key": s.key,
                "note": source(s.note),
                "url": url(s.id),
                "evidence_for": evidence_for.get(s.id, []),
            }
            for s in b.statistics
        ],
        "recommendations": [
            {
                "id": r.id,
                "number": r.number,
                "title": r.title,
                "text": source(r.text),
                "rationale": source(r.rationale),
                "status": r.status,
                "actors": list(r.actors),
                "responses": [
                    {
                        "date": response.date,
                        "actor": response.actor,
                        "text": source(response.text),
                        "source": source(response.source),
                    }
                    for response in r.responses
                ],
                "status_date": r.status_date,
                "history": history_of(site, r, site_url),
                "note": source(r.note),
                "url": url(r.id),
                "addresses": [finding_ref(f) for f in r.addresses],
            }
            for r in b.recommendations
        ],
        "references": [
            {
                "key": key,
                "number": numbers.get(key),
                "url": address(site, "references.md", f"ref-{key}", site_url),
                "cited_in": [
                    {
                        "title": page.link.title,
                        "url": address(site, page.link.page, page.link.anchor, site_url),
                        "count": page.count,
                    }
                    for page in site.numbering.cited_in(key)
                ],
                "csl": csl_item(site, key),
            }
            for key in site.numbering.order
        ],
    }
    return data


def history_of(
    site: Site, rec: Recommendation, site_url: str | None = None
) -> list[dict[str, object]]:
    """A recommendation's status changes, each with its address on the recommendation's page."""
    page = url_of_rec(site, rec, site_url)
    anchors = {id(e.change): e.anchor for e in timeline.events(rec) if e.change is not None}
    return [
        {
            "date": c.date,
            "status": c.status,
            "summary": source(c.summary),
            "source": source(c.source),
            "actor": c.actor,
            "url": f"{page}#{anchors[id(c)]}",
        }
        for c in rec.history
    ]


def dump_json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

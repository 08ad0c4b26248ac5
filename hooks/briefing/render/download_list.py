"""The files a build offers under downloads/: named here, where the home page lists them
(rendering); publish/downloads.py and the PDF step write them."""

from __future__ import annotations

from dataclasses import dataclass

FOLDER = "downloads"


@dataclass(frozen=True)
class Download:
    """One file under downloads/: its name, and what a reader is told about it."""

    name: str
    label: str
    about: str


FILES = (
    Download(
        "briefing.pdf",
        "The whole briefing (PDF)",
        "the briefing as a printed report: contents with page numbers, every item once",
    ),
    Download(
        "briefing.json",
        "Every item as data (JSON)",
        "themes, findings, quotes, figures, recommendations and references, with their "
        "relations resolved",
    ),
    Download(
        "briefing.schema.json",
        "The JSON's schema (JSON Schema)",
        "what each field of briefing.json holds",
    ),
    Download(
        "recommendations.csv",
        "The recommendations (CSV)",
        "one row each, for spreadsheets and trackers",
    ),
    Download(
        "references.bib",
        "The references (BibTeX)",
        "every work cited, as the briefing's own file",
    ),
    Download(
        "references.json",
        "The references (CSL-JSON)",
        "for Zotero and other reference managers, in reference-number order",
    ),
)

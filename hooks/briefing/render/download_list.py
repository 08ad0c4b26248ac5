"""The files a build offers under downloads/: named here, where the home page lists them
(rendering); publish/downloads.py and the PDF step write them."""

from __future__ import annotations

from dataclasses import dataclass

FOLDER = "downloads"


@dataclass(frozen=True)
class Download:
    """One file under downloads/, by name; what a reader is told about it is the briefing's
    labels `downloads/<name>/label` and `downloads/<name>/about` (schemas/labels.schema.json)."""

    name: str


FILES = tuple(
    Download(name)
    for name in (
        "briefing.pdf",
        "briefing.json",
        "briefing.schema.json",
        "recommendations.csv",
        "references.bib",
        "references.json",
    )
)

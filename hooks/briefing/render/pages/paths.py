"""Where each generated page goes, and the files it is made from."""

from __future__ import annotations

from ...model import Recommendation

HOME = "index.md"
SURVEY = "survey.md"
THEMES = "themes/index.md"
RECOMMENDATIONS = "recommendations/index.md"
REFERENCES = "references.md"
GLOSSARY = "glossary.md"
CHANGES = "changes.md"
EVIDENCE = ("data/findings.yml", "data/quotes.yml", "data/statistics.yml")
CONTENT_FILES = (
    "data/report.yml",
    "data/glossary.yml",
    "data/themes.yml",
    *EVIDENCE,
    "data/recommendations.yml",
    "references.bib",
)

# The label (data/labels.yml `pages`) naming each generated page the nav does not name.
PAGE_LABELS = {
    SURVEY: "pages/survey",
    THEMES: "pages/themes",
    RECOMMENDATIONS: "pages/recommendations",
    REFERENCES: "pages/references",
    GLOSSARY: "pages/glossary",
    CHANGES: "pages/changes",
}


def theme_page(theme_id: str) -> str:
    return f"themes/{theme_id.removeprefix('theme-')}.md"


def rec_page(rec: Recommendation) -> str:
    return f"recommendations/{rec.slug}.md"

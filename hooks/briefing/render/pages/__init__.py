"""The generated pages: home, survey figures, themes, recommendations, references, glossary,
what changed; one module per kind of page, `Pages` assembles them in reading order.

Each page is Markdown (with HTML where Markdown has no element for it). Plain-text fields are
escaped; Markdown fields go through the page's links (render/resolve.py), which link
citations and cross-references with the numbering's numbers.
"""

from __future__ import annotations

from functools import partial

from ..resolve import Target
from ..text import excerpt
from . import changes, glossary, home, recommendations, references, survey, themes
from .common import Common, Page
from .paths import (
    CHANGES,
    CONTENT_FILES,
    EVIDENCE,
    GLOSSARY,
    HOME,
    PAGE_LABELS,
    RECOMMENDATIONS,
    REFERENCES,
    SURVEY,
    THEMES,
    rec_page,
    theme_page,
)

__all__ = [
    "CHANGES",
    "CONTENT_FILES",
    "EVIDENCE",
    "GLOSSARY",
    "HOME",
    "PAGE_LABELS",
    "RECOMMENDATIONS",
    "REFERENCES",
    "SURVEY",
    "THEMES",
    "Page",
    "Pages",
    "rec_page",
    "theme_page",
]


class Pages(Common):
    """Builds every generated page of one briefing."""

    def targets(self) -> dict[str, Target]:
        targets: dict[str, Target] = {}
        for theme in self.b.themes:
            targets[theme.id] = Target(
                theme_page(theme.id),
                theme.id,
                theme.title,
                self.labels("theme", number=theme.number),
            )
        for finding in self.b.findings:
            home = self.themes.get(finding.theme)
            where = (
                self.labels("finding_under_theme", number=home.number, title=home.title)
                if home
                else self.labels("finding")
            )
            targets[finding.id] = Target(
                theme_page(finding.theme), finding.id, finding.title, where
            )
        for quote in self.b.quotes:
            targets[quote.id] = Target(
                self.quote_home.get(quote.id, SURVEY),
                quote.id,
                f"“{excerpt(quote.text)}”",
                f"{quote.attribution}: “{excerpt(quote.text, 30)}”",
            )
        for stat in self.b.statistics:
            summary = (
                self.formats.figure(stat.value, stat.unit, stat.qualifier)
                if not stat.is_table
                else self.labels("table_summary")
            )
            targets[stat.id] = Target(SURVEY, stat.id, stat.title, summary)
        for rec in self.b.recommendations:
            targets[rec.id] = Target(
                rec_page(rec), rec.id, self.labels("recommendation", number=rec.number), rec.title
            )
        return targets

    def pages(self) -> list[Page]:
        """Every generated page, in reading order."""
        b = self.b
        pages = [
            Page(
                HOME,
                b.report.title,
                "data/report.yml",
                partial(home.render, self),
                ("data/recommendations.yml", "data/statistics.yml"),
                home.texts(self),
                self.home_title,
            ),
            Page(
                SURVEY,
                self.title(SURVEY),
                "data/statistics.yml",
                partial(survey.render, self),
                EVIDENCE,
                survey.texts(self),
            ),
            Page(
                THEMES,
                self.title(THEMES),
                "data/themes.yml",
                partial(themes.index, self),
                EVIDENCE[:1],
            ),
        ]
        for theme in b.themes:
            pages.append(
                Page(
                    theme_page(theme.id),
                    self.theme_title(theme),
                    "data/themes.yml",
                    partial(themes.render, self, theme_id=theme.id),
                    (*EVIDENCE, "data/recommendations.yml"),
                    themes.texts(self, theme.id),
                )
            )
        pages.append(
            Page(
                RECOMMENDATIONS,
                self.title(RECOMMENDATIONS),
                "data/recommendations.yml",
                partial(recommendations.index, self),
                texts=tuple(rec.text for rec in b.recommendations),
            )
        )
        for rec in b.recommendations:
            pages.append(
                Page(
                    rec_page(rec),
                    self.rec_title(rec),
                    "data/recommendations.yml",
                    partial(recommendations.render, self, rec_id=rec.id),
                    (*EVIDENCE, "data/themes.yml", "references.bib"),
                    recommendations.texts(self, rec),
                )
            )
        pages.append(
            Page(
                REFERENCES,
                self.title(REFERENCES),
                "references.bib",
                partial(references.render, self),
            )
        )
        pages.append(
            Page(
                GLOSSARY, self.title(GLOSSARY), "data/glossary.yml", partial(glossary.render, self)
            )
        )
        pages.append(
            Page(CHANGES, self.title(CHANGES), "", lambda _: changes.render(self), CONTENT_FILES)
        )
        return pages

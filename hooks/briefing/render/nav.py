"""The navigation in reading order: the editor's `nav`, with the generated sections filled in."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

from ..model import Briefing
from .pages import (
    CHANGES,
    GLOSSARY,
    HOME,
    RECOMMENDATIONS,
    REFERENCES,
    SURVEY,
    THEMES,
    rec_page,
    theme_page,
)
from .titles import recommendation as rec_title
from .titles import theme as theme_title

TRACKER = "tracker.md"  # render/tracker.py's page, titled by the label `tracker/title`
NavItem = Any  # a path, or {title: path}, or {title: [items]}, as in mkdocs.yml


def sections(briefing: Briefing) -> dict[str, tuple[str, list[NavItem]]]:
    """The two sections whose pages come from data: index page -> (title, children)."""
    labels = briefing.labels
    # Each page by its one title (render/titles.py). Themes write nav titles unescaped, as
    # HTML: titles and labels from data are plain text, so escape.
    themes: list[NavItem] = [THEMES]
    themes += [{html.escape(theme_title(labels, t)): theme_page(t.id)} for t in briefing.themes]
    recs: list[NavItem] = [RECOMMENDATIONS]
    recs += [{html.escape(rec_title(labels, r)): rec_page(r)} for r in briefing.recommendations]
    if briefing.recommendations:  # the tracker follows the recommendations it tracks
        recs.append({html.escape(labels("tracker/title")): TRACKER})
    return {
        THEMES: (html.escape(labels("pages/themes")), themes),
        RECOMMENDATIONS: (html.escape(labels("pages/recommendations")), recs),
    }


def titles(nav: Sequence[NavItem] | None) -> dict[str, str]:
    """The nav's name for each page it names (`Key numbers: survey.md`): a generated page
    keeps that name everywhere, as its heading and in links to it."""
    found: dict[str, str] = {}
    for item in nav or ():
        if not isinstance(item, dict):
            continue
        for title, value in item.items():
            if isinstance(value, str) and isinstance(title, str):
                found.setdefault(value, title)
            elif isinstance(value, list):
                for src, name in titles(value).items():
                    found.setdefault(src, name)
    return found


def expand(
    briefing: Briefing, nav: Sequence[NavItem] | None, prose: Iterable[str]
) -> list[NavItem]:
    """`nav` with each generated section index replaced by the whole section.

    Without a `nav`, the reading order is: home, prose pages by path, survey, themes,
    recommendations, references, glossary, what changed. Generated pages the editor left out
    are appended.
    """
    if nav is None:
        nav = [HOME, *sorted(p for p in prose if p != HOME)]
        nav += [SURVEY, THEMES, RECOMMENDATIONS, REFERENCES, GLOSSARY, CHANGES]
    filled = sections(briefing)

    def walk(items: Sequence[NavItem]) -> list[NavItem]:
        result: list[NavItem] = []
        for item in items:
            title, value = next(iter(item.items())) if isinstance(item, dict) else (None, item)
            if isinstance(value, str) and value in filled:
                default, children = filled[value]
                result.append({title or default: children})
            elif isinstance(value, list):
                result.append({title: walk(value)})
            else:
                result.append(item)
        return result

    expanded = walk(nav)
    present = set(flatten(expanded))
    for src in (HOME, SURVEY, THEMES, RECOMMENDATIONS, REFERENCES, GLOSSARY, CHANGES):
        if src not in present:
            expanded.extend(walk([src]))
    return expanded


def flatten(nav: Sequence[NavItem]) -> list[str]:
    """Page paths in reading order (links to other sites left out)."""
    paths: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            paths += flatten(value)
        elif isinstance(value, str) and "://" not in value:
            paths.append(value)
    return paths

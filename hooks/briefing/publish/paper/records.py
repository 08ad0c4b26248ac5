"""What the print edition is made of and makes: the built pages, its contents, the document."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrintPage:
    """One built page: its source, its site-relative URL, its title and its content HTML."""

    src: str
    url: str
    title: str
    content: str


@dataclass(frozen=True)
class Entry:
    """One line of the contents: the anchor it leads to, its words, its level (1 or 2)."""

    anchor: str
    title: str
    level: int


@dataclass(frozen=True)
class Document:
    """The print document, the site files it shows, and what was left out and why."""

    html: str
    contents: tuple[Entry, ...]
    images: tuple[str, ...]  # site-relative paths, each checked by `files.site_file`
    problems: tuple[str, ...] = ()  # images refused: warnings (`--strict` fails)
    parts: int = 0  # sections that start on a new page (the cover and contents included)
    notes: tuple[str, ...] = ()  # images missing from the site (broken on the page as well)

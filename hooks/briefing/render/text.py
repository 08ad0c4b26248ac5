"""Small text helpers: escaping plain text into Markdown and HTML, numbers, dates, links."""

from __future__ import annotations

import html
import posixpath
import re
from datetime import date

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")  # Python-Markdown's escapable characters
_ENTITY = re.compile(r"&(#?[A-Za-z0-9]+;)")


def md_escape(text: str) -> str:
    """Plain text made safe to embed in Markdown: shown as written, never read as markup."""
    text = _ENTITY.sub(r"&amp;\1", text).replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def md_link(from_src: str, to_src: str, anchor: str = "") -> str:
    """A relative link to another page's Markdown source, which MkDocs checks and rewrites."""
    if from_src == to_src:
        return f"#{anchor}" if anchor else posixpath.basename(to_src)
    path = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return path + (f"#{anchor}" if anchor else "")


def number(value: object) -> str:
    """A number as a reader expects it: 17 not 17.0, 2015 as a year, 12,345 with a separator."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)):
        # Separators only from five digits: years (2015) and small counts read as written.
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    return str(value)


def figure(value: object, unit: str | None, qualifier: str | None = None) -> str:
    """'approximately 17%', '111 responses'."""
    shown = number(value)
    if unit:
        shown += unit if unit in ("%", "‰") else f" {unit}"
    return f"{qualifier} {shown}" if qualifier else shown


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def long_date(value: str) -> str:
    """'2024-05' -> 'May 2024', '2024-05-20' -> '20 May 2024'; anything else as written."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        pass
    return value


def indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def excerpt(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def first_sentence(markdown: str) -> str:
    """The first sentence of a Markdown paragraph: the one line a card has room for."""
    paragraph = markdown.strip().split("\n\n", 1)[0]
    return _SENTENCE_END.split(" ".join(paragraph.split()), maxsplit=1)[0]

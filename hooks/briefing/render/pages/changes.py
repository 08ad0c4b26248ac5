"""The "What changed" page, from the repository's history."""

from __future__ import annotations

import html
from collections import defaultdict

from ...sources.history import Change
from ..text import attr, md_escape
from .common import Common
from .paths import CHANGES


def render(c: Common) -> str:
    """Content changes by date, newest first, from the repository's history (its only
    input: it links nothing)."""
    lines = [f"# {md_escape(c.title(CHANGES))}", ""]
    if not c.history.complete:
        since = c.history.since
        day = c.formats.date(since) if since else ""
        before = c.md("changes_partial_before", date=md_escape(day)) if since else ""
        lines += [c.md("changes_partial", before=before), ""]
    if not c.history.changes:
        if c.history.complete:
            lines += [c.md("changes_none"), ""]
        return "\n".join(lines)
    lines += [c.md("changes_intro"), ""]
    by_date: dict[str, list[Change]] = defaultdict(list)
    for change in c.history.changes:
        by_date[change.date].append(change)
    for day, changes in by_date.items():
        shown = html.escape(c.formats.date(day))
        lines += [f'## <time datetime="{attr(day)}">{shown}</time>', ""]
        for change in changes:
            files = ", ".join(f"`{f}`" for f in change.files)
            lines.append(f"- {md_escape(change.subject)} ({files})")
        lines.append("")
    return "\n".join(lines)

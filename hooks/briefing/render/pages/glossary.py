"""The glossary page."""

from __future__ import annotations

import html

from ..resolve import PageLinks
from ..text import attr, md_escape
from .common import Common
from .paths import GLOSSARY


def render(c: Common, linker: PageLinks) -> str:
    lines = [
        f"# {md_escape(c.title(GLOSSARY))}",
        "",
        c.md("glossary_intro"),
        "",
        '<dl class="glossary">',
    ]
    for term in sorted(c.b.glossary, key=str.casefold):
        ident = "term-" + "".join(c if c.isalnum() else "-" for c in term.lower()).strip("-")
        lines.append(
            f'<dt id="{attr(ident)}">{html.escape(term)}</dt>'
            f"<dd>{html.escape(c.b.glossary[term])}</dd>"
        )
    lines += ["</dl>", ""]
    return "\n".join(lines)

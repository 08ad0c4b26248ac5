"""The references page: every work by number, with where it is cited, then further reading."""

from __future__ import annotations

import html

from ..resolve import PageLinks
from ..text import attr, md_escape, md_link
from .common import Common
from .paths import REFERENCES


def render(c: Common, linker: PageLinks) -> str:
    src = REFERENCES
    entries = c.references()
    lines = [f"# {md_escape(c.title(REFERENCES))}", "", c.md("references_intro"), ""]
    numbering = linker.resolver.numbering
    lines.append('<ol class="references">')
    for key in numbering.cited:
        lines.append(
            f'<li id="ref-{attr(key)}" value="{numbering.numbers[key]}">'
            f'<span class="reference">{entries.get(key, html.escape(key))}</span>'
            f"{_backlinks(c, linker, key, src)}</li>"
        )
    lines += ["</ol>", ""]
    uncited = numbering.uncited
    if uncited:
        lines += [f"## {c.md('further_reading')}", "", '<ul class="references">']
        lines += [
            f'<li id="ref-{attr(k)}"><span class="reference">'
            f"{entries.get(k, html.escape(k))}</span></li>"
            for k in uncited
        ]
        lines += ["</ul>", ""]
    return "\n".join(lines)


def _backlinks(c: Common, linker: PageLinks, key: str, src: str) -> str:
    """The `cited_in` label ("Cited in: …"): each citing page once, linked to its first citation
    of the work there, with the number of citations when there are several ("Introduction (3)").
    Every work of `numbering.cited` has a page: it is numbered where it is first cited."""
    links = []
    for page in linker.resolver.numbering.cited_in(key):
        link = page.link
        target = html.escape(md_link(src, link.page, link.anchor))
        count = f" ({page.count})" if page.count > 1 else ""
        links.append(f'<a href="{target}">{html.escape(link.title)}</a>{count}')
    return f' <span class="cited-in">{c.html("cited_in", pages=", ".join(links))}</span>'

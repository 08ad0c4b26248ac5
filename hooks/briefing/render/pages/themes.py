"""The themes index and each theme's page, with its findings and their evidence."""

from __future__ import annotations

from ...model import Markdown
from ..resolve import PageLinks
from ..text import md_escape, md_link
from .common import Common, present
from .paths import THEMES, rec_page, theme_page


def texts(c: Common, theme_id: str) -> tuple[Markdown | str, ...]:
    theme, src = c.themes[theme_id], theme_page(theme_id)
    findings = c.relations.findings_by_theme.get(theme_id, ())
    texts = [t for f in findings for t in c.finding_texts(f, src)]
    return present(theme.summary, theme.note, *texts)


def index(c: Common, linker: PageLinks) -> str:
    src = THEMES
    lines = [f"# {md_escape(c.title(THEMES))}", "", c.md("themes_intro"), ""]
    for theme in c.b.themes:
        findings = c.relations.findings_by_theme.get(theme.id, ())
        link = md_link(src, theme_page(theme.id))
        lines += [f"## {theme.number}. [{md_escape(theme.title)}]({link})", ""]
        if findings:
            lines += [
                "\n".join(
                    f"- [{md_escape(f.title)}]({md_link(src, theme_page(theme.id), f.id)})"
                    for f in findings
                ),
                "",
            ]
    return "\n".join(lines)


def render(c: Common, linker: PageLinks, theme_id: str) -> str:
    theme = c.themes[theme_id]
    src = theme_page(theme_id)
    lines = [f"# {md_escape(c.theme_title(theme))} {{#{theme.id}}}", ""]
    kicker = c.html("theme_of", number=theme.number, total=len(c.b.themes))
    lines += [f'<p class="kicker">{kicker}</p>', ""]
    lines += [c.field(linker, theme.summary), ""]
    lines += [c.note(linker, theme.note)]
    for finding in c.relations.findings_by_theme.get(theme_id, ()):
        lines += [f"## {md_escape(finding.title)} {{#{finding.id}}}", ""]
        lines += [c.finding_body(linker, finding, src), ""]
        recs = c.relations.addressed_by.get(finding.id, ())
        if recs:
            links = ", ".join(
                f"[{md_escape(c.rec_title(r))}]({md_link(src, rec_page(r))})" for r in recs
            )
            addressed = c.md("addressed_by", recommendations=links)
            lines += [f'<p class="addressed-by" markdown>{addressed}</p>', ""]
    return "\n".join(lines)

"""The print style: paper, margins, running header and footer, page numbers for references.

Paged-media CSS as Chromium prints it: `@page` margin boxes carry the running header (the short
title, and the part's title from the part's named page, `running`) and the "Page N of M"
footer; the page a contents entry or a cross-reference leads to is the link's `data-page`,
written in by the typesetter's second pass (`typeset`) and shown with `attr()`; `break-*` keeps
headings with what follows and never splits a table row, a quote or a chart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ...labels import Labels

PAPERS = {"a4": "A4", "letter": "letter"}
DEFAULT_PAPER = "a4"
# Margins (mm): the tests check that nothing is drawn in them but the header and footer.
MARGIN_TOP, MARGIN_SIDE, MARGIN_BOTTOM = 22, 18, 22


def paper(settings: object) -> str:
    """The paper size an `extra.briefing.paper` setting names; ValueError saying what is allowed."""
    if settings is None:
        return DEFAULT_PAPER
    if isinstance(settings, str) and settings.strip().lower() in PAPERS:
        return settings.strip().lower()
    raise ValueError(
        f"{settings!r} is not a paper size this build prints on; use one of "
        f"{', '.join(PAPERS)} (default {DEFAULT_PAPER})"
    )


def _string(text: str, *, strip: bool = True) -> str:
    """Text as a CSS string, every character that could end it escaped (runs of white space
    as one space; kept at the ends with `strip=False`, for a part of a longer content)."""
    spaced = re.sub(r"\s+", " ", text)
    escaped = "".join(
        c if c.isalnum() or c in " .,:;!?-–—()'’" else f"\\{ord(c):x} "
        for c in (spaced.strip() if strip else spaced)
    )
    return f'"{escaped}"'


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def content(text: str, values: Mapping[str, str]) -> str:
    """A label as a CSS `content` value: its words as escaped strings, each `{placeholder}`
    as the CSS that `values` gives for it (`counter(page)`); any other placeholder (the
    labels' check refuses them) is printed as written, escaped like the words."""
    parts = _PLACEHOLDER.split(" ".join(text.split()))  # literal, name, literal, name, ...
    shown = []
    for index, part in enumerate(parts):
        if index % 2 and part in values:
            shown.append(values[part])
        elif part:
            shown.append(_string(part if index % 2 == 0 else "{" + part + "}", strip=False))
    return " ".join(shown) or '""'


def css(
    paper_size: str = DEFAULT_PAPER, short_title: str = "", labels: Labels | None = None
) -> str:
    """The whole print style for one paper size, with `short_title` in the running header
    and the footer's and the cross-references' words from `labels` (`print/page_of`,
    `print/page`)."""
    labels = labels or Labels()
    size = PAPERS[paper(paper_size)]
    target = "attr(data-page)"
    footer = content(labels("print/page_of"), {"page": "counter(page)", "pages": "counter(pages)"})
    on_page = content(labels("print/page"), {"page": target})
    return f"""\
@page {{ size: {size}; margin: {MARGIN_TOP}mm {MARGIN_SIDE}mm {MARGIN_BOTTOM}mm;
  @top-left {{ content: {_string(short_title)}; font: 8pt "DejaVu Sans", sans-serif;
    color: #444; vertical-align: bottom; padding-bottom: 4mm; }}
  @bottom-center {{ content: {footer};
    font: 8pt "DejaVu Sans", sans-serif; color: #444; vertical-align: top; padding-top: 4mm; }} }}
@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }}
  @bottom-center {{ content: none; }} }}
a.to-page::after {{ content: " (" attr(data-where) ", " {on_page} ")"; }}
a.to-page.bare::after {{ content: ", " {on_page}; }}
.contents a::before {{ content: "{"." * 200}"; order: 1; flex: 1 0 2em; overflow: hidden;
  white-space: nowrap; margin: 0 0.4em; font-weight: 400; color: #666; width: 2em; }}
{_BODY}"""


_BODY = """\
html { color: #000; background: #fff; }
body { font: 10pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0;
  font-variant-ligatures: none; hyphens: manual; overflow-wrap: break-word; }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; break-after: avoid; break-inside: avoid; }
h1 { font-size: 18pt; margin: 0 0 0.6em; }
h2 { font-size: 14pt; margin: 1.3em 0 0.5em; }
h3 { font-size: 11.5pt; margin: 1.2em 0 0.4em; }
h4, h5, h6 { font-size: 10.5pt; margin: 1em 0 0.3em; }
section.group > section.item h2 { font-size: 15pt; }
section.item + section.item { margin-top: 2.5em; }
section.part { break-before: page; }
p, li, dd { orphans: 3; widows: 3; }
a { color: #0b4ea2; text-decoration: none; }
a.show-url::after { content: " <" attr(href) ">"; font-size: 85%; color: #444; }
a[href^="http"], .references a { overflow-wrap: anywhere; word-break: break-all; }
.cover { height: 230mm; display: flex; flex-direction: column; justify-content: center; }
.cover-title { font-size: 26pt; margin-bottom: 0.4em; }
.cover-subtitle { font-size: 15pt; margin: 0 0 2em; }
.cover-publisher { font-size: 13pt; font-weight: 700; margin: 0; }
.cover-date, .cover-authors { font-size: 12pt; margin: 0.2em 0; }
.cover-details { margin-top: 3em; font-size: 9pt; }
.cover-details a { overflow-wrap: anywhere; }
.contents { break-before: page; }
.contents ul { list-style: none; padding: 0; margin: 0; }
.contents li { margin: 0.3em 0; break-inside: avoid; }
.contents li.level-1 { font-weight: 700; margin-top: 0.8em; }
.contents li.level-2 { padding-left: 1.5em; }
.contents a { color: #000; display: flex; align-items: baseline; }
.contents a::after { content: attr(data-page); order: 2; font-weight: 400; }
figure, table, tr, pre, blockquote, .admonition, .chart, svg, img { break-inside: avoid; }
figure { margin: 0.8em 0; }
figure.quote blockquote { margin: 0; padding-left: 1em; border-left: 3px solid #999; }
figure.quote figcaption { font-style: italic; }
.quote-context, .kicker, .byline, .quote-ref, .addressed-by { color: #333; font-size: 9pt; }
.number { color: #444; font-weight: 400; margin-right: 0.3em; }
.figure-value, .key-figure { font-size: 14pt; font-weight: 700; }
.evidence-label { font-weight: 700; font-size: 9pt; margin-bottom: 0.2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 9pt; max-width: 100%; }
th, td { border: 1px solid #999; padding: 0.2em 0.45em; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
td.numeric { text-align: right; }
caption { font-weight: 700; text-align: left; padding-bottom: 0.4em; }
table + .chart { break-before: avoid; }
.chart svg { width: 100%; max-width: 100%; height: auto; }
img { max-width: 100%; height: auto; }
.admonition { border-left: 4px solid #666; padding: 0.1em 1em; margin: 0.8em 0;
  background: #f4f4f4; }
.admonition-title { font-weight: 700; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 8.5pt; background: #f4f4f4;
  padding: 0.6em; }
abbr { text-decoration: none; }
ol.references { list-style: none; padding-left: 0; }
ol.references > li { margin: 0 0 0.5em 2.2em; text-indent: -2.2em; }
.ref-number { display: inline-block; width: 2.2em; text-indent: 0; }
dl.glossary dt { font-weight: 700; float: left; clear: left; width: 6em; }
dl.glossary dd { margin: 0 0 0.3em 7em; }
"""


def running(parts: Sequence[tuple[str, str]]) -> str:
    """The running header's part title: each part (its element's id, its title) is printed on
    a named page of its own, whose top-right margin box shows the title."""
    rules = []
    for index, (ident, title) in enumerate(parts, start=1):
        rules.append(
            f"[id={_string(ident)}] {{ page: part-{index}; }}\n"
            f"@page part-{index} {{ @top-right {{ content: {_string(title)}; "
            'font: 8pt "DejaVu Sans", sans-serif; color: #444; vertical-align: bottom; '
            "padding-bottom: 4mm; } }"
        )
    return "\n".join(rules) + "\n"

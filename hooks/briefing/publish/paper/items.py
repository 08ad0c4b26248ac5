"""The items as printed: findings numbered, the executive summary, a recommendation without
the findings it addresses, a theme with each quote printed once."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ...model import Briefing
from .builder import Builder
from .fragment import (
    classes_of,
    demote_headings,
    parse_fragment,
    sections,
    text_of,
    word_list,
)
from .records import PrintPage

_SCREEN_SECTION = "cite-recommendation"  # a section holding it is the cite box: left out


def finding_numbers(briefing: Briefing) -> dict[str, str]:
    """'3.2' for the second finding of theme 3, in the themes' order."""
    themes = {t.id: t.number for t in briefing.themes}
    counts: dict[str, int] = {}
    numbers = {}
    for finding in briefing.findings:
        counts[finding.theme] = counts.get(finding.theme, 0) + 1
        numbers[finding.id] = f"{themes.get(finding.theme, 0)}.{counts[finding.theme]}"
    return numbers


def print_summary(builder: Builder, home: PrintPage) -> tuple[str, str] | None:
    """The home page's section that holds the executive summary: (its heading, its HTML)."""
    summary = builder.briefing.report.summary
    wanted = word_list(summary.text)[:8] if summary is not None else []
    if not wanted:
        return None
    root = parse_fragment(home.content)
    for group in sections(root)[1:]:
        words = word_list(" ".join(text_of(e) for e in group[1:]))
        if any(words[i : i + len(wanted)] == wanted for i in range(len(words))):
            body = parse_fragment("")
            for child in list(body):
                body.remove(child)
            for element in group[1:]:
                body.append(element)
            heading = text_of(group[0])
            heading = re.sub(r"\s*¶$", "", heading)
            page = PrintPage(home.src, home.url, heading, "")
            builder.rewrite(body, page, "summary")
            inner = "".join(lxml.html.tostring(c, encoding="unicode") for c in body)
            return heading, inner
    return None


def print_recommendation(builder: Builder, page: PrintPage, rec_id: str, section: str) -> str:
    """A recommendation page without the findings it addresses (referred to instead), its
    works cited (the references are in the document), its cite box (download links, BibTeX
    and CSL-JSON: for the screen) and its pager."""
    briefing = builder.briefing
    rec = next(r for r in briefing.recommendations if r.id == rec_id)
    root = parse_fragment(page.content)
    kept = []
    for group in sections(root):
        reprints = any(
            "#finding-" in str(a.get("href", ""))
            for e in group
            if e.tag == "h3"
            for a in e.iter("a")
        )
        cited = any("works-cited" in classes_of(e) or e.find_class("works-cited") for e in group)
        cite_box = any(
            _SCREEN_SECTION in classes_of(e) or e.find_class(_SCREEN_SECTION) for e in group
        )
        if group and group[0].tag == "h2" and (reprints or cited or cite_box):
            continue
        kept += group
    for child in list(root):
        root.remove(child)
    for element in kept:
        root.append(element)
    findings = {f.id: f for f in briefing.findings}
    addressed = [findings[f] for f in rec.addresses if f in findings]
    if addressed:
        paragraph = etree.SubElement(root, "p", {"class": "addresses"})
        strong = etree.SubElement(paragraph, "strong")
        strong.text = briefing.labels("print/addresses") + " "
        for index, finding in enumerate(addressed):
            link = etree.SubElement(paragraph, "a", {"href": f"#{finding.id}"})
            link.text = finding.title  # the print style adds " (Finding 3.2, p. 12)"
            link.tail = "; " if index + 1 < len(addressed) else ""
    builder.rewrite(root, page, section)
    demote_headings(root)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def print_theme(builder: Builder, page: PrintPage, section: str) -> str:
    """A theme page with each finding numbered and each quote printed once."""
    briefing = builder.briefing
    labels = briefing.labels
    numbers = finding_numbers(briefing)
    quotes = {" ".join(q.text.split()): q for q in briefing.quotes}
    root = parse_fragment(page.content)
    for heading in root.iter("h2"):
        number = numbers.get(str(heading.get("id", "")))
        if number:
            label = etree.Element("span", {"class": "number"})
            label.text = labels("print/finding", number=number)
            label.tail = " " + (heading.text or "")
            heading.text = None
            heading.insert(0, label)
    for figure in list(root.iter("figure")):
        if "quote" not in classes_of(figure) or figure.get("id"):
            continue
        blockquote = figure.find("blockquote")
        said = " ".join(text_of(blockquote).split()) if blockquote is not None else ""
        quote = quotes.get(said)
        if quote is None:
            continue
        reference = etree.Element("p", {"class": "quote-ref"})
        reference.text = labels("print/quoted_above") + " "
        link = etree.SubElement(reference, "a", {"href": f"#{quote.id}"})
        words = quote.text.split()
        opening = " ".join(words[:8]) + ("…" if len(words) > 8 else "")
        link.text = labels("print/quotation", words=opening)
        link.tail = f" ({quote.attribution})"
        reference.tail = figure.tail
        parent = figure.getparent()
        assert parent is not None
        parent.replace(figure, reference)
    builder.rewrite(root, page, section)
    demote_headings(root)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)

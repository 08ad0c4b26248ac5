"""The briefing as one document for paper, in the report's order, each item printed once.

Made from the engine's records (what is a theme, a finding, a recommendation, and their
numbers) and the site's rendered page fragments (the words as readers get them, citations
numbered, abbreviations marked). The order: cover, contents, the summary, the recommendations,
the prose pages and the survey figures in reading order, each theme with its findings, then the
references and the glossary. What only makes sense on screen is left out: the home page's
cards, downloads and cite box, the indexes of themes and recommendations, the change log,
"last updated" lines, permalinks, pagers, "cited in" lists. A recommendation refers to the
findings it addresses instead of printing them again; a quote shown under two findings is
printed under the first and referred to from the second.

Links become links inside the document, and the print style (`style`) adds the page each one
leads to ("Finding 3.2, p. 12"): paper cannot follow a link. Item ids (finding-…, rec-…, ref-…)
stay as they are, so each item is one named destination of the PDF; other ids are prefixed by
their section, so two pages' "why" headings cannot clash.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ...labels import Labels
from ...model import Briefing, Report
from ...render.formats import Formats
from . import files

_WORD = re.compile(r"[^\W_]+")
_LOCAL_URL = re.compile(r"url\(#([^)]+)\)")
_ID_LISTS = ("aria-labelledby", "aria-describedby", "headers", "for")
_ITEM = re.compile(r"^(theme|finding|quote|stat|rec|ref)-")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# What is there only for the screen, wherever it is (class names written by the engine,
# Python-Markdown and the theme).
_SCREEN = (
    "headerlink",
    "last-updated",
    "rec-pager",
    "cited-in",
    "ref-link",
    "md-source-file",
    "downloads",
    "cite-briefing",
    "timeline-feed",  # a recommendation's feed: for feed readers, not paper
)
_SCREEN_SECTION = "cite-recommendation"  # a section holding it is the cite box: left out


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


def page_key(url: str) -> str:
    """A page URL in one form: 'recommendations/x/', '.../index.html' and '...' alike."""
    path = posixpath.normpath(url) if url else "."
    if path == "index.html":
        return "."
    return path.removesuffix("/index.html")


def finding_numbers(briefing: Briefing) -> dict[str, str]:
    """'3.2' for the second finding of theme 3, in the themes' order."""
    themes = {t.id: t.number for t in briefing.themes}
    counts: dict[str, int] = {}
    numbers = {}
    for finding in briefing.findings:
        counts[finding.theme] = counts.get(finding.theme, 0) + 1
        numbers[finding.id] = f"{themes.get(finding.theme, 0)}.{counts[finding.theme]}"
    return numbers


def _words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _classes(element: etree._Element) -> list[str]:
    """An element's classes in the order written (a set's order would change between runs)."""
    return list(dict.fromkeys(str(element.get("class", "")).split()))


def _fragment(content: str) -> etree._Element:
    root: etree._Element = lxml.html.fragment_fromstring(content or "<p></p>", create_parent="div")
    return root


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    if tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _sections(root: etree._Element, tag: str = "h2") -> list[list[etree._Element]]:
    """The children of `root` grouped by heading: [before the first], [heading, ...], ..."""
    groups: list[list[etree._Element]] = [[]]
    for child in root:
        if child.tag == tag:
            groups.append([])
        groups[-1].append(child)
    return groups


def _demote(root: etree._Element) -> None:
    """Every heading one level down (a page's h1 becomes an h2 under its group's h1)."""
    for element in root.iter(*_HEADINGS):
        level = int(str(element.tag)[1])
        element.tag = f"h{min(level + 1, 6)}"


@dataclass
class _Builder:
    briefing: Briefing
    pages: Mapping[str, PrintPage]  # by source
    site_dir: Path | None
    site_url: str | None
    section_of: dict[str, str] = field(default_factory=dict)  # page key -> section id
    where: dict[str, str] = field(default_factory=dict)  # item id -> "Finding 3.2" (labels)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    images: dict[str, None] = field(default_factory=dict)

    # -- ids and links ---------------------------------------------------------------------

    def rewrite(self, root: etree._Element, page: PrintPage, section: str) -> None:
        """Ids made unique in the document, links made internal, images checked."""
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            if not set(_classes(element)).isdisjoint(_SCREEN):
                _drop(element)
                continue
            if element.tag == "abbr":  # a tooltip on screen; on paper, the glossary
                element.drop_tag()
                continue
            for name, value in list(element.attrib.items()):
                lowered = name.lower()
                if lowered == "id":
                    element.set(name, self.ident(value, section))
                elif lowered in _ID_LISTS:
                    element.set(name, " ".join(self.ident(v, section) for v in value.split()))
                elif "url(#" in value:
                    element.set(
                        name,
                        _LOCAL_URL.sub(lambda m: f"url(#{self.ident(m[1], section)})", value),
                    )
            if element.tag == "a" or element.get("href") is not None:
                self.link(element, page, section)
            elif element.tag == "img":
                self.image(element, page)
            for name in ("xlink:href", "{http://www.w3.org/1999/xlink}href"):
                value = element.get(name)
                if value is not None and value.startswith("#"):
                    element.set(name, "#" + self.ident(value[1:], section))

    @staticmethod
    def ident(value: str, section: str) -> str:
        return value if _ITEM.match(value) else f"{section}--{value}"

    def link(self, element: etree._Element, page: PrintPage, section: str) -> None:
        value = element.get("href")
        if value is None:
            return
        parts = urlsplit(html.unescape(value))
        if parts.scheme or value.startswith("//"):
            if parts.scheme not in ("http", "https", "mailto"):
                del element.attrib["href"]
            elif _text(element) != value and parts.scheme != "mailto":
                element.set("class", " ".join([*_classes(element), "show-url"]))
            return
        if not parts.path:
            anchor = self.ident(parts.fragment, section) if parts.fragment else section
        else:
            folder = page.url if page.url.endswith("/") else posixpath.dirname(page.url)
            target = posixpath.normpath(posixpath.join(folder or ".", unquote(parts.path)))
            key = page_key(target)
            if key not in self.section_of:
                if self.site_url and not target.startswith(".."):
                    element.set("href", self.site_url + target)
                    element.set("class", " ".join([*_classes(element), "show-url"]))
                else:
                    del element.attrib["href"]  # nowhere to go on paper
                return
            into = self.section_of[key]
            anchor = self.ident(parts.fragment, into) if parts.fragment else into
        element.set("href", f"#{anchor}")
        if "citation" in _classes(element):
            return  # a citation keeps its number: the references list is in the document
        label = self.where.get(anchor, "")
        shown = _text(element)
        classes = [*_classes(element), "to-page"]
        if label and not shown.startswith(label):  # "Recommendation 2: …" says it already
            element.set("data-where", label)
        else:
            classes.append("bare")
        element.set("class", " ".join(classes))

    def image(self, element: etree._Element, page: PrintPage) -> None:
        value = element.get("src") or ""
        where = f"docs/{page.src}" if page.src not in generated_sources(self.briefing) else ""
        try:
            if self.site_dir is None:
                raise files.Refused("the site's folder is unknown")
            relative = files.site_path(self.site_dir, html.unescape(value), page.url)
            files.site_file(self.site_dir, relative)
        except files.Refused as why:
            name = where or page.url or "the home page"
            (self.notes if isinstance(why, files.Missing) else self.problems).append(
                f"{name}: the image {value!r} is left out of the PDF: {why}; "
                "use an image inside docs/ with a relative address"
            )
            _drop(element)
            return
        self.images[relative] = None
        element.set("src", relative)
        for name in ("srcset", "sizes"):
            element.attrib.pop(name, None)

    # -- the parts -------------------------------------------------------------------------

    def section(self, page: PrintPage, section: str, *, demote: bool = False) -> str:
        root = _fragment(page.content)
        if root.find("h1") is None:
            heading = etree.SubElement(root, "h1")
            heading.text = html.unescape(page.title)
            root.insert(0, heading)
        self.rewrite(root, page, section)
        _number_references(root)
        if demote:
            _demote(root)
        return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)

    def heading(self, page: PrintPage) -> str:
        root = _fragment(page.content)
        for link in root.find_class("headerlink"):
            _drop(link)
        first = root.find(".//h1")
        return _text(first) if first is not None else html.unescape(page.title)


def _generated() -> ModuleType:
    """The generated pages' module. Imported when a document is made, not with this module:
    it imports the downloads, which import the PDF step (a cycle at import time only)."""
    from ...render import pages

    return pages


def _number_references(root: etree._Element) -> None:
    """Reference numbers as text, not list markers: they are copied and searched with the
    entry, and read out by assistive technology as the citations' numbers."""
    for listing in root.find_class("references"):
        if listing.tag != "ol":
            continue
        for index, item in enumerate(listing.iter("li"), start=1):
            number = etree.Element("span", {"class": "ref-number"})
            number.text = f"{item.get('value', index)}."
            number.tail = " " + (item.text or "")
            item.text = None
            item.insert(0, number)


def generated_sources(briefing: Briefing) -> set[str]:
    generated = _generated()
    fixed = {
        generated.HOME,
        generated.SURVEY,
        generated.THEMES,
        generated.RECOMMENDATIONS,
        generated.REFERENCES,
        generated.GLOSSARY,
        generated.CHANGES,
    }
    fixed |= {generated.theme_page(t.id) for t in briefing.themes}
    fixed |= {generated.rec_page(r) for r in briefing.recommendations}
    return fixed


def _summary(builder: _Builder, home: PrintPage) -> tuple[str, str] | None:
    """The home page's section that holds the executive summary: (its heading, its HTML)."""
    summary = builder.briefing.report.summary
    wanted = _words(summary.text)[:8] if summary is not None else []
    if not wanted:
        return None
    root = _fragment(home.content)
    for group in _sections(root)[1:]:
        words = _words(" ".join(_text(e) for e in group[1:]))
        if any(words[i : i + len(wanted)] == wanted for i in range(len(words))):
            body = _fragment("")
            for child in list(body):
                body.remove(child)
            for element in group[1:]:
                body.append(element)
            heading = _text(group[0])
            heading = re.sub(r"\s*¶$", "", heading)
            page = PrintPage(home.src, home.url, heading, "")
            builder.rewrite(body, page, "summary")
            inner = "".join(lxml.html.tostring(c, encoding="unicode") for c in body)
            return heading, inner
    return None


def _recommendation(builder: _Builder, page: PrintPage, rec_id: str, section: str) -> str:
    """A recommendation page without the findings it addresses (referred to instead), its
    works cited (the references are in the document), its cite box (download links, BibTeX
    and CSL-JSON: for the screen) and its pager."""
    briefing = builder.briefing
    rec = next(r for r in briefing.recommendations if r.id == rec_id)
    root = _fragment(page.content)
    kept = []
    for group in _sections(root):
        reprints = any(
            "#finding-" in str(a.get("href", ""))
            for e in group
            if e.tag == "h3"
            for a in e.iter("a")
        )
        cited = any("works-cited" in _classes(e) or e.find_class("works-cited") for e in group)
        cite_box = any(
            _SCREEN_SECTION in _classes(e) or e.find_class(_SCREEN_SECTION) for e in group
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
    _demote(root)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _theme(builder: _Builder, page: PrintPage, section: str) -> str:
    """A theme page with each finding numbered and each quote printed once."""
    briefing = builder.briefing
    labels = briefing.labels
    numbers = finding_numbers(briefing)
    quotes = {" ".join(q.text.split()): q for q in briefing.quotes}
    root = _fragment(page.content)
    for heading in root.iter("h2"):
        number = numbers.get(str(heading.get("id", "")))
        if number:
            label = etree.Element("span", {"class": "number"})
            label.text = labels("print/finding", number=number)
            label.tail = " " + (heading.text or "")
            heading.text = None
            heading.insert(0, label)
    for figure in list(root.iter("figure")):
        if "quote" not in _classes(figure) or figure.get("id"):
            continue
        blockquote = figure.find("blockquote")
        said = " ".join(_text(blockquote).split()) if blockquote is not None else ""
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
    _demote(root)
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _cover(
    report: Report, formats: Formats, labels: Labels, site_url: str | None, citation: str | None
) -> str:
    """The cover: the report's title, publisher and date, and where to read and how to cite
    it (each line's words from `labels`, the values escaped; `citation` is HTML)."""

    def link(address: str) -> str:
        return f'<a href="{html.escape(address)}">{html.escape(address)}</a>'

    parts = [f'<h1 class="cover-title">{html.escape(report.title)}</h1>']
    if report.subtitle:
        parts.append(f'<p class="cover-subtitle">{html.escape(report.subtitle)}</p>')
    parts.append(f'<p class="cover-publisher">{html.escape(report.publisher)}</p>')
    parts.append(f'<p class="cover-date">{html.escape(formats.date(report.date))}</p>')
    authors = ", ".join(report.authors)
    if authors and authors != report.publisher:
        parts.append(f'<p class="cover-authors">{html.escape(authors)}</p>')
    details = []
    if report.doi:
        details.append(labels("print/doi", html.escape, doi=link(f"https://doi.org/{report.doi}")))
    address = site_url  # the briefing's own address; report.url is the original report's
    if address:
        details.append(labels("print/read_online", html.escape, address=link(address)))
    if report.licence:
        details.append(labels("print/licence", html.escape, licence=html.escape(report.licence)))
    if citation:
        details.append(labels("print/cite_as", html.escape, citation=citation))
    if details:
        parts.append('<div class="cover-details">' + "".join(f"<p>{d}</p>" for d in details))
        parts[-1] += "</div>"
    return '<section class="cover" id="cover">' + "".join(parts) + "</section>"


def _contents(entries: Sequence[Entry], labels: Labels) -> str:
    items = "".join(
        f'<li class="level-{e.level}"><a href="#{html.escape(e.anchor)}">'
        f"{html.escape(e.title)}</a></li>"
        for e in entries
    )
    return (
        '<nav class="contents" id="contents" aria-labelledby="contents-title">'
        f'<h1 id="contents-title">{html.escape(labels("print/contents"))}</h1>'
        f"<ul>{items}</ul></nav>"
    )


def _meta(name: str, value: str) -> str:
    return f'<meta name="{name}" content="{html.escape(value)}">\n' if value else ""


def document(
    pages: Sequence[PrintPage],
    briefing: Briefing,
    *,
    site_url: str | None = None,
    site_dir: Path | None = None,
    citation: str | None = None,
    language: str = "en",
    css: str = "",
    created: str | None = None,
    formats: Formats | None = None,
) -> Document:
    """The print document from the built pages (any order: the records give the order).

    `citation` is the briefing's formatted citation (HTML); `site_dir` is the built site, the
    only place images are read from; links to site files that are not in the document go to
    `site_url`, or are dropped when the site's address is unknown. `created` (ISO 8601) is the
    PDF's date. Every word the document adds is one of the briefing's labels; its dates are
    written by `formats` (the site's: its locale and labels).
    """
    generated = _generated()
    report = briefing.report
    labels = briefing.labels
    formats = formats or Formats(labels=labels)
    by_src = {p.src: p for p in pages}
    fixed = generated_sources(briefing)
    base = (site_url.rstrip("/") + "/") if site_url else None
    builder = _Builder(briefing, by_src, site_dir, base)
    numbers = finding_numbers(briefing)
    themes = [(t, generated.theme_page(t.id)) for t in briefing.themes]
    recs = [(r, generated.rec_page(r)) for r in briefing.recommendations]
    prose = [
        p
        for p in pages
        if p.src not in fixed or p.src == generated.SURVEY
        if p.src not in (generated.REFERENCES, generated.GLOSSARY)
    ]

    def slug(src: str) -> str:
        key = page_key(by_src[src].url) if src in by_src else src
        return re.sub(r"[^A-Za-z0-9_-]+", "-", key.removesuffix(".html")).strip("-") or "page"

    # Where each page's links go in the document, and how a link names what it leads to.
    if generated.HOME in by_src:
        builder.section_of[page_key(by_src[generated.HOME].url)] = "cover"
    if generated.RECOMMENDATIONS in by_src:
        builder.section_of[page_key(by_src[generated.RECOMMENDATIONS].url)] = "recommendations"
    if generated.THEMES in by_src:
        builder.section_of[page_key(by_src[generated.THEMES].url)] = "themes"
    for rec, src in recs:
        if src in by_src:
            builder.section_of[page_key(by_src[src].url)] = rec.id
        builder.where[rec.id] = labels("recommendation", number=rec.number)
    for theme, src in themes:
        if src in by_src:
            builder.section_of[page_key(by_src[src].url)] = theme.id
        builder.where[theme.id] = labels("theme", number=theme.number)
    for finding_id, number in numbers.items():
        builder.where[finding_id] = labels("print/finding", number=number)
    for page in [
        *prose,
        *(by_src[s] for s in (generated.REFERENCES, generated.GLOSSARY) if s in by_src),
    ]:
        builder.section_of[page_key(page.url)] = slug(page.src)

    body: list[str] = []
    entries: list[Entry] = []
    parts = 2  # the cover and the contents
    if generated.HOME in by_src:
        summary = _summary(builder, by_src[generated.HOME])
        if summary is not None:
            heading, inner = summary
            entries.append(Entry("summary", heading, 1))
            body.append(
                f'<section class="part" id="summary"><h1>{html.escape(heading)}</h1>{inner}'
                "</section>"
            )
            parts += 1
    shown_recs = [(r, s) for r, s in recs if s in by_src]
    if shown_recs:
        entries.append(Entry("recommendations", labels("pages/recommendations"), 1))
        items = []
        for rec, src in shown_recs:
            page = by_src[src]
            entries.append(Entry(rec.id, builder.heading(page), 2))
            items.append(
                f'<section class="item" id="{html.escape(rec.id)}-section">'
                f"{_recommendation(builder, page, rec.id, rec.id)}</section>"
            )
        body.append(
            '<section class="part group" id="recommendations">'
            f"<h1>{html.escape(labels('pages/recommendations'))}</h1>"
            + "".join(items)
            + "</section>"
        )
        parts += 1
    for page in prose:
        if page.src == generated.SURVEY or page.src not in fixed:
            ident = slug(page.src)
            entries.append(Entry(ident, builder.heading(page), 1))
            body.append(
                f'<section class="part" id="{html.escape(ident)}">'
                f"{builder.section(page, ident)}</section>"
            )
            parts += 1
            continue
    shown_themes = [(t, s) for t, s in themes if s in by_src]
    if shown_themes:
        entries.append(Entry("themes", labels("pages/themes"), 1))
        items = []
        for theme, src in shown_themes:
            page = by_src[src]
            title = labels("theme_kicker", number=theme.number, title=builder.heading(page))
            entries.append(Entry(theme.id, title, 2))
            items.append(
                f'<section class="item" id="{html.escape(theme.id)}-section">'
                f"{_theme(builder, page, theme.id)}</section>"
            )
        body.append(
            '<section class="part group" id="themes">'
            f"<h1>{html.escape(labels('pages/themes'))}</h1>" + "".join(items) + "</section>"
        )
        parts += 1
    for src in (generated.REFERENCES, generated.GLOSSARY):
        if src in by_src:
            page = by_src[src]
            ident = slug(src)
            entries.append(Entry(ident, builder.heading(page), 1))
            body.append(
                f'<section class="part" id="{html.escape(ident)}">'
                f"{builder.section(page, ident)}</section>"
            )
            parts += 1
    head = (
        '<meta charset="utf-8">\n'
        f"<title>{html.escape(report.title)}</title>\n"
        + _meta("author", ", ".join(report.authors))
        + _meta("description", report.subtitle or report.title)
        + _meta("keywords", ", ".join(report.keywords))
        + _meta("generator", "briefing")
        + _meta("dcterms.created", created or "")
        + _meta("dcterms.modified", created or "")
        + f"<style>\n{css}</style>\n"
    )
    text = (
        f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head>\n{head}</head>\n<body>\n'
        + _cover(report, formats, labels, base, citation)
        + "\n"
        + _contents(entries, labels)
        + "\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
    return Document(
        text,
        tuple(entries),
        tuple(builder.images),
        tuple(builder.problems),
        parts,
        tuple(dict.fromkeys(builder.notes)),
    )

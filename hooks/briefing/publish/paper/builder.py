"""One print document in the making: each page's ids made unique, its links made internal, its
images checked, its sections cut out."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree

from ...model import Briefing
from ...render import pages as generated
from . import files
from .fragment import (
    classes_of,
    demote_headings,
    drop,
    number_references,
    page_key,
    parse_fragment,
    text_of,
)
from .records import PrintPage

_LOCAL_URL = re.compile(r"url\(#([^)]+)\)")
_ID_LISTS = ("aria-labelledby", "aria-describedby", "headers", "for")
_ITEM = re.compile(r"^(theme|finding|quote|stat|rec|ref)-")
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


@dataclass
class Builder:
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
            if not set(classes_of(element)).isdisjoint(_SCREEN):
                drop(element)
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
            elif text_of(element) != value and parts.scheme != "mailto":
                element.set("class", " ".join([*classes_of(element), "show-url"]))
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
                    element.set("class", " ".join([*classes_of(element), "show-url"]))
                else:
                    del element.attrib["href"]  # nowhere to go on paper
                return
            into = self.section_of[key]
            anchor = self.ident(parts.fragment, into) if parts.fragment else into
        element.set("href", f"#{anchor}")
        if "citation" in classes_of(element):
            return  # a citation keeps its number: the references list is in the document
        label = self.where.get(anchor, "")
        shown = text_of(element)
        classes = [*classes_of(element), "to-page"]
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
            drop(element)
            return
        self.images[relative] = None
        element.set("src", relative)
        for name in ("srcset", "sizes"):
            element.attrib.pop(name, None)

    # -- the parts -------------------------------------------------------------------------

    def section(self, page: PrintPage, section: str, *, demote: bool = False) -> str:
        root = parse_fragment(page.content)
        if root.find("h1") is None:
            heading = etree.SubElement(root, "h1")
            heading.text = html.unescape(page.title)
            root.insert(0, heading)
        self.rewrite(root, page, section)
        number_references(root)
        if demote:
            demote_headings(root)
        return "".join(lxml.html.tostring(child, encoding="unicode") for child in root)

    def heading(self, page: PrintPage) -> str:
        root = parse_fragment(page.content)
        for link in root.find_class("headerlink"):
            drop(link)
        first = root.find(".//h1")
        return text_of(first) if first is not None else html.unescape(page.title)


def generated_sources(briefing: Briefing) -> set[str]:
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

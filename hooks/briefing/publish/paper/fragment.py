"""The built pages' HTML fragments, read and changed with lxml for the print document."""

from __future__ import annotations

import posixpath
import re

import lxml.html
from lxml import etree

_WORD = re.compile(r"[^\W_]+")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def page_key(url: str) -> str:
    """A page URL in one form: 'recommendations/x/', '.../index.html' and '...' alike."""
    path = posixpath.normpath(url) if url else "."
    if path == "index.html":
        return "."
    return path.removesuffix("/index.html")


def word_list(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def text_of(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def classes_of(element: etree._Element) -> list[str]:
    """An element's classes in the order written (a set's order would change between runs)."""
    return list(dict.fromkeys(str(element.get("class", "")).split()))


def parse_fragment(content: str) -> etree._Element:
    root: etree._Element = lxml.html.fragment_fromstring(content or "<p></p>", create_parent="div")
    return root


def drop(element: etree._Element) -> None:
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


def sections(root: etree._Element, tag: str = "h2") -> list[list[etree._Element]]:
    """The children of `root` grouped by heading: [before the first], [heading, ...], ..."""
    groups: list[list[etree._Element]] = [[]]
    for child in root:
        if child.tag == tag:
            groups.append([])
        groups[-1].append(child)
    return groups


def demote_headings(root: etree._Element) -> None:
    """Every heading one level down (a page's h1 becomes an h2 under its group's h1)."""
    for element in root.iter(*_HEADINGS):
        level = int(str(element.tag)[1])
        element.tag = f"h{min(level + 1, 6)}"


def number_references(root: etree._Element) -> None:
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

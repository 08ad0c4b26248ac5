"""A BibTeX entry as a CSL-JSON item: its type, names, dates and fields as CSL variables.

The same item serves the downloads (`references.json`, plain Unicode text) and citeproc-py
(`markup=True`: HTML-escaped, brace-protected words marked), so the formatted entry and the
published data say the same.
"""

from __future__ import annotations

import html
import re

from ..model import Reference
from . import fieldmap as fm
from .dates import csl_date
from .latex import to_markup, to_text
from .names import csl_names

# How a DOI is written before the DOI itself: as its address, or as "doi:".
DOI_PREFIX = r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)"
_DOI_PREFIX = re.compile(rf"^\s*{DOI_PREFIX}", re.IGNORECASE)
_URL_MACRO = re.compile(r"^\s*\\url\{([^{}]*)\}\s*$")


def to_csl_json(ref: Reference, *, markup: bool = False) -> dict[str, object]:
    """A CSL-JSON item (id = BibTeX key) with LaTeX turned into plain Unicode text; with
    `markup` (for citeproc-py, which does not escape variables), values are HTML-escaped and
    the protected words of titles are marked nocase."""
    fields = _fields(ref)
    for main, sub, joint in fm.SUBTITLES:
        if main in fields and sub in fields:
            fields[main] = f"{fields[main]}{joint}{fields[sub]}"

    def verbatim(value: str) -> str:
        return html.escape(value, quote=False) if markup else value

    def text(value: str) -> str:
        return verbatim(to_text(value))

    def title(value: str) -> str:
        return to_markup(value) if markup else to_text(value)

    csl_type = _csl_type(ref.type, fields)
    number = fm.NUMBER.get(csl_type, "number" if csl_type in fm.NUMBERED else "collection-number")
    item: dict[str, object] = {"id": ref.key, "type": csl_type}
    if "title" in fields:
        subtitle = fields.get("subtitle")
        item["title"] = title(fields["title"] + (f": {subtitle}" if subtitle else ""))
    for bib, csl in fm.NAME_FIELDS:
        if bib in fields and csl not in item and (names := csl_names(fields[bib], text)):
            item[csl] = names
    contributors = [
        n for bib in fm.CONTRIBUTORS if bib in fields for n in csl_names(fields[bib], text)
    ]
    if contributors:
        item["contributor"] = contributors
    for bib, csl in (*fm.SIMPLE, ("number", number)):
        if bib in fields and csl not in item:
            item[csl] = (title if csl in fm.TITLES else text)(fields[bib])
    if csl_type == "thesis" and "genre" not in item and ref.type in fm.GENRES:
        item["genre"] = fm.GENRES[ref.type]
    for bib in fm.BODIES:
        if bib not in fields:
            continue
        if csl_type in fm.LEGAL:  # the court or legislature
            item.setdefault("authority", text(fields[bib]))
        elif "author" in item or "editor" in item:
            item.setdefault("publisher", text(fields[bib]))
        elif names := csl_names("{" + fields[bib] + "}", text):
            item["author"] = names
    if "howpublished" in fields and not _URL_MACRO.match(fields["howpublished"]):
        item["medium"] = text(fields["howpublished"])
    doi, url = _doi_url(fields)
    for csl, value in (
        ("DOI", doi),
        ("URL", url),
        *((csl, fields.get(bib)) for bib, csl in fm.VERBATIM),
    ):
        if value and csl not in item:
            item[csl] = verbatim(value.strip())
    for bib, csl in fm.DATES:
        if csl not in item and (date := csl_date(fields, bib)):
            item[csl] = date
    return {key: value for key, value in item.items() if value not in ("", [])}


def doi_url(ref: Reference) -> tuple[str | None, str | None]:
    """The entry's bare DOI, and its URL (the url field, or howpublished = {\\url{...}})."""
    return _doi_url(_fields(ref))


def _fields(ref: Reference) -> dict[str, str]:
    """The entry's non-empty fields by lower-case name."""
    return {name.lower(): value for name, value in ref.fields.items() if value.strip()}


def _doi_url(fields: dict[str, str]) -> tuple[str | None, str | None]:
    doi = _DOI_PREFIX.sub("", fields["doi"]).strip() if "doi" in fields else None
    url = next((fields[n].strip() for n in ("url", "uri", "bdsk-url-1") if n in fields), "")
    if not url and (match := _URL_MACRO.match(fields.get("howpublished", ""))):
        url = match.group(1).strip()
    return doi or None, url or None


def _csl_type(entry_type: str, fields: dict[str, str]) -> str:
    """The CSL type; a misc or unpublished entry held at an event is a talk or meeting."""
    if entry_type in ("misc", "unpublished") and ("eventtitle" in fields or "venue" in fields):
        return "speech"
    if entry_type == "article" and fields.get("entrysubtype", "").strip() in fm.ARTICLE_KINDS:
        return fm.ARTICLE_KINDS[fields["entrysubtype"].strip()]
    return fm.TYPES.get(entry_type, "document")

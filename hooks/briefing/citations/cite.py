"""How to cite the briefing itself: one record, shown as a formatted entry, BibTeX and CFF.

The briefing is described once, as a BibTeX `@techreport` (`reference`); the home page's
formatted citation goes through the same CSL formatter as every other reference, the BibTeX
block is that record written out, and CITATION.cff says the same for GitHub and reference
managers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from ..model import Recommendation, Reference, Report, Span
from ..sources.bibvalue import MONTH_MACROS
from .bibliography import Bibliography
from .formatting import plain
from .names import is_organisation

_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")
_MARKUP = re.compile(r"\[([^\]\[]*)\]\[[a-z]+-[a-z0-9-]+\]|\[@[^\]]*\]|[*_`]")


@dataclass(frozen=True)
class Citation:
    """The briefing as a work to cite: formatted (HTML and plain) and as BibTeX."""

    reference: Reference
    html: str
    text: str
    bibtex: str


def key(report: Report) -> str:
    """A citation key: the publisher's initials and the year, e.g. `ipem2024`."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", report.publisher) if w[0].isupper())
    stem = initials.lower() if len(initials) > 1 else re.sub(r"\W", "", report.title.split()[0])
    return f"{stem.lower() or 'briefing'}{report.date[:4]}"


def _escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def url_of(report: Report, site_url: str | None) -> str | None:
    """Where the briefing is read: the site's own address (`site_url`). The report's `url` is
    the original report's address, never the briefing's."""
    return site_url or None


def reference(report: Report, site_url: str | None = None) -> Reference:
    """The briefing as a BibTeX `@techreport` (fields as BibTeX holds them, braces kept)."""
    authors = " and ".join(
        f"{{{_escape(a)}}}" if is_organisation(a) else _escape(a) for a in report.authors
    )
    title = report.title + (f": {report.subtitle}" if report.subtitle else "")
    fields: dict[str, str] = {
        "title": f"{{{_escape(title)}}}",  # braced: its capitals are the publisher's
        "author": authors,
        "institution": _escape(report.publisher),
        "year": report.date[:4],
    }
    month = report.date[5:7]
    if month.isdigit() and 1 <= int(month) <= 12:
        fields["month"] = MONTH_MACROS[int(month) - 1]
    if report.doi:
        fields["doi"] = report.doi
    url = url_of(report, site_url)
    if url:
        fields["url"] = url
    return Reference(key(report), "techreport", fields, Span("data/report.yml", 1, 1))


def bibtex(ref: Reference) -> str:
    """The record as a BibTeX entry, one field a line, in the record's field order."""
    width = max(len(name) for name in ref.fields)
    lines = [f"@{ref.type}{{{ref.key},"]
    for name, value in ref.fields.items():
        macro = name == "month" and value.lower() in MONTH_MACROS  # `month = may`, unbraced
        shown = value if macro else f"{{{value}}}"
        lines.append(f"  {name.ljust(width)} = {shown},")
    return "\n".join(lines) + "\n}\n"


def citation(report: Report, bibliography: Bibliography, site_url: str | None = None) -> Citation:
    """The briefing's citation in the site's citation style, and its BibTeX."""
    return _citation(reference(report, site_url), bibliography)


def recommendation_reference(
    report: Report, rec: Recommendation, title: str, url: str | None = None
) -> Reference:
    """One recommendation as a part of the briefing: an `@incollection` titled `title` (its
    page's title, in the briefing's words) whose container (`booktitle`) is the briefing, by
    its authors and publisher, at `url` (its own page)."""
    whole = reference(report)
    fields: dict[str, str] = {
        "title": f"{{{_escape(title)}}}",
        "author": whole.fields["author"],
        "booktitle": whole.fields["title"],
        "publisher": whole.fields["institution"],
        "year": whole.fields["year"],
    }
    for name in ("month", "doi"):
        if name in whole.fields:
            fields[name] = whole.fields[name]
    if url:
        fields["url"] = url
    span = Span(rec.span.path, rec.span.line, rec.span.column)
    return Reference(f"{key(report)}-{rec.slug}", "incollection", fields, span)


def recommendation(
    report: Report,
    rec: Recommendation,
    bibliography: Bibliography,
    title: str,
    url: str | None = None,
) -> Citation:
    """How to cite one recommendation (`title`: its page's), in the site's citation style,
    and its BibTeX."""
    return _citation(recommendation_reference(report, rec, title, url), bibliography)


def _citation(ref: Reference, bibliography: Bibliography) -> Citation:
    """`ref` formatted in the site's citation style, as HTML and plain text, and as BibTeX."""
    # A title ending in ? or ! takes no extra full stop ("Profession?." in some styles).
    entry = re.sub(r"([?!])(</[a-z]+>)?\.", r"\1\2", bibliography.format([ref])[ref.key])
    return Citation(ref, entry, plain(entry), bibtex(ref))


def _plain_markdown(text: str) -> str:
    """A Markdown paragraph as plain text: custom cross-references keep their words."""
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", text).split())


def _person(name: str) -> dict[str, str]:
    if is_organisation(name):
        return {"name": name}
    given, _, family = name.rpartition(" ")
    return {"family-names": family, "given-names": given} if given else {"name": name}


def cff(report: Report, site_url: str | None = None) -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the briefing.

    CFF types are `software` and `dataset`: the briefing is published as data (YAML, BibTeX)
    and a site, so it is a dataset whose preferred citation is the report.
    """
    authors = [_person(a) for a in report.authors]
    year, month = report.date[:4], report.date[5:7]
    first = str(report.summary or "").strip().split("\n\n")[0]
    data: dict[str, object] = {
        "cff-version": "1.2.0",
        "message": "If you use or refer to this briefing, please cite it as below.",
        "type": "dataset",
        "title": report.title,
        "authors": authors,
    }
    if first:
        data["abstract"] = _plain_markdown(first)
    if report.keywords:
        data["keywords"] = list(report.keywords)
    url = url_of(report, site_url)
    if url:
        data["url"] = url
    if report.doi:
        data["doi"] = report.doi
    preferred: dict[str, object] = {
        "type": "report",
        "title": report.title,
        "authors": [dict(a) for a in authors],  # a copy: YAML would write an alias
        "institution": {"name": report.publisher},
        "publisher": {"name": report.publisher},
        "year": int(year),
    }
    if month.isdigit():
        preferred["month"] = int(month)
    for name in ("url", "doi"):
        if name in data:
            preferred[name] = data[name]
    data["preferred-citation"] = preferred
    header = (
        "# How to cite this briefing (https://citation-file-format.github.io/).\n"
        "# Made from data/report.yml: regenerate with `python -m briefing cite > CITATION.cff`.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)

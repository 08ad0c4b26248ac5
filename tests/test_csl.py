"""BibTeX references to CSL-JSON and to formatted HTML bibliography entries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from bibtexparser.entrypoint import parse_string
from briefing.citations import csllocale, cslstyle
from briefing.citations.bibliography import Bibliography
from briefing.citations.csljson import to_csl_json
from briefing.citations.formatting import plain
from briefing.model import Reference, Span
from citeproc import CitationStylesStyle

BIB = r"""
@article{braun2006,
  author = {Braun, Virginia and Clarke, Victoria},
  title = {Using thematic analysis in psychology},
  journal = {Qualitative Research in Psychology},
  volume = {3},
  number = {2},
  pages = {77--101},
  year = {2006},
  doi = {10.1191/1478088706qp063oa}
}

@online{nshcs-hsst,
  author = {{National School of Healthcare Science}},
  title = {Scaling the Heights: an overview of {HSST} in Healthcare Science},
  url = {https://nshcs.hee.nhs.uk/programmes/hsst/?tab=about&year=2024},
  urldate = {2024-05-01}
}

@misc{hsst-meeting,
  author = {{National School of Healthcare Science}},
  title = {{HSST} stakeholder meeting},
  date = {2024-03-05},
  howpublished = {Microsoft Teams}
}

@book{lacey2001,
  author = {Lacey, Anne and Luff, Donna},
  title = {Qualitative data analysis},
  publisher = {Trent Focus Group},
  address = {UK},
  year = {2001}
}
"""

VANCOUVER = {
    "braun2006": "Braun V, Clarke V. Using thematic analysis in psychology. Qualitative Research "
    "in Psychology. 2006;3(2):77–101. "
    '<a href="https://doi.org/10.1191/1478088706qp063oa">'
    "https://doi.org/10.1191/1478088706qp063oa</a>",
    "nshcs-hsst": "National School of Healthcare Science. Scaling the Heights: an overview of "
    "HSST in Healthcare Science [Internet]. [cited 2024 May 1]. Available from: "
    '<a href="https://nshcs.hee.nhs.uk/programmes/hsst/?tab=about&amp;year=2024">'
    "https://nshcs.hee.nhs.uk/programmes/hsst/?tab=about&amp;year=2024</a>",
    "hsst-meeting": "National School of Healthcare Science. HSST stakeholder meeting "
    "[Microsoft Teams]. 2024.",
    "lacey2001": "Lacey A, Luff D. Qualitative data analysis. UK: Trent Focus Group; 2001.",
}


def parse(bib: str) -> dict[str, Reference]:
    """References as the loader builds them: lower-case type and field names, raw values."""
    library = parse_string(bib)
    return {
        entry.key: Reference(
            key=entry.key,
            type=entry.entry_type.lower(),
            fields={field.key.lower(): str(field.value) for field in entry.fields},
            span=Span("references.bib", (entry.start_line or 0) + 1, 1),
        )
        for entry in library.entries
    }


def ref(type_: str, key: str = "x", **fields: str) -> Reference:
    return Reference(key, type_, fields, Span("references.bib", 1, 1))


@pytest.fixture(scope="module")
def refs() -> dict[str, Reference]:
    return parse(BIB)


# --- CSL-JSON --------------------------------------------------------------------------------


def test_sample_entries_become_csl_json(refs: dict[str, Reference]) -> None:
    assert to_csl_json(refs["braun2006"]) == {
        "id": "braun2006",
        "type": "article-journal",
        "title": "Using thematic analysis in psychology",
        "author": [
            {"family": "Braun", "given": "Virginia"},
            {"family": "Clarke", "given": "Victoria"},
        ],
        "container-title": "Qualitative Research in Psychology",
        "volume": "3",
        "issue": "2",
        "page": "77–101",
        "DOI": "10.1191/1478088706qp063oa",
        "issued": {"date-parts": [[2006]]},
    }
    online = to_csl_json(refs["nshcs-hsst"])
    assert online["type"] == "webpage"
    assert online["title"] == "Scaling the Heights: an overview of HSST in Healthcare Science"
    assert online["author"] == [{"literal": "National School of Healthcare Science"}]
    assert online["URL"] == "https://nshcs.hee.nhs.uk/programmes/hsst/?tab=about&year=2024"
    assert online["accessed"] == {"date-parts": [[2024, 5, 1]]}
    meeting = to_csl_json(refs["hsst-meeting"])
    assert meeting["type"] == "document"
    assert meeting["issued"] == {"date-parts": [[2024, 3, 5]]}
    assert meeting["medium"] == "Microsoft Teams"
    book = to_csl_json(refs["lacey2001"])
    assert book["type"] == "book"
    assert book["publisher"] == "Trent Focus Group"
    assert book["publisher-place"] == "UK"


@pytest.mark.parametrize(
    ("bibtex", "fields", "expected"),
    [
        ("article", {}, "article-journal"),
        ("book", {}, "book"),
        ("online", {}, "webpage"),
        ("www", {}, "webpage"),
        ("electronic", {}, "webpage"),
        ("inproceedings", {}, "paper-conference"),
        ("conference", {}, "paper-conference"),
        ("techreport", {}, "report"),
        ("incollection", {}, "chapter"),
        ("phdthesis", {}, "thesis"),
        ("misc", {}, "document"),
        ("unpublished", {}, "manuscript"),
        ("misc", {"eventtitle": "Annual Conference"}, "speech"),
        ("unpublished", {"venue": "Leeds"}, "speech"),
        ("patent-ish", {}, "document"),
    ],
)
def test_entry_types(bibtex: str, fields: dict[str, str], expected: str) -> None:
    assert to_csl_json(ref(bibtex, **fields))["type"] == expected


def test_thesis_gets_a_genre_and_school_publishes_it() -> None:
    item = to_csl_json(ref("phdthesis", author="Doe, Jane", school="University of Leeds"))
    assert item["genre"] == "PhD thesis"
    assert item["publisher"] == "University of Leeds"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Braun, Virginia", [{"family": "Braun", "given": "Virginia"}]),
        ("Virginia Braun", [{"family": "Braun", "given": "Virginia"}]),
        (
            "{National School of Healthcare Science}",
            [{"literal": "National School of Healthcare Science"}],
        ),
        ("{NHS} England", [{"family": "England", "given": "NHS"}]),
        (
            "Ludwig van Beethoven and de la Fontaine, Jean",
            [
                {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"},
                {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"},
            ],
        ),
        ("Doe, Jr, John", [{"family": "Doe", "given": "John", "suffix": "Jr"}]),
        ("M{\\\"u}ller, J{\\'e}r{\\^o}me", [{"family": "Müller", "given": "Jérôme"}]),
        ("Plato", [{"family": "Plato"}]),
        (
            "Smith, A. AND Jones, B. and others",
            [{"family": "Smith", "given": "A."}, {"family": "Jones", "given": "B."}],
        ),
    ],
)
def test_names(raw: str, expected: list[dict[str, str]]) -> None:
    assert to_csl_json(ref("book", author=raw))["author"] == expected


@pytest.mark.parametrize("raw", ["", " and ", "and , {} and others", ",", "{}"])
def test_weird_names_give_no_author(raw: str) -> None:
    assert "author" not in to_csl_json(ref("book", author=raw, title="T"))


def test_organization_is_the_author_only_when_there_is_none() -> None:
    assert to_csl_json(ref("online", organization="{NHS England}"))["author"] == [
        {"literal": "NHS England"}
    ]
    item = to_csl_json(ref("report", author="Doe, Jane", institution="NHS England"))
    assert item["author"] == [{"family": "Doe", "given": "Jane"}]
    assert item["publisher"] == "NHS England"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"date": "2024-03-05"}, {"date-parts": [[2024, 3, 5]]}),
        ({"date": "2024-03"}, {"date-parts": [[2024, 3]]}),
        ({"date": "2024"}, {"date-parts": [[2024]]}),
        ({"date": "2024-03-05/2024-03-06"}, {"date-parts": [[2024, 3, 5], [2024, 3, 6]]}),
        ({"date": "2024-13-40"}, {"date-parts": [[2024]]}),
        ({"year": "2001"}, {"date-parts": [[2001]]}),
        ({"year": "{2001}", "month": "mar"}, {"date-parts": [[2001, 3]]}),
        ({"year": "2001", "month": "March"}, {"date-parts": [[2001, 3]]}),
        ({"year": "2001", "month": "11", "day": "5"}, {"date-parts": [[2001, 11, 5]]}),
        ({"year": "2001", "month": "Brumaire"}, {"date-parts": [[2001]]}),
        ({"year": "in press"}, {"literal": "in press"}),
        ({"date": "Spring 2020"}, {"literal": "Spring 2020"}),
        ({"year": "n.d."}, None),
        ({}, None),
        ({"month": "mar"}, None),
    ],
)
def test_issued(fields: dict[str, str], expected: dict[str, object] | None) -> None:
    assert to_csl_json(ref("misc", **fields)).get("issued") == expected


def test_latex_becomes_unicode_and_braces_go() -> None:
    item = to_csl_json(
        ref(
            "incollection",
            title=r"Caf\'e culture --- {NHS} 50% \& R&D in {\"O}sterreich",
            booktitle=r"The \emph{Big} Book",
            pages="1--10",
            note="See ``quotes''",
        )
    )
    assert item["title"] == "Café culture — NHS 50% & R&D in Österreich"
    assert item["container-title"] == "The Big Book"
    assert item["page"] == "1–10"
    assert item["note"] == "See “quotes”"


def test_other_fields() -> None:
    item = to_csl_json(
        ref(
            "inproceedings",
            title="Talk",
            subtitle="A subtitle",
            editor="Smith, Ann",
            booktitle="Proceedings of Things",
            eventtitle="Things 2024",
            venue="Leeds",
            location="London",
            publisher="ACME",
            edition="2",
            isbn="978-3-16-148410-0",
            doi="https://doi.org/10.1000/XYZ",
            howpublished=r"\url{https://example.org/talk}",
        )
    )
    assert item["title"] == "Talk: A subtitle"
    assert item["editor"] == [{"family": "Smith", "given": "Ann"}]
    assert item["container-title"] == "Proceedings of Things"
    assert item["event-title"] == "Things 2024"
    assert item["event-place"] == "Leeds"
    assert item["publisher-place"] == "London"
    assert item["edition"] == "2"
    assert item["ISBN"] == "978-3-16-148410-0"
    assert item["DOI"] == "10.1000/XYZ"
    assert item["URL"] == "https://example.org/talk"
    assert "medium" not in item


@pytest.mark.parametrize(
    ("bibtex", "variable"),
    [("article", "issue"), ("techreport", "number"), ("book", "collection-number")],
)
def test_number_means_what_the_entry_type_makes_it(bibtex: str, variable: str) -> None:
    assert to_csl_json(ref(bibtex, number="7"))[variable] == "7"


def test_missing_everything_is_still_an_item() -> None:
    assert to_csl_json(ref("weird", title="{")) == {"id": "x", "type": "document"}


# --- formatting ------------------------------------------------------------------------------


def test_vancouver_entries(refs: dict[str, Reference]) -> None:
    assert Bibliography().format(list(refs.values())) == VANCOUVER


def test_vancouver_keeps_protected_capitals_and_strips_numbers(refs: dict[str, Reference]) -> None:
    entries = Bibliography("vancouver").format(list(refs.values()))
    assert "HSST in Healthcare Science" in entries["nshcs-hsst"]
    for entry in entries.values():
        assert not entry[0].isdigit()
        assert "nocase" not in entry


def test_ieee_bracketed_numbers_are_stripped(refs: dict[str, Reference]) -> None:
    entries = Bibliography("ieee").format(list(refs.values()))
    assert entries["braun2006"].startswith("V. Braun and V. Clarke, “Using thematic analysis")
    assert not any(entry.startswith("[") for entry in entries.values())


def test_apa_author_date_style(refs: dict[str, Reference]) -> None:
    entries = Bibliography("apa").format(list(refs.values()))
    assert list(entries) == ["braun2006", "lacey2001", "nshcs-hsst", "hsst-meeting"]  # sorted
    assert entries["braun2006"].startswith("Braun, V., &amp; Clarke, V. (2006). Using thematic")
    assert entries["hsst-meeting"] == (
        "National School of Healthcare Science. (2024, March 5). "
        "<i>HSST stakeholder meeting</i> [Microsoft Teams]."
    )
    assert (
        "<i>Scaling the Heights: an overview of HSST in Healthcare Science</i>"
        in (entries["nshcs-hsst"])
    )


def test_harvard1_is_an_alias(refs: dict[str, Reference]) -> None:
    entries = Bibliography("harvard1").format(list(refs.values()))
    assert entries["lacey2001"] == (
        "Lacey, A. and Luff, D. (2001) <i>Qualitative data analysis</i>. UK: Trent Focus Group."
    )


def test_doi_and_url_links_are_escaped() -> None:
    entries = Bibliography().format(
        [
            ref(
                "article",
                key="odd-doi",
                author="Doe, Jane",
                title="T",
                journal="J",
                year="2020",
                doi="10.1000/a<b>&c d",
            ),
            ref("online", key="quoted", title="Q", url='https://example.org/?q="x"&y=<1>'),
        ]
    )
    assert (
        '<a href="https://doi.org/10.1000/a%3Cb%3E%26c%20d">'
        "https://doi.org/10.1000/a&lt;b&gt;&amp;c d</a>" in entries["odd-doi"]
    )
    assert (
        '<a href="https://example.org/?q=&quot;x&quot;&amp;y=&lt;1&gt;">'
        'https://example.org/?q="x"&amp;y=&lt;1&gt;</a>' in entries["quoted"]
    )


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/file", "example.org"])
def test_only_web_and_mail_urls_become_links(url: str) -> None:
    entry = Bibliography().format([ref("online", title="T", url=url)])["x"]
    assert "<a " not in entry
    assert "Available from: " in entry


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",  # urlsplit raises on it (the build stopped with a traceback)
        "https://exa mple.org/",  # urlsplit sees https; no browser reads a space in a host
        "https://",  # no host
        "https://example.org:99999/",  # no such port
        "mailto:",  # nobody to write to
        "java\tscript:alert(1)",  # a browser drops the tab: javascript:
    ],
)
def test_a_url_is_linked_only_as_a_browser_reads_it(url: str) -> None:
    """The URL check is the WHATWG one every URL leaving the build goes through
    (`weblinks.web`), not `urllib.parse.urlsplit`, which reads these as links or fails."""
    entry = Bibliography().format([ref("online", title="T", url=url)])["x"]
    assert "<a " not in entry
    assert "Available from: " in entry


def test_mailto_becomes_a_link() -> None:
    entry = Bibliography().format([ref("online", title="T", url="mailto:a@example.org")])["x"]
    assert '<a href="mailto:a@example.org">mailto:a@example.org</a>' in entry


def test_text_is_escaped() -> None:
    entry = Bibliography().format([ref("book", author="{R&D <Team>}", title="A & B <i>")])["x"]
    assert entry.startswith("R&amp;D &lt;Team&gt;. A &amp; B &lt;i&gt;.")


def test_protected_words_survive_sentence_case(tmp_path: Path) -> None:
    style = tmp_path / "sentence.csl"
    style.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Sentence</title><id>sentence</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="citation-number"/></layout></citation>
  <bibliography><layout><group delimiter=" ">
    <text variable="citation-number" prefix="(" suffix=")"/>
    <text variable="title" text-case="sentence"/>
  </group></layout></bibliography>
</style>""",
        encoding="utf-8",
    )
    title = "Scaling The Heights of {HSST} and {McDonald} Trials"
    entry = Bibliography(str(style)).format([ref("book", title=title)])["x"]
    assert entry == "Scaling the heights of HSST and McDonald trials"


def test_unknown_style_names_the_style_and_suggests_others() -> None:
    with pytest.raises(ValueError, match="'vancuver'") as caught:
        Bibliography("vancuver")
    assert "vancouver" in str(caught.value).split("try one of:")[1]
    with pytest.raises(ValueError, match=r"no-such-style-at-all.*try one of: .*apa"):
        Bibliography("no-such-style-at-all")
    with pytest.raises(ValueError, match=r"missing\.csl.*no such file"):
        Bibliography("styles/missing.csl")


def test_broken_style_file(tmp_path: Path) -> None:
    style = tmp_path / "broken.csl"
    style.write_text("<style", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.csl.*could not be read"):
        Bibliography(str(style))


def test_style_is_parsed_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cslstyle, "_STYLES", {})
    calls: list[tuple[Any, ...]] = []
    real = CitationStylesStyle

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cslstyle, "CitationStylesStyle", counting)
    first, second = Bibliography("apa"), Bibliography("apa")
    assert first.csl is second.csl is cslstyle._STYLES["apa\0"]  # the style, in its own locale
    assert len(calls) == 1
    assert Bibliography("vancouver").csl is not first.csl
    assert len(calls) == 2


def test_the_cached_default_style_is_shared() -> None:
    assert Bibliography().csl is Bibliography("vancouver").csl


@pytest.mark.filterwarnings("error")
def test_odd_input_does_not_crash_or_warn(refs: dict[str, Reference]) -> None:
    odd = [
        ref("weird", key="no-title", author="Doe, Jane", year="2020"),
        ref("article", key="no-year", title="Undated", author="Doe, Jane"),
        ref("misc", key="names", author="and , {} and others", title="Names", year="n.d."),
        ref("book", key="Case", title="Upper"),
        ref("book", key="case", title="Lower"),
        ref("book", key="empty"),
        ref("inproceedings", key="talk", title="Talk", eventtitle="Conf", month="13"),
    ]
    for style in ("vancouver", "apa", "ieee"):
        entries = Bibliography(style).format([*refs.values(), *odd])
        assert set(entries) == {*refs, *(r.key for r in odd)}
        assert all(entries.values())
    assert Bibliography().format([]) == {}


def test_an_entry_with_nothing_to_show_falls_back_to_its_key() -> None:
    assert Bibliography().format([ref("book", key="empty")]) == {"empty": "empty"}


def test_output_is_deterministic(refs: dict[str, Reference]) -> None:
    bibliography = Bibliography()
    assert bibliography.format(list(refs.values())) == bibliography.format(list(refs.values()))
    reversed_refs = list(reversed(refs.values()))
    assert list(bibliography.format(reversed_refs)) == [r.key for r in reversed_refs]


def test_plain_text() -> None:
    assert plain(VANCOUVER["nshcs-hsst"]).endswith(
        "Available from: https://nshcs.hee.nhs.uk/programmes/hsst/?tab=about&year=2024"
    )
    assert plain("<i>A</i> &amp;\n <b>B</b>") == "A & B"


@pytest.mark.parametrize(
    ("language", "style_locale", "expected"),
    [
        ("fr", "en-US", "fr-FR"),  # CSL's primary dialect of the language
        ("fr_CA", "en-US", "fr-CA"),
        ("pt-BR", "en-US", "pt-BR"),
        ("cy", "en-US", "cy-GB"),
        ("en_GB", "en-US", None),  # the style's own language: its own terms
        ("en", "en-GB", None),
        ("de", "de-DE", None),
        ("xx", "en-US", None),  # no CSL locale: the style's own
        (None, "en-US", None),
    ],
)
def test_the_styles_terms_follow_the_briefings_language(
    language: str | None, style_locale: str, expected: str | None
) -> None:
    assert csllocale.csl_locale(language, style_locale) == expected


def test_a_french_briefing_formats_references_with_french_terms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    ref = Reference(
        "x",
        "online",
        {
            "title": "Une page",
            "author": "Dupont, Marie",
            "year": "2024",
            "url": "https://example.org/a",
            "urldate": "2024-05-20",
        },
        Span("references.bib", 1, 1),
    )
    french = Bibliography("vancouver", language="fr").format([ref])["x"]
    english = Bibliography("vancouver", language="en_GB").format([ref])["x"]
    assert "Disponible sur" in french and "cité 20 mai 2024" in french
    assert "Available from" in english and "Available from" not in french

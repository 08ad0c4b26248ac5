"""references.bib as BibTeX defines it: values by its grammar, macros, crossref and xdata,
entries without keys, and a corpus of real files from reference managers (tests/corpus/bib:
where its files come from, and the problems each was reviewed to hold)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from briefing.checks.validate import validate
from briefing.citations import csljson, fieldmap, latex, names
from briefing.citations.bibliography import Bibliography
from briefing.sources import bib, bibinherit, bibvalue
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

HERE = Path(__file__).parent / "corpus" / "bib"
EXPECTED = HERE / "expected.json"  # our review of each file's problems; the files are not ours


def _corpus_folder() -> Path:
    """Where the real .bib files are: $BRIEFING_BIB_CORPUS, else the shared documents' copy
    (../shared/corpus/bib beside the project). They are other projects' files, listed with
    their pinned commits in tests/corpus/bib/SOURCES.md, and are not kept in this repository."""
    chosen = os.environ.get("BRIEFING_BIB_CORPUS", "").strip()
    return Path(chosen) if chosen else Path(__file__).parents[2] / "shared" / "corpus" / "bib"


CORPUS = _corpus_folder()
needs_corpus = pytest.mark.skipif(
    not any(CORPUS.rglob("*.bib")) if CORPUS.is_dir() else True,
    reason=f"no .bib corpus at {CORPUS} (BRIEFING_BIB_CORPUS; tests/corpus/bib/SOURCES.md)",
)


def parse(text: str) -> tuple[dict[str, dict[str, str]], list[str]]:
    refs, problems = bib.parse("references.bib", text.encode())
    return {k: dict(r.fields) for k, r in refs.items()}, [str(p) for p in problems]


# --- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "strings", "text", "flaw"),
    [
        ("{Plain}", {}, "Plain", None),
        ('"Quoted {with} braces"', {}, "Quoted {with} braces", None),
        ("2024", {}, "2024", None),
        ("jan", {}, "January", None),
        ("dtv # { and others}", {"dtv": "dtv Verlag"}, "dtv Verlag and others", None),
        ("DTV", {"dtv": "dtv Verlag"}, "dtv Verlag", None),  # names ignore case
        ('{A} # "B" # 3', {}, "AB3", None),
        ("{{Python} version = 3.11}", {}, "{Python} version = 3.11", None),
        ('"{Python} version = 3.11"', {}, "{Python} version = 3.11", None),
        ("{A}\n  shorttitle = {B}", {}, "A\n  shorttitle = {B}", "run-on"),
        ("{A}  langid = {english}", {}, "A  langid = {english}", "run-on"),
        ("{A} B", {}, "A B", "trailing"),
        ("nosuchmacro", {}, "nosuchmacro", "undefined"),
        ("{A} #", {}, "A", "dangling"),
        ("{A", {}, "A", "unclosed"),
        ("", {}, "", None),
    ],
)
def test_read_value(raw: str, strings: dict[str, str], text: str, flaw: str | None) -> None:
    value, found = bibvalue.read_value(raw, strings)
    assert value == text
    assert (found.kind if found else None) == flaw


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "@misc{k,\n  title = {A}\n  shorttitle = {B},\n}",
            "references.bib:2:1: entry 'k': the value of 'title' runs on into `shorttitle = {B}`"
            "; a comma is missing after it: add one at the end of line 2",
        ),
        (
            "@misc{k, title = {A}, publisher = dtv}",
            "references.bib:1:1: entry 'k': the value of 'publisher' uses the @string 'dtv', "
            "which is not defined; define it with `@string{dtv = {...}}` before this entry, or "
            "write the value in braces",
        ),
        (
            "@misc{k, title = {A} B}",
            "references.bib:1:1: entry 'k': the value of 'title' has `B` after its closing brace"
            " or quote; put the whole value in one pair of braces, or join the parts with #",
        ),
        (
            "@misc{k, title = {A} # }",
            "references.bib:1:1: entry 'k': the value of 'title' ends with #, which joins "
            "nothing; delete it or add the text it should join",
        ),
        (
            "@article{, title = {A}}",
            "references.bib:1:1: this BibTeX entry has no key: write one after `@article{`, "
            "e.g. `@article{smith2020,`, and cite it by that key",
        ),
        (
            "@article{title = {A}, year = 2020}",
            "references.bib:1:1: this BibTeX entry has no key: write one after `@article{`, "
            "e.g. `@article{smith2020,`, and cite it by that key",
        ),
        (
            "@article{smith2020\n  title = {A},\n}",
            "references.bib:1:1: entry 'smith2020': a comma is missing after its key; write "
            "`@article{smith2020,`",
        ),
        (
            "@inproceedings{c, title = {A},\n  crossref = {proc}}",
            "references.bib:2:1: entry 'c': crossref 'proc' names no entry in this file, so "
            "the fields it should give are missing; add an entry 'proc' or delete the crossref "
            "field",
        ),
        (
            "@book{a, title = {A}, crossref = {b}}\n@book{b, title = {B}, crossref = {a}}",
            "references.bib:2:1: entry 'b': crossref 'a' makes a loop (a -> b -> a); delete "
            "one link",
        ),
        (
            "@string{pub = {A} B}\n@book{a, title = {A}, publisher = pub}",
            "references.bib:1:1: @string 'pub': its value has `B` after its closing brace or "
            "quote; put the whole value in one pair of braces, or join the parts with #",
        ),
    ],
)
def test_problems_are_placed(source: str, message: str) -> None:
    assert parse(source)[1] == [message]


def test_no_false_alarm_on_braces_or_equals_inside_a_value() -> None:
    source = (
        '@misc{k,\n  title = {{Python} version = 3.11},\n  note = "{x} = y",\n'
        "  howpublished = {\\url{https://example.org/?a=b}}\n}"
    )
    fields, problems = parse(source)
    assert problems == []
    assert fields["k"]["title"] == "{Python} version = 3.11"


def test_strings_are_resolved_in_order_and_joined() -> None:
    source = (
        '@string{dtv = "dtv"}\n@string{full = dtv # " Verlag"}\n'
        "@book{a, title = {T}, publisher = full # { and others}, month = mar}"
    )
    fields, problems = parse(source)
    assert problems == []
    assert fields["a"]["publisher"] == "dtv Verlag and others"
    assert fields["a"]["month"] == "March"


# --- crossref and xdata --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parent", "child", "given", "expected"),
    [
        (
            "proceedings",
            "inproceedings",
            {"title": "Proc. of X", "subtitle": "S", "year": "2020", "publisher": "ACM"},
            {"booktitle": "Proc. of X", "booksubtitle": "S", "year": "2020", "publisher": "ACM"},
        ),
        ("proceedings", "conference", {"title": "P"}, {"booktitle": "P"}),
        ("book", "inbook", {"title": "B", "author": "A"}, {"booktitle": "B", "author": "A",
                                                           "bookauthor": "A"}),
        ("mvbook", "book", {"title": "M", "shorttitle": "m"}, {"maintitle": "M"}),
        ("collection", "incollection", {"title": "C", "editor": "E"},
         {"booktitle": "C", "editor": "E"}),
        ("periodical", "article", {"title": "J", "issue": "2"},
         {"journaltitle": "J", "issue": "2"}),
        # Fields never inherited; and BibTeX's own habit: the parent's booktitle as is.
        ("proceedings", "inproceedings", {"ids": "x", "crossref": "y", "label": "L",
                                          "booktitle": "BT"}, {"booktitle": "BT"}),
        ("misc", "misc", {"title": "T", "note": "N"}, {"title": "T", "note": "N"}),
    ],
)  # fmt: skip
def test_inheritance_rules(
    parent: str, child: str, given: dict[str, str], expected: dict[str, str]
) -> None:
    assert bibinherit.inherited(parent, child, given) == expected


def test_crossref_gives_a_paper_its_booktitle_year_and_publisher() -> None:
    source = (
        "@inproceedings{paper, author = {Doe, Jane}, title = {A paper}, crossref = {proc},\n"
        "  pages = {1--10}}\n"
        "@proceedings{proc, title = {Proceedings of the Tenth Meeting}, year = 2020,\n"
        "  publisher = {ACM}, editor = {Roe, Rita}}"
    )
    refs, problems = bib.parse("references.bib", source.encode())
    assert problems == []
    item = csljson.to_csl_json(refs["paper"])
    assert item["container-title"] == "Proceedings of the Tenth Meeting"
    assert item["publisher"] == "ACM"
    assert item["issued"] == {"date-parts": [[2020]]}
    assert item["title"] == "A paper"


def test_xdata_fields_are_copied_and_xdata_entries_are_not_works() -> None:
    source = (
        "@xdata{acm, publisher = {ACM}, location = {New York}}\n"
        "@book{b, title = {B}, xdata = {acm}, location = {London}}"
    )
    fields, problems = parse(source)
    assert problems == []
    assert list(fields) == ["b"]
    assert fields["b"]["publisher"] == "ACM"
    assert fields["b"]["location"] == "London"  # the entry's own field wins


def test_only_keeps_the_parents_of_the_cited_entries() -> None:
    source = (
        "@inproceedings{paper, title = {A paper}, crossref = {proc}}\n"
        "@proceedings{proc, title = {Proc}, xdata = {acm}}\n"
        "@xdata{acm, publisher = {ACM}}\n"
        "@book{other, title = {Other}}\n"
    )
    refs, problems = bib.parse("references.bib", source.encode(), keys={"paper"})
    assert problems == []
    assert set(refs) == {"paper", "proc"}
    assert refs["paper"].fields["publisher"] == "ACM"


# --- no input crashes the reader ------------------------------------------------------------

LATEXISH = st.lists(
    st.sampled_from(
        [*"\\{}$^_&%#~[]'`\"-a Z1\n", "\\verb", "\\begin", "\\end", "\\url", "\\href", "\\'",
         "\\c", "\\\\", "\\item", "\\input", "\\def", "\\newcommand", "\\frac", "\\mathrm",
         "\\ensuremath", "\\textbf", "\\emph", "\\v", "\\H", "$$", "\\(", "\\)", "\\[", "\\]",
         "{\\'e}", "\\cite", "\\section"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LATEXISH)
def test_no_latex_value_crashes_the_decoder(value: str) -> None:
    entry = f"@article{{k, title = {{{value}}}, author = {{{value}}}, journal = {{{value}}}}}"
    refs, _ = bib.parse("references.bib", entry.encode())
    for ref in refs.values():
        assert isinstance(csljson.to_csl_json(ref), dict)
        assert isinstance(csljson.to_csl_json(ref, markup=True), dict)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([*'@{}(),=#"% \nab1', "@string", "@comment", "crossref"])).map("".join)
)
def test_no_text_crashes_the_reader(text: str) -> None:
    _, problems = bib.parse("references.bib", text.encode())
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_no_bytes_crash_the_reader(data: bytes) -> None:
    _, problems = bib.parse("references.bib", b"@misc{k, title = {" + data + b"}}")
    assert all(p.line >= 1 and p.column >= 1 for p in problems)


@pytest.mark.parametrize(
    "value",
    [r"%\cite\H\[\href", r"\newcommand#\def\begin\)$\href\item\verb", r"\mathrm\input%\]\'",
     "\\textbf\\href\n\\\\\\url \\input\\begin\\c", "{" * 2000 + "x" + "}" * 2000],
)  # fmt: skip
def test_latex_that_crashed_pylatexenc_is_read_as_text(value: str) -> None:
    assert isinstance(latex.to_text(value), str)


# --- the corpus ---------------------------------------------------------------------------

_KINDS = (
    ("no-key", "has no key"),
    ("key-comma", "a comma is missing after its key"),
    ("no-title", "has no title"),
    ("key-characters", "may use only ASCII"),
    ("duplicate-key", "duplicate BibTeX key"),
    ("repeated-field", "repeats '"),
    ("undefined-string", "which is not defined"),
    ("missing-parent", "names no entry in this file"),
    ("parent-loop", "makes a loop"),
    ("run-on", "a comma is missing after it"),
    ("trailing-text", "after its closing brace"),
    ("unreadable", "cannot be read"),
    ("invisible-character", "invisible or text-reordering"),
    ("encoding", "UTF-8"),
    ("encoding", "UTF-16"),
    ("encoding", "byte-order mark"),
    ("encoding", "Windows-1252"),
)


def kind(message: str) -> str:
    return next((name for name, words in _KINDS if words in message), message)


def corpus() -> list[Path]:
    return sorted(CORPUS.rglob("*.bib"))


def _readable(data: bytes) -> bool:
    """UTF-8 without a byte-order mark: other encodings are safefile.decode's to detect."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"))


def found_in_corpus() -> dict[str, list[list[object]]]:
    found: dict[str, list[list[object]]] = {}
    for path in corpus():
        data = path.read_bytes()
        if not _readable(data):
            continue
        name = path.relative_to(CORPUS).as_posix()
        _, problems = bib.parse(name, data)
        found[name] = [[p.line, kind(p.message)] for p in problems]
    return found


@needs_corpus
def test_corpus_reads_without_a_crash_or_a_false_alarm() -> None:
    """Every problem found in the corpus is one reviewed as true (expected.json)."""
    found = found_in_corpus()
    if os.environ.get("UPDATE_GOLDEN") == "1":
        text = json.dumps({k: v for k, v in found.items() if v}, indent=1, sort_keys=True)
        EXPECTED.write_text(text + "\n", encoding="utf-8")
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    assert {k: v for k, v in found.items() if v} == expected


@needs_corpus
def test_corpus_in_any_encoding_gives_placed_problems_only() -> None:
    for path in corpus():
        _, problems = bib.parse(path.name, path.read_bytes())
        assert all(p.line >= 1 and p.column >= 1 and p.message for p in problems)


def _carried() -> set[str]:
    names = {
        bib_name for bib_name, _ in (*fieldmap.SIMPLE, *fieldmap.VERBATIM, *fieldmap.NAME_FIELDS)
    }
    names |= {sub for _, sub, _ in fieldmap.SUBTITLES} | set(fieldmap.CONTRIBUTORS)
    return names | {n for n, _ in fieldmap.DATES} | set(fieldmap.BODIES) | {"number"}


@needs_corpus
def test_every_field_in_the_corpus_reaches_csl_json_or_is_listed() -> None:
    """A field a reference manager wrote is carried into CSL-JSON, or named in
    fieldmap.NOT_CARRIED with the reason; a carried field's variable is in the item."""
    carried, unlisted, lost = _carried(), set(), []
    for path in corpus():
        refs, _ = bib.parse(path.name, path.read_bytes())
        for ref in refs.values():
            item = csljson.to_csl_json(ref)
            for name, value in ref.fields.items():
                if name not in carried and name not in fieldmap.NOT_CARRIED:
                    unlisted.add(name)
                elif name in carried and value.strip(" {}") and not _reached(name, ref, item):
                    lost.append(f"{path.name}: {ref.key}.{name}")
    assert sorted(unlisted) == []
    assert lost == []


def _reached(name: str, ref: object, item: dict[str, object]) -> bool:
    """Whether some CSL variable that `name` fills is in the item."""
    targets = {
        csl_name
        for bib_name, csl_name in (*fieldmap.SIMPLE, *fieldmap.VERBATIM)
        if bib_name == name
    }
    targets |= {c for b, c in fieldmap.NAME_FIELDS if b == name}
    targets |= {c for b, c in fieldmap.DATES if b == name}
    mains = {main for main, sub, _ in fieldmap.SUBTITLES if sub == name}
    targets |= {c for b, c in fieldmap.SIMPLE if b in mains} | ({"title"} & mains)
    if name in fieldmap.CONTRIBUTORS:
        targets.add("contributor")
    if name in fieldmap.BODIES:
        targets |= {"author", "publisher", "authority"}
    if name == "number":
        targets |= {"issue", "number", "collection-number"}
    return any(target in item for target in targets)


@needs_corpus
def test_corpus_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The corpus's figures, printed for the closing note (`pytest -s -k corpus_figures`)."""
    files = corpus()
    entries, kinds = 0, dict[str, int]()
    for path in files:
        refs, problems = bib.parse(path.name, path.read_bytes())
        entries += len(refs)
        for problem in problems:
            kinds[kind(problem.message)] = kinds.get(kind(problem.message), 0) + 1
    with capsys.disabled():
        print(f"\ncorpus: {len(files)} files, {entries} entries, problems by kind: {kinds}")
    assert len(files) > 200 and entries > 250


# --- BibTeX in, CSL-JSON out ----------------------------------------------------------------

ENTRIES = [
    (
        "@jurisdiction{k, title = {{Smith v Jones}}, number = {[2019] EWHC 123 (QB)},\n"
        "  institution = {High Court}, journaltitle = {Queen's Bench}, date = {2019-05-01}}",
        {"type": "legal_case", "title": "Smith v Jones", "number": "[2019] EWHC 123 (QB)",
         "authority": "High Court", "container-title": "Queen's Bench",
         "issued": {"date-parts": [[2019, 5, 1]]}},
    ),
    (
        "@legislation{k, title = {Health and Care Act 2022}, number = {c. 31},\n"
        "  institution = {UK Parliament}, date = {2022}}",
        {"type": "legislation", "title": "Health and Care Act 2022", "number": "c. 31",
         "authority": "UK Parliament", "issued": {"date-parts": [[2022]]}},
    ),
    (
        "@techreport{k, author = {Doe, Jane}, title = {Workforce}, number = {TR-12},\n"
        "  institution = {NHS England}, type = {Technical report}, year = 2023}",
        {"type": "report", "title": "Workforce", "number": "TR-12", "publisher": "NHS England",
         "genre": "Technical report", "author": [{"family": "Doe", "given": "Jane"}],
         "issued": {"date-parts": [[2023]]}},
    ),
    (
        "@report{k, title = {Plan}, institution = {NHS England}, year = 2023}",
        {"type": "report", "title": "Plan", "author": [{"literal": "NHS England"}],
         "issued": {"date-parts": [[2023]]}},
    ),
    (
        "@phdthesis{k, author = {Roe, Rita}, title = {T}, school = {Univ. of Leeds}, year = 2019}",
        {"type": "thesis", "title": "T", "genre": "PhD thesis", "publisher": "Univ. of Leeds",
         "author": [{"family": "Roe", "given": "Rita"}], "issued": {"date-parts": [[2019]]}},
    ),
    (
        "@dataset{k, author = {Doe, J.}, title = {Survey}, version = {2.1}, publisher = {Zenodo},"
        "\n  doi = {10.5281/zenodo.1}, date = {2021-03}}",
        {"type": "dataset", "title": "Survey", "version": "2.1", "publisher": "Zenodo",
         "DOI": "10.5281/zenodo.1", "author": [{"family": "Doe", "given": "J."}],
         "issued": {"date-parts": [[2021, 3]]}},
    ),
    (
        "@software{k, author = {Doe, J.}, title = {Tool}, version = {1.0},\n"
        "  url = {https://example.org/tool}, license = {MIT}, year = 2022}",
        {"type": "software", "title": "Tool", "version": "1.0", "URL": "https://example.org/tool",
         "license": "MIT", "author": [{"family": "Doe", "given": "J."}],
         "issued": {"date-parts": [[2022]]}},
    ),
    (
        "@online{k, author = {{World Health Organization}}, title = {Fact sheet},\n"
        "  url = {https://who.int/x}, urldate = {2024-05-01}, langid = {english}}",
        {"type": "webpage", "title": "Fact sheet", "URL": "https://who.int/x",
         "author": [{"literal": "World Health Organization"}], "language": "english",
         "accessed": {"date-parts": [[2024, 5, 1]]}},
    ),
    (
        "@article{k, author = {Doe, J.}, title = {A}, journaltitle = {J}, shortjournal = {J.},\n"
        "  number = {4}, pages = {1--9}, issn = {1234-5678}, eprint = {2101.00001},\n"
        "  eprinttype = {arxiv}, abstract = {Abs}, keywords = {a, b}, year = 2020}",
        {"type": "article-journal", "title": "A", "container-title": "J",
         "container-title-short": "J.", "issue": "4", "page": "1–9", "ISSN": "1234-5678",
         "archive_location": "2101.00001", "archive": "arxiv", "abstract": "Abs",
         "keyword": "a, b", "author": [{"family": "Doe", "given": "J."}],
         "issued": {"date-parts": [[2020]]}},
    ),
    (
        "@article{k, title = {N}, journaltitle = {The Times}, entrysubtype = {newspaper}}",
        {"type": "article-newspaper", "title": "N", "container-title": "The Times"},
    ),
    (
        "@inbook{k, title = {C}, booktitle = {B}, bookauthor = {Roe, R.}, chapter = {3},\n"
        "  pagetotal = {300}, origdate = {1900}}",
        {"type": "chapter", "title": "C", "container-title": "B",
         "container-author": [{"family": "Roe", "given": "R."}], "chapter-number": "3",
         "number-of-pages": "300", "original-date": {"date-parts": [[1900]]}},
    ),
    (
        "@patent{k, author = {Doe, J.}, title = {Widget}, number = {EP1234}, year = 2001}",
        {"type": "patent", "title": "Widget", "number": "EP1234",
         "author": [{"family": "Doe", "given": "J."}], "issued": {"date-parts": [[2001]]}},
    ),
    (
        "@unpublished{k, title = {Draft}, note = {In preparation}, pubstate = {forthcoming}}",
        {"type": "manuscript", "title": "Draft", "note": "In preparation",
         "status": "forthcoming"},
    ),
]  # fmt: skip


@pytest.mark.parametrize(("source", "expected"), ENTRIES)
def test_bibtex_in_csl_json_out(source: str, expected: dict[str, object]) -> None:
    refs, problems = bib.parse("references.bib", source.encode())
    assert problems == []
    assert csljson.to_csl_json(refs["k"]) == {"id": "k", **expected}


NAMES = [
    ("Sir Ann Name", {"family": "Name", "given": "Ann", "suffix": "Sir"}),
    ("Name, Dame Ann", {"family": "Name", "given": "Ann", "suffix": "Dame"}),
    ("Prof. Dr. Ann Name", {"family": "Name", "given": "Ann", "suffix": "Prof. Dr."}),
    ("Sir Name", {"family": "Name", "given": "Sir"}),  # nothing else to be the given name
    ("Ludwig van Beethoven",
     {"family": "Beethoven", "given": "Ludwig", "non-dropping-particle": "van"}),
    ("van der Berg, Anna",
     {"family": "Berg", "given": "Anna", "non-dropping-particle": "van der"}),
    ("Jean de la Fontaine",
     {"family": "Fontaine", "given": "Jean", "non-dropping-particle": "de la"}),
    ("King, Jr., Martin Luther",
     {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
    ("Martin Luther King Jr.",
     {"family": "King", "given": "Martin Luther", "suffix": "Jr."}),
    ("{World Health Organization}", {"literal": "World Health Organization"}),
    ("{Barnes and Noble}", {"literal": "Barnes and Noble"}),
    ("{\\'E}mile Zola", {"family": "Zola", "given": "Émile"}),
    ("Charles Louis Xavier Joseph de la Vall{\\'e}e Poussin",
     {"family": "Vallée Poussin", "given": "Charles Louis Xavier Joseph",
      "non-dropping-particle": "de la"}),
    ("{Van} Gogh, Vincent", {"family": "Van Gogh", "given": "Vincent"}),
    ("family=Gogh, given=Vincent, prefix=van",
     {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van"}),
]  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), NAMES)
def test_names_parse_as_bibtex_and_biblatex_define_them(
    name: str, expected: dict[str, str]
) -> None:
    assert names.csl_names(name, latex.to_text) == [expected]


def test_an_honorific_is_not_initialled() -> None:
    refs, _ = bib.parse("references.bib", b"@book{k, author = {Sir Ann Name}, title = {T}}")
    entry = Bibliography("vancouver").format([refs["k"]])["k"]
    assert entry.startswith("Name A") and "Name SA" not in entry


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (r"{\TeX}: The Program", "TeX: The Program"),  # pylatexenc prints \TeX as nothing
        (r"A \texttt{collection} entry", "A collection entry"),  # nor \texttt's argument
        (r"\mkbibquote{Quoted} words", "Quoted words"),  # a macro pylatexenc does not know
        (r"\href{https://example.org}{the site}", "the site"),
        (r"Caf{\'e} \& Co, 50\%", "Café & Co, 50%"),
        (r"{\"O}sterreich", "Österreich"),
        ("R&D 100%", "R&D 100%"),  # bare & and % are text in BibTeX
    ],
)
def test_latex_keeps_every_word(value: str, text: str) -> None:
    assert latex.to_text(value) == text


def test_a_crossref_parent_is_not_warned_as_never_cited(mini: Path) -> None:
    """The proceedings a cited paper inherits from is cited through it (as BibTeX includes
    a parent cited by its children); the paper has the parent's fields."""
    bib_file = mini / "references.bib"
    text = bib_file.read_text(encoding="utf-8")
    text = text.replace(
        "@book{greenfield2021,\n", "@inbook{greenfield2021,\n  crossref  = {shade-book},\n", 1
    ).replace("  publisher = {Example Press},\n", "", 1)
    text += "\n@book{shade-book,\n  title = {Shade Collected},\n  publisher = {Example Press}\n}\n"
    bib_file.write_text(text, encoding="utf-8")
    result = validate(mini)
    assert [str(p) for p in result.problems] == []
    ref = result.checked().references["greenfield2021"]
    item = csljson.to_csl_json(ref)
    assert item["publisher"] == "Example Press"
    assert item["container-title"] == "Shade Collected"

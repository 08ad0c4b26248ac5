"""What the rendering stage's site, resolve and text modules do that `make mutate` (stage
rendering) found no engine-only test checking: citations and their problems as a page gets
them, a Site before and while it is prepared, and the small text helpers.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from briefing.checks.validate import validate
from briefing.citations.bibliography import Bibliography
from briefing.citations.formatting import plain
from briefing.citations.groups import Grouping
from briefing.labels import Labels
from briefing.model import Briefing
from briefing.problems import BriefingError
from briefing.publish.finish import canonical_url
from briefing.render import citing, text
from briefing.render import site as site_module
from briefing.render.numbering import Cited, Numbering, number
from briefing.render.resolve import Resolver, Unnumbered
from briefing.render.site import Site, page_title, prepare
from test_mutants_render import MINI, UNCITED, _mini_copy, mini_briefing

BOTH = Grouping(sort=True, collapse=True)


def _site(briefing: Briefing | None = None, **options: object) -> Site:
    """The small briefing's Site, not yet prepared; `options` as Site takes them."""
    briefing = briefing or mini_briefing()
    bibliography = Bibliography("vancouver")
    references = briefing.references
    return Site(
        briefing,
        lambda keys: bibliography.format([references[k] for k in keys]),
        plain,
        **options,  # type: ignore[arg-type]
    )


def _problems(raised: pytest.ExceptionInfo[Unnumbered]) -> list[str]:
    return [str(p) for p in raised.value.problems]


# --- a page's citations: the links, the anchors, and the problems placed at the page ---------


def _numbered(*texts: str) -> Resolver:
    """A resolver for page m.md, numbered from `texts`; a's tooltip is "Entry A"."""
    return Resolver({}, number([Cited("m.md", "M", texts)]), BOTH, {"a": "Entry A"})


def test_a_collapsed_range_keeps_its_middle_number_as_an_anchor_only() -> None:
    assert _numbered("[@a; @b; @c]").resolve("[@c; @a; @b]", "m.md") == (
        '<span class="citation-group">['
        '<a class="citation" id="cite-a-1" href="references.md#ref-a" title="Entry A">1</a>'
        '<span class="citation-anchor" id="cite-b-1"></span>–'
        '<a class="citation" id="cite-c-1" href="references.md#ref-c">3</a>]</span>'
    )


def test_a_locator_is_escaped_into_the_citation_s_html() -> None:
    written = '[@a, pp. 3 & "4"; @b, Rob\'s ch. 2]'
    assert _numbered(written).resolve(written, "m.md") == (
        '<span class="citation-group">['
        '<a class="citation" id="cite-a-1" href="references.md#ref-a" title="Entry A">1</a>'
        ", pp. 3 &amp; &quot;4&quot;; "
        '<a class="citation" id="cite-b-1" href="references.md#ref-b">2</a>'
        ", Rob&#x27;s ch. 2]</span>"
    )


def test_a_citation_the_numbering_never_read_is_refused_at_the_page_in_words() -> None:
    """Resolved on its own (`Resolver.resolve`), a text's problem is placed at its page."""
    with pytest.raises(Unnumbered) as raised:
        _numbered("[@a]").resolve("Cited [@zzz].", "m.md")
    assert _problems(raised) == [
        "m.md:1:1: the citation of 'zzz' was not numbered: the page shows other text than "
        "the numbering read; please report this"
    ]


def test_a_page_showing_other_citations_than_were_numbered_is_refused_in_words() -> None:
    links = _numbered("[@a] and [@b; @c]").page("m.md", "docs/m.md")
    links.resolve("[@b]")
    with pytest.raises(Unnumbered) as raised:
        links.check()
    assert _problems(raised) == [
        "docs/m.md:1:1: the page shows other citations than the numbering read "
        "(1 against 3); please report this"
    ]


# --- the small text helpers -----------------------------------------------------------------


def test_an_excerpt_is_eight_words_and_says_when_it_cut() -> None:
    assert text.excerpt(" one two\nthree four five six seven eight ") == (
        "one two three four five six seven eight"
    )
    assert text.excerpt("one two three four five six seven eight nine") == (
        "one two three four five six seven eight…"
    )
    assert text.excerpt("one two three", 2) == "one two…"


def test_a_lead_is_the_first_paragraph_when_it_has_no_sentence_end() -> None:
    assert text.lead("No full stop here\n\nA second\nparagraph\n\nA third") == (
        "No full stop here",
        True,
    )


def test_a_lead_does_not_end_at_a_full_stop_inside_brackets() -> None:
    written = "Trees cool streets [@oke2017, ch. 2. Fig. 3]. They also shade. More."
    assert text.lead(written) == ("Trees cool streets [@oke2017, ch. 2. Fig. 3].", True)


# --- site: a prose page's title, the docs folder, the recommendations' addresses -------------


def test_a_page_without_a_heading_is_titled_by_its_file_name_alone() -> None:
    assert page_title("guides/setup/first_steps-now.md", "No heading here.\n") == (
        "First steps now"
    )


def test_a_docs_folder_outside_the_project_is_named_docs(tmp_path: Path) -> None:
    assert site_module._relative(tmp_path / "elsewhere", tmp_path / "project") == "docs"
    inside = site_module._relative(tmp_path / "project" / "pages", tmp_path / "project")
    assert inside == "pages"


@pytest.mark.parametrize(
    "site_url",
    [
        "https://example.org/BOX",  # ends in X, which a slash is not
        "https://example.org/b/",
        "https://example.org/b ",  # as written in mkdocs.yml, quoted: kept as every page's
        "/b/",  # a path alone: the finish command reads mkdocs.yml's as written
    ],
)
def test_a_recommendations_citation_gives_its_pages_canonical_address(site_url: str) -> None:
    """The address a recommendation is cited at is its page's canonical URL, whatever the
    site's address looks like."""
    prepared = prepare(MINI, MINI / "docs", None, published=True, site_url=site_url)
    assert prepared.site is not None
    (item,) = json.loads(citing.csl_json(prepared.site.rec_citations["rec-watering-rota"]))
    assert item["URL"] == canonical_url(site_url, "recommendations/watering-rota.md")


# --- a Site: its defaults, and what it is before it is prepared ------------------------------


def test_a_site_is_made_with_directory_urls_and_an_own_bibliography(tmp_path: Path) -> None:
    """By default a Site has MkDocs' directory URLs and lists the works never cited."""
    root = _mini_copy(tmp_path)
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNCITED)
    site = _site(validate(root).checked())
    assert site.directory_urls is True
    site.prepare([], {})
    assert site.numbering.uncited == ("spare2020",)


def test_a_site_writes_figures_with_the_briefing_s_qualifiers() -> None:
    labels = Labels({"qualifiers/at least": "no fewer than {value}"})
    site = _site(replace(mini_briefing(), labels=labels))
    assert site.formats.figure(70, "%", "at least") == "no fewer than 70%"


def test_an_unprepared_site_has_no_page_and_links_only_cross_references() -> None:
    grouping = Grouping(sort=True, collapse=False)
    site = _site(grouping=grouping)
    assert site.pages == site.prose == site.front == site.titles == site.entries == {}
    assert site.written == () and site.clashes() == []
    with pytest.raises(BriefingError, match="this page appeared after the briefing was read"):
        site.markdown("method.md")
    assert site.resolver == Resolver(site.targets, Numbering(), grouping)
    assert site.resolve("method.md", "See @rec-watering-rota.") == (
        'See <a class="xref" href="recommendations/watering-rota.md#rec-watering-rota" '
        'title="Share the watering with residents">Recommendation 2</a>.'
    )
    with pytest.raises(Unnumbered) as raised:
        site.resolve("method.md", "Cited [@oke2017].")
    assert _problems(raised)[0].startswith("method.md:1:1: the citation of 'oke2017'")


# --- Site.prepare: what it numbers, renders and refuses --------------------------------------


def test_a_shared_bibliography_lists_no_work_only_mentioned(tmp_path: Path) -> None:
    """A work whose key a page only mentions (in code) is read from a shared bibliography, but
    not cited: it is neither numbered nor listed."""
    root = _mini_copy(tmp_path)
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNCITED)
    page = root / "docs" / "method.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee `@spare2020`.\n", "utf-8")
    prepared = prepare(root, root / "docs", None, shared_bibliography=True)
    assert prepared.site is not None and not prepared.result.problems
    assert "spare2020" in prepared.site.briefing.references  # read, as mentioned
    assert prepared.site.numbering.uncited == ()
    assert "Spare Trees" not in prepared.site.pages["references.md"]


def test_a_hand_written_page_under_a_generated_name_leaves_the_others_rendered() -> None:
    site = _site()
    site.prepare([], {"index.md": "# Mine", "a.md": "Plain text.", "b.md": "More."})
    assert site.prose == {"a.md": "Plain text.", "b.md": "More."}


def test_a_hand_written_page_links_from_its_own_place() -> None:
    site = _site()
    site.prepare([], {"a.md": "Cited [@oke2017]."})
    assert site.prose["a.md"] == (
        'Cited <span class="citation-group">[<a class="citation" id="cite-oke2017-1" '
        f'href="references.md#ref-oke2017" title="{site.resolver.tooltips["oke2017"]}">'
        "1</a>]</span>."
    )


@pytest.mark.parametrize(
    ("src", "shown"),
    [
        ("recommendations/plant-hot-streets.md", "data/recommendations.yml"),  # its data file
        ("a.md", "docs/a.md"),  # a hand-written page: its file under docs/
    ],
)
def test_a_page_numbered_otherwise_than_shown_is_refused_at_the_file_an_editor_sees(
    src: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check after each page (a bug if it fails) names the file, not the page's path."""

    def misread(read: list[Cited], references: object, list_uncited: bool) -> Numbering:
        numbering = number(read, references, list_uncited=list_uncited)  # type: ignore[arg-type]
        return replace(numbering, anchors={**numbering.anchors, src: ()})

    monkeypatch.setattr(site_module, "number", misread)
    site = _site()
    with pytest.raises(Unnumbered) as raised:
        site.prepare([], {"a.md": "Cited [@oke2017]."})
    (problem,) = _problems(raised)
    assert problem.startswith(f"{shown}:1:1: the page shows other citations than the numbering")

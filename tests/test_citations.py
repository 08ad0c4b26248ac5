"""Citation groups sorted and collapsed as the CSL style says, the same on the pages and in
the downloads' plain text, with every number still reachable; backlinks once per page."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from briefing.citations.bibliography import Bibliography
from briefing.citations.groups import Grouping, citation_group
from briefing.render.numbering import Cited, number
from briefing.render.resolve import Backlink, Resolver, cited_in
from briefing.sources.markup import Cite
from bs4 import BeautifulSoup
from conftest import make_project
from sitetools import Site, mkdocs_build

SORT = Grouping(sort=True)
BOTH = Grouping(sort=True, collapse=True)
NUMBERS = {"a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "g": 7}


def cites(*written: str) -> list[Cite]:
    """`"a"` or `"a, p. 4"` for each cite, as written."""
    return [Cite(*w.split(", ", 1)) if ", " in w else Cite(w, None) for w in written]


@pytest.mark.parametrize(
    ("written", "grouping", "shown"),
    [
        (("b", "a"), Grouping(), "[2,1]"),  # a style that does not sort keeps the order written
        (("b", "a"), SORT, "[1,2]"),
        (("a", "b", "c"), SORT, "[1,2,3]"),  # IEEE sorts, never collapses
        (("c", "a", "b"), BOTH, "[1–3]"),  # Vancouver
        (("a", "b"), BOTH, "[1,2]"),  # two numbers are no range
        (("a", "b", "c", "e", "g", "d"), BOTH, "[1–5,7]"),
        (("a", "b", "c", "g"), BOTH, "[1–3,7]"),
        (("c", "a, p. 4", "b"), BOTH, "[1, p. 4; 2; 3]"),  # a locator breaks a run
        (("b, ch. 2", "a"), SORT, "[1; 2, ch. 2]"),
        (("zz", "a"), SORT, "[1,?]"),  # unknown numbers last (plain text of a bad key)
    ],
)
def test_citation_group(written: tuple[str, ...], grouping: Grouping, shown: str) -> None:
    assert citation_group(cites(*written), NUMBERS, grouping) == shown


@pytest.mark.parametrize(
    ("style", "grouping"),
    [
        ("vancouver", BOTH),
        ("nature", BOTH),
        ("ieee", SORT),
        ("apa", Grouping()),
        ("chicago-author-date", Grouping()),
    ],
)
def test_grouping_is_read_from_the_style(style: str, grouping: Grouping) -> None:
    assert Bibliography(style).grouping() == grouping


def _resolver(grouping: Grouping) -> Resolver:
    numbering = number([Cited("x.md", "X", ("[@a; @b; @c; @d]",))])  # a is 1, ... d is 4
    return Resolver({}, numbering, grouping=grouping)


def test_a_collapsed_range_keeps_every_anchor_and_links_its_ends() -> None:
    html = _resolver(BOTH).resolve("Text [@c; @a; @b; @d].", "x.md")
    soup = BeautifulSoup(html, "html.parser")
    group = soup.select_one(".citation-group")
    assert group is not None and group.get_text() == "[1–4]"
    assert [a.get_text() for a in group.select("a.citation")] == ["1", "4"]
    assert [a["href"] for a in group.select("a.citation")] == [
        "references.md#ref-a",  # the source, from x.md's: each builder resolves it
        "references.md#ref-d",
    ]
    ids = {str(e["id"]) for e in group.select("[id]")}
    assert ids == {"cite-a-1", "cite-b-1", "cite-c-1", "cite-d-1"}  # backlinks land on each


def test_locators_stay_with_their_numbers_when_sorted() -> None:
    html = _resolver(SORT).resolve("[@b, p. 4; @a]", "x.md")
    text = BeautifulSoup(html, "html.parser").get_text()
    assert text == "[1; 2, p. 4]"


@pytest.mark.parametrize(
    ("pages", "expected"),
    [
        (["intro", "intro", "intro"], [("intro", "cite-k-1", 3)]),
        (["intro", "method", "intro"], [("intro", "cite-k-1", 2), ("method", "cite-k-1", 1)]),
        ([], []),
    ],
)
def test_cited_in_once_per_page(pages: list[str], expected: list[tuple[str, str, int]]) -> None:
    seen: dict[str, int] = {}
    links = []
    for page in pages:
        seen[page] = seen.get(page, 0) + 1
        links.append(Backlink(page, f"cite-k-{seen[page]}", page.title()))
    found = [(c.link.page, c.link.anchor, c.count) for c in cited_in(links)]
    assert found == expected


# --- end to end: the pages and the downloads say the same ------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The mini briefing with a group written out of order and one that collapses."""
    tmp = tmp_path_factory.mktemp("citations")
    project = make_project(tmp, "mini")
    recs = project / "data" / "recommendations.yml"
    text = recs.read_text(encoding="utf-8")
    recs.write_text(
        text.replace(
            "the least canopy cover.",
            "the least canopy cover [@oke2017] [@greenfield2021; @cityatlas2024; @oke2017], "
            "as mapped "
            "[@oke2017, p. 12; @cityatlas2024].",
            1,
        ),
        encoding="utf-8",
    )
    result = mkdocs_build(project / "mkdocs.yml", tmp / "out")
    assert result.returncode == 0, result.stderr
    return Site(tmp / "out", result.stderr)


def test_groups_are_sorted_and_collapsed_on_the_page_and_in_the_downloads(built: Site) -> None:
    page = next(p for url, p in built.pages.items() if url.startswith("recommendations/") and
                url != "recommendations/index.html" and p.select(".citation-group"))  # fmt: skip
    groups = [g.get_text() for g in page.select(".citation-group")]
    number = {
        str(li["id"]).removeprefix("ref-"): int(str(li["value"]))
        for li in built.page("references").select("ol.references > li")
    }
    oke, city = number["oke2017"], number["cityatlas2024"]
    green = number["greenfield2021"]
    assert {oke, city, green} == {1, 2, 3}
    assert [green, city, oke] != [1, 2, 3], "the group is written out of order"
    located = f"{oke}, p. 12"
    second = f"[{city}; {located}]" if city < oke else f"[{located}; {city}]"
    assert "[1–3]" in groups  # written 3 numbers out of order
    assert second in groups
    rows = list(csv.reader(io.StringIO((built.root / "downloads" / "recommendations.csv")
                                       .read_text(encoding="utf-8"))))  # fmt: skip
    cell = next(cell for row in rows for cell in row if "canopy cover" in cell)
    assert f"canopy cover [{oke}] [1–3], as mapped {second}." in cell


def test_briefing_json_cites_each_page_once_with_its_count(built: Site) -> None:
    data = json.loads((built.root / "downloads" / "briefing.json").read_text(encoding="utf-8"))
    references = built.page("references")
    for ref in data["references"]:
        urls = [c["url"] for c in ref["cited_in"]]
        assert len(urls) == len(set(urls))
        entry = references.find(id=f"ref-{ref['key']}")
        assert entry is not None
        shown = [a.get_text() for a in entry.select(".cited-in a")]
        assert shown == [c["title"] for c in ref["cited_in"]]
        assert all(c["count"] >= 1 for c in ref["cited_in"])
    oke = next(r for r in data["references"] if r["key"] == "oke2017")
    assert max(c["count"] for c in oke["cited_in"]) > 1


def test_no_crash_on_a_latex_command_in_a_built_field(tmp_path: Path) -> None:
    """Issue #11, class 5: LaTeX that crashed pylatexenc passes validation and builds."""
    project = make_project(tmp_path, "mini")
    bib = project / "references.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(
        text.replace(
            "title     = {Shade:", "title     = {\\textbf\\href \\url \\input\\begin Shade:"
        ),
        encoding="utf-8",
    )
    assert "\\href" in bib.read_text(encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "Shade" in (tmp_path / "out" / "references" / "index.html").read_text(encoding="utf-8")

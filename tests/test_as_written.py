"""Any real report, shown as its authors wrote it (issue 15).

Numbers, money and dates in the briefing's language; excerpts marked; no reader-facing word
written into the code; one title; errors placed at the file that is wrong. The second fixture,
`tests/fixtures/enquete`, is a briefing of another shape: an invented French public inquiry
with footnoted case law, money in two currencies, sixteen recommendations, no executive
summary and French labels.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from briefing import labels
from briefing.checks.validate import validate
from briefing.model import Markdown, Span, Statistic
from briefing.render import charts
from briefing.render.formats import Formats, column_unit
from briefing.render.site import prepare_configured
from briefing.render.text import lead
from bs4 import BeautifulSoup
from conftest import FIXTURES, make_project
from sitetools import ROOT, Site, english_label_words, mkdocs_build

ENQUETE = FIXTURES / "enquete"


def _stat(
    columns: tuple[str, ...], rows: tuple[tuple[object, ...], ...], **units: str
) -> Statistic:
    return Statistic(
        "stat-x", "X", Markdown("s", Span("data/statistics.yml", 1, 1)), None, None, None,
        columns, rows, None, False, None, Span("data/statistics.yml", 1, 1),
        units={k.replace("_", " "): v for k, v in units.items()},
    )  # fmt: skip


# --- numbers, money, percentages, dates --------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "value", "unit", "qualifier", "shown"),
    [
        ("en_GB", 250000, "GBP", None, "£250,000"),
        ("fr", 250000, "GBP", None, "250\u202f000\xa0£GB"),
        ("en_GB", 1250.5, "EUR", None, "€1,250.50"),
        ("fr", 2350000, "EUR", "more than", "more than 2\u202f350\u202f000\xa0€"),
        ("en_GB", 2350, "claimants", None, "2,350 claimants"),
        ("fr", 2350, "requérants", None, "2\u202f350 requérants"),
        ("en_GB", 2015, "year", None, "2015"),
        ("fr", 2015, "year", None, "2015"),
        ("en_GB", 17, "%", "approximately", "approximately 17%"),
        ("fr", 17.5, "%", None, "17,5\xa0%"),
        ("en_GB", 999, "responses", "fewer than", "fewer than 999 responses"),
        ("en_GB", 40, "%", "up to", "up to 40%"),
        ("en_GB", 12, "weeks", "nearly", "nearly 12 weeks"),
    ],
)
def test_figures_in_the_briefings_language(
    locale: str, value: float, unit: str, qualifier: str | None, shown: str
) -> None:
    assert Formats(locale).figure(value, unit, qualifier) == shown


def test_qualifiers_are_worded_by_the_labels() -> None:
    french = labels.Labels({"qualifiers/more than": "plus de {value}"})
    assert Formats("fr", french).figure(2350, "EUR", "more than") == "plus de 2\u202f350\xa0€"


@pytest.mark.parametrize(
    ("locale", "value", "shown"),
    [
        ("en_GB", "2024-05-20", "20 May 2024"),
        ("en_GB", "2024-05", "May 2024"),
        ("fr", "2024-05-20", "20 mai 2024"),
        ("fr", "2024-05", "mai 2024"),
        ("cy", "2024-05", "Mai 2024"),
        ("fr", "not a date", "not a date"),
    ],
)
def test_dates_in_the_briefings_language(locale: str, value: str, shown: str) -> None:
    assert Formats(locale).date(value) == shown


@pytest.mark.parametrize(
    ("stat", "index", "unit"),
    [
        (_stat(("Year", "Claims"), ((2019, 2350), (2020, 1200))), 0, "year"),
        (_stat(("Year", "Claims"), ((2019, 2350), (2020, 1200))), 1, None),
        (_stat(("Region", "Claims"), (("North", 2350),)), 0, None),
        (_stat(("Claims", "Region"), ((3350, "North"), (1200, "South"))), 0, None),
        (_stat(("Claims", "Region"), ((2350, "N"), (1200, "S")), Claims="claims"), 0, "claims"),
        (_stat(("Founded (year)", "Members"), ((1999, 3),)), 0, "year"),
        (_stat(("Region", "Damages (GBP)"), (("North", 250000),)), 1, "GBP"),
        (_stat(("Region", "Damages"), (("North", 250000),), Damages="GBP"), 1, "GBP"),
        (_stat(("Region", "Opened"), (("North", 2004),), Opened="year"), 1, "year"),
    ],
)
def test_what_a_column_holds(stat: Statistic, index: int, unit: str | None) -> None:
    assert column_unit(stat, index) == unit


def test_table_cells_years_money_and_counts() -> None:
    stat = _stat(
        ("Year", "Damages", "Claimants"),
        ((2019, 250000, 2350), (2020, 1250.5, 980)),
        Damages="GBP",
    )
    english = Formats("en_GB")
    assert [english.cell(stat, i, v) for i, v in enumerate(stat.rows[0])] == [
        "2019",
        "£250,000",
        "2,350",
    ]
    french = Formats("fr")
    assert [french.cell(stat, i, v) for i, v in enumerate(stat.rows[1])] == [
        "2020",
        "1\u202f250,50\xa0£GB",
        "980",
    ]


def test_a_chart_shows_money_as_money() -> None:
    stat = replace(
        _stat(("Year", "Damages"), ((2019, 250000), (2020, 1250.5)), Damages="GBP"), chart="bar"
    )
    described = charts.describe(stat)
    assert "2019: £250,000; 2020: £1,250.50" in described
    assert "2,019" not in described


# --- excerpts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown", "cut"),
    [
        ("One sentence only.", "One sentence only.", False),
        ("First. Second sentence.", "First.", True),
        ("Do this, unless that.", "Do this, unless that.", False),
        ("Faire ceci. Sauf urgence.", "Faire ceci.", True),
        ("One paragraph.\n\nAnother one.", "One paragraph.", True),
        ("Pay £2.5m. Émettre un avis.", "Pay £2.5m.", True),
        ("Act [@act2003, art. 61]. Then more.", "Act [@act2003, art. 61].", True),
        ("See [the act, s. 4](https://x.org). End.", "See [the act, s. 4](https://x.org).", True),
        ("Cut at p. 4 of it.", "Cut at p. 4 of it.", False),
    ],
)
def test_a_lead_says_whether_it_is_the_whole_text(text: str, shown: str, cut: bool) -> None:
    assert lead(text) == (shown, cut)


# --- errors that help ---------------------------------------------------------------------------


def _lines(root: Path) -> list[str]:
    return [str(p) for p in validate(root).problems]


def test_no_recommendations_is_reported_at_their_file(mini: Path) -> None:
    (mini / "data" / "recommendations.yml").write_text("[]\n", encoding="utf-8")
    found = _lines(mini)
    assert any(
        line.startswith("data/recommendations.yml:1:1: the briefing has no recommendations")
        for line in found
    ), found


def test_a_missing_recommendations_file_is_reported(mini: Path) -> None:
    (mini / "data" / "recommendations.yml").unlink()
    found = _lines(mini)
    assert any(
        line.startswith("data/recommendations.yml:1:1: missing: every briefing needs")
        for line in found
    ), found


def test_an_unquoted_comma_in_a_flow_row_is_named(mini: Path) -> None:
    text = (mini / "data" / "statistics.yml").read_text(encoding="utf-8")
    assert "    - [East, 12]\n" in text
    text = text.replace("    - [East, 12]\n", "    - [Less than £20,000, 12]\n")
    (mini / "data" / "statistics.yml").write_text(text, encoding="utf-8")
    found = [line for line in _lines(mini) if "value(s)" in line]
    assert len(found) == 1, found
    assert re.match(r"data/statistics\.yml:\d+:8: this row has 3 value\(s\)", found[0])
    assert found[0].endswith('quote the cell: "Less than £20,000"')


def test_a_value_too_many_gets_no_comma_hint(mini: Path) -> None:
    text = (mini / "data" / "statistics.yml").read_text(encoding="utf-8")
    (mini / "data" / "statistics.yml").write_text(
        text.replace("[East, 12]", "[East, 12, 4]"), encoding="utf-8"
    )
    found = [line for line in _lines(mini) if "value(s)" in line]
    assert len(found) == 1 and "quote the cell" not in found[0], found


def test_unknown_labels_are_refused_at_their_line(mini: Path) -> None:
    (mini / "data" / "labels.yml").write_text(
        "executive_summary: Synthèse\nexecutive_sumary: Synthèse\nstatuses:\n  propsed: x\n"
        "qualifiers:\n  more than: plus de\nstatus: 'État : {statut}'\n",
        encoding="utf-8",
    )
    found = _lines(mini)
    assert any(
        line.startswith("data/labels.yml:2:1: unknown field 'executive_sumary'") for line in found
    ), found
    assert any(line.startswith("data/labels.yml:4:3: unknown field 'propsed'") for line in found)
    assert any(
        line.startswith("data/labels.yml:6:14: label 'qualifiers/more than' must hold {value}")
        for line in found
    ), found
    assert any(
        line.startswith("data/labels.yml:7:9: label 'status' uses {statut}") for line in found
    ), found


def test_an_unknown_language_is_refused_at_its_setting(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"mkdocs\.yml: theme\.language: 'xx-nowhere'"):
        prepare_configured(ROOT, ROOT / "docs", None, {}, language="xx-nowhere")


# --- one title, two addresses --------------------------------------------------------------------


@pytest.mark.slow
def test_the_title_comes_from_report_yml(tmp_path: Path) -> None:
    project = make_project(tmp_path, "mini")
    report = project / "data" / "report.yml"
    text = report.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    assert title is not None
    report.write_text(text.replace(title[0], "title: A New Title & More"), encoding="utf-8")
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    site = Site(tmp_path / "out", result.stderr)
    home = site.page("")
    header = home.select_one(".md-header__topic .md-ellipsis")
    assert header is not None and header.get_text(strip=True) == "A New Title & More"
    about = site.page("glossary/")
    assert about.title is not None and about.title.get_text().endswith("A New Title & More")


# --- the briefing of another shape, end to end -------------------------------------------------


def test_the_fixture_validates_cleanly() -> None:
    result = validate(ENQUETE)
    assert [str(p) for p in result.problems] == []
    briefing = result.briefing
    assert briefing is not None
    assert briefing.report.summary is None
    assert len(briefing.recommendations) >= 15
    assert {r.type for r in briefing.references.values()} >= {"jurisdiction", "legislation"}
    assert "test" in str(briefing.report.note)


@pytest.mark.slow
def test_no_executive_summary_heading_without_a_summary(enquete: Site) -> None:
    home = enquete.page("")
    headings = [h.get_text(" ", strip=True).rstrip("¶ ") for h in home.select("article h2")]
    assert "Synthèse" not in headings and "Executive summary" not in headings
    assert headings[:3] == [
        "Les recommandations en bref",
        "Où en sont les recommandations",
        "Chiffres clés",
    ]


@pytest.mark.slow
def test_money_and_counts_as_the_locale_writes_them(enquete: Site) -> None:
    home = enquete.page("")
    figures = [s.get_text() for s in home.select(".key-figure")]
    assert figures == [
        "plus de 2\u202f350\u202f000\xa0€",
        "250\u202f000\xa0£GB",
        "environ 2\u202f350 requérants",
    ]
    survey = enquete.page("survey/")
    table = survey.select_one("#stat-indemnites-par-annee-table")
    assert table is not None
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in table.select("tbody tr")]
    assert rows[0] == ["2021", "1\u202f250\u202f000\xa0€", "1\u202f200"]
    assert rows[1] == ["2022", "980\u202f500,50\xa0€", "2\u202f350"]
    chart = survey.select_one("#stat-indemnites-par-annee-chart desc")
    assert chart is not None and "2021 : 1\u202f250\u202f000\xa0€" not in chart.get_text()
    assert "2021: 1\u202f250\u202f000\xa0€" in chart.get_text()
    assert "2\u202f021" not in survey.get_text()
    data = json.loads((enquete.root / "downloads" / "briefing.json").read_text("utf-8"))
    money = next(s for s in data["statistics"] if s["id"] == "stat-contribution-assureur")
    assert (money["value"], money["unit"], money["shown"]) == (250000, "GBP", "250\u202f000\xa0£GB")
    table_data = next(s for s in data["statistics"] if s["id"] == "stat-indemnites-par-annee")
    assert table_data["rows"][1] == [2022, 980500.5, 2350]
    assert table_data["shown_rows"][1] == ["2022", "980\u202f500,50\xa0€", "2\u202f350"]
    assert table_data["units"] == {"Année": "year", "Indemnités versées": "EUR", "Dossiers": None}


@pytest.mark.slow
def test_cards_mark_excerpts_and_link_the_whole(enquete: Site) -> None:
    cards = enquete.page("").select(".grid.cards:not(.key-figures) > ul > li")
    assert len(cards) == 16
    by_title = {c.select("a")[0].get_text(): c for c in cards}
    whole = by_title["Rétablir les sirènes"]  # one sentence: the whole text
    assert whole.select_one(".excerpt-mark") is None
    assert "Rétablir les sirènes dans les douze communes riveraines." in whole.get_text()
    cut = by_title["Prioriser les ménages modestes"]  # its second sentence narrows the first
    assert cut.select_one(".excerpt-mark") is not None
    more = cut.select_one("a.read-whole")
    assert more is not None and more["href"] == "recommendations/menages-modestes/"
    assert "Sauf urgence" not in cut.get_text()
    cited = by_title["Reconstruire autrement"]  # one sentence with a citation and a locator
    assert cited.select_one(".excerpt-mark") is None and "[@" not in cited.get_text()


@pytest.mark.slow
def test_page_titles_come_from_the_nav(enquete: Site) -> None:
    survey = enquete.page("survey/")
    h1 = survey.select_one("article h1")
    assert h1 is not None and h1.get_text(strip=True).rstrip("¶") == "Les chiffres"
    assert survey.title is not None and survey.title.get_text().startswith("Les chiffres")
    home = enquete.page("")
    links = [a.get_text() for a in home.select("article ul li a") if "survey/" in a["href"]]
    assert "Les chiffres" in links and "Survey figures" not in home.get_text()


@pytest.mark.slow
def test_one_title_and_two_addresses(enquete: Site) -> None:
    home = enquete.page("")
    header = home.select_one(".md-header__topic .md-ellipsis")
    title = "Enquête publique sur les crues de la vallée de la Lisère"
    assert header is not None and header.get_text(strip=True) == title
    assert "ancien titre" not in str(home)
    original = home.select_one(".original-report a")
    assert (
        original is not None
        and original["href"] == "https://example.org/commission-lisere/rapport-2025"
    )


@pytest.mark.slow
def test_case_law_is_listed(enquete: Site) -> None:
    references = enquete.page("references/")
    listed = references.select("ol.references > li")
    keys = {li["id"] for li in listed}
    assert keys >= {
        "ref-ce2021lisere",
        "ref-caa2019lyon",
        "ref-ewhc2019insurer",
        "ref-loi2003risques",
    }
    rec = enquete.page("recommendations/mediation/")
    assert rec.select("ol.works-cited li")


@pytest.mark.slow
def test_a_reference_s_citing_pages_are_named_in_the_briefing_s_words(enquete: Site) -> None:
    cited = enquete.page("references/").select(".cited-in")
    assert cited and all(span.get_text().startswith("Citée dans : ") for span in cited)
    assert all(span.select("a[href]") for span in cited)


# Words that are English by design: the theme's own strings are translated by Material (left out
# by reading only the article), references are formatted by the CSL style's own locale (the bib
# work: `.reference`, `.cite-briefing`, the BibTeX block), code and file names are literal
# (`summary`, briefing.json).
_BY_DESIGN = ".reference, .cite-briefing, pre, code, .works-cited li"
_FILE_NAME = re.compile(r"\S+\.(?:json|csv|bib|pdf)\b")


@pytest.mark.slow
def test_no_english_word_is_left_in_a_french_briefing(enquete: Site) -> None:
    english = english_label_words()
    assert {"executive", "summary", "evidence", "respondents", "status", "glance"} <= english
    assert {"became", "tracker", "stand", "recorded", "shown"} <= english  # the tracker's too
    # What is read covers the counts, a whole timeline and the tracker (its filter's words too).
    assert enquete.page("").select_one(".status-counts")
    rec = enquete.page("recommendations/guichet/")
    entries = rec.select(".timeline .timeline-entry")
    assert "status-2025-06-02-implemented" in {e["id"] for e in entries}
    assert rec.select(".timeline .timeline-response")
    status = rec.select_one(".status-as-of")
    assert rec.select_one(".timeline-source") and status is not None
    assert "2 juin 2025" in status.get_text()  # the locale's date
    tracker = enquete.page("tracker/")
    assert tracker.select("table.tracker-table tr.tracker-row time")
    in_nav = [a.get_text(strip=True) for a in rec.select(".md-nav a[href$='tracker/']")]
    assert in_nav and set(in_nav) == {"Suivi"}  # the nav names it in the briefing's words
    script = tracker.select_one("script[data-filter-label]")
    assert script is not None
    statuses = json.loads(str(script["data-filter-statuses"]))  # [status, its words]
    filter_words = " ".join(
        [
            re.sub(r"\{\w+\}", "", str(script[f"data-filter-{n}"]))
            for n in ("label", "all", "result")
        ]
        + [word for _, word in statuses]
    )
    feeds = [enquete.root / "feed.atom", *sorted((enquete.root / "feeds").glob("*.atom"))]
    found: dict[str, set[str]] = {}
    for name, words in [
        ("tracker/ (filter)", filter_words),
        *((f.name, _atom_words(f)) for f in feeds),
    ]:
        left = {w for w in re.findall(r"[A-Za-z]+", words) if w.lower() in english}
        if left:
            found[name] = left
    for url, page in enquete.pages.items():
        article = page.select_one("article")
        if article is None or url == "404.html":  # the theme's own page
            continue
        article = BeautifulSoup(str(article), "html.parser")
        for element in article.select(_BY_DESIGN):
            element.decompose()
        text = article.get_text(" ") + " ".join(
            str(t.get("aria-label", "")) for t in article.select("[aria-label]")
        )
        text = _FILE_NAME.sub(" ", text)
        left = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in english}
        if left:
            found[url] = left
    assert found == {}


def _atom_words(path: Path) -> str:
    """The words a feed reader shows: titles, summaries and category names."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "xml")
    assert soup.feed is not None and soup.feed["xml:lang"] == "fr"
    titles = " ".join(t.get_text() for t in soup.find_all(["title", "summary"]))
    return titles + " " + " ".join(str(c.get("label", "")) for c in soup.find_all("category"))


def test_labels_are_escaped_text(mini: Path) -> None:
    (mini / "data" / "labels.yml").write_text(
        "executive_summary: '<script>alert(1)</script>'\n"
        "pager: '\"><img src=x onerror=alert(1)>'\n"
        "status: '<b>{status}</b> {status.__class__}'\n",
        encoding="utf-8",
    )
    found = _lines(mini)
    prepared = prepare_configured(mini, mini / "docs", None, {})
    assert prepared.site is not None, found
    pages = prepared.site.pages
    assert "<script>" not in pages["index.md"] and "&lt;script" in pages["index.md"]
    rec = next(v for k, v in pages.items() if k.startswith("recommendations/") and "index" not in k)
    assert "<img" not in rec and "<b>" not in rec
    listing = pages["recommendations/index.md"]  # {status.__class__}: words, never looked up
    assert r"\{status\.\_\_class\_\_\}" in listing and "<class" not in listing

"""What the rendering stage does that `make mutate` (tests/mutate.py, stage rendering) found no
engine-only test checking: each test reads the engine's output as a page or the hooks get it,
without a build, so the stage's mutants run it in a second.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from briefing import cache, labels
from briefing.checks.validate import validate
from briefing.citations.bibliography import Bibliography
from briefing.citations.formatting import plain
from briefing.labels import Labels
from briefing.model import Briefing, Span, Statistic
from briefing.problems import BriefingError, Code
from briefing.render import charts, citing, svgcheck, text, tracker
from briefing.render import nav as navigation
from briefing.render.download_list import FILES
from briefing.render.formats import Formats
from briefing.render.pages import SURVEY
from briefing.render.site import Site, prepare, prepare_configured
from briefing.sources.history import Change, History
from sitetools import ROOT, git
from test_render import golden

HEAD = "<html><head><title>Tracker</title></head><body><h1>Tracker</h1></body></html>"

# --- the tracker's filter: its script file and its tag ----------------------------------------


def test_the_filter_script_is_written_under_the_site(tmp_path: Path) -> None:
    path = tracker.write_script(tmp_path / "site")
    assert path == tmp_path / "site" / "assets" / "javascripts" / "tracker.js"
    assert path.read_text(encoding="utf-8") == tracker.SCRIPT_TEXT
    assert tracker.write_script(tmp_path / "site") == path  # a second build writes it again


def test_the_filters_words_are_the_briefings_labels() -> None:
    labels = Labels(
        {
            "tracker/filter": "Filtrer",
            "tracker/filter_all": "Tous les statuts",
            "tracker/filter_result": "{shown} sur {all}",
            "statuses/accepted": "Acceptée",
        }
    )
    words = tracker.filter_words(labels)
    assert list(words) == [
        "data-filter-label",
        "data-filter-all",
        "data-filter-result",
        "data-filter-statuses",
    ]
    assert words["data-filter-label"] == "Filtrer"
    assert words["data-filter-all"] == "Tous les statuts"
    assert words["data-filter-result"] == "{shown} sur {all}"
    assert json.loads(words["data-filter-statuses"]) == [
        ["proposed", "Proposed"],
        ["accepted", "Acceptée"],
        ["in-progress", "In progress"],
        ["implemented", "Implemented"],
        ["declined", "Declined"],
    ]
    assert "Acceptée" in words["data-filter-statuses"]  # as written, not \\u escapes


def test_the_tracker_page_alone_gets_the_script_tag_in_its_head() -> None:
    labels = Labels({"tracker/filter": 'Show <only> "these"'})
    shown = tracker.script_tag(HEAD, tracker.TRACKER, labels)
    head, _, body = shown.partition("</head>")
    assert body == "<body><h1>Tracker</h1></body></html>"
    before, _, after = head.partition("<script ")
    assert before == "<html><head><title>Tracker</title>" and after.endswith("></script>\n")
    assert 'src="../assets/javascripts/tracker.js"' in after
    assert ' data-filter-label="Show &lt;only&gt; &quot;these&quot;"' in after
    assert ' data-filter-all="All statuses"' in after
    assert after.endswith(" defer></script>\n")
    plain = tracker.script_tag("<head></head>", tracker.TRACKER, Labels({"tracker/filter": "F"}))
    statuses = ", ".join(
        f"[&quot;{s}&quot;, &quot;{n}&quot;]"
        for s, n in (
            ("proposed", "Proposed"),
            ("accepted", "Accepted"),
            ("in-progress", "In progress"),
            ("implemented", "Implemented"),
            ("declined", "Declined"),
        )
    )
    assert plain == (
        '<head><script src="../assets/javascripts/tracker.js" data-filter-label="F" '
        'data-filter-all="All statuses" data-filter-result="{shown} of {all} recommendations '
        f'shown." data-filter-statuses="[{statuses}]" defer></script>\n</head>'
    )
    flat = tracker.script_tag(HEAD, tracker.TRACKER, labels, directory_urls=False)
    assert '<script src="assets/javascripts/tracker.js" ' in flat  # tracker.html, at the root
    assert tracker.script_tag(HEAD, "index.md", labels) == HEAD  # any other page as it is
    no_head = "<p>a fragment</p>"
    assert tracker.script_tag(no_head, tracker.TRACKER, labels) == no_head


# --- Site.markdown: the one text every builder is given -------------------------------------


def _site(
    locale: str = "en_GB",
    glossary: bool | dict[str, str] = True,
    labels: dict[str, str] | None = None,
) -> Site:
    """The small briefing rendered by the engine, with a content history to date its pages;
    `glossary`: False for none, or the terms to have instead of the fixture's."""
    briefing = mini_briefing()
    if glossary is not True:
        briefing = replace(briefing, glossary=glossary or {})
    if labels:
        briefing = replace(briefing, labels=Labels(labels))
    bibliography = Bibliography("vancouver")
    site = Site(
        briefing,
        lambda keys: bibliography.format([briefing.references[k] for k in keys]),
        plain,
        history=History(updated=UPDATED),
        locale=locale,
    )
    docs = MINI / "docs"
    site.prepare([], {p.name: p.read_text(encoding="utf-8") for p in docs.glob("*.md")})
    return site


MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def mini_briefing() -> Briefing:
    """The small "Urban Trees" briefing, validated."""
    return validate(MINI).checked()


UPDATED = {"data/recommendations.yml": "2024-06-02", "docs/context.md": "2024-05-01"}
TERMS = "\n\n*[NDVI]: Normalised Difference Vegetation Index\n*[UHI]: Urban Heat Island\n"


def _dated(day: str, shown: str) -> str:
    return f'\n\n<p class="last-updated">Last updated <time datetime="{day}">{shown}</time></p>\n'


def test_a_page_ends_with_its_last_update_and_the_glossarys_abbreviations() -> None:
    site = _site()
    rec = "recommendations/plant-hot-streets.md"
    assert site.markdown(rec) == site.pages[rec] + _dated("2024-06-02", "2 June 2024") + TERMS
    assert site.markdown("context.md") == (
        site.prose["context.md"] + _dated("2024-05-01", "1 May 2024") + TERMS
    )
    assert site.markdown("method.md") == site.prose["method.md"] + TERMS  # no change known
    french = _site("fr_FR")
    assert french.markdown(rec).endswith(_dated("2024-06-02", "2 juin 2024") + TERMS)


def test_the_last_update_line_is_the_briefings_label_escaped() -> None:
    site = _site(labels={"last_updated": "Revised by R&D <staff> on {date}"})
    assert site.last_updated(("docs/context.md",)) == (
        '\n\n<p class="last-updated">Revised by R&amp;D &lt;staff&gt; on '
        '<time datetime="2024-05-01">1 May 2024</time></p>\n'
    )


def test_the_glossary_lists_terms_in_dictionary_order_with_plain_anchors() -> None:
    terms = {"UHI": "Urban Heat Island", "ndvi": "Vegetation index", "(CO2)": "Carbon dioxide"}
    page = _site(glossary=terms).pages["glossary.md"]
    assert re.findall(r'<dt id="([^"]+)">([^<]+)</dt>', page) == [
        ("term-co2", "(CO2)"),  # case and punctuation do not decide the order, nor the anchor
        ("term-ndvi", "ndvi"),
        ("term-uhi", "UHI"),
    ]


def test_abbreviations_put_the_longest_term_first_and_none_without_a_glossary() -> None:
    site = _site()
    assert site.abbreviations() == TERMS
    assert _site(glossary=False).markdown("method.md") == _site().prose["method.md"]


def test_a_longer_term_comes_first_even_after_a_shorter_one_in_the_alphabet() -> None:
    site = _site()
    site.briefing = replace(site.briefing, glossary={"AB": "A b", "ZZZ": "Z  z\n z"})
    assert site.abbreviations() == "\n\n*[ZZZ]: Z z z\n*[AB]: A b\n"


def test_a_page_the_build_did_not_read_is_refused_at_its_file() -> None:
    with pytest.raises(BriefingError) as raised:
        _site().markdown("appeared.md")
    assert [str(p) for p in raised.value.problems] == [
        "docs/appeared.md:1:1: this page appeared after the briefing was read; build again"
    ]


def test_charts_are_drawn_into_the_survey_only_when_asked() -> None:
    site = _site()
    survey = site.markdown(SURVEY)
    assert "<svg" not in survey
    drawn = site.markdown(SURVEY, charts=True)
    assert drawn.count('<figure class="chart" id="stat-canopy-by-district-chart">') == 1
    assert drawn.endswith(TERMS) and "<svg" in drawn
    rec = "recommendations/plant-hot-streets.md"
    assert site.markdown(rec, charts=True) == site.markdown(rec)


# --- figures in the briefing's language -----------------------------------------------------

COSTS = Statistic(
    id="stat-costs",
    title="Costs",
    source=None,  # type: ignore[arg-type]
    value=None,
    unit=None,
    qualifier=None,
    columns=("Year", "Cost (£)"),
    rows=((2020, 1234.5), (2021, 2000)),
    chart="bar",
    key=False,
    note=None,
    span=Span("data/statistics.yml", 1, 1),
)


def test_a_chart_writes_its_figures_in_the_briefings_locale() -> None:
    page = "<p>x</p>" + charts.placeholder(COSTS)
    for locale, shown in (("en_GB", "1,234.5"), ("fr_FR", "1\u202f234,5")):
        formats = Formats(locale)
        assert f">{shown}</text>" in charts.figure(COSTS, formats)
        embedded = charts.embed(page, [COSTS], formats)
        assert f">{shown}</text>" in embedded, locale


def test_a_long_category_is_wrapped_at_26_characters_a_line() -> None:
    groups = replace(
        COSTS,
        columns=("Group", "Count"),
        rows=(("Clinical engineers in acute trusts", 4), ("Physicists", 3)),
    )
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", charts.figure(groups))
    assert texts[:3] == ["Clinical engineers in", "acute trusts", "Physicists"]


# Each chart as drawn, byte for byte (the SVG is reproducible): the real briefing's, one of
# three panels (three units, the first with two series side by side) and one with losses.
PANELS = replace(
    COSTS,
    id="stat-panels",
    columns=("Region", "Men (count)", "Women (count)", "Vacancies (%)", "Budget (GBP)"),
    rows=(
        ("North", 40, 52, 12.5, 250000),
        ("South", 35, None, 8, 198000.5),
        ("A region with a name too long for one line", 12, 15, 30, 0),
    ),
)
LOSSES = replace(
    COSTS,
    id="stat-losses",
    columns=("Year", "Change (%)"),
    rows=((2022, -4.5), (2023, 2), (2024, -12)),
)


# Every value below zero (the axis ends at zero), fractions below one, two series without a
# unit, and one long category alone.
DEFICITS = replace(
    LOSSES, id="stat-deficits", columns=("Year", "Balance"), rows=((2022, -3), (2023, -1.5))
)
SHARES = replace(
    LOSSES, id="stat-shares", columns=("Group", "Share"), rows=(("A", 0.2), ("B", 0.5))
)
PAIRS = replace(
    LOSSES,
    id="stat-pairs",
    columns=("Year", "Men", "Women"),
    rows=((2022, 40, 60), (2023, 45, 55)),
)
LONG = replace(
    LOSSES,
    id="stat-long",
    columns=("Group", "Count"),
    rows=(("Clinical engineers in acute trusts", 4), ("Physicists", 3)),
)
CHARTS = {s.id: s for s in (PANELS, LOSSES, DEFICITS, SHARES, PAIRS, LONG)}


def _charted() -> dict[str, Statistic]:
    real = validate(ROOT).checked().statistics
    found = {s.id: s for s in real if charts.has_chart(s)}
    assert len(found) == 2, sorted(found)
    return {**found, **CHARTS}


@pytest.mark.parametrize(
    "stat_id", ["stat-responses-by-specialism", "stat-attrition-comparison", *CHARTS]
)
def test_each_chart_is_drawn_as_approved(stat_id: str) -> None:
    golden(f"charts/{stat_id}.svg", charts.figure(_charted()[stat_id]))


def test_a_french_chart_writes_its_categories_bars_and_description_in_french() -> None:
    stat = replace(
        LOSSES,
        id="stat-bands",
        columns=("Band", "Rate (‰)"),
        rows=((1500, 2.5), ("$5 to $10", 4)),
    )
    made = charts.figure(stat, Formats("fr_FR"))
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", made)
    assert texts == ["1\u202f500", "$5 to $10", "2,5‰", "4‰", "Rate (‰)"]  # no TeX from $s
    assert re.findall(r"<desc[^>]*>([^<]*)</desc>", made) == [
        "Bar chart of the table above. Rate (‰) by Band. 1\u202f500: 2,5‰; $5 to $10: 4‰."
    ]


@pytest.mark.parametrize(
    ("locale", "value", "code", "shown"),
    [
        ("en_GB", 250000, "GBP", "£250,000"),  # whole: no pence
        ("en_GB", 250000.0, "EUR", "€250,000"),
        ("en_GB", 2350.5, "GBP", "£2,350.50"),  # else the currency's digits
        ("en_GB", 12.3456, "GBP", "£12.35"),
        ("en_GB", 12.25, "JPY", "JP¥12"),  # a currency without minor units
        ("fr_FR", 250000, "GBP", "250\u202f000\xa0£GB"),
        ("fr_FR", 2350.5, "GBP", "2\u202f350,50\xa0£GB"),
    ],
)
def test_money_is_whole_or_in_the_currencys_digits(
    locale: str, value: float, code: str, shown: str
) -> None:
    assert Formats(locale).money(value, code) == shown


# --- the briefing's settings ----------------------------------------------------------------


def test_the_locale_setting_is_the_sites_and_a_bad_one_is_named() -> None:
    prepared = prepare_configured(MINI, MINI / "docs", None, {"locale": "fr_FR"})
    assert prepared.site is not None
    assert prepared.site.formats.money(2350.5, "GBP") == "2\u202f350,50\xa0£GB"
    with pytest.raises(ValueError, match=r"^mkdocs\.yml: extra\.briefing\.locale: 'xx_NOWHERE'"):
        prepare_configured(MINI, MINI / "docs", None, {"locale": "xx_NOWHERE"})


def test_the_settings_reach_the_site_nav_and_bibliography_included() -> None:
    nav = [{"Home": "index.md"}, {"Method": "method.md"}, {"Context": "context.md"}]
    prepared = prepare_configured(MINI, MINI / "docs", nav, {"bibliography": "shared"})
    assert prepared.site is not None
    assert prepared.site.shared_bibliography is True
    assert prepared.site.titles["method.md"] == "Method"
    assert prepared.nav[:3] == nav
    own = prepare_configured(MINI, MINI / "docs", None, {}, directory_urls=False)
    assert own.site is not None and own.site.shared_bibliography is False
    assert own.site.directory_urls is False


# --- how to cite each recommendation: at its page's address --------------------------------


@pytest.mark.parametrize(
    ("site_url", "directory_urls", "address"),
    [
        (None, True, None),  # no site address: no URL to cite
        ("https://example.org/b", True, "https://example.org/b/recommendations/watering-rota/"),
        ("https://example.org/b/", True, "https://example.org/b/recommendations/watering-rota/"),
        (
            "https://example.org/b",
            False,
            "https://example.org/b/recommendations/watering-rota.html",
        ),
    ],
)
def test_a_recommendations_citation_gives_its_pages_address(
    site_url: str | None, directory_urls: bool, address: str | None
) -> None:
    prepared = prepare(
        MINI,
        MINI / "docs",
        None,
        published=True,
        site_url=site_url,
        directory_urls=directory_urls,
    )
    assert prepared.site is not None
    citation = prepared.site.rec_citations["rec-watering-rota"]
    (item,) = json.loads(citing.csl_json(citation))
    assert item.get("URL") == address
    if address is not None:
        assert re.search(rf"\n  url += \{{{re.escape(address)}\}},\n", citation.bibtex)


ENQUETE = Path(__file__).resolve().parent / "fixtures" / "enquete"


def _enquete() -> Site:
    """The French inquiry, prepared as its build prepares it (engine only: no build)."""
    prepared = prepare(
        ENQUETE,
        ENQUETE / "docs",
        None,
        published=True,
        site_url="https://example.org/enquete/",
        language="fr",
        locale="fr_FR",
    )
    assert prepared.site is not None, prepared.result.errors
    return prepared.site


def test_a_citation_file_is_indented_json_as_written() -> None:
    site = _enquete()
    rec = site.briefing.recommendations[0]
    text = citing.csl_json(site.rec_citations[rec.id])
    assert text.startswith('[\n  {\n    "id": "') and text.endswith("\n  }\n]\n")
    assert '\n    "title": "Recommandation 1 : Rendre les cartes consultables",\n' in text
    assert "Enquête publique" in text  # UTF-8 as written, not \\u escapes


def test_the_home_page_lists_the_downloads_in_the_briefings_words() -> None:
    home = _enquete().pages["index.md"]
    assert (
        '<li><a href="downloads/briefing.pdf">Le dossier complet (PDF)</a>: toutes les pages '
        "dans l&#x27;ordre de lecture, à imprimer ou lire hors ligne</li>"
    ) in home


# --- the charts' allow-list: what it refuses, in words, and what it lets through -------------

NS = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'


@pytest.mark.parametrize(
    ("svg", "found"),
    [
        (f"<svg {NS}><!-- a note --></svg>", ["a declaration, comment or processing instruction"]),
        (f'<?xml version="1.0"?><svg {NS}/>', ["a declaration, comment or processing instruction"]),
        (
            f"<svg {NS}><script>alert(1)</script><g><foreignObject/></g>"
            '<rect id="stat-x-r"/></svg>',
            ["element <script>", "element <foreignObject>"],
        ),
        (f"<html><svg {NS}/></html>", ["the root element is html, not svg", "element <html>"]),
        (
            f'<svg {NS} {XLINK}><use xlink:href="#stat-x-a"/><use href="https://x.example/s#a"/>'
            '<path href="#stat-x-a"/></svg>',
            [
                "<use href>: 'https://x.example/s#a' is not a reference inside the chart",
                "<path href>: '#stat-x-a' is not a reference inside the chart",
            ],
        ),
        (
            f'<svg {NS}><rect ID="x"/><rect id="rec-plant"/><rect id="stat-x-ok"/></svg>',
            [
                "attribute <rect ID>",
                "<rect id>: 'rec-plant' is not one of the chart's own ids (stat-x-...)",
            ],
        ),
        (
            f'<svg {NS}><g clip-path="url(#stat-x-c)"/><g clip-path="url(https://x.example/#c)"/>'
            "</svg>",
            ["<g clip-path>: 'url(https://x.example/#c)' is not a reference inside the chart"],
        ),
        (
            f'<svg {NS}><path style="fill: url(#stat-x-g); stroke:#000"/><path style="fill: '
            'url(https://x.example/a); behavior: url(#x); font-family: a:b; stroke"/></svg>',
            [
                "<path style>: 'fill: url(https://x.example/a)' calls a function",
                "<path style>: style property 'behavior'",
                "<path style>: 'font-family: a:b' holds characters no chart writes",
                "<path style>: style property 'stroke'",
            ],
        ),
        (
            f'<svg {NS}><path d="M 0 0 L 1 1" fill="#fff" onclick="x"/>'
            '<text x="1;" font-size="10px">a</text></svg>',
            ["attribute <path onclick>", "<text x>: '1;' holds characters no chart writes"],
        ),
        (f"<svg {NS}><rect/></svg>", []),
        (f'<svg {NS} {XLINK}><use xlink:href="#stat-x-Ab_1.2:3"/></svg>', []),
    ],
)
def test_the_chart_allow_list_names_each_thing_it_refuses(svg: str, found: list[str]) -> None:
    assert svgcheck.problems(svg, "stat-x") == found


def test_the_chart_allow_list_refuses_broken_xml() -> None:
    (found,) = svgcheck.problems(f"<svg {NS}><g></svg>", "stat-x")
    assert found.startswith("not well-formed XML (mismatched tag")


# --- a chart from the build cache is trusted no more than a fresh one --------------------------


@pytest.mark.parametrize(
    "planted",
    ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not svg"],
)
def test_a_cached_chart_that_fails_is_drawn_again_and_replaced(
    planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    french = Formats("fr_FR")
    fresh = charts.svg(COSTS, french)
    assert "1\u202f234,5" in fresh  # drawn in the locale asked for
    name = cache.key("chart", charts.cache_parts(COSTS, french))
    drawn = cache.shared().get("chart", name)
    assert drawn is not None
    cache.shared().put("chart", name, planted.encode("utf-8"))
    assert charts.svg(COSTS, french) == fresh
    assert cache.shared().get("chart", name) == drawn  # the fresh drawing, in its place


@pytest.mark.parametrize(
    ("drawn", "why"),
    [
        ("</svg>", "element <script>"),  # matplotlib's drawing with a script added
        ("not svg", "not an SVG document"),
    ],
)
def test_a_fresh_chart_that_fails_the_allow_list_is_refused_by_name(
    drawn: str, why: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    real = charts._draw(COSTS)
    hostile = (
        real.replace("</svg>", "<script>alert(1)</script></svg>") if "svg>" in drawn else drawn
    )
    monkeypatch.setattr(charts, "_draw", lambda stat, formats: hostile)
    with pytest.raises(charts.UnsafeChart) as raised:
        charts.svg(COSTS)
    assert str(raised.value) == f"the chart of 'stat-costs' is not safe to embed: {why}"


# --- the nav's names for pages, and indented Markdown ----------------------------------------


def test_the_nav_names_each_page_it_lists_the_first_name_kept() -> None:
    listed = [
        "plain.md",  # no name of its own: MkDocs uses the page's heading
        {"Home": "index.md"},
        {"Part": [{"A": "a.md"}, "b.md", {"Home again": "index.md"}]},
        {"Method": "method.md"},
    ]
    assert navigation.titles(listed) == {"index.md": "Home", "a.md": "A", "method.md": "Method"}
    assert navigation.titles(None) == {}


def test_indent_pads_each_line_with_text_and_leaves_blank_lines_empty() -> None:
    assert text.indent("a\n\n  b\n   \nc", 2) == "  a\n\n    b\n\n  c"


# --- prepare: what the hooks and the export ask for reaches the pages ------------------------

UNCITED = (
    "\n@book{spare2020,\n  author = {Spare, Sam},\n  title = {Spare Trees},\n  year = {2020}\n}\n"
)


def _mini_copy(tmp_path: Path, docs: str = "docs") -> Path:
    root = tmp_path / "mini"
    shutil.copytree(MINI, root)
    if docs != "docs":
        (root / "docs").rename(root / docs)
    return root


def test_prepare_reads_the_docs_folder_it_is_given_and_names_it(tmp_path: Path) -> None:
    root = _mini_copy(tmp_path, "pages")
    prepared = prepare(root, root / "pages", None)
    assert prepared.site is not None and not prepared.result.problems
    assert prepared.site.docs == "pages"
    assert set(prepared.site.prose) == {"context.md", "method.md"}
    page = root / "pages" / "method.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nSee [@nosuch2020].\n", encoding="utf-8")
    nav = [{"Method": "method.md"}, {"Context": "context.md"}]
    refused = prepare(root, root / "pages", nav)
    assert refused.site is None  # an error: nothing is rendered, the nav is kept as given
    assert refused.nav == nav and refused.nav is not nav
    assert [p.path for p in refused.result.errors] == ["pages/method.md"]
    assert "unknown citation key 'nosuch2020'" in refused.result.errors[0].message
    assert prepare(root, root / "pages", None).nav == []


def test_prepare_keeps_a_shared_bibliography_s_uncited_works_out_of_sight(tmp_path: Path) -> None:
    root = _mini_copy(tmp_path)
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNCITED)
    own = prepare(root, root / "docs", None)
    shared = prepare(root, root / "docs", None, shared_bibliography=True)
    assert own.site is not None and shared.site is not None
    assert [p.code for p in own.result.warnings] == [Code.UNUSED_REFERENCE]
    assert not shared.result.problems
    assert "Spare Trees" in own.site.pages["references.md"]  # listed, as never cited
    assert "Spare Trees" not in shared.site.pages["references.md"]


def test_prepare_formats_references_and_dates_in_the_briefing_s_language() -> None:
    english = prepare(MINI, MINI / "docs", None).site
    french = prepare(MINI, MINI / "docs", None, language="fr").site
    canadian = prepare(MINI, MINI / "docs", None, language="en", locale="fr_CA").site
    assert english is not None and french is not None and canadian is not None
    assert "Available from:" in english.pages["references.md"]
    for site in (french, canadian):  # the locale, where given, is the language's region
        assert "Disponible sur:" in site.pages["references.md"]
        assert "juin 2025" in site.pages["index.md"]
    assert "June 2025" in english.pages["index.md"]


def test_prepare_shows_how_to_cite_only_a_published_briefing_at_its_address() -> None:
    url = "https://example.org/trees/"
    published = prepare(MINI, MINI / "docs", None, published=True, site_url=url).site
    flat = prepare(
        MINI, MINI / "docs", None, published=True, site_url=url, directory_urls=False
    ).site
    draft = prepare(MINI, MINI / "docs", None, site_url=url).site
    assert published is not None and flat is not None and draft is not None
    assert published.citation is not None and url in published.citation.text
    rec = "recommendations/plant-hot-streets"
    assert f"{url}{rec}/" in published.rec_citations["rec-plant-hot-streets"].text
    assert f"{url}{rec}.html" in flat.rec_citations["rec-plant-hot-streets"].text
    bare = prepare(MINI, MINI / "docs", None, published=True, site_url=url.rstrip("/")).site
    assert bare is not None  # an address without its last slash is the same site
    assert f"{url}{rec}/" in bare.rec_citations["rec-plant-hot-streets"].text
    assert "downloads/briefing.pdf" in published.pages["index.md"]
    assert draft.citation is None and not draft.rec_citations
    assert "downloads/briefing.pdf" not in draft.pages["index.md"]


def test_prepare_gives_generated_pages_the_names_the_nav_gives_them() -> None:
    nav = [{"Home": "index.md"}, {"Works cited": "references.md"}, {"Context": "context.md"}]
    site = prepare(MINI, MINI / "docs", nav).site
    assert site is not None
    assert site.pages["references.md"].startswith("# Works cited\n")
    default = prepare(MINI, MINI / "docs", None).site
    assert default is not None and default.pages["references.md"].startswith("# References\n")


def test_prepare_dates_each_page_from_the_project_s_history(tmp_path: Path) -> None:
    """The small briefing in a git repository of its own: each page is dated from its files'
    last commit; a shallow clone of it says so, and dates nothing wrongly."""
    root = _mini_copy(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-qm", "First edition", date="2024-05-01T10:00:00+00:00")
    prepared = prepare(root, root / "docs", None)
    assert prepared.site is not None and not prepared.result.problems
    assert _dated("2024-05-01", "May 1, 2024") in prepared.site.markdown("context.md")
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{root}", str(shallow))
    cut = prepare(shallow, shallow / "docs", None)
    assert cut.site is not None
    assert [p.code for p in cut.result.problems] == [Code.BUILD_SHALLOW_CLONE]
    assert "last-updated" not in cut.site.markdown("context.md")


def test_charts_drawn_into_a_page_write_figures_in_the_briefing_s_locale() -> None:
    """The French inquiry's charts, drawn by Site.markdown for a builder without the hooks:
    its money in French (1 250 000 €), not in the default locale's (€1,250,000)."""
    site = _enquete()
    drawn = site.markdown(SURVEY, charts=True)
    default = charts.embed(site.markdown(SURVEY), site.briefing.statistics)
    assert drawn.count("<svg") == default.count("<svg") >= 2
    assert drawn != default
    assert "1,250,000" in default and "1,250,000" not in drawn


# --- each generated page's files: its last-updated date and its edit link --------------------

RECS = {"recommendations/plant-hot-streets.md", "recommendations/watering-rota.md"}
THEME_PAGES = {"themes/shade.md", "themes/care.md"}
# The generated pages an edit to each file changes (and so re-dates); the history page lists
# every change.
DEPENDS = {
    "data/report.yml": {"index.md"},
    "data/themes.yml": {*RECS, *THEME_PAGES, "themes/index.md"},
    "data/findings.yml": {*RECS, *THEME_PAGES, "themes/index.md", "survey.md"},
    "data/quotes.yml": {*RECS, *THEME_PAGES, "survey.md"},
    "data/statistics.yml": {*RECS, *THEME_PAGES, "survey.md", "index.md"},
    "data/recommendations.yml": {
        *RECS,
        *THEME_PAGES,
        "index.md",
        "recommendations/index.md",
        "tracker.md",
    },
    "data/glossary.yml": {"glossary.md"},
    "references.bib": {*RECS, "references.md"},
}
EDITS = {
    "index.md": "data/report.yml",
    "survey.md": "data/statistics.yml",
    "themes/index.md": "data/themes.yml",
    **dict.fromkeys(THEME_PAGES, "data/themes.yml"),
    "recommendations/index.md": "data/recommendations.yml",
    **dict.fromkeys(RECS, "data/recommendations.yml"),
    "tracker.md": "data/recommendations.yml",
    "references.md": "references.bib",
    "glossary.md": "data/glossary.yml",
    "changes.md": "",  # made from the history: nothing to edit
}


@pytest.mark.parametrize("changed", sorted(DEPENDS))
def test_an_edit_re_dates_the_pages_that_show_the_file(changed: str) -> None:
    briefing = mini_briefing()
    bibliography = Bibliography("vancouver")
    site = Site(
        briefing,
        lambda keys: bibliography.format([briefing.references[k] for k in keys]),
        plain,
        history=History(updated={changed: "2030-01-01"}),
    )
    site.prepare([], {p.name: p.read_text(encoding="utf-8") for p in (MINI / "docs").glob("*.md")})
    dated = {p.src for p in site.generated if "2030-01-01" in site.markdown(p.src)}
    assert dated == {*DEPENDS[changed], "changes.md"}
    assert {p.src: p.edit for p in site.generated} == EDITS


PARTIAL = "This copy of the briefing holds only part of its history: changes {before}are not listed"
PARTIAL += ", and pages last changed by then show no date\\.\n\n"
NEWEST = "Changes to the briefing's content, newest first\\.\n\n"
MAY = '## <time datetime="2025-05-01">1 May 2025</time>\n\n'


@pytest.mark.parametrize(
    ("history", "shown"),
    [
        # a shallow clone: what is missing, from its oldest commit's date when known
        (
            History(
                complete=False,
                since="2025-03-04",
                changes=(Change("2025-05-01", "Edit *one*", ("data/x.yml", "docs/a.md")),),
            ),
            PARTIAL.format(before="up to 4 March 2025 ")
            + NEWEST
            + MAY
            + "- Edit \\*one\\* (`data/x.yml`, `docs/a.md`)\n",
        ),
        (History(complete=False), PARTIAL.format(before="").removesuffix("\n")),
        (History(), "No history is available for this copy of the briefing\\.\n"),
        # changes by day, newest first, in the order made within a day
        (
            History(
                changes=(
                    Change("2025-05-01", "A", ("a",)),
                    Change("2025-05-01", "B", ("b",)),
                    Change("2025-04-01", "C", ("c",)),
                )
            ),
            NEWEST
            + MAY
            + "- A (`a`)\n- B (`b`)\n\n"
            + '## <time datetime="2025-04-01">1 April 2025</time>\n\n- C (`c`)\n',
        ),
    ],
    ids=["shallow-since", "shallow", "none", "by-day"],
)
def test_the_history_page_says_what_it_knows(history: History, shown: str) -> None:
    briefing = mini_briefing()
    site = Site(briefing, lambda keys: {}, plain, history=history)
    site.prepare([], {})
    assert site.pages["changes.md"] == "# What changed\n\n" + shown


# --- a briefing with a note on everything: what the numbering reads is what the page shows ---


def _annotated(tmp_path: Path) -> Path:
    """The small briefing with an editor's note citing a work on each kind of item, a quote no
    finding uses (with a note), and a work nothing cites."""
    root = _mini_copy(tmp_path)
    notes = {"report": None, "themes": 0, "findings": 1, "quotes": 0, "statistics": 1}
    notes["recommendations"] = 1
    for n, (name, index) in enumerate(notes.items(), start=1):
        path = root / "data" / f"{name}.yml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        item = data if index is None else data[index]
        item["note"] = f"An editor's note on {name} [@oke2017, p. {n}]; see @quote-stray."
        if name == "quotes":
            data.append(
                {
                    "id": "quote-stray",
                    "text": "Nobody asked us.\n\nNot once.",
                    "attribution": "Resident, at a meeting",
                    "note": "Said before the survey [@greenfield2021, p. 9].",
                }
            )
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(UNCITED)
    return root


ANNOTATED_PAGES = [
    "index.md",
    "survey.md",
    "themes/index.md",
    "themes/shade.md",
    "themes/care.md",
    "recommendations/index.md",
    "recommendations/plant-hot-streets.md",
    "recommendations/watering-rota.md",
    "tracker.md",
    "references.md",
    "glossary.md",
]


def test_every_note_is_numbered_and_shown_where_its_item_is(tmp_path: Path) -> None:
    """Notes on each item, a stray quote, a work never cited: each page shows them, numbered
    in reading order (the page is rendered from the texts it was numbered from, or raises),
    as reviewed: tests/golden/annotated/ (UPDATE_GOLDEN=1 writes them again)."""
    prepared = prepare(
        _annotated(tmp_path),
        tmp_path / "mini" / "docs",
        None,
        published=True,
        site_url="https://example.org/trees/",
    )
    assert prepared.site is not None, prepared.result.errors
    site = prepared.site
    assert sorted(ANNOTATED_PAGES) == sorted(p.src for p in site.generated if p.src != "changes.md")
    for src in ANNOTATED_PAGES:
        golden("annotated/" + src.replace("/", "-"), site.pages[src])


def test_each_download_is_offered_in_the_briefing_s_words() -> None:
    """Every file under downloads/ is listed with its label and what it holds, escaped: the
    labels downloads/<name>/label and about, which each download has (in English by default)."""
    published = prepare(MINI, MINI / "docs", None, published=True).site
    assert published is not None
    shown = published.pages["index.md"]
    for download in FILES:
        label = labels.defaults()[f"downloads/{download.name}/label"]
        about = labels.defaults()[f"downloads/{download.name}/about"]
        assert f'{download.name}">{html.escape(label)}</a>: {html.escape(about)}</li>' in shown
    assert shown.count('<li><a href="downloads/') == len(FILES) == 6


def test_prepare_refuses_a_docs_file_that_would_replace_the_theme_s(tmp_path: Path) -> None:
    root = _mini_copy(tmp_path)
    theme = tmp_path / "theme"
    (theme / "assets").mkdir(parents=True)
    (theme / "assets" / "site.css").write_text("body {}", encoding="utf-8")
    (root / "docs" / "assets").mkdir()
    (root / "docs" / "assets" / "site.css").write_text("p {}", encoding="utf-8")
    assert prepare(root, root / "docs", None).site is not None  # no theme said: no clash
    refused = prepare(root, root / "docs", None, theme=[theme])
    assert refused.site is None
    assert [p.code for p in refused.result.errors] == [Code.CONTENT_THEME_FILE]


def test_prepare_keeps_each_page_s_front_matter_apart(tmp_path: Path) -> None:
    root = _mini_copy(tmp_path)
    page = root / "docs" / "method.md"
    page.write_text("---\ntitle: How\n---\n" + page.read_text(encoding="utf-8"), "utf-8")
    site = prepare(root, root / "docs", None).site
    assert site is not None
    assert site.front["method.md"] == "---\ntitle: How\n---\n"
    assert site.front["context.md"] == ""
    assert site.prose["method.md"].startswith("# ")


REC_1 = "Recommendation 1: Plant where the heat is worst"
REC_2 = "Recommendation 2: Share the watering with residents"


def test_a_section_the_nav_names_is_filled_under_the_nav_s_name() -> None:
    briefing = mini_briefing()
    nav = [{"Start": "index.md"}, {"What we ask": "recommendations/index.md"}]
    expanded = navigation.expand(briefing, nav, [])
    assert expanded[:2] == [
        {"Start": "index.md"},
        {
            "What we ask": [
                "recommendations/index.md",
                {REC_1: "recommendations/plant-hot-streets.md"},
                {REC_2: "recommendations/watering-rota.md"},
                {"Tracker": "tracker.md"},
            ]
        },
    ]


@pytest.mark.parametrize(
    ("locale", "shown"),
    [("en_GB", ["2.5%", "2.5‰", "1,250‰"]), ("fr_FR", ["2,5\xa0%", "2,5\xa0‰", "1\u202f250\xa0‰"])],
)
def test_a_figure_per_mille_is_written_as_the_locale_writes_a_percentage(
    locale: str, shown: list[str]
) -> None:
    formats = Formats(locale, Labels())
    assert [formats.figure(2.5, "%"), formats.figure(2.5, "‰"), formats.figure(1250, "‰")] == shown

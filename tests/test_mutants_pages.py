"""What the generated pages (render/pages/*) do that `make mutate` (tests/mutate.py, stage
rendering) found no engine-only test checking: each test reads the pages' builder, its targets
or a page the engine renders, without a build.
"""

from __future__ import annotations

from dataclasses import replace

from briefing.citations.formatting import plain
from briefing.labels import Labels
from briefing.model import Briefing, Markdown, Span, Theme
from briefing.render.pages import Pages
from briefing.render.resolve import Target
from briefing.render.site import Site
from test_mutants_render import mini_briefing


def _prepared(briefing: Briefing, entries: dict[str, str] | None = None) -> Site:
    """`briefing` rendered by the engine, each work formatted as `entries` has it (none: the
    formatter formats nothing)."""
    formatted = entries or {}
    site = Site(briefing, lambda keys: {k: formatted[k] for k in keys if k in formatted}, plain)
    site.prepare([], {})
    return site


# --- Pages.targets: where each item is shown and how links name it ---------------------------


def test_each_item_is_a_target_at_its_page_and_anchor_named_as_links_name_it() -> None:
    targets = Pages(mini_briefing(), dict).targets()
    shade, care = "themes/shade.md", "themes/care.md"
    under_1 = "Finding under theme 1: Shade on the Hottest Days"
    under_2 = "Finding under theme 2: Caring for Young Trees"
    assert targets == {
        "theme-shade": Target(shade, "theme-shade", "Shade on the Hottest Days", "Theme 1"),
        "theme-care": Target(care, "theme-care", "Caring for Young Trees", "Theme 2"),
        "finding-shade-valued": Target(
            shade, "finding-shade-valued", "Shade is what residents value most", under_1
        ),
        "finding-hot-streets": Target(
            shade, "finding-hot-streets", "The hottest districts have the fewest trees", under_1
        ),
        "finding-watering": Target(care, "finding-watering", "Young trees need watering", under_2),
        "finding-volunteers": Target(care, "finding-volunteers", "Residents would help", under_2),
        "quote-cool-street": Target(
            shade,  # the page of the first finding that gives it as evidence
            "quote-cool-street",
            "“Our street is the only cool place in…”",
            "Survey respondent, North district: "
            "“Our street is the only cool place in the neighbourhood in August.”",
        ),
        "quote-watering": Target(
            care,
            "quote-watering",
            "“Half the saplings planted last spring were dead…”",
            "Survey respondent, East district: “Half the saplings planted last spring were dead "
            "by September. Nobody watered them.”",
        ),
        "stat-want-more-trees": Target(
            "survey.md",
            "stat-want-more-trees",
            "Residents who want more street trees",
            "at least 70%",
        ),
        "stat-canopy-by-district": Target(
            "survey.md", "stat-canopy-by-district", "Canopy cover by district", "Table"
        ),
        "rec-plant-hot-streets": Target(
            "recommendations/plant-hot-streets.md",
            "rec-plant-hot-streets",
            "Recommendation 1",
            "Plant where the heat is worst",
        ),
        "rec-watering-rota": Target(
            "recommendations/watering-rota.md",
            "rec-watering-rota",
            "Recommendation 2",
            "Share the watering with residents",
        ),
    }


def test_a_quotes_tooltip_shows_its_first_thirty_words() -> None:
    briefing = mini_briefing()
    words = [f"w{i}" for i in range(1, 32)]
    thirty = replace(briefing.quotes[0], text=" ".join(words[:30]))
    longer = replace(briefing.quotes[1], text=" ".join(words))
    targets = Pages(replace(briefing, quotes=(thirty, longer)), dict).targets()
    assert targets[thirty.id].title == f"{thirty.attribution}: “{' '.join(words[:30])}”"
    assert targets[longer.id].title == f"{longer.attribution}: “{' '.join(words[:30])}…”"


def test_without_formats_given_figures_are_worded_in_the_briefings_labels() -> None:
    briefing = replace(
        mini_briefing(), labels=Labels({"qualifiers/at least": "no fewer than {value}"})
    )
    targets = Pages(briefing, dict).targets()
    assert targets["stat-want-more-trees"].title == "no fewer than 70%"


# --- Pages.pages: each page's title, and the home page's name in backlinks --------------------


def test_each_generated_page_has_its_title_and_the_home_page_is_cited_as_the_nav_names_it() -> None:
    pages = Pages(mini_briefing(), dict, titles={"index.md": "Home"}).pages()
    assert [(p.src, p.title, p.cites_as) for p in pages] == [
        ("index.md", "Urban Trees and Summer Heat", "Home"),
        ("survey.md", "Survey figures", ""),
        ("themes/index.md", "Themes", ""),
        ("themes/shade.md", "Theme 1: Shade on the Hottest Days", ""),
        ("themes/care.md", "Theme 2: Caring for Young Trees", ""),
        ("recommendations/index.md", "Recommendations", ""),
        (
            "recommendations/plant-hot-streets.md",
            "Recommendation 1: Plant where the heat is worst",
            "",
        ),
        (
            "recommendations/watering-rota.md",
            "Recommendation 2: Share the watering with residents",
            "",
        ),
        ("references.md", "References", ""),
        ("glossary.md", "Glossary", ""),
        ("changes.md", "What changed", ""),
    ]


# --- Common: the pieces several pages share ---------------------------------------------------


def test_an_admonition_title_writes_a_labels_double_quotes_as_entities() -> None:
    briefing = replace(mini_briefing(), labels=Labels({"editors_note": 'The "editor\'s" note'}))
    assert Pages(briefing, dict).admonition_title("editors_note") == (
        "The &quot;editor's&quot; note"
    )


def test_a_theme_without_findings_or_summary_has_a_page_of_its_heading_and_kicker() -> None:
    briefing = mini_briefing()
    empty = Theme("theme-empty", 3, "Nothing Found", None, None, Span("data/themes.yml", 9, 3))
    site = _prepared(replace(briefing, themes=(*briefing.themes, empty)))
    assert site.pages["themes/empty.md"] == (
        '# Theme 3: Nothing Found {#theme-empty}\n\n<p class="kicker">Theme 3 of 3</p>\n\n\n\n'
    )
    assert site.pages["themes/index.md"].endswith("\n## 3. [Nothing Found](empty.md)\n")


def test_a_quote_evidence_for_two_findings_of_a_theme_has_its_note_numbered_once() -> None:
    """The note is shown under the first finding only, so its citation counts once there."""
    briefing = mini_briefing()
    quote = briefing.quotes[0]
    noted = replace(
        quote, note=Markdown("Oke measured it [@oke2017].\n", Span("data/quotes.yml", 6, 9))
    )
    first, second, *others = briefing.findings
    also = replace(second, evidence=(*second.evidence, quote.id))
    site = _prepared(
        replace(briefing, quotes=(noted, *briefing.quotes[1:]), findings=(first, also, *others))
    )
    assert site.numbering.anchors["themes/shade.md"] == ("cite-greenfield2021-1", "cite-oke2017-1")
    assert [(c.link.page, c.count) for c in site.numbering.cited_in("oke2017")] == [
        ("index.md", 1),
        ("themes/shade.md", 1),
        ("recommendations/plant-hot-streets.md", 1),
    ]


# --- the home page's byline ---------------------------------------------------------------------


def test_a_byline_leaves_out_authors_who_are_the_publisher() -> None:
    briefing = mini_briefing()
    alone = replace(briefing, report=replace(briefing.report, authors=(briefing.report.publisher,)))
    byline = '<p class="byline">Published by Riverside Civic Trust, June 2025.</p>'
    assert _prepared(alone).pages["index.md"].splitlines()[4] == byline


# --- a work the formatter gave no entry for -----------------------------------------------------


def test_a_work_without_a_formatted_entry_is_shown_by_its_key() -> None:
    briefing = mini_briefing()
    extra = replace(briefing.references["oke2017"], key="extra2020")
    site = _prepared(
        replace(briefing, references={**briefing.references, "extra2020": extra}),
        {"greenfield2021": "<i>Greenfield</i>", "cityatlas2024": "City atlas"},
    )
    references = site.pages["references.md"]
    assert references.split('<ol class="references">\n', 1)[1].split("</li>")[0] == (
        '<li id="ref-oke2017" value="1"><span class="reference">oke2017</span> '
        '<span class="cited-in">Cited in: <a href="index.md#cite-oke2017-1">Urban Trees and '
        'Summer Heat</a>, <a href="recommendations/plant-hot-streets.md#cite-oke2017-1">'
        "Recommendation 1: Plant where the heat is worst</a></span>"
    )
    assert references.endswith(
        '<ul class="references">\n<li id="ref-extra2020"><span class="reference">extra2020'
        "</span></li>\n</ul>\n"
    )
    works = site.pages["recommendations/plant-hot-streets.md"].split('<ol class="works-cited">')[1]
    assert works.split("\n</ol>")[0].splitlines() == [
        "",
        '<li value="1">oke2017 <a href="../references.md#ref-oke2017" class="ref-link">'
        "(in references)</a></li>",
        '<li value="2"><i>Greenfield</i> <a href="../references.md#ref-greenfield2021" '
        'class="ref-link">(in references)</a></li>',
        '<li value="3">City atlas <a href="../references.md#ref-cityatlas2024" '
        'class="ref-link">(in references)</a></li>',
    ]

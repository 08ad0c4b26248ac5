"""Rendering as pure functions: tables of input and output, and golden files for whole pages.

Regenerate the golden files on purpose with `UPDATE_GOLDEN=1 make test`, then review the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from briefing.checks.validate import validate
from briefing.render import nav, numbering
from briefing.render.formats import Formats
from briefing.render.resolve import Resolver, Target
from briefing.render.site import page_title, prepare_configured
from briefing.render.text import file_link, md_escape, md_link
from briefing.render.urls import page_url, site_href
from mkdocs.structure.files import File
from sitetools import ROOT, engine_site

GOLDEN = Path(__file__).parent / "golden"


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{path} is missing: run with UPDATE_GOLDEN=1 to create it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("src", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("about.md", True, "about/"),
        ("recommendations/index.md", True, "recommendations/"),
        ("recommendations/mri.md", True, "recommendations/mri/"),
        ("recommendations/mri.md", False, "recommendations/mri.html"),
        ("index.md", False, "index.html"),
        # a README.md is its folder's index page (MkDocs' File.url)
        ("README.md", True, ""),
        ("README.md", False, "index.html"),
        ("guides/README.md", True, "guides/"),
        ("guides/README.md", False, "guides/index.html"),
        ("guides/README-old.md", True, "guides/README-old/"),
    ],
)
def test_page_url(src: str, directory_urls: bool, url: str) -> None:
    assert page_url(src, directory_urls) == url
    assert File(src, "docs", "site", directory_urls).url.removeprefix("./") == url  # MkDocs'


@pytest.mark.parametrize(
    ("src", "directory_urls", "link"),
    [
        ("index.md", True, "feed.atom"),
        ("about.md", True, "../feed.atom"),
        ("recommendations/mri.md", True, "../../feed.atom"),
        ("index.md", False, "feed.atom"),
        ("about.md", False, "feed.atom"),  # about.html, beside it (was relative to "/")
        ("recommendations/mri.md", False, "../feed.atom"),
    ],
)
def test_site_href_from_a_built_page(src: str, directory_urls: bool, link: str) -> None:
    """The head tags' links, from the built page's address to a file of the site."""
    assert site_href(src, "feed.atom", directory_urls) == link


@pytest.mark.parametrize(
    ("origin", "target", "anchor", "link"),
    [
        ("index.md", "references.md", "ref-a", "references.md#ref-a"),
        ("recommendations/mri.md", "references.md", "ref-a", "../references.md#ref-a"),
        ("recommendations/mri.md", "recommendations/mri.md", "x", "#x"),
        ("recommendations/mri.md", "recommendations/mri.md", "", "mri.md"),
        ("references.md", "index.md", "", "index.md"),
        ("recommendations/index.md", "recommendations/mri.md", "", "mri.md"),
        ("themes/a/b.md", "recommendations/mri.md", "r", "../../recommendations/mri.md#r"),
    ],
)
def test_md_link_names_the_source(origin: str, target: str, anchor: str, link: str) -> None:
    """A page links a page's source relative to its own: no builder's URL layout in it."""
    assert md_link(origin, target, anchor) == link


@pytest.mark.parametrize(
    ("origin", "path", "link"),
    [
        ("index.md", "downloads/briefing.pdf", "downloads/briefing.pdf"),
        ("tracker.md", "feed.atom", "feed.atom"),
        ("recommendations/mri.md", "feeds/mri.atom", "../feeds/mri.atom"),
        ("recommendations/mri.md", "downloads/cite/mri.bib", "../downloads/cite/mri.bib"),
    ],
)
def test_file_link_is_the_files_path_from_the_source(origin: str, path: str, link: str) -> None:
    assert file_link(origin, path) == link


@pytest.mark.parametrize(
    ("value", "unit", "qualifier", "shown"),
    [
        (17, "%", "approximately", "approximately 17%"),
        (17.0, "%", None, "17%"),
        (111, "responses", None, "111 responses"),
        (2015, "year", None, "2015"),
        (12345, "entries", "at least", "at least 12,345 entries"),
        (2.5, "years", None, "2.5 years"),
    ],
)
def test_figure(value: float, unit: str, qualifier: str | None, shown: str) -> None:
    assert Formats().figure(value, unit, qualifier) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [("2024-05", "May 2024"), ("2024-05-20", "20 May 2024"), ("2024", "2024"), ("x", "x")],
)
def test_long_date(value: str, shown: str) -> None:
    assert Formats().date(value) == shown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("Plain words", "Plain words"),
        ("*not emphasis* [not](a link)", r"\*not emphasis\* \[not\]\(a link\)"),
        ("<script>alert(1)</script>", r"&lt;script\>alert\(1\)&lt;/script\>"),
        ("&amp; stays text", "&amp;amp; stays text"),
        ("DR&RP", "DR&RP"),
        ("1. not a list", r"1\. not a list"),
    ],
)
def test_md_escape(text: str, escaped: str) -> None:
    assert md_escape(text) == escaped


def test_number_has_separators_from_four_digits() -> None:
    # A year says it is one (unit: year, or a year column): see tests/test_formats.py.
    assert Formats().number(2350) == "2,350"
    assert Formats().number(10000) == "10,000"


@pytest.mark.parametrize(
    ("src", "text", "title"),
    [
        ("background.md", "# Background\n\nText", "Background"),
        ("a/b.md", "Intro\n\n# The title {#anchor}\n", "The title"),
        ("response-bias.md", "No heading", "Response bias"),
    ],
)
def test_page_title(src: str, text: str, title: str) -> None:
    assert page_title(src, text) == title


def _resolver() -> Resolver:
    targets = {
        "rec-flexibility": Target(
            "recommendations/flexibility.md", "rec-flexibility", "Recommendation 2", "Flexibility"
        ),
        "theme-content": Target("themes/content.md", "theme-content", "Programme content", "T 4"),
    }
    read = numbering.Cited("background.md", "Background", tuple(RESOLVER_CASES))
    tooltips = {"braun2006": 'Braun V. "Thematic" <analysis>.'}
    return Resolver(targets, numbering.number([read]), tooltips=tooltips)


RESOLVER_CASES = [
    "One work [@braun2006].",
    "Two works [@braun2006; @lacey2001] and a locator [@braun2006, p. 4].",
    "Bare @rec-flexibility and custom [our *own* words][rec-flexibility].",
    "A theme: @theme-content. Mail someone@rec-flexibility.org stays.",
    "Code `[@braun2006]` and @rec-flexibility in `code` stay.",
    "```\n[@braun2006]\n```\nafter [@lacey2001]",
]


def test_every_generated_page_has_a_golden_file() -> None:
    golden_pages = {"recommendations/flexibility.md", "index.md", "references.md", *GENERATED}
    generated = {p.src for p in engine_site().generated}
    assert generated - golden_pages == {"changes.md"}  # git's history


def test_nav_fills_the_generated_sections_in_order() -> None:
    briefing = validate(ROOT).checked()
    expanded = nav.expand(briefing, ["index.md", "themes/index.md"], ["index.md", "a.md"])
    # Numbered by position in the data files, whatever number the engine gives.
    themes = [
        {f"Theme {n}: {t.title}": f"themes/{t.id.removeprefix('theme-')}.md"}
        for n, t in enumerate(briefing.themes, 1)
    ]
    recs = [
        {f"Recommendation {n}: {r.title}": f"recommendations/{r.slug}.md"}
        for n, r in enumerate(briefing.recommendations, 1)
    ]
    assert expanded == [
        "index.md",
        {"Themes": ["themes/index.md", *themes]},
        "survey.md",
        {"Recommendations": ["recommendations/index.md", *recs, {"Tracker": "tracker.md"}]},
        "references.md",
        "glossary.md",
        "changes.md",
    ]
    assert next(iter(themes[0])) == "Theme 1: HSST and the Needs of the Future Workforce"
    default = nav.expand(briefing, None, ["index.md", "b.md", "a.md"])
    assert nav.flatten(default) == [
        "index.md",
        "a.md",
        "b.md",
        "survey.md",
        "themes/index.md",
        *(p for t in themes for p in t.values()),
        "recommendations/index.md",
        *(p for r in recs for p in r.values()),
        "tracker.md",
        "references.md",
        "glossary.md",
        "changes.md",
    ]
    named = nav.expand(briefing, [{"Our themes": "themes/index.md"}, {"x": ["a.md"]}], [])
    assert next(iter(named[0])) == "Our themes" and named[1] == {"x": ["a.md"]}
    assert nav.flatten([{"Elsewhere": "https://example.org/"}, "a.md"]) == ["a.md"]


def test_resolver_golden() -> None:
    resolver = _resolver()
    rendered = [resolver.resolve(case, "background.md") for case in RESOLVER_CASES]
    assert resolver.numbering.numbers == {"braun2006": 1, "lacey2001": 2}
    golden(
        "resolver.txt",
        "\n\n".join(f"{c}\n=>\n{r}" for c, r in zip(RESOLVER_CASES, rendered, strict=True)) + "\n",
    )


def test_resolver_is_idempotent_on_its_output() -> None:
    resolver = _resolver()
    once = resolver.resolve(RESOLVER_CASES[1], "index.md")
    assert resolver.resolve(once, "index.md") == once


@pytest.mark.parametrize(
    ("order", "numbers"),
    [
        (["index.md", "a.md", "b.md"], {"braun2006": 1, "lacey2001": 2}),
        (["index.md", "b.md", "a.md"], {"lacey2001": 1, "braun2006": 2}),
    ],
)
def test_numbering_follows_reading_order(order: list[str], numbers: dict[str, int]) -> None:
    site = engine_site()
    site.prepare(order, {"b.md": "Second [@lacey2001]", "a.md": "First [@braun2006]"})
    assert {k: site.numbering.numbers[k] for k in numbers} == numbers
    # Pages resolved afterwards, in whatever order MkDocs processes them, keep those numbers.
    second = next(key for key, n in numbers.items() if n == 2)
    assert ">2</a>]" in site.resolve("c.md", f"[@{second}]")


GENERATED = [
    "survey.md",
    "themes/index.md",
    *(f"themes/{t}.md" for t in ("future-workforce", "position-ccs", "time-commitment")),
    *(f"themes/{t}.md" for t in ("programme-content", "hsse")),
    "recommendations/index.md",
    *(f"recommendations/{r}.md" for r in ("registration", "curriculum", "hsse", "mri")),
    "tracker.md",
    "glossary.md",
]


@pytest.mark.parametrize(
    ("src", "name"),
    [
        ("recommendations/flexibility.md", "rec-flexibility.md"),
        ("index.md", "home.md"),
        ("references.md", "references.md"),
        *((src, "pages/" + src.replace("/", "-")) for src in GENERATED),
    ],
)
def test_generated_pages_golden(src: str, name: str) -> None:
    site = engine_site()
    docs = ROOT / "docs"
    prose = {p.relative_to(docs).as_posix(): p.read_text() for p in docs.rglob("*.md")}
    order = ["index.md", "background.md", "method.md", "response-bias.md", "survey.md"]
    order += [p.src for p in site.generated]
    site.prepare(order, prose)
    golden(name, site.pages[src])


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"citation_style": "no-such-style"}, "mkdocs.yml: extra.briefing.citation_style: "),
        ({"bibliography": "borrowed"}, "mkdocs.yml: extra.briefing.bibliography: "),
    ],
)
def test_bad_settings_name_the_setting(settings: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(named)}"):
        prepare_configured(ROOT, ROOT / "docs", None, settings)


def test_a_quotes_editors_note_follows_it_where_it_lives() -> None:
    site = engine_site()
    docs = ROOT / "docs"
    prose = {p.relative_to(docs).as_posix(): p.read_text() for p in docs.rglob("*.md")}
    site.prepare(["index.md", *(p.src for p in site.generated)], prose)
    home = site.builder.quote_home["quote-imaging-modules"]
    page = site.pages[home]
    quote = page.index('id="quote-imaging-modules"')
    note = page.index('!!! note "Editor\'s note"', quote)
    assert page[page.index("</figure>", quote) : note].strip() == "</figure>"  # right after it
    assert '"scientific b modules" is lower case' in page[note:]
    assert "@finding-mr-awareness" not in page  # the note's cross-reference is a link
    assert "#finding-mr-awareness" in page[note:]
    others = [text for src, text in site.pages.items() if src != home]
    assert not any('"scientific b modules" is lower case' in text for text in others)

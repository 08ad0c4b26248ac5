"""What a pull request that touches only data cannot do (issue 11, classes 3 to 6, and the cache).

- URLs are read as a browser reads them before any check: no `src` leaves the site and no
  link, download or metadata URL has another scheme than http, https or mailto, however the
  URL is spelt (tabs, newlines, controls, backslashes, `//host`, entities, case).
- No cell of recommendations.csv is a formula in a spreadsheet.
- Chart text is drawn as written (no math); front matter is an allow-list; figures a briefing
  cannot mean are refused at their line.
- Ids with the briefing's prefixes are refused where an author writes them; a duplicate id in
  a built page fails the build at its source.
- Chart SVG passes its own allow-list, fresh or from the cache; formatted references from the
  cache go through the page sanitiser.

The oracle for "as a browser reads it" is ada (`ada_url`, the WHATWG URL Standard's parser)
called directly, never the engine's own `weblinks`.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from ada_url import URL
from briefing import cache, weblinks
from briefing.checks import anchors
from briefing.checks.validate import validate
from briefing.citations import bibliography
from briefing.model import Markdown, Reference, Span, Statistic
from briefing.publish import downloads, head, sanitize
from briefing.render import charts, svgcheck
from briefing.sources import frontmatter
from bs4 import BeautifulSoup
from bs4.element import Tag
from conftest import make_project
from hypothesis import given, settings
from hypothesis import strategies as st
from sitetools import mkdocs_build

BASE = "https://publisher.example/briefing/themes/page/"
SITE_HOST = "publisher.example"
ALLOWED = {"http:", "https:", "mailto:"}


def browser(value: str, base: str | None = BASE) -> URL | None:
    """How a browser reads `value` on a page at `base`; None when it reads no URL at all."""
    try:
        return URL(value, base) if base else URL(value)
    except ValueError:
        return None


# --- class 3: URLs as a browser reads them ---------------------------------------------------

# Pieces a hostile URL is made of: what browsers strip or reinterpret, schemes in disguise,
# slashes and backslashes, hosts, entities (for HTML sources).
_PIECES = st.sampled_from(
    [
        *("/", "\\", "//", "/\\", "\\\\", "\t", "\n", "\r", " ", "\x00", "\x01", "\x1f", "\x7f"),
        *("javascript:", "JaVaScRiPt:", "java\tscript:", "data:", "vbscript:", "file:", "ftp:"),
        *("http:", "https:", "HTTPS:", "mailto:", "ws:", "blob:", ":", "%09", "%2f", "&#9;"),
        *("&#x2f;", "&colon;", "&Tab;", "&NewLine;", "tracker.example", "publisher.example"),
        *("@", "evil.example", "x.png", "../", "./", "#", "?", "a", "1", "[::1]", "%00", "\u3000"),
    ]
)
HOSTILE_URLS = st.lists(_PIECES, min_size=1, max_size=8).map("".join) | st.text(max_size=30)


def _attribute(markup: str, name: str) -> str | None:
    tag = BeautifulSoup(markup, "html.parser").find(True)
    value = tag.get(name) if isinstance(tag, Tag) else None
    return value if isinstance(value, str) else None


@settings(max_examples=400, deadline=None)
@given(HOSTILE_URLS)
def test_no_image_src_leaves_the_site_after_a_browsers_parse(url: str) -> None:
    for written in (url, url.replace('"', "&quot;")):
        out = sanitize.clean(f'<p><img alt="a" src="{written}"></p>')
        src = _attribute(out.replace("<p>", ""), "src")
        if src is None:
            continue
        parsed = browser(src)
        assert parsed is not None, (url, out)
        assert parsed.protocol == "https:" and parsed.host == SITE_HOST, (url, out)


@settings(max_examples=400, deadline=None)
@given(HOSTILE_URLS)
def test_no_link_has_another_scheme_after_a_browsers_parse(url: str) -> None:
    out = sanitize.clean(f'<a href="{url}">x</a>')
    href = _attribute(out, "href")
    if href is not None:
        parsed = browser(href)
        assert parsed is not None and parsed.protocol in ALLOWED, (url, out)


@settings(max_examples=400, deadline=None)
@given(HOSTILE_URLS)
def test_every_url_for_downloads_and_metadata_is_absolute_web_or_mail(url: str) -> None:
    kept = weblinks.web(url)
    if kept is not None:
        parsed = browser(kept, None)  # read away from the site: no base
        assert parsed is not None and parsed.protocol in ALLOWED, url
        assert parsed.protocol == "mailto:" or parsed.host, url


@pytest.mark.parametrize(
    ("url", "link", "local"),
    [
        ("../assets/figure.png", True, True),
        ("figure.png#x", True, True),
        ("/\t/tracker.example/pixel.png", True, False),  # `//tracker.example` to a browser
        ("/\n/tracker.example/p", True, False),
        ("\\\\tracker.example/p", True, False),
        ("/\\tracker.example/p", True, False),
        ("https:tracker.example/p", True, False),
        (" \x01//tracker.example", True, False),
        ("java\tscript:alert(1)", False, False),
        ("\x00javascript:alert(1)", False, False),
        ("JAVASCRIPT:alert(1)", False, False),
        ("data:image/png;base64,AAAA", False, False),
        ("mailto:someone@example.org", True, False),
        ("https://doi.org/10.1/x", True, False),
        ("https://[::1", False, False),  # not a URL at all: no browser follows it
    ],
)
def test_urls_by_use(url: str, link: bool, local: bool) -> None:
    assert (weblinks.link(url) is not None) == link
    assert (weblinks.local(url) is not None) == local


def test_entities_are_decoded_first_where_the_url_comes_from_html() -> None:
    assert weblinks.local("/&#9;/tracker.example/p.png", from_html=True) is None
    assert weblinks.link("java&Tab;script:alert(1)", from_html=True) is None
    assert weblinks.link("&#106;avascript:alert(1)", from_html=True) is None


@settings(max_examples=200, deadline=None)
@given(HOSTILE_URLS, st.sampled_from(["10.1/x", "10.1/\\evil", "@evil.example/", " x\t"]))
def test_csl_items_and_head_metadata_carry_only_web_urls(url: str, doi: str) -> None:
    item: dict[str, object] = {"id": "k", "type": "webpage", "title": "T", "URL": url, "DOI": doi}
    kept = weblinks.csl_item(item)
    reference = head.highwire_reference(item)
    work = head._cited_work(kept)  # the JSON-LD of a cited work
    urls = [kept.get("URL"), work.get("url"), work.get("sameAs")]
    urls += re.findall(r"citation_public_url=([^;]*)", reference)
    for value in urls:
        if value is not None:
            parsed = browser(str(value), None)
            assert parsed is not None and parsed.protocol in ALLOWED, (url, value)
    assert str(work["sameAs"]).startswith("https://doi.org/")
    assert browser(str(work["sameAs"]), None).host == "doi.org"  # type: ignore[union-attr]


BAD_BIB_URLS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<b>x</b>",
    "vbscript:x",
    "file:///etc/passwd",
    "ftp://example.org/x",
    "//tracker.example/x",
    "example.org/no-scheme",
    "java\tscript:alert(1)",
    "https://[::1/x",
]


@pytest.mark.parametrize("url", BAD_BIB_URLS)
@pytest.mark.parametrize("form", ["url = {URL}", "howpublished = {\\url{URL}}"])
def test_a_bibtex_url_is_refused_at_its_field(mini: Path, url: str, form: str) -> None:
    bib = mini / "references.bib"
    text = bib.read_text(encoding="utf-8")
    field = form.replace("URL", url)
    bib.write_text(text.replace("url          = {https://example.org/tree-atlas}", field), "utf-8")
    line = next(n for n, t in enumerate(bib.read_text("utf-8").splitlines(), 1) if field in t)
    errors = validate(mini).errors
    placed = [p for p in errors if p.path == "references.bib" and p.line == line]
    assert placed, [str(p) for p in errors]
    assert "cityatlas2024" in placed[0].message and "url" in placed[0].message.lower()
    assert placed[0].column == 3  # where the field's name starts


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "https://[::1/x", "ftp://example.org", "//example.org"]
)
def test_the_reports_url_is_refused(mini: Path, url: str) -> None:
    report = mini / "data" / "report.yml"
    text = report.read_text("utf-8").replace("https://example.org/urban-trees", f'"{url}"')
    report.write_text(text, "utf-8")
    errors = validate(mini).errors
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("url:"))
    assert any(p.path == "data/report.yml" and p.line == line for p in errors), errors


# --- class 4: no formula in recommendations.csv ------------------------------------------------

FORMULA = set("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
CELLS = st.text(
    alphabet=st.sampled_from([*FORMULA, " ", "\n", "\u00a0", "\u3000", "a", "1", "'", '"', ","]),
    max_size=8,
) | st.text(max_size=12)


def _is_formula(value: str) -> bool:
    """Whether a spreadsheet could read a cell as a formula: a formula character first, or
    after leading white space (which some spreadsheets trim)."""
    return value[:1] in FORMULA or value.lstrip()[:1] in FORMULA


@settings(max_examples=500, deadline=None)
@given(CELLS)
def test_a_cell_is_never_a_formula_and_keeps_its_text(text: str) -> None:
    shown = downloads.cell(text)
    assert not _is_formula(shown)
    assert shown in (text, "'" + text)


# --- class 5: chart text as written, front matter, figures -----------------------------------


def _stat(columns: tuple[str, ...], rows: tuple[tuple[object, ...], ...]) -> Statistic:
    return Statistic(
        id="stat-money",
        title="Budgets in $",
        source=Markdown("s", Span("data/statistics.yml", 1, 1), "s"),
        value=None,
        unit=None,
        qualifier=None,
        columns=columns,
        rows=rows,
        chart="bar",
        key=False,
        note=None,
        span=Span("data/statistics.yml", 1, 1),
    )


MATH_LABELS = [
    "Between $10 and $20 budget",
    "$\\frac{1}{2}$ of $x^2$",
    "$",
    "$$",
    "\\$5 or $$6",
    "$\\mathrm{unclosed",
    "_starts with an underscore",
]


def _texts(svg: str) -> list[str]:
    import html

    return [html.unescape(t) for t in re.findall(r"<text\b[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("label", MATH_LABELS)
def test_chart_text_is_drawn_as_written(
    label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    stat = _stat(
        ("Band", f"{label} (n)", f"Other {label} (n)"),  # two series: a legend
        ((label, 3, 4), ("Plain", 5, 6)),
    )
    texts = _texts(charts.svg(stat))
    assert label in texts  # the tick label
    assert texts.count(label) >= 2, texts  # and the legend's (and the series' title)


GOOD_FRONT = """---
title: Method
description: How we did it
subtitle: and why
hide:
  - toc
  - navigation
search:
  boost: 2
status: new
---
# Method
"""


def test_front_matter_editors_need_is_accepted() -> None:
    assert frontmatter.check("docs/a.md", GOOD_FRONT) == []
    assert frontmatter.check("docs/a.md", "# Title\n\nNote: text\n") == []


@pytest.mark.parametrize(
    ("page", "line", "column"),
    [
        ("---\ntitle: A\ntemplate: main.html\n---\n# A\n", 3, 1),
        ("---\ntemplate: ../../etc/passwd\n---\n", 2, 1),
        ("---\ntitle: A\n\nextra_css: [x.css]\n---\n", 4, 1),
        ("---\nhide: [everything]\n---\n", 2, 7),
        ("---\nsearch:\n  boost: 1e309\n---\n", 3, 3),
        ("---\ntitle: !ENV SECRET\n---\n", 2, 8),
        ("template: main.html\n\n# Page\n", 1, 1),  # MultiMarkdown metadata: MkDocs reads it
        ("Title: A\nTemplate: main.html\n\n# Page\n", 2, 1),
        ("---\n[a, b]\n---\n", 2, 1),
    ],
)
def test_front_matter_outside_the_allow_list_is_refused_at_its_line(
    page: str, line: int, column: int
) -> None:
    found = frontmatter.check("docs/a.md", page)
    assert found, page
    assert (found[0].line, found[0].column) == (line, column), [str(p) for p in found]


def test_front_matter_is_checked_in_validation(mini: Path) -> None:
    page = mini / "docs" / "context.md"
    page.write_text("---\ntemplate: 404.html\n---\n" + page.read_text("utf-8"), "utf-8")
    errors = [p for p in validate(mini).errors if p.path == "docs/context.md"]
    assert [(p.line, p.column) for p in errors] == [(2, 1)], errors
    assert "template" in errors[0].message and "title" in errors[0].message


FIGURES = [
    ("value: -1.0e+300", "larger than"),
    ("value: 1.0e+30", "larger than"),
    ("value: 10000000000000001", "larger than"),
    ("value: 0.12345678901234567", "significant digits"),
    ("value: 1.0e-300", "smaller than"),
    ("value: 0.00001", "smaller than"),
    ("value: .nan", "not a figure"),
    ("value: -.inf", "not a figure"),
    ("value: .NaN", "not a figure"),
    ("value: 1e30", "read as text"),
]


@pytest.mark.parametrize(("written", "why"), FIGURES)
@pytest.mark.parametrize("where", ["value", "cell"])
def test_figures_a_briefing_cannot_mean_are_refused_at_their_line(
    mini: Path, written: str, why: str, where: str
) -> None:
    path = mini / "data" / "statistics.yml"
    text = path.read_text("utf-8")
    number = written.removeprefix("value: ")
    if where == "value":
        text = text.replace("  value: 70\n", f"  {written}\n")
        marker = f"  {written}"
    else:
        text = text.replace("    - [East, 12]\n", f"    - [East, {number}]\n")
        marker = f"[East, {number}]"
    path.write_text(text, "utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if marker.strip() in t)
    errors = [p for p in validate(mini).errors if p.path == "data/statistics.yml"]
    assert any(p.line == line and why in p.message for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize(
    "number", ["0", "0.0001", "-5", "999999999999999", "2015", "12.5", "1.0e+3"]
)
def test_figures_within_the_limits_are_accepted(mini: Path, number: str) -> None:
    path = mini / "data" / "statistics.yml"
    path.write_text(path.read_text("utf-8").replace("  value: 70\n", f"  value: {number}\n"))
    assert validate(mini).errors == []


# --- class 6: forged ids ---------------------------------------------------------------------

FORGED = [
    "## Heading {: #rec-plant-hot-streets }",
    "## Heading {#finding-shade-valued}",
    "## Heading {#theme-anything .wide}",
    'Paragraph text\n{: .note id="quote-made-up" }',
    '<div id="stat-canopy-by-district">x</div>',
    "<span ID='ref-oke2017'>x</span>",
    '<p id="&#99;ite-oke2017-1">x</p>',
    "<dt id=term-ccs>x</dt>",
    '<figure id="stat-canopy-by-district-chart"></figure>',
]
ALLOWED_IDS = [
    "## Heading {#my-own-anchor}",
    "`{#rec-in-code}` is how attribute lists look",
    '```\n<div id="rec-in-a-fence">\n```',
    "An e-mail to rec-team@example.org and #rec-hashtag in prose",
]


@pytest.mark.parametrize("written", FORGED)
@pytest.mark.parametrize("where", ["page", "field"])
def test_an_id_only_the_briefing_gives_is_refused_where_written(
    mini: Path, written: str, where: str
) -> None:
    if where == "page":
        path, relative = mini / "docs" / "context.md", "docs/context.md"
        text = path.read_text("utf-8") + "\nSome words.\n\n" + written + "\n"
    else:
        path, relative = mini / "data" / "themes.yml", "data/themes.yml"
        body = "\n".join("    " + line for line in written.splitlines())
        text = path.read_text("utf-8").replace("  summary: |\n", f"  summary: |\n{body}\n", 1)
    path.write_text(text, "utf-8")
    first = written.splitlines()[-1 if "{:" in written.splitlines()[-1] else 0]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.strip() == first.strip())
    errors = [p for p in validate(mini).errors if p.path == relative]
    assert any(p.line == line and "the id" in p.message for p in errors), [str(p) for p in errors]


@pytest.mark.parametrize("written", ALLOWED_IDS)
def test_other_ids_and_code_are_left_alone(written: str) -> None:
    text = Markdown(written, Span("docs/a.md", 1, 1), written)
    assert anchors.forged(text) == []


def test_duplicate_ids_are_found_in_a_built_page() -> None:
    page = '<p id="a"></p><div id="a"><span id="b"></span></div><script>"<p id=b>"</script>'
    assert anchors.duplicates(page) == ["a"]
    assert anchors.duplicates('<p id="a"></p><p id="A"></p>') == []
    assert anchors.duplicates('<a title="x > y" id="c"></a><b id=c>') == ["c"]
    assert anchors.duplicates('<!-- <p id="d"> --><p id="d"><style id="d">#d{}</style>') == ["d"]
    assert anchors.duplicates('<p title=\'id="e"\' id="e">id="e"</p>') == []
    assert anchors.duplicates('<p id="&#102;"></p><p id="f"></p>') == ["f"]


# --- the build cache is trusted no more than fresh output ------------------------------------

HOSTILE_SVG = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>x</p></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    '<image xlink:href="https://tracker.example/p.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><use href="https://x.example/s.svg#a"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><path style="fill: url(https://x.example/a)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><g clip-path="url(https://x.example/#c)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect id="rec-plant-hot-streets"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a>'
    "</svg>",
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css)</style>'
    "</svg>",
    '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><path style="behavior: url(#x)"/></svg>',
    "not svg at all",
]


@pytest.mark.parametrize("svg", HOSTILE_SVG)
def test_the_chart_allow_list_refuses_what_matplotlib_never_writes(svg: str) -> None:
    assert svgcheck.problems(svg, "stat-money-chart")


LABELS = st.text(
    st.characters(
        min_codepoint=0x20, max_codepoint=0x24F, categories=("L", "M", "N", "P", "S", "Zs")
    )
    | st.sampled_from("$_\\{}^&<>\"'"),
    max_size=20,
)


@settings(max_examples=25, deadline=None)
@given(LABELS, LABELS, st.lists(st.integers(-1000, 1000), min_size=2, max_size=2))
def test_every_fresh_chart_passes_the_allow_list(title: str, label: str, values: list[int]) -> None:
    stat = _stat(("Band", f"{label} (n)", "Rate (%)"), ((label, values[0], 5), ("B", values[1], 6)))
    stat = Statistic(**{**stat.__dict__, "title": title or "T"})
    made = charts.svg(stat)
    assert svgcheck.problems(made, charts.chart_id(stat)) == []


@pytest.mark.parametrize("planted", [svg for svg in HOSTILE_SVG if "<svg" in svg][:6])
def test_a_cached_chart_that_fails_the_allow_list_is_drawn_again(
    planted: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    stat = _stat(("Band", "Count (n)"), (("A", 3), ("B", 4)))
    fresh = charts.svg(stat)
    name = cache.key("chart", charts.cache_parts(stat))
    cache.shared().put("chart", name, planted.encode("utf-8"))
    assert charts.svg(stat) == fresh  # the planted entry is refused and made again
    assert cache.shared().get("chart", name) != planted.encode("utf-8")
    monkeypatch.setattr(cache, "_shared", None)  # a new process: the entry on disk
    assert charts.svg(stat) == fresh


# --- one hostile briefing, built -----------------------------------------------------------------

PLANTED_ENTRY = (
    'PLANTED <script>alert("cache")</script><img src="x" onerror="alert(1)">'
    '<a href="java&#9;script:alert(1)">j</a><img src="/&#9;/tracker.example/p.png">'
)


def _plant_reference(folder: Path, ref: Reference) -> None:
    """A formatted entry planted in the build cache, where a fresh one would be found."""
    store = cache.Cache(folder)
    name = cache.key("csl-entry", (b"vancouver", bibliography._record([ref])))
    store.put("csl-entry", name, PLANTED_ENTRY.encode("utf-8"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The mini briefing with hostile content that validation lets through (it is data, not
    an error), built with a build cache that holds a planted reference entry."""
    import os

    tmp = tmp_path_factory.mktemp("hostile-data")
    project = make_project(tmp, "mini")
    recs = project / "data" / "recommendations.yml"
    text = recs.read_text("utf-8")
    text = text.replace(
        "title: Plant where the heat is worst", 'title: \'=HYPERLINK("https://x.example","a")\''
    )
    text = text.replace("title: Share the watering with residents", "title: '  @SUM(1+1)'")
    text = text.replace(
        "    - City Parks Department\n    - Residents' associations\n",
        "    - \"+cmd|' /C calc'!A0\"\n    - Residents' associations\n",
    )
    # The response from the renamed actor is from the same actor (not a warning under --strict).
    start = text.index("id: rec-watering-rota")
    end = text.find("\n- id:", start)
    end = len(text) if end < 0 else end
    block = text[start:end].replace(
        "actor: City Parks Department\n", "actor: \"+cmd|' /C calc'!A0\"\n"
    )
    text = text[:start] + block + text[end:]
    recs.write_text(text, "utf-8")
    stats = project / "data" / "statistics.yml"
    stats.write_text(stats.read_text("utf-8").replace("[East, 12]", "['Between $10 and $20', 12]"))
    page = project / "docs" / "context.md"
    page.write_text(
        page.read_text("utf-8")
        # A tab as an entity: Markdown expands a raw tab to spaces before any browser sees it.
        + '\n<img alt="pixel" src="/&#9;/tracker.example/p.png">\n\n'
        + '<img alt="pixel two" src="&#92;&#92;tracker.example/q.png">\n',
        "utf-8",
    )
    folder = tmp / "cache"
    result = validate(project)
    assert result.briefing is not None and not result.errors, result.errors
    _plant_reference(folder, result.briefing.references["oke2017"])
    previous = os.environ.get("BRIEFING_CACHE")
    os.environ["BRIEFING_CACHE"] = str(folder)
    try:
        built = mkdocs_build(project / "mkdocs.yml", tmp / "site")
    finally:
        if previous is not None:
            os.environ["BRIEFING_CACHE"] = previous
    assert built.returncode == 0, built.stderr
    yield project, tmp / "site"


@pytest.mark.slow
def test_the_hostile_briefing_publishes_no_formula_pixel_or_math(
    hostile: tuple[Path, Path],
) -> None:
    _, site = hostile
    raw = (site / "downloads" / "recommendations.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline="")))
    assert len(rows) == 3
    for row in rows[1:]:
        for value in row[1:]:
            assert not _is_formula(value), row
    assert rows[1][2] == '\'=HYPERLINK("https://x.example","a")'
    assert rows[2][2] == "'@SUM(1+1)"
    assert rows[2][5].startswith("'+cmd|' /C calc'!A0; ")  # the actors, as one cell
    for html_file in site.rglob("*.html"):
        soup = BeautifulSoup(html_file.read_text("utf-8"), "html.parser")
        for img in soup.find_all("img"):
            src = img.get("src")
            if isinstance(src, str):
                parsed = browser(src)
                assert parsed is not None and parsed.host == SITE_HOST, (html_file, src)
    survey = next(
        p for p in site.rglob("*.html") if "stat-canopy-by-district-chart" in p.read_text("utf-8")
    )
    svg = re.search(r'<svg\b[^>]*class="chart-svg".*?</svg>', survey.read_text("utf-8"), re.S)
    assert svg is not None and "Between $10 and $20" in _texts(svg.group(0))


@pytest.mark.slow
def test_a_formatted_reference_from_the_cache_goes_through_the_sanitiser(
    hostile: tuple[Path, Path],
) -> None:
    _, site = hostile
    page = (site / "references" / "index.html").read_text("utf-8")
    soup = BeautifulSoup(page, "html.parser")
    entry = soup.find(id="ref-oke2017")
    assert isinstance(entry, Tag) and "PLANTED" in entry.get_text()  # the cached entry is used
    assert entry.find("script") is None and 'alert("cache")' not in entry.get_text()
    for tag in entry.find_all(True):
        assert not any(name.startswith("on") for name in tag.attrs), tag
        href = tag.get("href")
        if isinstance(href, str):
            assert browser(href) is not None and browser(href).protocol in ALLOWED  # type: ignore[union-attr]
        src = tag.get("src")
        if isinstance(src, str):
            assert browser(src).host == SITE_HOST  # type: ignore[union-attr]
    data = json.loads((site / "downloads" / "references.json").read_text("utf-8"))
    assert all(browser(i["URL"], None).protocol in ALLOWED for i in data if "URL" in i)  # type: ignore[union-attr]


@pytest.mark.slow
def test_a_duplicate_id_in_a_built_page_fails_the_build_at_its_source(tmp_path: Path) -> None:
    project = make_project(tmp_path, "mini")
    page = project / "docs" / "context.md"
    text = page.read_text("utf-8") + "\n## First {#same-anchor}\n\n## Second {#same-anchor}\n"
    page.write_text(text, "utf-8")
    assert validate(project).errors == []  # not an error in the sources: only the page shows it
    built = mkdocs_build(project / "mkdocs.yml", tmp_path / "site")
    assert built.returncode != 0
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "same-anchor" in t)
    assert f"docs/context.md:{line}:" in built.stderr and "same-anchor" in built.stderr
    assert "Traceback" not in built.stderr
    shutil.rmtree(tmp_path / "site", ignore_errors=True)


def _formulas(csv_file: Path, folder: Path) -> list[str]:
    """The formulas LibreOffice finds on opening `csv_file` (converted headless to flat ODF)."""
    office = shutil.which("libreoffice") or shutil.which("soffice")
    assert office is not None
    profile = (folder / "profile").as_uri()  # its own profile: no clash with a running office
    command = [office, "--headless", f"-env:UserInstallation={profile}", "--convert-to"]
    subprocess.run(
        [*command, "fods", "--outdir", str(folder), str(csv_file)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = (folder / csv_file.name).with_suffix(".fods").read_text("utf-8")
    return re.findall(r'table:formula="([^"]*)"', converted)


@pytest.mark.slow
@pytest.mark.skipif(
    not (shutil.which("libreoffice") or shutil.which("soffice")),
    reason="LibreOffice is not installed (Debian: apt-get install libreoffice-calc-nogui)",
)
def test_a_spreadsheet_opens_recommendations_csv_with_no_formula(
    hostile: tuple[Path, Path], tmp_path: Path
) -> None:
    _, site = hostile
    published = site / "downloads" / "recommendations.csv"
    # The same rows without the leading ' : LibreOffice reads formulas in them, so the check
    # below is one that can fail.
    rows = list(csv.reader(io.StringIO(published.read_text("utf-8"), newline="")))
    control = tmp_path / "control" / "recommendations.csv"
    control.parent.mkdir()
    with control.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[cell.removeprefix("'") for cell in row] for row in rows])
    assert _formulas(control, tmp_path / "control")
    assert _formulas(published, tmp_path / "published") == []


def _json_urls(value: object) -> Iterator[str]:
    """Every value under a key that names an address, anywhere in JSON data."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in ("url", "URL", "sameAs", "identifier", "contentUrl") and isinstance(
                inner, str
            ):
                yield inner
            else:
                yield from _json_urls(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _json_urls(inner)


@pytest.mark.slow
def test_every_url_the_hostile_briefing_publishes_reads_as_allowed(
    hostile: tuple[Path, Path],
) -> None:
    """Links, images, head metadata and downloads of a whole built site, read as a browser
    (or a reference manager, away from the site) reads them."""
    _, site = hostile
    found: list[str] = []
    for page in sorted(site.rglob("*.html")):
        base = BASE.rsplit("/", 4)[0] + "/" + page.relative_to(site).as_posix()
        soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
        for tag in soup.find_all(True):
            for name in ("href", "src"):
                value = tag.get(name)
                if not isinstance(value, str):
                    continue
                parsed = browser(value, base)
                if parsed is None or parsed.protocol not in ALLOWED:
                    found.append(f"{page}: {name}={value!r}")
                elif name == "src" and parsed.host != SITE_HOST:
                    found.append(f"{page}: src={value!r} leaves the site")
            content, meta = tag.get("content"), str(tag.get("property") or tag.get("name"))
            if tag.name == "meta" and isinstance(content, str) and meta.endswith("url"):
                parsed = browser(content, base)
                if parsed is None or parsed.protocol not in ALLOWED:
                    found.append(f"{page}: {meta}={content!r}")
        for script in soup.find_all("script", type="application/ld+json"):
            for value in _json_urls(json.loads(script.string or "null")):
                parsed = browser(value, base)
                if parsed is None or parsed.protocol not in ALLOWED:
                    found.append(f"{page}: JSON-LD {value!r}")
    for name in ("briefing.json", "references.json"):
        data = json.loads((site / "downloads" / name).read_text("utf-8"))
        for value in _json_urls(data):
            parsed = browser(value, BASE.rsplit("/", 4)[0] + "/")
            if parsed is None or parsed.protocol not in ALLOWED:
                found.append(f"downloads/{name}: {value!r}")
    assert found == []

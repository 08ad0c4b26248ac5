"""The same briefing from every builder (README, "Choosing a builder"): MkDocs with the hooks,
ProperDocs with the same hooks, Zensical with the engine before and after it.

Each is built as `make site BUILDER=... SITE_URL=https://example.org/repo/` builds it, served
under a sub-path as GitHub Pages serves a project. Held the same: the pages, each page's content
(every id, citation number and tooltip, cross-reference), where each item of briefing.json is
shown, the head tags the engine writes, every download byte for byte, the feeds, the sitemap's
addresses, the HTML checker's findings, and every internal link resolving under the sub-path.
What differs by design is named here, and nothing else may: the theme's own markup around the
content (`THEME`), the generator tag, and the theme's files.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from briefing.publish import linkcheck
from bs4 import BeautifulSoup, Tag
from bs4.element import NavigableString
from conftest import URL, make_project
from sitetools import ROOT, Site, build_with
from test_integrity import html_errors

BASE = urlsplit(URL).path
# The theme's own markup inside a page's content, by builder: Zensical's skip-link target.
THEME: dict[str, tuple[str, ...]] = {"zensical": ("a#__skip",)}
# And on every builder: the icons of the edit and view buttons (each theme has its own set).
ICONS = "a.md-content__button > svg"
# The theme's own files: its scripts, stylesheets and search index differ by builder.
THEME_FILES = re.compile(r"^(assets/(javascripts|stylesheets)/|search/|search\.json$)")
# Files the engine writes after the pages, the same bytes whoever built the pages.
ENGINE_FILES = re.compile(r"^(downloads/|feeds/|feed\.atom$|assets/javascripts/tracker\.js$)")
GENERATOR = re.compile(r'<meta name="generator" content="[^"]*">')


def content(site: Site, url: str, builder: str) -> Tag:
    """A page's content (`<article>`), without the theme's own markup in it (a copy)."""
    found = site.pages[url].find("article")
    assert isinstance(found, Tag), f"{builder}: {url} has no content"
    found = copy.copy(found)
    for selector in (*THEME.get(builder, ()), ICONS):
        for element in found.select(selector):
            after = element.next_sibling
            if isinstance(after, NavigableString) and not after.strip():
                after.extract()  # the line the theme's element stood on
            element.decompose()
    return found


def others(builds: dict[str, Site]) -> Iterator[tuple[str, Site]]:
    """Every builder but MkDocs, the default, which the others are held to."""
    return ((name, built) for name, built in builds.items() if name != "mkdocs")


def files(site: Site) -> dict[str, Path]:
    return {p.relative_to(site.root).as_posix(): p for p in site.root.rglob("*") if p.is_file()}


# --- pages and their content -------------------------------------------------------------------


@pytest.mark.slow
def test_every_builder_builds_the_same_pages(builds: dict[str, Site]) -> None:
    pages = set(builds["mkdocs"].pages)
    assert len(pages) > 20 and "404.html" in pages
    for name, built in others(builds):
        assert set(built.pages) == pages, name


@pytest.mark.slow
def test_each_page_has_the_same_content_on_every_builder(builds: dict[str, Site]) -> None:
    """Byte for byte as parsed: headings, ids, citations, tooltips, cross-references, charts,
    tables, edit links; the sanitised and resolved content of each page."""
    mkdocs = builds["mkdocs"]
    for name, built in others(builds):
        differ = [
            url
            for url in mkdocs.pages
            if str(content(built, url, name)) != str(content(mkdocs, url, "mkdocs"))
        ]
        assert not differ, f"{name}: the content of {differ} differs from MkDocs'"


@pytest.mark.slow
def test_properdocs_differs_from_mkdocs_only_in_the_generator_tag(
    builds: dict[str, Site],
) -> None:
    mkdocs, properdocs = files(builds["mkdocs"]), files(builds["properdocs"])
    assert set(mkdocs) == set(properdocs)
    for name, path in mkdocs.items():
        ours, theirs = path.read_bytes(), properdocs[name].read_bytes()
        if name.endswith(".html"):
            assert GENERATOR.search(theirs.decode()), name
            ours = GENERATOR.sub("", ours.decode()).encode()
            theirs = GENERATOR.sub("", theirs.decode()).encode()
        assert ours == theirs, name


def _items(built: Site) -> Iterator[tuple[str, str]]:
    data = json.loads((built.root / "downloads" / "briefing.json").read_text(encoding="utf-8"))
    for kind in ("themes", "findings", "quotes", "statistics", "recommendations", "references"):
        for item in data[kind]:
            yield item.get("id") or item["key"], item["url"]


@pytest.mark.slow
def test_each_item_is_shown_on_the_same_page_by_every_builder(builds: dict[str, Site]) -> None:
    """Each item of briefing.json is at its address on every build: the page, and its id there."""
    items = list(_items(builds["mkdocs"]))
    assert len(items) > 50
    for name, built in builds.items():
        for item, address in items:
            assert address.startswith(URL), address
            target = built.resolve("index.html", address.removeprefix(URL))
            assert target is not None, address
            page, anchor = target
            assert page in built.pages, f"{name}: {item}'s page {page} is not built"
            assert anchor and anchor in built.ids(page), f"{name}: no #{anchor} on {page}"


def _citations(built: Site, url: str, builder: str) -> list[tuple[str, str, str, object]]:
    return [
        (
            str(a.get("id")),
            a.get_text(),
            str(a.get("title", "")),
            built.resolve(url, str(a["href"])),
        )
        for a in content(built, url, builder).select("a.citation, a.xref")
    ]


@pytest.mark.slow
def test_citation_numbers_tooltips_and_targets_are_the_same(builds: dict[str, Site]) -> None:
    mkdocs = builds["mkdocs"]
    expected = {url: _citations(mkdocs, url, "mkdocs") for url in mkdocs.pages}
    assert sum(len(c) for c in expected.values()) > 80
    assert all(title for c in expected.values() for _, _, title, _ in c), "a link has no tooltip"
    for name, built in others(builds):
        for url, cited in expected.items():
            assert _citations(built, url, name) == cited, f"{name}: {url}"


_HEAD = ("meta[name]", "meta[property]", "link[rel=canonical]", "link[rel=alternate]")
_HEAD_TOO = ('script[type="application/ld+json"]', "title")


@pytest.mark.slow
def test_the_head_tags_the_engine_writes_are_the_same(builds: dict[str, Site]) -> None:
    """Title, description, link previews, Highwire citation tags, JSON-LD, canonical address,
    feeds; and a Content-Security-Policy on every page."""

    def head(built: Site, url: str) -> list[str]:
        found = built.pages[url].head
        assert isinstance(found, Tag), url
        tags = [str(t) for t in found.select(", ".join(_HEAD + _HEAD_TOO))]
        return [t for t in tags if 'name="generator"' not in t]

    mkdocs = builds["mkdocs"]
    for name, built in builds.items():
        for url, page in built.pages.items():
            policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
            assert isinstance(policy, Tag), f"{name}: {url} has no policy"
            assert "'unsafe-inline'" not in str(policy.get("content")).split("style-src")[0]
            assert head(built, url) == head(mkdocs, url), f"{name}: {url}"


# --- downloads, feeds, sitemap -----------------------------------------------------------------


@pytest.mark.slow
def test_downloads_and_feeds_are_byte_identical(builds: dict[str, Site]) -> None:
    written = {k: p for k, p in files(builds["mkdocs"]).items() if ENGINE_FILES.match(k)}
    assert {"downloads/briefing.json", "downloads/briefing.pdf", "feed.atom"} <= set(written)
    for name, built in others(builds):
        theirs = {k: p for k, p in files(built).items() if ENGINE_FILES.match(k)}
        assert set(theirs) == set(written), name
        for file, path in written.items():
            assert theirs[file].read_bytes() == path.read_bytes(), f"{name}: {file}"


@pytest.mark.slow
def test_every_file_but_the_themes_is_written_by_every_builder(builds: dict[str, Site]) -> None:
    """Pages, downloads, feeds, the docs' own files, sitemap.xml and sitemap.xml.gz."""
    expected = {k for k in files(builds["mkdocs"]) if not THEME_FILES.match(k)}
    for name, built in others(builds):
        theirs = {k for k in files(built) if not THEME_FILES.match(k)}
        assert theirs == expected, f"{name}: {sorted(theirs ^ expected)}"


def _sitemap(built: Site) -> list[str]:
    with gzip.open(built.root / "sitemap.xml.gz") as packed:
        unpacked = packed.read()
    assert unpacked == (built.root / "sitemap.xml").read_bytes()
    return sorted(re.findall(r"<loc>([^<]*)</loc>", unpacked.decode()))


@pytest.mark.slow
def test_the_sitemaps_list_the_same_addresses(builds: dict[str, Site]) -> None:
    addresses = _sitemap(builds["mkdocs"])
    assert len(addresses) == len(builds["mkdocs"].pages) - 1  # every page but 404.html
    assert all(a.startswith(URL) for a in addresses)
    for name, built in others(builds):
        assert _sitemap(built) == addresses, name


# --- checks every build passes the same -----------------------------------------------------


@pytest.mark.slow
def test_every_internal_link_resolves_under_the_sub_path(builds: dict[str, Site]) -> None:
    for name, built in builds.items():
        report = linkcheck.check_folder(built.root, BASE)
        assert report.pages == len(built.pages), name
        assert report.links > 1000, name
        assert report.broken == (), f"{name}: {report.broken[:5]}"
        home = (built.root / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{URL}">' in home, name


@pytest.mark.slow
def test_the_html_checker_finds_the_same_in_every_build(builds: dict[str, Site]) -> None:
    found = {name: html_errors(built.root) for name, built in builds.items()}
    assert found == {name: [] for name in builds}


def test_what_differs_by_design_is_what_the_readme_lists() -> None:
    """The README names each difference this test allows, and no other."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Choosing a builder", 1)[1].split("\n## ", 1)[0]
    for said in ("generator", "__skip", "icons", "search.json", "search/search_index.json"):
        assert said in section, f"README's 'Choosing a builder' does not name {said!r}"
    assert set(THEME) == {"zensical"}


def test_the_parity_test_would_see_a_difference() -> None:
    """`content` drops only the theme's markup: a changed citation or id is a difference."""
    page = (
        '<article><a id="__skip" tabindex="-1"></a><h1 id="t">T</h1>'
        '<a class="citation" id="cite-a-1" href="../references/#ref-a" title="A">1</a></article>'
    )
    site = Site(Path("."), "")
    site.__dict__["pages"] = {"x/index.html": BeautifulSoup(page, "html.parser")}
    kept = str(content(site, "x/index.html", "zensical"))
    assert "__skip" not in kept and 'id="cite-a-1"' in kept and ">1</a>" in kept
    assert "__skip" in str(content(site, "x/index.html", "mkdocs"))


@pytest.mark.slow
def test_flat_addresses_work_on_every_builder(tmp_path: Path) -> None:
    """`use_directory_urls: false` (`about.html`, not `about/`): each builder builds the small
    briefing's pages at the same files, and every internal link resolves under the sub-path."""
    pages = {}
    for builder in ("mkdocs", "properdocs", "zensical"):
        project = make_project(tmp_path / builder, "mini")
        config = project / "mkdocs.yml"
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["use_directory_urls"] = False
        config.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
        out = tmp_path / builder / "site"
        result = build_with(builder, config, out, site_url=URL, work=tmp_path / builder / "w")
        assert result.returncode == 0, f"{builder}:\n{result.stderr[-3000:]}"
        built = Site(out, result.stderr)
        assert "context.html" in built.pages and "context/index.html" not in built.pages
        report = linkcheck.check_folder(out, BASE)
        assert report.links > 100 and report.broken == (), f"{builder}: {report.broken[:5]}"
        pages[builder] = set(built.pages)
    assert pages["properdocs"] == pages["mkdocs"] == pages["zensical"]


@pytest.mark.slow
def test_edit_links_lead_to_the_file_an_editor_changes(builds: dict[str, Site]) -> None:
    """Built with a repository (as GitHub Actions builds), every builder links a docs page to
    its own file and a generated page to its data file (tests/test_parity.py's content test
    holds them equal; this says they are there)."""
    base = "https://github.com/example/briefing/edit/main/"
    for name, built in builds.items():
        about = built.page("about").select_one('a.md-content__button[rel="edit"]')
        assert about is not None and about["href"] == base + "docs/about.md", name
        mri = built.page("recommendations/mri").select_one('a.md-content__button[rel="edit"]')
        assert mri is not None and mri["href"] == base + "data/recommendations.yml", name

"""End to end: build the real briefing and a larger one made from it, check the parsed HTML."""

from __future__ import annotations

import copy
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from briefing.checks.validate import validate
from bs4 import BeautifulSoup
from factory import make_briefing
from sitetools import ROOT, Site, mkdocs_build

# The published report's reference list, in its order 1-13.
REPORT_ORDER = [
    "nshcs2019",
    "ipem2024workforce",
    "ipem2024heads",
    "ipem2024psc",
    "braun2006",
    "lacey2001",
    "dhakal2022",
    "nshcs-entry",
    "eve2023",
    "nshcs2022memo",
    "nshcs-pathways",
    "adamson2024",
    "ipem2021mpe",
]
RAW_SYNTAX = re.compile(r"\[@|(?<![\w/#-])@(theme|finding|quote|stat|rec)-")


@pytest.fixture(scope="session")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Three renamed copies of every item, another title, an edit link base: no code change."""
    project = make_briefing(
        tmp_path_factory.mktemp("larger"), copies=3, title="Trees in Cities: a Larger Briefing"
    )
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8") + "repo_url: https://github.com/example/trees\n",
        encoding="utf-8",
    )
    out = project / "site"
    result = mkdocs_build(config, out)
    assert result.returncode == 0, result.stderr
    return Site(out, result.stderr)


def briefing_ids(root: Path) -> list[str]:
    briefing = validate(root).checked()
    return list(briefing.items)


def test_strict_build_logs_no_warning(site: Site) -> None:
    assert "WARNING" not in site.log
    assert "ERROR" not in site.log


@pytest.mark.parametrize("which", ["site", "larger"])
def test_every_item_shown_once_under_its_id(which: str, request: pytest.FixtureRequest) -> None:
    built: Site = request.getfixturevalue(which)
    root = ROOT if which == "site" else built.root.parent
    counts: Counter[str] = Counter()
    for url in built.pages:
        counts.update(built.ids(url))
    ids = briefing_ids(root)
    assert ids
    assert {i: counts[i] for i in ids} == dict.fromkeys(ids, 1)


def test_recommendation_pages_at_contract_urls(site: Site) -> None:
    briefing = validate(ROOT).checked()
    for rec in briefing.recommendations:
        page = site.page(f"recommendations/{rec.id.removeprefix('rec-')}")
        assert page.find(id=rec.id) is not None
        heading = page.find("h1")
        assert heading is not None
        assert f"Recommendation {rec.number}" in heading.get_text()


@pytest.mark.parametrize("which", ["site", "larger"])
def test_every_internal_link_and_anchor_resolves(
    which: str, request: pytest.FixtureRequest
) -> None:
    built: Site = request.getfixturevalue(which)
    broken = []
    for url, page in built.pages.items():
        if url == "404.html":
            continue  # served at any depth, so its links are root-absolute by design
        for link in page.find_all("a", href=True):
            target = built.resolve(url, str(link["href"]))
            if target is None:
                continue
            file, anchor = target
            if file not in built.pages:
                if not (built.root / file).exists():
                    broken.append(f"{url}: {link['href']}")
                continue
            if anchor and anchor not in built.ids(file):
                broken.append(f"{url}: {link['href']} (no #{anchor})")
    assert broken == []


def test_references_numbered_as_in_the_report(site: Site) -> None:
    entries = site.page("references").select("ol.references > li")
    assert [e["id"] for e in entries] == [f"ref-{k}" for k in REPORT_ORDER]
    assert [e["value"] for e in entries] == [str(n) for n in range(1, 14)]


def test_citations_link_to_references_and_back(site: Site) -> None:
    citations = 0
    references = site.page("references")
    for url, page in site.pages.items():
        for link in page.select("a.citation"):
            citations += 1
            key = re.fullmatch(r"cite-(.+)-\d+", str(link["id"]))
            assert key is not None, link
            target = site.resolve(url, str(link["href"]))
            assert target == ("references/index.html", f"ref-{key[1]}"), link
            entry = references.find(id=target[1])
            assert entry is not None, link
            assert link["title"], "the formatted reference shows as a tooltip"
            number = int(str(entry["value"]))
            assert link.get_text() == str(number)
            back = [
                site.resolve("references/index.html", str(a["href"]))
                for a in entry.select(".cited-in a")
            ]
            # Each citing page once, linked to its first citation of the work there.
            pages = [page for page, _ in (b for b in back if b)]
            assert pages.count(url) == 1, f"{url} is not listed once under {target[1]}"
            cited = target[1].removeprefix("ref-")
            assert (url, f"cite-{cited}-1") in back, f"{url}#{link['id']} has no backlink"
    assert citations > 30


def test_backlinks_once_per_page_with_a_count(site: Site) -> None:
    """ "Cited in: Introduction, Introduction" is one link, "Introduction (2)"."""
    references = site.page("references")
    counted = 0
    for entry in references.select("ol.references > li"):
        cited_in = entry.select_one(".cited-in")
        assert cited_in is not None
        titles = [a.get_text() for a in cited_in.select("a")]
        assert len(titles) == len(set(titles)), titles
        key = str(entry["id"]).removeprefix("ref-")
        for a in cited_in.select("a"):
            page_url, _ = site.resolve("references/index.html", str(a["href"])) or ("", "")
            times = len(site.pages[page_url].select(f'[id^="cite-{key}-"]'))
            after = str(a.next_sibling or "")
            assert after.startswith(f" ({times})") if times > 1 else not after.startswith(" (")
            counted += times > 1
    assert counted, "the real briefing cites some work more than once on a page"


def test_findings_and_recommendations_link_both_ways(site: Site) -> None:
    briefing = validate(ROOT).checked()
    findings = {f.id: f for f in briefing.findings}
    for rec in briefing.recommendations:
        url = f"recommendations/{rec.slug}/index.html"
        links = {
            site.resolve(url, str(a["href"])) for a in site.pages[url].find_all("a", href=True)
        }
        for finding_id in rec.addresses:
            theme_url = f"themes/{findings[finding_id].theme.removeprefix('theme-')}/index.html"
            assert (theme_url, finding_id) in links
            addressed = site.pages[theme_url].select(".addressed-by a")
            assert (url, "") in {site.resolve(theme_url, str(a["href"])) for a in addressed}


@pytest.mark.parametrize("which", ["site", "larger"])
def test_no_raw_syntax_left(which: str, request: pytest.FixtureRequest) -> None:
    built: Site = request.getfixturevalue(which)
    for url, page in built.pages.items():
        found = page.find("article")
        if found is None:
            continue
        article = copy.copy(found)  # the parsed pages are shared by the session: change a copy
        for code in article.find_all(["code", "pre"]):
            code.decompose()
        text = article.get_text(" ")
        assert not RAW_SYNTAX.search(text), f"{url}: {RAW_SYNTAX.search(text)}"


def test_cross_references_are_labelled(site: Site) -> None:
    home = site.page("")
    # The summary's custom-text cross-reference keeps the editor's words.
    custom = [a for a in home.select("a.xref") if "Communicate the position" in a.get_text()]
    assert custom and custom[0]["title"]
    assert custom[0]["title"] == _data("recommendations")[0]["title"]
    # Every bare cross-reference reads as its item is numbered and titled in the data files,
    # and leads to the item itself: its page and its anchor there.
    expected = _labels()
    bare = 0
    for url, soup in site.pages.items():
        for link in soup.select("a.xref"):
            target = site.resolve(url, str(link["href"]))
            assert target is not None and target[1] in expected, f"{url}: {link}"
            file, anchor = target
            assert anchor in site.ids(file), f"{url}: {link['href']} (no #{anchor})"
            label, title, lives = expected[anchor]
            assert lives in (None, file), f"{url}: {link['href']} is not where {anchor} lives"
            assert title in (None, link["title"]), f"{url}: {link}"
            if link.get_text() == label:
                bare += 1
    assert bare >= 10


def _data(name: str) -> list[dict[str, Any]]:
    items = yaml.safe_load((ROOT / "data" / f"{name}.yml").read_text(encoding="utf-8"))
    assert isinstance(items, list)
    return items


def _labels() -> dict[str, tuple[str | None, str | None, str | None]]:
    """From the data files alone (numbered in file order, as the contract says): each item's
    link label, tooltip and page, where the test can know them without the engine."""
    found: dict[str, tuple[str | None, str | None, str | None]] = {}
    themes = {}
    for n, theme in enumerate(_data("themes"), 1):
        page = f"themes/{theme['id'].removeprefix('theme-')}/index.html"
        themes[theme["id"]] = (n, theme["title"], page)
        found[theme["id"]] = (theme["title"], f"Theme {n}", page)
    for n, rec in enumerate(_data("recommendations"), 1):
        page = f"recommendations/{rec['id'].removeprefix('rec-')}/index.html"
        found[rec["id"]] = (f"Recommendation {n}", rec["title"], page)
    for finding in _data("findings"):
        n, title, page = themes[finding["theme"]]
        where = f"Finding under theme {n}: {title}"
        found[finding["id"]] = (finding["title"], where, page)
    for stat in _data("statistics"):
        found[stat["id"]] = (stat["title"], None, "survey/index.html")
    for quote in _data("quotes"):
        found[quote["id"]] = (None, None, None)
    return found


def _heading(page: BeautifulSoup) -> str:
    heading = page.find("h1")
    assert heading is not None
    return heading.get_text().removesuffix("¶").strip()


def test_generated_pages_are_numbered_and_titled_wherever_they_appear(site: Site) -> None:
    """Numbers and titles from the data files alone, one title per page: in <title>, og:title,
    the heading, the navigation, Material's previous/next footer and the recommendations' own
    pager."""
    site_name = re.search(r"^site_name: (.+)$", (ROOT / "mkdocs.yml").read_text(), re.M)
    assert site_name is not None
    sections = {"themes": _data("themes"), "recommendations": _data("recommendations")}
    for section, items in sections.items():
        for n, item in enumerate(items, 1):
            slug = item["id"].removeprefix("rec-" if section == "recommendations" else "theme-")
            url = f"{section}/{slug}/index.html"
            kind = "Recommendation" if section == "recommendations" else "Theme"
            page, entry = site.pages[url], f"{kind} {n}: {item['title']}"
            title = page.find("title")
            assert title is not None and title.get_text() == f"{entry} - {site_name[1]}"
            og = page.find("meta", property="og:title")
            assert og is not None and og["content"] == entry, url
            assert _heading(page) == entry, url
            for other, soup in site.pages.items():
                links = [
                    a
                    for a in soup.select(".md-nav--primary a.md-nav__link")
                    if site.resolve(other, str(a.get("href", ""))) == (url, "")
                ]
                assert [a.get_text(" ", strip=True) for a in links] in ([], [entry]), other
                for a in soup.select(".md-footer a.md-footer__link"):
                    if site.resolve(other, str(a["href"])) == (url, ""):
                        assert str(a["aria-label"]).endswith(f": {entry}"), other
                if section == "recommendations" and other.startswith("recommendations/"):
                    for a in soup.select("nav.rec-pager a"):
                        if site.resolve(other, str(a["href"])) == (url, ""):
                            text = a.get_text(" ", strip=True)
                            assert f"Recommendation {n}: {item['title']}" in text, other
            if section == "recommendations":
                kicker = page.select_one("p.kicker")
                assert kicker is not None
                assert kicker.get_text().startswith(f"Recommendation {n} of {len(items)}")
    pager = site.pages["recommendations/flexibility/index.html"].select("nav.rec-pager a")
    recs = sections["recommendations"]
    assert [a.get_text(" ", strip=True) for a in pager] == [
        f"← Recommendation 1: {recs[0]['title']}",
        f"Recommendation 3: {recs[2]['title']} →",
    ]


def test_glossary_terms_are_abbreviations_on_every_page(site: Site) -> None:
    for url in ("index.html", "background/index.html", "recommendations/flexibility/index.html"):
        titles = {a.get_text(): a.get("title") for a in site.pages[url].find_all("abbr")}
        assert titles.get("HSST") == "Higher Specialist Scientist Training", url


def test_search_indexes_generated_pages(site: Site) -> None:
    index = (site.root / "search" / "search_index.json").read_text(encoding="utf-8")
    for location in ("recommendations/flexibility/", "themes/programme-content/", "references/"):
        assert f'"location":"{location}' in index.replace(" ", "")


def test_edit_links_point_at_the_data(larger: Site) -> None:
    expected = {
        "recommendations/flexibility-v1/index.html": "data/recommendations.yml",
        "themes/hsse-v2/index.html": "data/themes.yml",
        "survey/index.html": "data/statistics.yml",
        "references/index.html": "references.bib",
        "background/index.html": "docs/background.md",
        "index.html": "data/report.yml",
    }
    for url, source in expected.items():
        edit = larger.pages[url].select_one('a[title="Edit this page"]')
        assert edit is not None, url
        assert edit["href"] == f"https://github.com/example/trees/edit/main/{source}"


def test_larger_briefing_has_its_own_title_and_all_pages(larger: Site) -> None:
    heading = larger.page("").find("h1")
    assert heading is not None
    assert heading.get_text(strip=True).startswith("Trees in Cities")
    recs = [u for u in larger.pages if re.match(r"recommendations/[^/]+-v\d/index.html", u)]
    assert len(recs) == 15
    assert len(larger.page("references").select("ol.references > li")) == 39


def test_unknown_key_fails_the_strict_build_with_its_place(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p", copies=1)
    page = project / "docs" / "method.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("[@braun2006v1", "[@braun2060v1", 1), encoding="utf-8")
    line = next(n for n, s in enumerate(page.read_text().splitlines(), 1) if "@braun2060v1" in s)
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0
    assert f"docs/method.md:{line}:" in result.stderr
    assert "unknown citation key 'braun2060v1'; did you mean 'braun2006v1'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_serve_watches_data_and_references() -> None:
    import briefing_hooks

    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    briefing_hooks._build.root = ROOT
    briefing_hooks.on_serve(Server(), None, None)  # type: ignore[arg-type]
    assert watched == [str(ROOT / "data"), str(ROOT / "references.bib")]
    assert os.path.isdir(watched[0])

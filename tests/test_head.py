"""Cite this briefing: meta tags on every page, citation tags and JSON-LD, CITATION.cff, and a
site that makes no request to another host while it is read."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml
from bibtexparser.entrypoint import parse_string
from briefing.checks.validate import validate
from briefing.citations import cite, csljson
from briefing.citations.bibliography import Bibliography
from briefing.publish import head
from bs4 import BeautifulSoup
from conftest import make_project
from jsonschema import Draft7Validator
from sitetools import ROOT, Site, mkdocs_build
from test_site import REPORT_ORDER

SITE_URL = "https://example.org/trees/"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The small briefing built with its address and a GitHub repository set."""
    project = make_project(tmp_path_factory.mktemp("published"), "mini")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"site_url: {SITE_URL}\nrepo_url: https://github.com/example/trees\n",
        encoding="utf-8",
    )
    result = mkdocs_build(config, project / "site")
    assert result.returncode == 0, result.stderr
    return Site(project / "site", result.stderr)


def _meta(page: BeautifulSoup, key: str, attribute: str = "name") -> list[str]:
    return [str(m["content"]) for m in page.find_all("meta", attrs={attribute: key})]


def _content_pages(site: Site) -> dict[str, BeautifulSoup]:
    return {url: page for url, page in site.pages.items() if url != "404.html"}


# --- every page ------------------------------------------------------------------------------


def test_every_page_has_its_own_description_and_preview_tags(site: Site) -> None:
    descriptions = {}
    for url, page in _content_pages(site).items():
        description = _meta(page, "description")
        assert len(description) == 1, url
        assert 0 < len(description[0]) <= head.DESCRIPTION_LENGTH, url
        assert _meta(page, "og:description", "property") == description, url
        assert len(_meta(page, "og:title", "property")) == 1, url
        assert _meta(page, "og:type", "property") in (["website"], ["article"]), url
        assert _meta(page, "og:url", "property") == [], "no address: no og:url"
        descriptions[url] = description[0]
    assert len(set(descriptions.values())) > len(descriptions) * 0.8, "descriptions are specific"
    briefing = validate(ROOT).checked()
    for rec in briefing.recommendations:
        described = descriptions[f"recommendations/{rec.slug}/index.html"]
        assert " ".join(rec.text.text.split()).startswith(described.rstrip("…"))
    assert descriptions["index.html"].startswith("In 2023, the Institute of Physics")


def test_home_page_carries_the_citation_tags(site: Site) -> None:
    home = site.page("")
    report = validate(ROOT).checked().report
    assert _meta(home, "citation_title") == [report.title]
    assert _meta(home, "citation_author") == list(report.authors)
    assert _meta(home, "citation_publication_date") == ["2024/05"]
    assert _meta(home, "citation_publisher") == [report.publisher]
    assert _meta(home, "citation_pdf_url") == ["downloads/briefing.pdf"]
    references = _meta(home, "citation_reference")
    assert len(references) == len(REPORT_ORDER)
    assert references[4].startswith("citation_title=Using Thematic Analysis in Psychology;")
    assert "citation_doi=10.1191/1478088706qp063oa" in references[4]
    for url, page in _content_pages(site).items():
        if url != "index.html":
            assert _meta(page, "citation_title") == [], f"{url}: only the briefing is the work"


def test_home_page_describes_the_report_as_json_ld(site: Site) -> None:
    scripts = site.page("").find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string or "")
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Report"
    assert data["datePublished"] == "2024-05"
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Institute of Physics and Engineering in Medicine",
    }
    assert len(data["citation"]) == len(REPORT_ORDER)
    assert data["citation"][4]["@type"] == "ScholarlyArticle"


def test_addresses_are_absolute_when_the_site_has_one(published: Site) -> None:
    home = published.page("")
    assert _meta(home, "og:url", "property") == [SITE_URL]
    assert _meta(home, "citation_pdf_url") == [SITE_URL + "downloads/briefing.pdf"]
    page = published.page("recommendations/plant-hot-streets")
    assert _meta(page, "og:url", "property") == [SITE_URL + "recommendations/plant-hot-streets/"]
    data = json.loads((published.root / "downloads" / "briefing.json").read_text("utf-8"))
    assert data["recommendations"][0]["url"].startswith(SITE_URL + "recommendations/")
    ld = json.loads(home.find("script", type="application/ld+json").string or "")  # type: ignore[union-attr]
    # The briefing is read at its own address; report.yml's url is the original report's.
    assert ld["url"] == SITE_URL
    assert data["report"]["url"] == "https://example.org/urban-trees"
    assert data["report"]["site_url"] == SITE_URL


# --- cite this briefing ----------------------------------------------------------------------


def test_home_page_shows_how_to_cite_the_briefing(site: Site) -> None:
    # Parsed afresh: other tests may take sections out of the shared parsed pages.
    home = BeautifulSoup((site.root / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = home.find(id="cite-this-briefing")
    assert heading is not None
    formatted = home.select_one("p.cite-briefing")
    assert formatted is not None
    assert formatted.get_text(" ", strip=True).startswith(
        "Institute of Physics and Engineering in Medicine, Workforce Intelligence Unit. "
        "Is HSST Meeting the Needs of the Medical Physics Profession? Institute"
    )
    code = home.select_one("pre code")
    assert code is not None
    library = parse_string(code.get_text())
    assert [e.entry_type for e in library.entries] == ["techreport"]
    assert library.entries[0].key == "ipem2024"
    assert library.entries[0]["institution"] == "Institute of Physics and Engineering in Medicine"


def test_briefing_citation_is_one_record() -> None:
    report = validate(ROOT).checked().report
    citation = cite.citation(report, Bibliography("apa"), "https://example.org/hsst/")
    assert citation.reference.type == "techreport"
    assert csljson.to_csl_json(citation.reference)["type"] == "report"
    assert "2024" in citation.text and "https://example.org/hsst/" in citation.text
    fields = parse_string(citation.bibtex).entries[0].fields_dict
    assert fields["url"].value == "https://example.org/hsst/"
    assert fields["month"].value == "may"


def _cff_schema() -> dict[str, Any]:
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema: dict[str, Any] = json.loads(
        (vendor / "citation-file-format.json").read_text(encoding="utf-8")
    )
    return schema


def test_citation_cff_is_valid_and_matches_the_data() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    errors = [e.message for e in Draft7Validator(_cff_schema()).iter_errors(data)]
    assert errors == []
    report = validate(ROOT).checked().report
    assert text == cite.cff(report), (
        "CITATION.cff is out of date: PYTHONPATH=hooks python -m briefing cite > CITATION.cff"
    )
    assert data["preferred-citation"]["type"] == "report"
    assert data["title"] == report.title


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Short.", 200, "Short."),
        ("one two three four", 12, "one two…"),
        ("one, two; three", 11, "one, two…"),
    ],
)
def test_trim(text: str, limit: int, expected: str) -> None:
    assert head.trim(text, limit) == expected


def test_description_skips_labels_and_citations() -> None:
    content = (
        '<p class="kicker">Theme 1 of 5</p><p><strong>Recommendation 1</strong></p>'
        '<p>Trees cool streets in summer <span class="citation-group">[<a>1</a>]</span>.</p>'
    )
    assert head.describe(content, "fallback") == "Trees cool streets in summer ."
    assert head.describe("", "fallback") == "fallback"


def test_json_ld_cannot_close_its_script() -> None:
    tags = head.tags(
        head.PageMeta("T", "D", home=True),
        "Site",
        head.Scholarly(
            validate(ROOT).checked().report,
            abstract="</script><script>alert(1)</script>",
            url=None,
            pdf_url="downloads/briefing.pdf",
        ),
    )
    body = tags.split('<script type="application/ld+json">', 1)[1]
    assert body.count("</script>") == 1 and "<script>" not in body


def test_inject_replaces_the_theme_description() -> None:
    page = '<head><meta name="description" content="old">\n<title>x</title></head><body>'
    out = head.inject(page, 'New "one"', '<meta property="og:title" content="x">')
    assert '<meta name="description" content="New &quot;one&quot;">' in out
    assert "old" not in out
    assert out.index("og:title") < out.index("</head>")
    assert head.inject("<head></head>", "D", "").count('name="description"') == 1


def test_the_home_page_title_is_the_site_name_whatever_the_theme_wrote() -> None:
    """Zensical's theme writes "Home - name" where Material writes the name alone."""
    report = validate(ROOT).checked().report
    name = head.site_names(report)[0]
    page = "<head><title>Home - x</title></head><body><title>in the body</title></body>"
    assert head.home_title(page, report) == (
        f"<head><title>{name}</title></head><body><title>in the body</title></body>"
    )
    already = f"<head><title>{name}</title></head>"
    assert head.home_title(already, report) == already


# --- privacy ---------------------------------------------------------------------------------

_LOCAL = re.compile(r"^(?:https?:)?//(?:localhost|127\.0\.0\.1)(?:[:/]|$)")
_CSS_URL = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""")


def _remote_requests(root: Path) -> list[str]:
    """Every address on another host that a page, stylesheet or script would load."""
    found = []
    for file in sorted(root.rglob("*")):
        if file.suffix not in (".html", ".css", ".js"):
            continue
        text = file.read_text(encoding="utf-8", errors="replace")
        where = file.relative_to(root).as_posix()
        found += [f"{where}: {url}" for url in _CSS_URL.findall(text) if not _LOCAL.match(url)]
        if file.suffix != ".html":
            continue
        for element in BeautifulSoup(text, "html.parser").find_all(True):
            if element.name == "a":
                continue  # following a link is the reader's choice
            for attribute in ("src", "href", "srcset", "data", "poster", "action"):
                value = str(element.get(attribute) or "")
                if element.name == "link" and element.get("rel") == ["canonical"]:
                    continue  # names the page's own address; nothing is fetched
                if re.match(r"^(?:https?:)?//", value) and not _LOCAL.match(value):
                    found.append(f"{where}: <{element.name} {attribute}={value}>")
    return found


def test_no_request_leaves_the_site(site: Site) -> None:
    assert _remote_requests(site.root) == []
    for file in site.root.rglob("*.html"):
        text = file.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "fonts.gstatic" not in text, file


def test_no_request_leaves_a_site_with_a_github_repository(published: Site) -> None:
    assert _remote_requests(published.root) == []
    for url, page in published.pages.items():
        sources = page.select("a.md-source")
        assert len(sources) == 2, f"{url}: the repository link stays (header and navigation)"
        assert all(s.get("data-md-component") is None for s in sources), (
            f"{url}: but the theme fetches no stars from GitHub"
        )


def test_every_page_has_a_print_stylesheet(site: Site) -> None:
    css = (site.root / "assets" / "briefing.css").read_text(encoding="utf-8")
    media = css[css.index("@media print") :]
    for hidden in (".md-header", ".md-sidebar", ".md-search", ".md-footer"):
        assert hidden in media.split("display: none")[0], hidden
    assert 'a[href^="http"]::after' in media and "break-inside: avoid" in media
    for url, page in site.pages.items():
        sheets = [str(link["href"]) for link in page.find_all("link", rel="stylesheet")]
        assert any(s.endswith("assets/briefing.css") for s in sheets), url

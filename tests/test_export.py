"""The plain-Markdown export, and a shared bibliography's uncited works."""

from __future__ import annotations

import copy
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from briefing.__main__ import main
from briefing.checks.validate import bibliography_is_shared, validate
from briefing.problems import BriefingError
from briefing.publish import downloads
from briefing.publish.export import Tagged, dump_config, export, read_config
from briefing.render.site import prepare
from briefing.render.urls import page_url
from briefing.sources import bib
from briefing.sources.frontmatter import split as split_front_matter
from bs4 import BeautifulSoup, Tag
from factory import make_briefing
from sitetools import ROOT, Site, build_env, markdown_html

EMOJI = "tag:yaml.org,2002:python/name:material.extensions.emoji.twemoji"


def plain_build(config: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` with nothing of the engine importable: no hooks can run."""
    env = build_env()
    env.pop("PYTHONPATH")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
        cwd=config.parent,
    )


# Sections only a hooks build has, for the files it writes after the pages: the home page's
# downloads and citation, each recommendation's citation files; and the links to the feeds.
HOOKS_ONLY = ("downloads", "cite-this-briefing", "cite")
HOOKS_ONLY_LINKS = "p.timeline-feed, p.tracker-feed"


def article(site: Site, url: str) -> Tag:
    found = site.pages[url].find("article")
    assert isinstance(found, Tag), url
    found = copy.copy(found)  # the parsed pages are shared by the whole session: change a copy
    for button in found.select("a.md-content__button"):
        button.decompose()  # edit links: generated pages' point at their data only with hooks
    for link in found.select(HOOKS_ONLY_LINKS):
        link.decompose()
    for heading in found.find_all("h2", id=HOOKS_ONLY):
        section = [heading]
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h1", "h2") or "last-updated" in (sibling.get("class") or []):
                break
            section.append(sibling)
        for element in section:
            element.decompose()
    return found


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("export") / "tree"
    assert export(ROOT / "mkdocs.yml", out, strict=True) == []
    result = plain_build(out / "mkdocs.yml", out / "site")
    assert result.returncode == 0, result.stderr
    return Site(out / "site", result.stderr)


# --- the real briefing, exported and built without hooks ------------------------------------


@pytest.mark.slow
def test_export_builds_the_same_pages_without_hooks(site: Site, exported: Site) -> None:
    assert set(exported.pages) == set(site.pages)
    assert "WARNING" not in exported.log


@pytest.mark.slow
def test_export_numbers_references_the_same(site: Site, exported: Site) -> None:
    def numbering(built: Site) -> list[tuple[str, str]]:
        items = built.page("references").select("ol.references > li")
        return [(str(li["id"]), str(li["value"])) for li in items]

    assert numbering(exported) == numbering(site)
    for url in site.pages:
        cites = [a.get_text() for a in site.pages[url].select("a.citation")]
        assert [a.get_text() for a in exported.pages[url].select("a.citation")] == cites, url


def built_file(src: str) -> str:
    """The file a page's source is built into (directory URLs, as mkdocs.yml has them)."""
    return page_url(src, True) + "index.html" if src.endswith(".md") else src


def source_links(tree: Path) -> dict[str, list[str]]:
    """Each exported page's links (`<a href>`) as its source writes them: its Markdown rendered
    by Python-Markdown alone with the project's extensions, which resolves no link."""
    links = {}
    for path in sorted((tree / "docs").rglob("*.md")):
        text = split_front_matter(path.read_text(encoding="utf-8"))[1]
        html = markdown_html(text, tree / "mkdocs.yml")
        hrefs = [str(a["href"]) for a in BeautifulSoup(html, "html.parser")("a", href=True)]
        links[path.relative_to(tree / "docs").as_posix()] = hrefs
    return links


def builder_target(src: str, href: str) -> tuple[str, str] | None:
    """Where a link of the page built from `src` leads, resolved as a builder resolves a link
    to a source (Zensical, and the MkDocs hooks' `links.resolve`): the built file and anchor;
    None for another site."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return built_file(src), unquote(parts.fragment)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(src), unquote(parts.path)))
    return built_file(target), unquote(parts.fragment)


@pytest.mark.slow
def test_export_pages_read_the_same(site: Site, exported: Site) -> None:
    """The same words, ids and links: each exported link, resolved from its page's source as
    a builder resolves it, leads where the hooks build's leads."""
    sources = source_links(exported.root.parent)
    by_file = {built_file(src): src for src in sources}
    assert set(site.pages) == {*by_file, "404.html"}
    for url, src in by_file.items():
        ours, theirs = article(site, url), article(exported, url)
        assert theirs.get_text(" ", strip=True) == ours.get_text(" ", strip=True), url
        assert [e["id"] for e in theirs(id=True)] == [e["id"] for e in ours(id=True)], url
        led = [builder_target(src, href) for href in sources[src]]
        assert led == [site.resolve(url, str(a["href"])) for a in ours("a", href=True)], url


@pytest.mark.slow
def test_every_exported_link_names_a_source_and_its_anchor(exported: Site) -> None:
    """No URL layout in the export: each relative link names a file of the exported docs (a
    page's `.md`), and its anchor is an id of that page as built."""
    tree = exported.root.parent
    followed = 0
    for src, hrefs in source_links(tree).items():
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc:
                continue
            path = unquote(parts.path)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(src), path))
            if path:
                assert (tree / "docs" / target).is_file(), f"{src}: {href}"
            target = target if path else src
            anchor = unquote(parts.fragment)
            if anchor and target.endswith(".md"):
                assert anchor in exported.ids(built_file(target)), f"{src}: {href}"
            followed += 1
    assert followed > 300  # every page's citations, cross-references and lists


@pytest.mark.slow
def test_export_leaves_no_raw_syntax(exported: Site) -> None:
    tree = exported.root.parent
    for page in (tree / "docs").rglob("*.md"):
        assert "[@" not in page.read_text(encoding="utf-8"), page
    for url, soup in exported.pages.items():
        assert "[@" not in soup.get_text(), url


def test_exported_config_has_no_hooks_and_the_whole_nav(tmp_path: Path) -> None:
    export(ROOT / "mkdocs.yml", tmp_path / "tree")
    config = read_config(tmp_path / "tree" / "mkdocs.yml")
    assert "hooks" not in config
    assert config["docs_dir"] == "docs"
    text = str(config["nav"])
    assert "recommendations/flexibility.md" in text
    assert "themes/position-ccs.md" in text
    assert (tmp_path / "tree" / "docs" / "assets" / "briefing.css").is_file()
    original = read_config(ROOT / "mkdocs.yml")
    assert config["theme"] == original["theme"]
    assert config["markdown_extensions"] == original["markdown_extensions"]


# --- mkdocs.yml with tags safe_load does not know ----------------------------------------------


def test_unknown_tags_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "mkdocs.yml"
    path.write_text(
        "site_name: x\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n"
        "  analytics: !ENV [ANALYTICS, none]\n",
        encoding="utf-8",
    )
    config = read_config(path)
    emoji = config["markdown_extensions"][0]["pymdownx.emoji"]["emoji_index"]
    assert emoji == Tagged(EMOJI, "")
    assert config["extra"]["analytics"] == Tagged("!ENV", ["ANALYTICS", "none"])
    written = dump_config(config)
    assert "!!python/name:material.extensions.emoji.twemoji" in written
    assert "!ENV" in written
    path.write_text(written, encoding="utf-8")
    assert read_config(path) == config


@pytest.mark.slow
def test_export_with_python_name_tags_builds(mini: Path) -> None:
    config = read_config(mini / "mkdocs.yml")
    config["markdown_extensions"] += [
        {
            "pymdownx.emoji": {
                "emoji_index": Tagged(EMOJI, ""),
                "emoji_generator": Tagged(
                    "tag:yaml.org,2002:python/name:material.extensions.emoji.to_svg", ""
                ),
            }
        }
    ]
    (mini / "mkdocs.yml").write_text(dump_config(config), encoding="utf-8")
    (mini / "docs" / "context.md").write_text(
        "---\ntitle: Context\n---\n\n"
        + (mini / "docs" / "context.md").read_text(encoding="utf-8")
        + "\n:smile:\n",
        encoding="utf-8",
    )
    tree = mini.parent / "tree"
    export(mini / "mkdocs.yml", tree, strict=True)
    text = (tree / "mkdocs.yml").read_text(encoding="utf-8")
    assert "emoji_index: !!python/name:material.extensions.emoji.twemoji" in text
    assert (
        (tree / "docs" / "context.md")
        .read_text(encoding="utf-8")
        .startswith("---\ntitle: Context\n---\n")
    )
    result = plain_build(tree / "mkdocs.yml", tree / "site")
    assert result.returncode == 0, result.stderr
    assert "twemoji" in (tree / "site" / "context" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "front"),
    [
        ("# Title\n", ""),
        ("---\ntitle: A\n---\n# B\n", "---\ntitle: A\n---\n"),
        ("---\ntitle: A\n...\nbody", "---\ntitle: A\n...\n"),
        ("Text\n---\n", ""),
    ],
)
def test_split_front_matter(text: str, front: str) -> None:
    assert split_front_matter(text) == (front, text[len(front) :])


# --- where the export may write ----------------------------------------------------------------


def test_export_never_overwrites_other_folders(tmp_path: Path) -> None:
    other = tmp_path / "notes"
    other.mkdir()
    (other / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ValueError, match="not an earlier export"):
        export(ROOT / "mkdocs.yml", other)
    assert (other / "keep.txt").read_text(encoding="utf-8") == "mine"
    with pytest.raises(ValueError, match="outside the project's sources"):
        export(ROOT / "mkdocs.yml", ROOT / "docs" / "out")


def test_export_replaces_an_earlier_export(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    export(ROOT / "mkdocs.yml", tree)
    (tree / "docs" / "stale.md").write_text("old", encoding="utf-8")
    export(ROOT / "mkdocs.yml", tree)
    assert not (tree / "docs" / "stale.md").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tree"]  # no staging folder left behind


def test_export_refuses_a_briefing_with_errors(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p")
    page = project / "docs" / "method.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[@nokey]\n", encoding="utf-8")
    with pytest.raises(BriefingError, match="unknown citation key 'nokey'"):
        export(project / "mkdocs.yml", tmp_path / "tree")
    assert not (tmp_path / "tree").exists()


def test_export_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "-f", str(ROOT / "mkdocs.yml"), str(tmp_path / "t"), "--strict"]) == 0
    assert (tmp_path / "t" / "docs" / "references.md").is_file()
    assert main(["export", "-f", str(ROOT / "mkdocs.yml"), str(ROOT)]) == 1
    assert "outside the project's sources" in capsys.readouterr().err


# --- a shared bibliography -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "shared"),
    [({}, False), ({"bibliography": "own"}, False), ({"bibliography": "shared"}, True)],
)
def test_bibliography_setting(settings: dict[str, object], shared: bool) -> None:
    assert bibliography_is_shared(settings) is shared


def test_bibliography_setting_names_the_choices() -> None:
    with pytest.raises(ValueError, match="'publisher' is not one of: own, shared"):
        bibliography_is_shared({"bibliography": "publisher"})


def test_uncited_works_warn_in_an_own_bibliography_only(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p", filler=20)
    own = validate(project)
    uncited = [w for w in own.warnings if "is never cited" in w.message]
    assert len(uncited) == 20
    assert validate(project, shared_bibliography=True).warnings == []


def test_shared_bibliography_formats_and_lists_only_cited_works(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p", filler=50, settings={"bibliography": "shared"})
    config = read_config(project / "mkdocs.yml")
    prepared = prepare(project, project / "docs", config["nav"], shared_bibliography=True)
    site = prepared.site
    assert site is not None
    numbers = site.numbering.numbers
    assert len(numbers) == 13
    references = site.pages["references.md"]
    assert "Further reading" not in references
    assert "filler" not in references
    assert set(site.builder.references()) == set(numbers)
    own = prepare(project, project / "docs", config["nav"]).site
    assert own is not None
    assert "Further reading" in own.pages["references.md"]
    assert len(re.findall(r'id="ref-filler\d+"', own.pages["references.md"])) == 50


def test_validate_command_reads_the_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = make_briefing(tmp_path / "s", filler=5, settings={"bibliography": "shared"})
    own = make_briefing(tmp_path / "o", filler=5)
    assert main(["validate", "--strict", str(shared)]) == 0
    assert main(["validate", "--strict", str(own)]) == 1
    assert "reference 'filler0' is never cited" in capsys.readouterr().err
    (shared / "mkdocs.yml").write_text(
        (shared / "mkdocs.yml").read_text(encoding="utf-8").replace("shared", "everyone"),
        encoding="utf-8",
    )
    assert main(["validate", str(shared)]) == 1
    assert "'everyone' is not one of: own, shared" in capsys.readouterr().err


# --- a shared bibliography is read only as far as the briefing cites it ----------------------

BIB = """% the publisher's list
@string{ipem = {Institute of Physics and Engineering in Medicine}}

@article{cited1,
  title = {One},
  note = {a line that starts with
@ but is inside the field},
}

@book{other,
  title = {Never cited},
}

@misc{cited2, title = {Two {with} braces}, publisher = ipem}
"""


def test_only_keeps_cited_entries_and_every_line_in_its_place() -> None:
    kept = bib.only(BIB, {"cited1", "cited2"})
    assert kept.count("\n") == BIB.count("\n")
    assert "Never cited" not in kept
    assert "@string{ipem" in kept
    assert "@ but is inside the field" in kept
    assert "@misc{cited2" in kept


def test_only_keeps_everything_when_braces_do_not_balance() -> None:
    broken = BIB + "@article{broken, title = {no closing brace}\n"
    assert bib.only(broken, {"cited1"}) == broken  # the full parse reports it


def test_partial_parse_reads_the_same_entries() -> None:
    whole, _ = bib.parse("references.bib", BIB.encode())
    some, problems = bib.parse("references.bib", BIB.encode(), {"cited1", "cited2"})
    assert problems == []
    assert list(some) == ["cited1", "cited2"]
    assert some["cited1"] == whole["cited1"]  # same fields, same line
    assert some["cited2"].fields["publisher"] == whole["cited2"].fields["publisher"]


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("as shown [@braun2006; @lacey2001, p. 4].", {"braun2006", "lacey2001"}),
        ("@rec-flexibility and me@example.org", {"rec-flexibility", "example.org"}),
        ("`[@code]`", {"code"}),
    ],
)
def test_mentioned_finds_every_cited_key(text: str, keys: set[str]) -> None:
    assert bib.mentioned([text]) == keys


def test_shared_bibliography_still_suggests_keys_for_a_typo(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p", filler=30)
    page = project / "docs" / "method.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[@filler12x]\n", encoding="utf-8")
    result = validate(project, shared_bibliography=True)
    assert any("did you mean 'filler12'" in p.message for p in result.errors)


def test_a_shared_bibliographys_download_holds_the_cited_works_only(tmp_path: Path) -> None:
    project = make_briefing(tmp_path / "p", filler=50, settings={"bibliography": "shared"})
    config = read_config(project / "mkdocs.yml")
    site = prepare(project, project / "docs", config["nav"], shared_bibliography=True).site
    assert site is not None
    downloads.write(site, tmp_path / "site", project / "references.bib")
    written = (tmp_path / "site" / "downloads" / "references.bib").read_text(encoding="utf-8")
    parsed, problems = bib.parse("references.bib", written.encode())
    assert problems == []
    assert set(parsed) == set(site.numbering.numbers) and len(parsed) == 13
    assert "\n\n\n" not in written
    own = prepare(project, project / "docs", config["nav"]).site
    assert own is not None
    downloads.write(own, tmp_path / "own", project / "references.bib")
    copied = (tmp_path / "own" / "downloads" / "references.bib").read_bytes()
    assert copied == (project / "references.bib").read_bytes()  # the editors' file, as written

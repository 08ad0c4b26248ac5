"""The same briefing with each builder: Zensical (no hooks: the export, then `briefing finish`)
and ProperDocs (the hooks unchanged). The builders are installed by `make test`."""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from briefing.__main__ import main
from briefing.publish import afterbuild, csp, handoff, linkcheck, zensical_theme
from briefing.publish.export import export
from briefing.render.download_list import FILES, FOLDER
from briefing.sources import frontmatter
from sitetools import ROOT, Site, build_env, build_with
from test_integrity import html_errors

URL = "https://example.org/repo/"


@pytest.fixture(scope="module")
def zensical(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The real briefing built with Zensical and finished, as `make site BUILDER=zensical`
    does (without Zensical's cache)."""
    folder = tmp_path_factory.mktemp("zensical")
    result = build_with("zensical", ROOT / "mkdocs.yml", folder / "site", work=folder / "work")
    assert result.returncode == 0, result.stderr
    return Site(folder / "site", result.stderr)


@pytest.mark.slow
def test_zensical_builds_every_page_and_every_download(site: Site, zensical: Site) -> None:
    assert set(zensical.pages) == set(site.pages)
    for download in FILES:
        assert (zensical.root / FOLDER / download.name).is_file(), download.name
    for name in ("briefing.json", "recommendations.csv", "references.json", "references.bib"):
        ours = (zensical.root / "downloads" / name).read_bytes()
        assert ours == (site.root / "downloads" / name).read_bytes(), name
    for made in ("feed.atom", "feeds/mri.atom", "assets/javascripts/tracker.js"):
        assert (zensical.root / made).read_bytes() == (site.root / made).read_bytes(), made
    with gzip.open(zensical.root / "sitemap.xml.gz") as unpacked:
        assert unpacked.read() == (zensical.root / "sitemap.xml").read_bytes()
    assert (zensical.root / "downloads" / "briefing.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.slow
def test_zensical_pages_are_finished_as_the_hooks_finish_them(site: Site, zensical: Site) -> None:
    for url, page in zensical.pages.items():
        text = str(page)
        assert "briefing:start" not in text and "briefing:end" not in text, url
        policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None, url
        if url == "404.html":
            continue
        for name in ("description", "og:title", "og:description"):
            ours = page.find("meta", attrs={"name": name}) or page.find(
                "meta", attrs={"property": name}
            )
            theirs = site.pages[url].find("meta", attrs={"name": name}) or site.pages[url].find(
                "meta", attrs={"property": name}
            )
            assert ours is not None and theirs is not None, (url, name)
            assert ours["content"] == theirs["content"], (url, name)
    home = zensical.page("")
    assert home.find("script", type="application/ld+json") is not None
    assert home.find("meta", attrs={"name": "citation_title"}) is not None
    survey = zensical.page("survey")
    assert survey.select("figure.chart svg"), "the charts are drawn in after the sanitiser"
    assert zensical.page("tracker").find("script", src=True, defer=True) is not None
    assert zensical.page("").find("link", rel="alternate", type="application/atom+xml")


@pytest.mark.slow
def test_zensical_policy_allows_the_stylesheet_its_script_inserts(zensical: Site) -> None:
    styles = zensical_theme.script_styles(zensical.root)
    assert styles, "the pinned Zensical's search dialog stylesheet was not found"
    wanted = csp.policy("", styles=styles).split("style-src ")[1].split(";")[0].split()[-1]
    for url, page in zensical.pages.items():
        policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert policy is not None and wanted in str(policy["content"]), url
    assert "Traceback" not in zensical.log and "WARNING" not in zensical.log


def test_an_unreadable_script_stylesheet_is_said(tmp_path: Path) -> None:
    scripts = tmp_path / zensical_theme.SCRIPTS
    scripts.mkdir(parents=True)
    assert zensical_theme.script_styles(tmp_path) == ()
    (scripts / "bundle.1.min.js").write_text(
        'var Q="x";n.attachShadow({mode:"open"});o.appendChild(C("style",{},Q.toString()))',
        encoding="utf-8",
    )
    assert zensical_theme.script_styles(tmp_path) is None  # not a literal this can read
    (scripts / "bundle.1.min.js").write_text(
        "var Q='.a{color:red}';"
        'n.attachShadow({mode:"open"});o.appendChild(C("style",{},Q.toString()))',
        encoding="utf-8",
    )
    assert zensical_theme.script_styles(tmp_path) == (".a{color:red}",)


@pytest.mark.slow
@pytest.mark.parametrize("builder", ["zensical", "properdocs"])
def test_every_link_resolves_under_a_sub_path(tmp_path: Path, builder: str) -> None:
    """`make site BUILDER=... SITE_URL=https://example.org/repo/`, then the link check."""
    out = tmp_path / "site"
    result = build_with(builder, ROOT / "mkdocs.yml", out, site_url=URL, work=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    report = linkcheck.check_folder(out, "/repo/")
    assert report.pages > 20 and report.links > 1000
    assert report.broken == ()
    home = (out / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{URL}">' in home


@pytest.mark.slow
def test_zensical_pages_are_valid_html(zensical: Site) -> None:
    """The W3C checker finds nothing, as in the MkDocs build (zensical_theme.page patches the
    one thing Zensical's templates write that HTML does not allow)."""
    assert html_errors(zensical.root) == []


@pytest.mark.slow
def test_zensical_builds_are_reproducible(tmp_path: Path, zensical: Site) -> None:
    again = tmp_path / "again"
    result = build_with("zensical", ROOT / "mkdocs.yml", again, work=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    cached = tmp_path / "cached"  # the same export folder: Zensical's cache in use
    result = build_with("zensical", ROOT / "mkdocs.yml", cached, work=tmp_path / "work")
    assert result.returncode == 0, result.stderr
    for file in sorted(zensical.root.rglob("*")):
        if file.is_file():
            relative = file.relative_to(zensical.root)
            assert (again / relative).read_bytes() == file.read_bytes(), relative
            assert (cached / relative).read_bytes() == file.read_bytes(), relative


@pytest.mark.slow
def test_properdocs_runs_the_hooks_unchanged(tmp_path: Path, site: Site) -> None:
    out = tmp_path / "site"
    result = build_with("properdocs", ROOT / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr
    ours = {f.relative_to(out) for f in out.rglob("*") if f.is_file()}
    assert ours == {f.relative_to(site.root) for f in site.root.rglob("*") if f.is_file()}
    for relative in sorted(ours):
        mine, theirs = (out / relative).read_bytes(), (site.root / relative).read_bytes()
        if relative.suffix == ".html":
            assert b"ProperDocs 1.6.7" in mine, relative
            mine, theirs = _without_generator(mine), _without_generator(theirs)
        if relative.suffix == ".gz":
            continue  # the gzip holds the sitemap, whose bytes are compared as sitemap.xml
        assert mine == theirs, relative


def _without_generator(page: bytes) -> bytes:
    return b"\n".join(line for line in page.split(b"\n") if b'name="generator"' not in line)


# --- what the pass refuses -----------------------------------------------------------------


def _zensical_site(mini: Path) -> Path:
    out = mini.parent / "exported"
    export(mini / "mkdocs.yml", out, for_finish=True)
    built = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "-f", "mkdocs.yml"],
        cwd=out,
        capture_output=True,
        text=True,
        env=build_env(),
        check=False,
        timeout=600,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return out / "site"


def test_a_page_without_its_markers_is_refused_by_name(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _zensical_site(mini)
    page = site / "method" / "index.html"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("briefing:end", "briefing:gone"), encoding="utf-8")
    before = {f: f.read_bytes() for f in site.rglob("*.html")}
    assert main(["finish", str(site), "-f", str(mini / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert f"docs/method.md:1:1: the built page {site}/method/index.html lacks" in err
    assert "Traceback" not in err
    assert {f: f.read_bytes() for f in site.rglob("*.html")} == before  # nothing was finished
    assert not (site / "downloads").exists()


def test_a_page_the_builder_did_not_write_is_refused_by_name(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _zensical_site(mini)
    (site / "context" / "index.html").unlink()
    assert main(["finish", str(site), "-f", str(mini / "mkdocs.yml")]) == 1
    err = capsys.readouterr().err
    assert "docs/context.md:1:1: the builder wrote no page context/index.html" in err
    assert main(["finish", str(mini / "nowhere"), "-f", str(mini / "mkdocs.yml")]) == 1
    assert "not a folder" in capsys.readouterr().err


def test_a_finished_site_is_not_finished_twice(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _zensical_site(mini)
    assert main(["finish", str(site), "-f", str(mini / "mkdocs.yml")]) == 0
    assert main(["finish", str(site), "-f", str(mini / "mkdocs.yml")]) == 1
    assert "or it was finished already" in capsys.readouterr().err


def test_markers_depend_on_the_page_and_the_settings() -> None:
    first = handoff.marks("site_url=", "a.md", "text")
    assert first == handoff.marks("site_url=", "a.md", "text")
    assert first != handoff.marks("site_url=", "b.md", "text")
    assert first != handoff.marks("site_url=", "a.md", "text!")
    assert first != handoff.marks("site_url=x", "a.md", "text")
    start, end = first
    built = f"<nav>{start}</nav>{start}<p>a</p>{end}<p>b</p>{end}<footer/>"
    span = handoff.content(first, built)
    assert span is not None and built[span[0] : span[1]] == f"</nav>{start}<p>a</p>{end}<p>b</p>"
    assert handoff.content(first, f"{end}{start}") is None
    assert handoff.content(first, start) is None


@pytest.mark.parametrize(
    ("nav", "meta", "body", "title"),
    [
        ("Named", {"title": "Meta"}, "# Heading\n", "Named"),
        (None, {"title": "A & <b>B</b>"}, "# Heading\n", "A &amp; B"),
        (None, {}, "# The *HSST* route {#top}\n\ntext", "The HSST route"),
        (None, {}, "Text first\n\n# Later\n", "Method"),
        (None, {}, "# <img src=x onerror=alert(1)> & co\n", "&amp; co"),
    ],
)
def test_titles_are_found_as_mkdocs_finds_them_and_escaped(
    nav: str | None, meta: dict[str, str], body: str, title: str
) -> None:
    assert handoff.title("method.md", nav, meta, body) == title


@pytest.mark.parametrize(
    ("page", "meta"),
    [
        ("---\ntitle: A\nhide: [toc]\n---\n# B\n", {"title": "A", "hide": ["toc"]}),
        ("Title: A\n    more\nStatus: new\n\n# B\n", {"title": "A more", "status": "new"}),
        ("---\n- a list\n---\n# B\n", {}),
        ("# B\n", {}),
    ],
)
def test_front_matter_is_read_as_mkdocs_reads_it(page: str, meta: dict[str, object]) -> None:
    front, _ = frontmatter.split(page)
    assert frontmatter.metadata(front) == meta


def test_the_pass_names_its_problems_codes() -> None:
    assert {str(code) for code in afterbuild.PENDING} == {
        "build.finish-page",
        "build.finish-markers",
    }


def test_make_refuses_an_unknown_builder() -> None:
    if shutil.which("make") is None:
        pytest.fail("make is not installed")
    made = subprocess.run(
        ["make", "-n", "site", "BUILDER=jekyll"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert made.returncode != 0
    assert "BUILDER=jekyll is not a builder this project knows" in made.stderr
    assert "choose one of: mkdocs zensical properdocs" in made.stderr


def test_make_site_url_reaches_every_builder() -> None:
    for builder, wanted in (
        ("mkdocs", "mkdocs build --strict -f .site-url.mkdocs.yml"),
        ("properdocs", "properdocs build --strict -f .site-url.mkdocs.yml"),
        ("zensical", f'briefing build --builder zensical --site-url "{URL}"'),
    ):
        made = subprocess.run(
            ["make", "-n", "site", f"BUILDER={builder}", f"SITE_URL={URL}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert made.returncode == 0, made.stderr
        assert wanted in made.stdout, (builder, made.stdout)

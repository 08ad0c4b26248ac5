"""The same briefing with each builder: Zensical (no hooks: the export, then `briefing finish`)
and ProperDocs (the hooks unchanged). The builders are installed by `make test`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from briefing.__main__ import main
from briefing.publish import afterbuild, csp, handoff, zensical_theme
from briefing.publish.export import export
from briefing.sources import frontmatter
from conftest import REPOSITORY, URL
from sitetools import ROOT, Site, build_env, build_with


@pytest.fixture(scope="module")
def zensical(builds: dict[str, Site]) -> Site:
    """The real briefing built with Zensical and finished for a sub-path, as `make site
    BUILDER=zensical SITE_URL=...` does (conftest's `builds`, shared with tests/test_parity.py,
    which holds its pages, downloads, feeds, sitemap, links and HTML to MkDocs')."""
    return builds["zensical"]


@pytest.mark.slow
def test_zensical_pages_are_finished_as_the_hooks_finish_them(
    builds: dict[str, Site], zensical: Site
) -> None:
    site = builds["mkdocs"]
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
def test_a_rebuild_is_byte_identical(tmp_path: Path, builds: dict[str, Site], builder: str) -> None:
    """Built again (Zensical from a new export folder, then again with its cache in use): the
    same bytes (tests/test_reproducible.py holds MkDocs' builds so)."""
    first = builds[builder].root
    again, cached = tmp_path / "again", tmp_path / "cached"
    for out in (again, cached):  # the same export folder: Zensical's cache in use the 2nd time
        result = build_with(
            builder, ROOT / "mkdocs.yml", out, site_url=URL, work=tmp_path / "w", environ=REPOSITORY
        )
        assert result.returncode == 0, result.stderr
        if builder != "zensical":
            break
    for file in sorted(first.rglob("*")):
        if file.is_file():
            relative = file.relative_to(first)
            assert (again / relative).read_bytes() == file.read_bytes(), relative
            if builder == "zensical":
                assert (cached / relative).read_bytes() == file.read_bytes(), relative


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


def test_the_export_command_says_what_it_wrote_or_why_nothing(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m briefing export OUT`: a briefing with an error exports nothing and says
    where; a good one says where it went; a configuration it cannot read is named."""
    out = mini.parent / "export"
    config = str(mini / "mkdocs.yml")
    themes = mini / "data" / "themes.yml"
    good = themes.read_text(encoding="utf-8")
    themes.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    assert main(["export", str(out), "-f", config]) == 1
    err = capsys.readouterr().err
    assert "data/themes.yml:" in err and "problem(s): nothing was exported." in err
    assert "Traceback" not in err and not out.exists()
    themes.write_text(good, encoding="utf-8")
    assert main(["export", str(out), "-f", config]) == 0
    err = capsys.readouterr().err
    assert f"exported to {out} in " in err and (out / "mkdocs.yml").is_file(), err
    missing = mini / "nowhere.yml"
    assert main(["export", str(out), "-f", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{missing}: ") and "Traceback" not in err, err


def test_the_build_command_says_what_it_built_or_why_nothing(
    mini: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`python -m briefing build --builder zensical` (make site BUILDER=zensical): a briefing
    with an error builds nothing and says where; a good one says what was written."""
    out = mini.parent / "out"
    config = str(mini / "mkdocs.yml")
    themes = mini / "data" / "themes.yml"
    good = themes.read_text(encoding="utf-8")
    themes.write_text(good.replace("title:", "titel:", 1), encoding="utf-8")
    assert main(["build", "--builder", "zensical", str(out), "-f", config]) == 1
    err = capsys.readouterr().err
    assert "data/themes.yml:" in err and "problem(s): nothing was built." in err
    assert "Traceback" not in err and not (out / "index.html").exists()
    themes.write_text(good, encoding="utf-8")
    work = mini.parent / "not" / "made" / "yet"  # --work in folders not made yet
    assert (
        main(["build", "--builder", "zensical", str(out), "-f", config, "--work", str(work)]) == 0
    )
    err = capsys.readouterr().err
    assert f"page(s) with Zensical into {out}; Wrote " in err, err
    assert (out / "downloads" / "briefing.json").is_file()
    # Into a folder holding another build: refused, so no page of it is published unfinished.
    assert main(["build", "--builder", "zensical", str(out), "-f", config]) == 1
    assert "not an empty folder; build into a new or empty one" in capsys.readouterr().err


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

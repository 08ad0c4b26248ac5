"""The link check (publish/linkcheck.py) follows links as a browser does under a sub-path: it
finds what breaks there and nothing that does not."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from briefing.__main__ import main
from briefing.publish.linkcheck import check_folder, served_at
from conftest import HOOK, ROOT
from sitetools import mkdocs_build


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"<!doctype html><title>t</title>{body}", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("page", "address"),
    [("index.html", "/repo/"), ("a/index.html", "/repo/a/"), ("a/b.html", "/repo/a/b.html")],
)
def test_each_page_is_served_at_its_folder_or_its_name(page: str, address: str) -> None:
    assert served_at("/repo/", page) == address


def test_relative_links_and_anchors_that_resolve_pass(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="refs/#ref-a">a</a><a href="refs/">r</a><img src="i.png">'
            '<a href="https://other.example/x">x</a><a href="mailto:a@b.example">m</a>'
            '<a href="#top" id="top">t</a>',
            "refs/index.html": '<li id="ref-a">A</li><a href="../">home</a><a href="..">up</a>',
        },
    )
    (site / "i.png").write_bytes(b"\x89PNG")
    report = check_folder(site, "/repo/")
    assert report.broken == ()
    assert (report.pages, report.links) == (2, 6)  # other hosts and mailto are not followed


def test_what_breaks_under_a_sub_path_is_named(tmp_path: Path) -> None:
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="/refs/">root</a><a href="refs/#ref-b">no anchor</a>'
            '<a href="../refs/">too high</a><link rel="stylesheet" href="gone.css">',
            "refs/index.html": '<li id="ref-a">A</li>',
        },
    )
    found = [str(b) for b in check_folder(site, "repo").broken]
    assert found == [
        "index.html: /refs/: leads to /refs/, outside the site's address /repo/",
        "index.html: refs/#ref-b: no #ref-b on /repo/refs/index.html",
        "index.html: ../refs/: leads to /refs/, outside the site's address /repo/",
        "index.html: gone.css: no file /repo/gone.css",
    ]
    # At a host's root the root-absolute link and the one that climbs too high (a browser stops
    # at the root) both work: only the sub-path breaks them.
    assert [b.link for b in check_folder(site, "/").broken] == ["refs/#ref-b", "gone.css"]


def test_the_command_line_fails_on_a_broken_link(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = _site(tmp_path, {"index.html": '<a href="nowhere/">x</a>'})
    assert main(["linkcheck", str(site), "--base", "/repo/"]) == 1
    err = capsys.readouterr().err
    assert "index.html: nowhere/: no file /repo/nowhere/index.html" in err
    assert "1 page(s), 1 internal link(s) followed under /repo/, 1 broken" in err
    (site / "nowhere").mkdir()
    (site / "nowhere" / "index.html").write_text("<p>here</p>", encoding="utf-8")
    assert main(["linkcheck", str(site), "--base", "/repo/"]) == 0


def test_the_briefing_built_for_a_sub_path_has_no_broken_link_there(tmp_path: Path) -> None:
    """As `make site SITE_URL=…` builds it for GitHub Pages (a settings file inheriting
    mkdocs.yml): every internal link of every page, the 404 page's included, stays under /repo/."""
    project = tmp_path / "briefing"
    for name in ("docs", "data"):
        shutil.copytree(ROOT / name, project / name)
    shutil.copy(ROOT / "references.bib", project)
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(HOOK)]
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    inheriting = project / ".site-url.mkdocs.yml"
    inheriting.write_text('INHERIT: mkdocs.yml\nsite_url: "https://example.org/repo/"\n')
    result = mkdocs_build(inheriting, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    report = check_folder(tmp_path / "site", "https://example.org/repo/")
    assert [str(b) for b in report.broken] == []
    assert report.pages > 20 and report.links > 1000

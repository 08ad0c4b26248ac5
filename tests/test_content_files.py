"""Files under docs/ are an allow-list (hooks/briefing/sources/content.py, SECURITY.md): only
pages and the kinds a briefing needs are published; a file in the theme's or the build's place is
refused; stylesheets fetch nothing from another host. `make validate` and the strict build both
fail."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from briefing.sources import content
from sitetools import ROOT, build_env, mkdocs_build

THEME = content.theme_dirs("material")


def _theme_file(pattern: str) -> str:
    """A file the installed theme really has (its name carries a hash that changes by version)."""
    found = sorted(THEME[0].glob(pattern))
    assert found, f"the installed theme has no {pattern}"
    return found[0].relative_to(THEME[0]).as_posix()


REFUSED = [
    ("evil.html", "a web page would run its script"),
    ("nested/deeper/page.HTM", "a web page would run its script"),
    ("pictures/logo.svg", "an SVG opened on its own would run its script"),
    ("pictures/LOGO.SvG", "an SVG opened on its own would run its script"),
    ("feed.xml", "an XML file"),
    ("style.xsl", "an XML file"),
    ("tracker.js", "code is not content"),
    ("module.mjs", "code is not content"),
    ("engine.wasm", "code is not content"),
    ("Makefile", "a file with no extension"),
    ("notes.markdown", "rename it"),
    ("budget.xlsm", "can carry macros"),
    ("old.doc", "can carry macros"),
    ("payload.php", "files of kind .php are not published"),
    ("x.html.png.exe", "files of kind .exe are not published"),
    # Allowed kinds at a path the theme or the build owns.
    ("assets/images/favicon.png", "would replace the theme's own file assets/images/favicon.png"),
    ("Assets/Images/FAVICON.png", "would replace the theme's own file assets/images/favicon.png"),
    (_theme_file("assets/stylesheets/main.*.min.css"), "would replace the theme's own file"),
    (_theme_file("assets/javascripts/bundle.*.min.js"), "would replace the theme's own file"),
    ("search/search_index.json", "which the build writes itself"),
    ("downloads/briefing.pdf", "which the build writes itself"),
    ("downloads/recommendations.csv", "which the build writes itself"),
    ("404.html", "would replace the theme's own file 404.html"),
    ("sitemap.xml", "which the build writes itself"),
]
PUBLISHED = [
    "assets/briefing.css",
    "figures/chart.png",
    "figures/photo.JPG",
    "figures/map.webp",
    "files/full-report.pdf",
    "files/annex.docx",
    "files/annex.ods",
    "data/table.csv",
    "data/table.json",
    "fonts/brand.woff2",
    "assets/images/our-logo.png",  # the theme's folder, not one of its files
    "page.md",
]


@pytest.mark.parametrize(("relative", "reason"), REFUSED)
def test_a_file_that_may_not_be_published_is_refused(
    tmp_path: Path, relative: str, reason: str
) -> None:
    docs = tmp_path / "docs"
    (docs / relative).parent.mkdir(parents=True, exist_ok=True)
    (docs / relative).write_bytes(b"<script>alert(document.domain)</script>")
    problems = content.check(tmp_path, docs, THEME)
    assert [(p.path, p.line, p.column) for p in problems] == [(f"docs/{relative}", 1, 1)]
    assert reason in problems[0].message, problems[0].message


def test_the_kinds_a_briefing_needs_are_published(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for relative in PUBLISHED:
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_bytes(
            b"body { color: black; }" if relative.endswith(".css") else b""
        )
    assert content.check(tmp_path, docs, THEME) == []


def test_hidden_files_are_never_published_so_never_refused(tmp_path: Path, mini: Path) -> None:
    """MkDocs leaves out hidden files and folders (its `exclude_docs` default), and so does
    the export: a Mac's `.DS_Store` or a `.gitkeep` is no reason to fail a build."""
    docs = mini / "docs"
    for relative in (".DS_Store", "assets/.gitkeep", ".hidden/evil.html", "a/.cache/x.js"):
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        (docs / relative).write_bytes(b"<script>alert(1)</script>")
    assert content.check(mini, docs, THEME) == []
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "briefing",
            "export",
            "-f",
            str(mini / "mkdocs.yml"),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        env=build_env(),
        cwd=mini,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    exported = tmp_path / "out" / "docs"
    assert exported.is_dir()
    assert not [p for p in exported.rglob("*") if p.name.startswith(".")]


def test_the_real_docs_folder_is_published_whole() -> None:
    assert content.check(ROOT, ROOT / "docs", THEME) == []


def test_the_theme_files_come_from_the_installed_theme_and_its_custom_dir(tmp_path: Path) -> None:
    assert THEME and (THEME[0] / "assets" / "images" / "favicon.png").is_file()
    custom = tmp_path / "overrides"
    (custom / "partials").mkdir(parents=True)
    (custom / "partials" / "brand.png").write_bytes(b"")
    dirs = content.configured_theme_dirs(
        {"theme": {"name": "material", "custom_dir": "overrides"}}, tmp_path
    )
    assert dirs == (custom, *THEME)
    assert content.theme_file(dirs, "partials/brand.png") == "partials/brand.png"
    assert content.theme_file(dirs, "partials/other.png") is None
    with pytest.raises(ValueError, match="not installed"):
        content.theme_dirs("no-such-theme")


STYLESHEETS = [
    ('@import "other.css";', [(1, 1, "@import")]),
    ("@import url(https://evil.example/x.css);", [(1, 1, "@import"), (1, 9, "another site")]),
    ("@media print { @IMPORT 'x.css'; }", [(1, 16, "@import")]),
    ("@media print { @\\69mport 'x.css'; }", [(1, 16, "@import")]),  # an escaped letter
    ("a {\n  background: url(https://evil.example/p.png);\n}", [(2, 15, "another site")]),
    ('a { background: url("HTTP://evil.example/p.png") }', [(1, 17, "another site")]),
    ("a { background: url(//evil.example/p.png) }", [(1, 17, "another site")]),
    ("a { background: url('/\\\\evil.example/p.png') }", [(1, 17, "another site")]),
    ("a { background: url(' \t//evil.example/p.png') }", [(1, 17, "another site")]),
    ('a { background: url("/\tx.png") }', [(1, 17, "starts at the host's root")]),
    ("a { background: \\75rl(https://evil.example/p.png) }", [(1, 17, "another site")]),
    ("a { background: URL(https://evil.example/p.png) }", [(1, 17, "another site")]),
    ('a { b: image-set("x.png" 1x, "https://evil.example/y.png" 2x) }', [(1, 8, "another site")]),
    ('a { b: -webkit-image-set("https://evil.example/y.png" 1x) }', [(1, 8, "another site")]),
    (
        '@font-face { font-family: x; src: url("https://evil.example/f.woff2") }',
        [(1, 35, "another site")],
    ),
    ('a { b: url("javascript:alert(1)") }', [(1, 8, "another site")]),
    ('a { b: url("data:text/html,<script>alert(1)</script>") }', [(1, 8, "not an image")]),
    ("a { b: url(/assets/x.png) }", [(1, 8, "starts at the host's root")]),
    ("a { b: url(../../../../etc/x.png) }", [(1, 8, "climbs out of the site")]),
    ("a { b: url(a b) }", [(1, 8, "cannot be read")]),
    ("a { b: url(images/x.png) }", []),
    ("a { b: url(../images/x.png?v=2#frag) }", []),
    ('a { b: url("data:image/svg+xml;utf8,<svg xmlns=%22http://www.w3.org/2000/svg%22/>") }', []),
    ("a { b: url(data:image/png;base64,iVBORw0KGgo=) }", []),
    ("a { b: url(#gradient) }", []),
    ("/* url(https://evil.example/) @import 'x'; */ a { color: red }", []),
    ('a::after { content: "url(https://evil.example/)"; }', []),  # a string, not a URL
]


@pytest.mark.parametrize(("css", "expected"), STYLESHEETS)
def test_a_stylesheet_fetches_nothing_from_another_host(
    css: str, expected: list[tuple[int, int, str]]
) -> None:
    problems = content.check_css("docs/assets/site.css", css, "assets/site.css")
    assert [(p.line, p.column) for p in problems] == [
        (line, column) for line, column, _ in expected
    ]
    for problem, (_, _, words) in zip(problems, expected, strict=True):
        assert words in problem.message, problem.message
        assert problem.path == "docs/assets/site.css"


def test_a_stylesheet_that_is_not_utf8_is_refused_at_its_byte(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.css").write_bytes(b"a { color: red }\n\xff")
    problems = content.check(tmp_path, tmp_path / "docs", THEME)
    assert [(p.path, p.line, p.column) for p in problems] == [("docs/x.css", 2, 1)]
    assert "invalid UTF-8" in problems[0].message


def _poison(project: Path) -> list[str]:
    """Hostile files under the project's docs/; the lines every check must print."""
    docs = project / "docs"
    (docs / "evil.html").write_text("<script>alert(document.domain)</script>", encoding="utf-8")
    (docs / "assets" / "images").mkdir(parents=True, exist_ok=True)
    (docs / "assets" / "images" / "favicon.png").write_bytes(b"\x89PNG")
    (docs / "assets" / "briefing.css").write_text(
        "a { color: red }\n@import url(https://evil.example/track.css);\n", encoding="utf-8"
    )
    return [
        "docs/assets/briefing.css:2:1: @import",
        "docs/assets/briefing.css:2:9: url('https://evil.example/track.css') points at another",
        "docs/assets/images/favicon.png:1:1: favicon.png would replace the theme's own file",
        "docs/evil.html:1:1: evil.html is not published with the site",
    ]


def test_make_validate_refuses_every_hostile_file(mini: Path) -> None:
    expected = _poison(mini)
    result = subprocess.run(
        [sys.executable, "-m", "briefing", "validate", "--strict", str(mini)],
        capture_output=True,
        text=True,
        env=build_env(),
        cwd=mini,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    for line in expected:
        assert any(
            out.removeprefix(str(mini) + "/").startswith(line) for out in result.stderr.splitlines()
        ), f"missing {line!r} in:\n{result.stderr}"


@pytest.mark.slow
def test_the_strict_build_refuses_every_hostile_file_and_builds_nothing(
    mini: Path, tmp_path: Path
) -> None:
    expected = _poison(mini)
    out = tmp_path / "site"
    result = mkdocs_build(mini / "mkdocs.yml", out)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for line in expected:
        assert line in result.stderr, f"missing {line!r} in:\n{result.stderr}"
    assert not (out / "evil.html").exists()

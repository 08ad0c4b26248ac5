"""Every page's Content-Security-Policy (hooks/briefing/publish/csp.py): what it allows, what it
hashes, where it stands. tests/browser/test_csp.py proves the theme works under it."""

from __future__ import annotations

import base64
import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest
from briefing.publish import csp
from bs4 import BeautifulSoup
from sitetools import Site, build_env

PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width">
<script>__md_scope=new URL(".",location)</script>
<script type="application/ld+json">{"@type": "Report"}</script>
</head><body><script>var palette=1</script>
<article class="md-content__inner"><p style="text-align: right">1</p>
<script>alert("from the content")</script>
<svg><path style="fill: #2f7ed8" d="M0 0"/></svg></article>
<script id="__config" type="application/json">{"base": "."}</script>
<script src="assets/javascripts/bundle.js"></script></body></html>"""


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(page: str) -> dict[str, list[str]]:
    meta = BeautifulSoup(page, "html.parser").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    assert meta is not None, "no policy"
    policy = str(meta["content"])
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_the_theme_scripts_are_hashed_and_nothing_else_may_run() -> None:
    policy = directives(csp.protect(PAGE))
    assert policy["default-src"] == ["'none'"]
    assert sorted(policy["script-src"]) == sorted(
        ["'self'", sha('__md_scope=new URL(".",location)'), sha("var palette=1")]
    )
    everything = " ".join(" ".join(v) for v in policy.values())
    assert "'unsafe-inline'" not in everything and "'unsafe-eval'" not in everything
    # Not the content's script, and not the data blocks (JSON-LD, the theme's config): never run.
    assert sha('alert("from the content")') not in everything
    assert sha('{"@type": "Report"}') not in everything


def test_only_the_pages_own_inline_styles_are_allowed_by_hash() -> None:
    policy = directives(csp.protect(PAGE))
    assert sorted(policy["style-src"]) == sorted(
        ["'self'", "'unsafe-hashes'", sha("text-align: right"), sha("fill: #2f7ed8")]
    )
    plain = "<html><head><meta charset='utf-8'></head><body><p>x</p></body></html>"
    assert directives(csp.protect(plain))["style-src"] == ["'self'"]


def test_everything_else_comes_from_the_site_alone() -> None:
    policy = directives(csp.protect(PAGE))
    assert policy["img-src"] == ["'self'", "data:"]  # the theme's icons are data: SVG images
    for name in ("font-src", "connect-src", "worker-src", "manifest-src", "form-action"):
        assert policy[name] == ["'self'"], name
    assert policy["object-src"] == policy["base-uri"] == ["'none'"]


def test_the_policy_comes_first_and_only_once() -> None:
    once = csp.protect(PAGE)
    assert csp.protect(once) == once
    head = once[: once.index("</head>")]
    assert head.index("Content-Security-Policy") < head.index("<script")
    assert head.index("<meta charset") < head.index("Content-Security-Policy")
    assert once.count("Content-Security-Policy") == 1


@pytest.mark.parametrize(
    "script",
    [
        "<script>a()</script>",
        "<script type=''>a()</script>",
        '<script type="module">a()</script>',
        "<SCRIPT type='text/javascript; charset=utf-8'>a()</SCRIPT>",
    ],
)
def test_every_script_a_browser_runs_is_counted(script: str) -> None:
    page = f"<html><head><meta charset=utf-8>{script}</head><body></body></html>"
    assert sha("a()") in directives(csp.protect(page))["script-src"]


@pytest.mark.slow
def test_every_page_of_the_site_carries_a_policy_that_lets_its_theme_run(site: Site) -> None:
    assert len(site.pages) > 15
    for url, soup in site.pages.items():
        text = (site.root / url).read_text(encoding="utf-8")
        policies = soup.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(policies) == 1, url
        assert text.index("Content-Security-Policy") < text.index("<script"), url
        policy = directives(text)
        article = soup.find("article")
        for script in soup.find_all("script"):
            if script.get("src") or script.get("type") in (
                "application/json",
                "application/ld+json",
            ):
                continue
            assert article is None or script not in article.descendants, url
            assert sha(script.string or "") in policy["script-src"], f"{url}: {script.string}"
        for element in soup.find_all(style=True):
            assert sha(str(element["style"])) in policy["style-src"], url
        assert not re.search(r"unsafe-inline|unsafe-eval|https?:|\*", str(policies[0])), url


def test_a_site_built_without_the_hooks_can_be_given_its_policy(tmp_path: Path) -> None:
    (tmp_path / "about").mkdir()
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "about" / "index.html").write_text(PAGE.replace("palette=1", "x=2"), "utf-8")
    command = [sys.executable, "-m", "briefing", "protect", str(tmp_path)]
    run = subprocess.run(command, capture_output=True, text=True, env=build_env(), check=False)
    assert run.returncode == 0 and "2 page(s)" in run.stderr, run.stderr
    first = {p: p.read_bytes() for p in tmp_path.rglob("*.html")}
    assert (
        sha("var x=2")
        in directives((tmp_path / "about" / "index.html").read_text("utf-8"))["script-src"]
    )
    subprocess.run(command, capture_output=True, env=build_env(), check=True)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*.html")} == first  # the same bytes


def test_a_preview_allows_the_live_reload_script_and_nothing_else_changes() -> None:
    """`mkdocs serve` adds a different inline script on every request: no hash can allow it."""
    published, preview = (
        directives(csp.protect(PAGE)),
        directives(csp.protect(PAGE, live_reload=True)),
    )
    assert preview["script-src"] == ["'self'", "'unsafe-inline'"]
    assert {k: v for k, v in preview.items() if k != "script-src"} == {
        k: v for k, v in published.items() if k != "script-src"
    }

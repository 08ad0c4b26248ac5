"""Links to sources resolved to the built pages' addresses (publish/links.py), as MkDocs resolves
a Markdown link: checked against MkDocs' own `File` URLs and relative URLs, for both layouts."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from briefing.problems import Code
from briefing.publish.links import RESOLVED, Link, UrlOf, problems, relative, resolve
from briefing.render.text import md_link
from bs4 import BeautifulSoup
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from sitetools import mkdocs_build

PAGES = (
    "index.md",
    "about.md",
    "references.md",
    "themes/index.md",
    "themes/a.md",
    "themes/b.md",
    "themes/deep/c.md",
    "recommendations/x y.md",
)
STATIC = ("assets/p.png",)


def url_of(directory_urls: bool) -> UrlOf:
    """The callback the MkDocs hooks give, over MkDocs' own `File`s."""
    files = {
        path: File(path, "/docs", "/site", use_directory_urls=directory_urls)
        for path in PAGES + STATIC
    }

    def answer(path: str) -> str | None:
        file = files.get(path)
        return str(file.url) if file is not None else None

    return answer


def one(href: str, src: str, directory_urls: bool = True, attribute: str = "href") -> str:
    tag = "img" if attribute == "src" else "a"
    resolved = resolve(f'<{tag} {attribute}="{href}">', src, url_of(directory_urls))
    prefix = f'<{tag} {attribute}="'
    assert resolved.html.startswith(prefix) and resolved.html.endswith('">'), resolved.html
    return resolved.html[len(prefix) : -2]


@pytest.mark.parametrize(
    ("src", "href", "directory_urls", "resolved"),
    [
        # A page, another page's anchor, the same page, an index page, in nested folders.
        ("themes/a.md", "../references.md#ref-x", True, "../../references/#ref-x"),
        ("themes/a.md", "../references.md#ref-x", False, "../references.html#ref-x"),
        ("themes/a.md", "b.md#y", True, "../b/#y"),
        ("themes/a.md", "b.md#y", False, "b.html#y"),
        ("themes/a.md", "a.md", True, "./"),
        ("themes/a.md", "a.md", False, "a.html"),
        ("themes/a.md", "a.md#x", True, "./#x"),
        ("themes/a.md", "#x", True, "#x"),
        ("themes/a.md", "#x", False, "#x"),
        ("themes/a.md", "index.md", True, "../"),
        ("themes/a.md", "index.md", False, "index.html"),
        ("themes/a.md", "../index.md", True, "../../"),
        ("themes/a.md", "../index.md", False, "../index.html"),
        ("themes/a.md", "./b.md", True, "../b/"),
        ("themes/index.md", "a.md", True, "a/"),
        ("themes/index.md", "../references.md#r", True, "../references/#r"),
        ("themes/index.md", "a.md", False, "a.html"),
        ("index.md", "themes/a.md#x", True, "themes/a/#x"),
        ("index.md", "themes/index.md", True, "themes/"),
        ("index.md", "themes/index.md", False, "themes/index.html"),
        ("themes/deep/c.md", "../a.md", True, "../../a/"),
        ("themes/deep/c.md", "../../about.md#top", True, "../../../about/#top"),
        ("themes/deep/c.md", "../../about.md#top", False, "../../about.html#top"),
        ("themes/a.md", "../recommendations/x%20y.md", True, "../../recommendations/x%20y/"),
        # Query strings and anchors are kept as written.
        ("themes/a.md", "b.md?q=1#y", True, "../b/?q=1#y"),
        ("themes/a.md", "b.md#", True, "../b/#"),
        # Files that are not pages: a docs file, and files written after the pages.
        ("themes/a.md", "../assets/p.png", True, "../../assets/p.png"),
        ("themes/a.md", "../assets/p.png", False, "../assets/p.png"),
        ("themes/a.md", "../downloads/briefing.pdf", True, "../../downloads/briefing.pdf"),
        ("themes/a.md", "../downloads/briefing.pdf", False, "../downloads/briefing.pdf"),
        ("index.md", "downloads/briefing.pdf", True, "downloads/briefing.pdf"),
        ("about.md", "feed.atom", True, "../feed.atom"),
        ("about.md", "feed.atom", False, "feed.atom"),
        ("themes/a.md", "../feeds/x.atom", True, "../../feeds/x.atom"),
        ("themes/a.md", "../sub/", True, "../../sub/"),
        ("themes/a.md", "..", True, "../../"),
        # Not a relative link to a file: left as written.
        ("themes/a.md", "https://example.org/a.md", True, "https://example.org/a.md"),
        ("themes/a.md", "//example.org/a.md", True, "//example.org/a.md"),
        ("themes/a.md", "mailto:someone@example.org", True, "mailto:someone@example.org"),
        ("themes/a.md", "/themes/b.md", True, "/themes/b.md"),
        ("themes/a.md", "?q=1", True, "?q=1"),
        ("themes/a.md", "", True, ""),
        ("themes/a.md", "../../outside.md", True, "../../outside.md"),
        # A path never turns into a scheme, whatever it holds.
        ("index.md", "./javascript:alert(1)", True, "./javascript:alert(1)"),
        ("themes/a.md", "../javascript:x", False, "../javascript:x"),
        ("themes/a.md", "./javascript:x", False, "./javascript:x"),
        ("themes/a.md", "javascript%3Ax", True, "../javascript%3Ax"),
        # What a browser reads otherwise than written is the sanitiser's to judge, as written.
        ("themes/a.md", "java\tscript:alert(1)", True, "java\tscript:alert(1)"),
        ("themes/a.md", " b.md", True, " b.md"),
    ],
)
def test_resolve_one_link(src: str, href: str, directory_urls: bool, resolved: str) -> None:
    assert one(href, src, directory_urls) == resolved


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_page_link_resolves_as_mkdocs_resolves_a_markdown_link(
    directory_urls: bool,
) -> None:
    """For every pair of pages, with and without an anchor: MkDocs' own relative URL."""
    answer = url_of(directory_urls)
    for origin, target in itertools.product(PAGES, PAGES):
        page, other = answer(origin), answer(target)
        assert page is not None and other is not None
        written = md_link(origin, target)  # what the engine writes
        expected = get_relative_url(other, page)
        assert one(written, origin, directory_urls) == expected, (origin, target)
        anchored = md_link(origin, target, "a")
        assert one(anchored, origin, directory_urls) == (
            "#a" if origin == target else expected + "#a"
        ), (origin, target)


def test_img_src_and_other_elements_resolve_too() -> None:
    assert one("../assets/p.png", "themes/a.md", attribute="src") == "../../assets/p.png"
    page = '<link href="../assets/p.png"><source src="../assets/p.png">'
    assert resolve(page, "themes/a.md", url_of(True)).html == (
        '<link href="../../assets/p.png"><source src="../../assets/p.png">'
    )


def test_resolved_elements_are_left_and_unmarked() -> None:
    """What the builder resolved already (MkDocs' Markdown links) is not resolved twice."""
    page = f'<p><a href="../b/#y" {RESOLVED}="">md</a> <a href="b.md#y">raw</a></p>'
    assert resolve(page, "themes/a.md", url_of(True)).html == (
        '<p><a href="../b/#y">md</a> <a href="../b/#y">raw</a></p>'
    )


def test_only_the_links_change_byte_for_byte() -> None:
    page = (
        "<p class=x>Text &amp; <a class='citation' id=\"c-1\" href='../references.md#r'"
        ' title="A &quot;b&quot;">1</a>'
        ' <a href=b.md>unquoted</a> <A HREF="b.md">upper</A>'
        ' <a href="b.md?a=1&amp;b=2#y">amp</a>'
        ' <a title="href=b.md">title</a></p>\n'
        '<!-- <a href="b.md"> --><script>let a = "<a href=\'b.md\'>";</script>'
        '<style>a[href="b.md"] { }</style><pre><code>&lt;a href="b.md"&gt;</code></pre>'
    )
    assert resolve(page, "themes/a.md", url_of(True)).html == (
        "<p class=x>Text &amp; <a class='citation' id=\"c-1\" href='../../references/#r'"
        ' title="A &quot;b&quot;">1</a>'
        ' <a href="../b/">unquoted</a> <A HREF="../b/">upper</A>'
        ' <a href="../b/?a=1&amp;b=2#y">amp</a>'
        ' <a title="href=b.md">title</a></p>\n'
        '<!-- <a href="b.md"> --><script>let a = "<a href=\'b.md\'>";</script>'
        '<style>a[href="b.md"] { }</style><pre><code>&lt;a href="b.md"&gt;</code></pre>'
    )


def test_links_to_no_known_source_are_reported() -> None:
    """A download (written after the pages) and a link leading out of the docs: what a check
    of an editor's page is given to name."""
    page = '<a href="../downloads/b.pdf">d</a><a href="../../x.md">x</a><a href="b.md">b</a>'
    assert resolve(page, "themes/a.md", url_of(True)).unknown == (
        Link("../downloads/b.pdf", "downloads/b.pdf"),
        Link("../../x.md", ""),
    )


def test_a_page_the_builder_does_not_know_is_a_bug() -> None:
    with pytest.raises(ValueError, match=r"nowhere\.md"):
        resolve("<p></p>", "nowhere.md", url_of(True))


@pytest.mark.parametrize(
    ("url", "page", "link"),
    [
        ("references/", "themes/a/", "../../references/"),
        ("./", "themes/a/", "../../"),
        ("", "themes/a/", "../../"),
        ("themes/a/", "themes/a/", "./"),
        ("themes/a.html", "themes/a.html", "a.html"),
        ("index.html", "themes/a.html", "../index.html"),
        ("feed.atom", "index.html", "feed.atom"),
        ("feed.atom", "./", "feed.atom"),
        ("downloads/b.pdf", "", "downloads/b.pdf"),
    ],
)
def test_relative(url: str, page: str, link: str) -> None:
    assert relative(url, page) == link


# --- the MkDocs hooks: an editor's raw-HTML links, resolved, and the ones that name no page --


EDITOR_PAGE = """# Notes

<p class="see">
<a href="method.md#top">The method</a> and <a href='context.md'>the context</a>;
<a href="downloads/briefing.pdf">the PDF</a>, <img src="pic.png" alt="a picture">
</p>

A [Markdown link](method.md#top), resolved by MkDocs itself.
"""
MISTAKES = """
<p><a href="../method/">an address</a>, <a href="metod.md">a typo</a>,
<a href="../../up.md">above</a>, <a href="files/report.pdf">a file written later</a>.</p>
"""


@pytest.mark.slow
def test_the_hooks_resolve_an_editors_raw_links_as_markdown_links(mini: Path) -> None:
    """A docs page's raw-HTML links mean what its Markdown links mean: a source file."""
    (mini / "docs" / "notes.md").write_text(EDITOR_PAGE, encoding="utf-8")
    (mini / "docs" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (mini / "docs" / "method.md").write_text("# Method {#top}\n\nText.\n", encoding="utf-8")
    result = mkdocs_build(mini / "mkdocs.yml", mini / "site")
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((mini / "site" / "notes" / "index.html").read_text(), "html.parser")
    see = page.select_one("p.see")
    assert see is not None
    assert [a["href"] for a in see("a")] == [
        "../method/#top",
        "../context/",
        "../downloads/briefing.pdf",
    ]
    assert [img["src"] for img in see("img")] == ["../pic.png"]
    markdown_link = page.find("a", string="Markdown link")
    assert markdown_link is not None and markdown_link["href"] == "../method/#top"
    assert RESOLVED not in str(page)


@pytest.mark.slow
def test_the_hooks_name_an_editors_raw_links_to_no_page(mini: Path) -> None:
    (mini / "docs" / "notes.md").write_text(EDITOR_PAGE + MISTAKES, encoding="utf-8")
    (mini / "docs" / "pic.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (mini / "docs" / "method.md").write_text("# Method {#top}\n\nText.\n", encoding="utf-8")
    result = mkdocs_build(mini / "mkdocs.yml", mini / "site")
    assert result.returncode == 1  # --strict: the warnings fail the build
    rule = "a link names the page's Markdown file, relative to this page"
    warnings = [line.split(" -  ", 1)[1] for line in result.stderr.splitlines() if rule in line]
    assert warnings == [
        "docs/notes.md:10:13: warning: the link '../method/' leads outside the docs folder: "
        f"{rule}; did you mean 'method.md'?",
        "docs/notes.md:10:50: warning: the link 'metod.md' names no page of the docs: " + rule,
        "docs/notes.md:11:10: warning: the link '../../up.md' leads outside the docs folder: "
        + rule,
    ]


def test_problems_name_links_to_no_page_where_they_are_written() -> None:
    """An editor's page: a built page's address (with what it meant), a missing page, a link
    above the docs; not a file the build may write later (a download)."""
    text = (
        "# Notes\n\n"
        '<a href="../b/#y">b</a> <a href="c.md">c</a>\n'
        '<a href="../downloads/x.pdf">x</a> <a href="../../../up.md">up</a>\n'
        '<img src="x" alt="a picture, not a link"> and c, c, <a href="c">c</a>\n'
    )
    answer = url_of(True)
    resolved = resolve(text, "themes/a.md", answer)
    pages = {str(answer(p)): p for p in PAGES}
    found = problems(resolved, "themes/a.md", "docs/themes/a.md", text, lambda: pages)
    assert [(p.line, p.column, p.code, p.severity) for p in found] == [
        (3, 10, Code.CONTENT_LINK_NO_SOURCE, "warning"),
        (3, 34, Code.CONTENT_LINK_NO_SOURCE, "warning"),
        (4, 45, Code.CONTENT_LINK_NO_SOURCE, "warning"),
        (5, 62, Code.CONTENT_LINK_NO_SOURCE, "warning"),  # at its href, not the first "c"
    ]
    assert found[0].message.endswith("did you mean 'b.md#y'?")
    assert "names no page of the docs" in found[1].message
    assert "did you mean" not in found[1].message
    assert "leads outside the docs folder" in found[2].message

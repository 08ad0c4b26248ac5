"""The numbering pass: one frozen record, read in reading order before any page renders."""

from __future__ import annotations

import briefing_hooks
import pytest
from briefing.problems import BriefingError
from briefing.render import numbering as numbering_module
from briefing.render import site as site_module
from briefing.render.numbering import Backlink, Cited, number
from briefing.render.resolve import Resolver, Unnumbered
from briefing.sources.frontmatter import split
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data
from sitetools import ROOT, engine_site

PAGES = [
    Cited("index.md", "Home", ("Intro [@b].",)),
    Cited("method.md", "Method", ("First [@a; @b], again [@a, p. 2].", "Later [@c]")),
    Cited("empty.md", "Empty", ("No citations here; `[@d]` is code.",)),
]


def test_numbers_anchors_backlinks_and_the_cited_order() -> None:
    numbering = number(PAGES, ["a", "b", "c", "d", "e"])
    assert dict(numbering.numbers) == {"b": 1, "a": 2, "c": 3}
    assert numbering.cited == ("b", "a", "c")
    assert numbering.uncited == ("d", "e")
    assert numbering.order == ("b", "a", "c", "d", "e")
    assert numbering.anchors["method.md"] == ("cite-a-1", "cite-b-1", "cite-a-2", "cite-c-1")
    assert numbering.anchors["empty.md"] == ()
    assert numbering.backlinks["a"] == (
        Backlink("method.md", "cite-a-1", "Method"),
        Backlink("method.md", "cite-a-2", "Method"),
    )
    assert numbering.cited_on["method.md"] == ("b", "a", "c")  # by number
    assert [(c.link.page, c.count) for c in numbering.cited_in("b")] == [
        ("index.md", 1),
        ("method.md", 1),
    ]


def test_a_shared_bibliography_lists_no_uncited_works() -> None:
    assert number(PAGES, ["a", "b", "c", "d"], list_uncited=False).uncited == ()


def test_the_record_is_read_only() -> None:
    numbering = number(PAGES)
    with pytest.raises(TypeError):
        numbering.numbers["z"] = 9  # type: ignore[index]
    with pytest.raises(AttributeError):
        numbering.cited = ()  # type: ignore[misc]


def test_a_text_the_numbering_never_read_is_a_placed_problem() -> None:
    resolver = Resolver({}, number(PAGES))
    links = resolver.page("method.md", "docs/method.md")
    with pytest.raises(Unnumbered) as raised:
        links.resolve("A work nobody numbered [@zzz].")
    assert isinstance(raised.value, BriefingError) and not isinstance(raised.value, KeyError)
    assert str(raised.value.problems[0]).startswith("docs/method.md:1:1: ")
    links = resolver.page("method.md", "docs/method.md")
    links.resolve("Later [@c]")  # the page's texts in another order than they were read
    with pytest.raises(Unnumbered, match="other citations than the numbering read"):
        links.check()


def test_every_page_is_rendered_from_the_text_it_was_numbered_from() -> None:
    site = engine_site()
    site.prepare(["index.md", "a.md"], {"a.md": "Cited [@lacey2001]."}, {"a.md": "---\n"})
    assert site.front["a.md"] == "---\n"
    assert 'id="cite-lacey2001-1"' in site.markdown("a.md")
    assert site.numbering.anchors["a.md"] == ("cite-lacey2001-1",)
    with pytest.raises(BriefingError, match=r"^docs/new\.md:1:1: "):
        site.markdown("new.md")


def test_a_hand_written_page_under_a_generated_name_is_refused_once_for_every_builder() -> None:
    site = engine_site()
    site.prepare(["index.md"], {"index.md": "# Mine", "glossary.md": "# Mine too"})
    assert [str(p) for p in site.clashes()] == [
        "docs/glossary.md:1:1: this page is generated from data/glossary.yml; "
        "rename or delete the hand-written file",
        "docs/index.md:1:1: this page is generated from data/report.yml; "
        "rename or delete the hand-written file",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "# Title\n",
        "---\ntitle: A\n---\n\n# B [@a]\n",
        "---\ntitle: A\n...\nbody",
        "---\n- not a mapping\n---\nbody\n",
        "---\ntitle: [unclosed\n---\nbody\n",
        "Title: A page\nDescription: one\n    more\n\n# Heading\n",
        "Note: [@a] vanishes\n# Heading\n",
        "Text\n---\n",
        "# Windows\r\nline [@a]\r\n",
    ],
)
def test_pages_are_split_from_their_metadata_as_mkdocs_splits_them(text: str) -> None:
    """The numbering reads the text MkDocs renders: its metadata split, its lines as read."""
    front, body = split(text)
    as_read = text.replace("\r\n", "\n")
    assert body == get_data(as_read)[0]
    assert front + body == as_read


def test_a_page_unlike_its_numbering_stops_the_mkdocs_build_with_the_problem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The hooks turn the numbering's placed problem into a PluginError, never a traceback."""
    real = numbering_module.number

    def forgetful(pages: list[Cited], *args: object, **kwargs: object) -> object:
        read = [p if p.src != "method.md" else Cited(p.src, p.title) for p in pages]
        return real(read, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(site_module, "number", forgetful)
    config = load_config(str(ROOT / "mkdocs.yml"))
    with pytest.raises(PluginError, match=r"^docs/method\.md:1:1: "):
        briefing_hooks.on_config(config)

"""The print edition's words are the briefing's labels, its dates the briefing's locale.

The French inquiry (tests/fixtures/enquete, every label translated) is printed, and its PDF read
back (pypdf): the French words are there and no English label word is. The print style's
strings come from labels too, escaped so that no label can end a CSS string.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pypdf
import pytest
import tinycss2
from briefing.checks.validate import validate
from briefing.labels import Labels
from briefing.model import Briefing
from briefing.publish.paper import style
from briefing.publish.paper.document import document
from briefing.render.formats import Formats
from conftest import FIXTURES, HOOK
from sitetools import ROOT, english_label_words, mkdocs_build

PDF = Path("downloads") / "briefing.pdf"
SITE_URL = "https://example.org/lisere/"


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


@dataclass(frozen=True)
class Printed:
    """A PDF's text, page by page, and the 0-based page each named destination is on."""

    texts: list[str]
    where: dict[str, int]

    def part(self, name: str) -> range:
        """The pages of the part (a section that starts a page) whose id is `name`."""
        starts = sorted({self.where[n] for n in _PARTS if n in self.where} | {len(self.texts)})
        first = self.where[name]
        return range(first, next(s for s in starts if s > first))


# The parts' ids: the fixed ones and the enquete's prose pages (a prose page's id is its path).
_PARTS: tuple[str, ...] = ("cover", "contents", "summary", "recommendations", "contexte")
_PARTS += ("survey", "tracker", "themes", "references", "glossary")


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    """The French inquiry's PDF, page by page, with a DOI, a licence and an address (so that
    every line of the cover is printed)."""
    folder = tmp_path_factory.mktemp("enquete-print")
    project = folder / "enquete"
    shutil.copytree(FIXTURES / "enquete", project)
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - HOOK\n", f"  - {HOOK}\n")
        + f"site_url: {SITE_URL}\n",
        encoding="utf-8",
    )
    report = project / "data" / "report.yml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + "doi: 10.5555/lisere.2025\nlicence: Licence Ouverte 2.0\n",
        encoding="utf-8",
    )
    css = project / "docs" / "assets" / "briefing.css"
    css.parent.mkdir(parents=True)
    shutil.copy(ROOT / "docs" / "assets" / "briefing.css", css)
    result = mkdocs_build(config, folder / "site")
    assert result.returncode == 0, result.stderr
    reader = pypdf.PdfReader(folder / "site" / PDF)
    return Printed(
        [_normal(page.extract_text()) for page in reader.pages],
        {
            str(name).removeprefix("/"): reader.get_destination_page_number(dest) or 0
            for name, dest in reader.named_destinations.items()
        },
    )


@pytest.mark.slow
def test_the_french_pdf_is_in_french(french: Printed) -> None:
    cover, contents = french.texts[0], french.texts[1]
    assert "mars 2025" in cover  # Formats, the briefing's locale: not "March 2025"
    assert "DOI : https://doi.org/10.5555/lisere.2025" in cover
    assert f"À lire en ligne : {SITE_URL}" in cover
    assert "Licence : Licence Ouverte 2.0" in cover
    assert "Pour citer ce dossier :" in cover
    assert contents.split().count("Sommaire") == 2  # the running header and the heading
    assert "Recommandations" in contents and "Thèmes" in contents
    assert re.search(r"Thème 1 : \w", contents)
    total = len(french.texts)
    for number, text in enumerate(french.texts[1:], start=2):
        assert f"Page {number} sur {total}" in text
    text = " ".join(french.texts)
    assert re.search(r"Constat 1\.1 \w", text), "a finding's number before its heading"
    assert re.search(r"Répond aux constats : .+ \(Constat \d+\.\d+, p\. \d+\)", text)


# Words of the print edition that are not the briefing's by design:
# - the references part: the works' own titles (the style's terms are in the briefing's
#   language, from CSL's locale);
# - addresses and file names (any word with a "/"), and code (the cite box's BibTeX, CSL-JSON).
_CODE = re.compile(r"@\w+\{.*?, \}|\[ \{ \"id\": .*?\] \] \} \} \]")


def _by_design_removed(text: str) -> str:
    text = _CODE.sub(" ", text)
    return " ".join(w for w in text.split() if "/" not in w)


@pytest.mark.slow
def test_no_english_label_word_in_the_french_pdf(french: Printed) -> None:
    english = english_label_words("licence", "page")
    assert {"contents", "online", "cite", "addresses", "finding", "quoted", "above"} <= english
    found: dict[int, set[str]] = {}
    skipped = set(french.part("references"))
    assert len(skipped) < len(french.texts) / 4
    for index, text in enumerate(french.texts):
        if index in skipped:
            continue
        text = _by_design_removed(text)
        left = {w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in english}
        if left:
            found[index + 1] = left
    assert found == {}


# --- the print style's strings ---------------------------------------------------------------


def _footer(css: str) -> list[tinycss2.ast.Node]:
    """The tokens of the footer's `content`, parsed as a CSS reader parses them."""
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    page = next(r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "page")
    inner = tinycss2.parse_blocks_contents(page.content, skip_whitespace=True)
    box = next(r for r in inner if r.type == "at-rule" and r.lower_at_keyword == "bottom-center")
    declarations = tinycss2.parse_blocks_contents(box.content, skip_whitespace=True)
    content = next(d for d in declarations if d.type == "declaration" and d.name == "content")
    return [t for t in content.value if t.type != "whitespace"]


def test_the_footer_and_page_references_come_from_labels() -> None:
    english = style.css()
    assert [t.type for t in _footer(english)] == ["string", "function", "string", "function"]
    assert [getattr(t, "value", "") for t in _footer(english)] == ["Page ", "", " of ", ""]
    french = Labels({"print/page_of": "Page {page} sur {pages}", "print/page": "S. {page}"})
    css = style.css(labels=french)
    assert [getattr(t, "value", "") for t in _footer(css)] == ["Page ", "", " sur ", ""]
    assert '", " "S. " attr(data-page)' in css


@pytest.mark.parametrize(
    "hostile",
    [
        'Page {page}"; } body { display: none } @bottom-left { content: "x',
        "Page {page} \\",
        "Page {page} \\\"; color: red; content: '",
        "Page {page}\n} html { display: none }",
        "/* {page} */ {pages}",
        "{page} {unknown} {pages}",
    ],
)
def test_a_label_with_quotes_or_backslashes_stays_one_css_string(hostile: str) -> None:
    css = style.css(labels=Labels({"print/page_of": hostile, "print/page": hostile}))
    default = style.css()
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    expected = tinycss2.parse_stylesheet(default, skip_comments=True, skip_whitespace=True)
    assert len(rules) == len(expected), "a label added or removed a rule"
    assert not [r for r in rules if r.type == "error"]
    tokens = _footer(css)
    assert {t.type for t in tokens} <= {"string", "function"}
    shown = "".join(
        t.value if t.type == "string" else f"<{t.lower_name}>"
        for t in tokens
        if t.type in ("string", "function")
    )
    words = " ".join(hostile.split())
    assert shown == words.replace("{page}", "<counter>").replace("{pages}", "<counter>")
    assert "display" not in "".join(t.serialize() for t in tokens if t.type != "string")


def test_the_by_design_exceptions_leave_the_print_editions_own_words() -> None:
    english = english_label_words("licence", "page")
    text = _by_design_removed(
        "Contents Read online: Cite as: Finding 1.2 Addresses: Quoted above: Page 2 of 9 "
        "(Recommendation 3, p. 4) Recommendations Themes"
    )
    left = {w.lower() for w in re.findall(r"[A-Za-z]+", text) if w.lower() in english}
    assert left >= {"contents", "read", "online", "cite", "finding", "addresses", "quoted"}
    assert left >= {"recommendation", "recommendations", "themes", "above"}


# --- the print document's words, escaped -------------------------------------------------------


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return validate(ROOT).checked()


def test_the_cover_and_contents_take_labels_escaped_and_the_locales_date(
    briefing: Briefing,
) -> None:
    own = Labels(
        {
            "print/doi": "<b>DOI</b> & {doi}",
            "print/read_online": "En ligne <script>x</script> : {address}",
            "print/licence": "Licence « {licence} »",
            "print/cite_as": "Citer : {citation}",
            "print/contents": "<i>Sommaire</i>",
        }
    )
    shown = replace(briefing, report=replace(briefing.report, doi="10.5555/x", licence="CC <BY>"))
    shown = replace(shown, labels=own)
    made = document(
        [],
        shown,
        site_url="https://example.org/b/",
        citation="<cite>IPEM</cite>",
        formats=Formats("fr", own),
    )
    cover = made.html[made.html.index('<section class="cover"') : made.html.index("</section>")]
    assert "&lt;b&gt;DOI&lt;/b&gt; &amp; " in cover and "<b>" not in cover
    assert '<a href="https://doi.org/10.5555/x">' in cover
    assert "En ligne &lt;script&gt;x&lt;/script&gt; : <a " in cover and "<script" not in cover
    assert "Licence « CC &lt;BY&gt; »" in cover
    assert "Citer : <cite>IPEM</cite>" in cover  # the citation is HTML, made by the engine
    assert "mai 2024" in cover and "May" not in cover  # Formats("fr"), not en_GB
    assert '<h1 id="contents-title">&lt;i&gt;Sommaire&lt;/i&gt;</h1>' in made.html

"""BibTeX values as text: LaTeX (accents, macros, protecting braces) to Unicode.

A BibTeX value is data, not a LaTeX program: pylatexenc reads it, and what it cannot read is
read by a plain fallback, so no value can stop the build. Two readings: plain Unicode text
(`to_text`, for CSL-JSON and names) and HTML for citeproc-py with the brace-protected words
marked so no style changes their case (`to_markup`).
"""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache
from typing import Any

from pylatexenc import latex2text
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latexwalker import LatexGroupNode, LatexWalker, get_default_latex_context_db
from pylatexenc.macrospec import MacroSpec

_BARE_SPECIAL = re.compile(r"(?<!\\)[%&]")  # literal in BibTeX, a comment/alignment in LaTeX


def _href_text(node: Any, l2tobj: Any = None) -> str:
    """`\\href{url}{text}`: its text."""
    args = node.nodeargd.argnlist if node.nodeargd else []
    return str(l2tobj.nodelist_to_text([args[1]])) if len(args) > 1 and args[1] else ""


# Macros pylatexenc does not know keep the text of their arguments (`\\texttt{x}`,
# biblatex's `\\mkbibquote{x}`): pylatexenc's default drops it, and with it words of a title.
_TEXT_CONTEXT = latex2text.get_default_latex_context_db()
_TEXT_CONTEXT.set_unknown_macro_spec(MacroTextSpec("", discard=False))
_TEXT_CONTEXT.add_context_category(
    "bibtex-values",
    prepend=True,
    macros=[
        *(MacroTextSpec(name, simplify_repl="%s") for name in ("url", "texttt", "textsc")),
        MacroTextSpec("href", simplify_repl=_href_text),
        # Logos pylatexenc prints as nothing: "{\\TeX}: The Program" lost its first word.
        *(
            MacroTextSpec(name, simplify_repl=text)
            for name, text in (
                ("TeX", "TeX"),
                ("LaTeX", "LaTeX"),
                ("LaTeXe", "LaTeX2e"),
                ("BibTeX", "BibTeX"),
                ("XeTeX", "XeTeX"),
                ("LuaTeX", "LuaTeX"),
                ("ConTeXt", "ConTeXt"),
                ("AmS", "AMS"),
                ("AmSTeX", "AMS-TeX"),
                ("MF", "Metafont"),
                ("MP", "MetaPost"),
            )
        ),
    ],
)
_LATEX = LatexNodes2Text(latex_context=_TEXT_CONTEXT)
_LATEX_CONTEXT = get_default_latex_context_db()  # built once: rebuilding it per value is slow
_LATEX_CONTEXT.add_context_category("bibtex-values", prepend=True, macros=[MacroSpec("href", "{{")])
# Conversion is best effort; a stray macro in a .bib must not spam the build log.
logging.getLogger("pylatexenc").setLevel(logging.ERROR)

_STYLES: dict[str, Any] = {}  # parsed CSL styles, one per style name or path per process


@lru_cache(maxsize=4096)  # names, journals and publishers repeat across entries
def _segments(raw: str) -> tuple[tuple[str, bool], ...]:
    """LaTeX to Unicode runs, each flagged if a top-level brace group protects its case.

    A BibTeX value is data, not a LaTeX program: pylatexenc raises on some malformed input
    (`\\href` without its arguments, say), and such a value, or a part of it, is then read by
    `_fallback` instead, so no value can stop the build.
    """
    source = _BARE_SPECIAL.sub(r"\\\g<0>", re.sub(r"\s+", " ", raw.strip()))
    try:
        walker = LatexWalker(source, latex_context=_LATEX_CONTEXT, tolerant_parsing=True)
        nodes = walker.get_latex_nodes()[0] or []
    except Exception:  # pylatexenc's own faults, on any input
        return ((_fallback(source), False),)
    runs = []
    for node in nodes:
        # {\'E} is a BibTeX special character, not a protected word.
        verbatim = _verbatim(node)
        protected = isinstance(node, LatexGroupNode) and not verbatim.startswith("{\\")
        try:
            text = _LATEX.nodelist_to_text([node])
        except Exception:
            text = _fallback(verbatim)
        runs.append((re.sub(r" {2,}", " ", text), protected))
    return tuple(runs)


def _verbatim(node: Any) -> str:
    try:
        return str(node.latex_verbatim())
    except Exception:
        return ""


def _fallback(source: str) -> str:
    """Text of LaTeX that pylatexenc cannot read: commands and braces dropped, escaped
    characters kept (`\\&` is "&")."""
    text = re.sub(r"\\([A-Za-z]+\*?|.)", lambda m: m[1] if not m[1][0].isalpha() else " ", source)
    return re.sub(r" {2,}", " ", text.replace("{", "").replace("}", "")).strip()


def to_text(raw: str) -> str:
    """Unicode text of a BibTeX value, braces dropped."""
    return re.sub(r" {2,}", " ", "".join(text for text, _ in _segments(raw))).strip()


def to_markup(raw: str) -> str:
    """HTML-escaped text for citeproc-py, protected runs marked so no text-case touches them."""
    parts = [
        f'<span class="nocase">{html.escape(text, quote=False)}</span>'
        if protected and text.strip()
        else html.escape(text, quote=False)
        for text, protected in _segments(raw)
    ]
    return "".join(parts).strip()

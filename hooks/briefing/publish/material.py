"""Material for MkDocs' own markup, patched in one place: the theme writes a few things that
HTML does not allow, that fail an accessibility check, or that ask another site for data.

Nothing here touches what the engine wrote; `page` is applied to every page the theme writes
(the hooks' `on_post_page` and `on_post_template`). Another theme, or another builder, needs
its own module like this one, and nothing else changes.
"""

from __future__ import annotations

import re


def page(output: str) -> str:
    """A page the theme wrote, with every patch below."""
    return offline(name_search_dialog(fix_theme(output)))


_INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)
_CHECKBOX = re.compile(r"""\stype\s*=\s*["']?checkbox["'\s>]""", re.IGNORECASE)
_AUTOCOMPLETE = re.compile(r"""\s+autocomplete\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_TOC_LABEL = re.compile(r"""(<label\b[^>]*?)\s+for\s*=\s*["']?__toc["']?""", re.IGNORECASE)
_TOC_INPUT = re.compile(r"""(?<![\w-])id\s*=\s*["']?__toc["'\s>]""", re.IGNORECASE)
_TOC = re.compile("__toc", re.IGNORECASE)


def _has_toc_control(page: str) -> bool:
    """Whether an element has id="__toc": `_TOC_INPUT` tried only near each "__toc".

    The pattern opens with a lookbehind, so a search tries it at every character: seconds a
    build once the navigation (written into every page) has hundreds of entries.
    """
    return any(
        _TOC_INPUT.search(page, max(0, m.start() - 200), m.end() + 1) for m in _TOC.finditer(page)
    )


def _checkbox_without_autocomplete(match: re.Match[str]) -> str:
    tag = match.group(0)
    return _AUTOCOMPLETE.sub("", tag) if _CHECKBOX.search(tag) else tag


def split_header(page: str) -> tuple[str, str]:
    """A built page cut where the theme's header ends (at `<main`), or the whole page and "".

    The theme's own controls are in its header; the navigation after it has an entry for every
    page, so work confined to the header does not grow with the site.
    """
    cut = page.find("<main")
    return (page[:cut], page[cut:]) if cut >= 0 else (page, "")


def fix_theme(page: str) -> str:
    """A whole page with the theme's invalid attributes removed.

    - `autocomplete` on the drawer and search checkboxes (in the header): HTML allows it only on
      text-like inputs (browsers ignore it on checkboxes anyway);
    - `<label for="__toc">` on pages where the theme writes no `__toc` control (section index
      pages): a label must name an existing control, and this one names nothing.
    """
    header, rest = split_header(page)
    page = _INPUT.sub(_checkbox_without_autocomplete, header) + rest
    if not _has_toc_control(page):
        page = _TOC_LABEL.sub(r"\1", page)
    return page


# The search overlay is a dialog with no accessible name (axe: aria-dialog-name).
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def name_search_dialog(output: str) -> str:
    """The search dialog named "Search" for assistive technology."""
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + ' aria-label="Search">', 1)


# The theme's repository link (in its header, and atop the navigation on small screens).
_REMOTE_FACTS = 'class="md-source" data-md-component="source"'
_LINK_ONLY = 'class="md-source"'


def offline(output: str) -> str:
    """A page that asks no other site for anything while it is read.

    With a GitHub `repo_url`, the theme's script fetches the repository's stars and forks from
    api.github.com on every visit; without its component marker the link stays a plain link.
    """
    return output.replace(_REMOTE_FACTS, _LINK_ONLY)  # a plain search: pages are large

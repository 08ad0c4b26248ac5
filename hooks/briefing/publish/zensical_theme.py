"""Zensical's own theme, where the pass must know it (as material.py knows Material's).

`page` patches what Zensical's templates write that HTML does not allow: the drawer's overlay
is a `<label for="__drawer">` with `aria-hidden`, which the W3C checker refuses on a label of
a control (Material writes the same label without it).

Zensical's script styles its search dialog at run time: it puts a `<style>` element, its text a
constant of the script, into a shadow root. The Content-Security-Policy refuses inline styles
it has no hash for, so the policy of a Zensical site allows that one stylesheet by its hash,
read from the built script; without it the search dialog shows unstyled.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = "assets/javascripts"
_OVERLAY = '<label class="md-overlay" for="__drawer" aria-hidden="true">'


def page(output: str) -> str:
    """A page Zensical wrote, with its theme's invalid markup patched (in its header)."""
    return output.replace(_OVERLAY, _OVERLAY.replace(' aria-hidden="true"', ""), 1)


# `...attachShadow({mode:"open"});o.appendChild(C("style",{},Tc.toString()))` in 0.0.73.
_SHADOW_STYLE = re.compile(
    r'attachShadow\(\{mode:"open"\}\);[\w$]+\.appendChild\([\w$]+\("style",\{\},'
    r"(?P<name>[\w$]+)\.toString\(\)\)\)"
)


def _literal(script: str, name: str) -> str | None:
    """The value of `var NAME='...'` in `script`, when it is a literal without escapes."""
    match = re.search(r"\bvar " + re.escape(name) + r"='(?P<text>[^'\\]*)'", script)
    return match["text"] if match else None


def script_styles(site_dir: Path) -> tuple[str, ...] | None:
    """The stylesheets Zensical's script inserts into the page, for the policy; () for a
    site without Zensical's script, None when its script inserts one this cannot read (a
    Zensical other than the pinned one: the caller says so)."""
    bundles = sorted((site_dir / SCRIPTS).glob("bundle.*.js"))
    if not bundles:
        return ()
    found: list[str] = []
    for bundle in bundles:
        script = bundle.read_text(encoding="utf-8", errors="replace")
        for match in _SHADOW_STYLE.finditer(script):
            text = _literal(script, match["name"])
            if text is None:
                return None
            found.append(text)
        if "attachShadow" in script and not found:
            return None
    return tuple(dict.fromkeys(found))

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
from typing import Any

SCRIPTS = "assets/javascripts"

# Zensical writes each entry of a page's table of contents from the heading's HTML as it is
# (or a heading's `data-toc-label` as written), outside the page's content: raw HTML in a
# heading would reach the page unsanitised, where the policy allows every inline script outside
# the content. The export gives Zensical this one template instead of its own (Zensical 0.0.73's
# partials/toc-item.html, MIT licence), the entry written as plain, escaped text, as Material
# writes it for MkDocs.
OVERRIDES = "theme-overrides"  # the exported project's custom_dir, when it has none of its own
TOC_ITEM = "partials/toc-item.html"
TOC_ITEM_TEMPLATE = """\
<li class="md-nav__item">
  <a href="{{ toc_item.url }}" class="md-nav__link">
    <span class="md-ellipsis">
      <span class="md-typeset">
        {{ toc_item.title | striptags | e }}
      </span>
    </span>
  </a>
  {% if toc_item.children %}
    <nav class="md-nav" aria-label="{{ toc_item.title | striptags | e }}">
      <ul class="md-nav__list">
        {% for toc_item in toc_item.children %}
          {% include "partials/toc-item.html" %}
        {% endfor %}
      </ul>
    </nav>
  {% endif %}
</li>
"""


def override_templates(settings: dict[str, Any], project: Path) -> None:
    """Give the exported project in `project` (its settings, `settings`, changed in place) the
    template that writes the table of contents as text, in its theme's custom_dir (the
    project's own, copied by the export, or OVERRIDES)."""
    theme = settings.get("theme")
    if not isinstance(theme, dict):
        theme = {"name": theme or "material"}
        settings["theme"] = theme
    custom = theme.get("custom_dir")
    if not (isinstance(custom, str) and (project / custom).is_dir()):
        custom = OVERRIDES
        theme["custom_dir"] = custom
    target = project / custom / TOC_ITEM
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(TOC_ITEM_TEMPLATE, encoding="utf-8")


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

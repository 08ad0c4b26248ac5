"""The CSL locale of a briefing: the terms of its citation style in the briefing's language."""

from __future__ import annotations

import json
from importlib import resources


def csl_locale(language: str | None, style_locale: str | None) -> str | None:
    """The CSL locale (`fr-FR`) for a briefing in `language` (`fr`, `fr_CA`, `cy`), or None to
    keep the style's own: the briefing's language is the style's, or CSL has no such locale.
    A briefing in French gets "Disponible sur" where an English style says "Available from"."""
    if not language:
        return None
    wanted, _, region = language.replace("_", "-").partition("-")
    if style_locale and style_locale.split("-")[0].lower() == wanted.lower():
        return None
    folder = resources.files("citeproc") / "data" / "locales"
    if region and (folder / f"locales-{wanted}-{region.upper()}.xml").is_file():
        return f"{wanted}-{region.upper()}"
    dialects = json.loads((folder / "locales.json").read_text(encoding="utf-8"))
    found = dialects.get("primary-dialects", {}).get(wanted.lower())
    return str(found) if found else None

""" "Cite this recommendation": one recommendation's citation in the site's style (made by
`cite.recommendation`, the briefing its container), as BibTeX and CSL-JSON to copy, and as
files to download (written by `citefiles.write`), in the briefing's words (`cite/...` labels)."""

from __future__ import annotations

import html
import json

from ..citations.cite import Citation
from ..citations.csljson import to_csl_json
from ..labels import Labels
from ..model import Recommendation
from .text import attr, file_link, md_words

FOLDER = "downloads/cite"  # FOLDER/<slug>.bib and FOLDER/<slug>.json, site-relative


def files(rec: Recommendation) -> tuple[str, str]:
    """The site-relative paths of a recommendation's BibTeX and CSL-JSON files."""
    return f"{FOLDER}/{rec.slug}.bib", f"{FOLDER}/{rec.slug}.json"


def csl_json(citation: Citation) -> str:
    """The citation as a CSL-JSON list of one item (what reference managers import)."""
    return json.dumps([to_csl_json(citation.reference)], ensure_ascii=False, indent=2) + "\n"


def section(
    rec: Recommendation,
    citation: Citation | None,
    src: str,
    labels: Labels,
) -> list[str]:
    """The section's Markdown lines, in the briefing's words; none when the build publishes
    no citation."""
    if citation is None:
        return []
    lines = [f"## {labels('cite/heading', md_words)} {{#cite}}", ""]
    lines += [f'<p class="cite-recommendation">{citation.html}</p>', ""]
    url = citation.reference.fields.get("url")
    if url:
        lines += [
            f'<p class="permanent-link">{labels("cite/permanent", html.escape)} '
            f'<a href="{attr(url)}">{html.escape(url)}</a></p>',
            "",
        ]
    bib, csl = files(rec)
    links = " · ".join(
        f'<a href="{attr(file_link(src, path))}">{labels(name, html.escape)}</a>'
        for name, path in (("cite/bibtex", bib), ("cite/csl", csl))
    )
    lines += [f'<p class="cite-downloads">{labels("cite/download", html.escape)} {links}</p>', ""]
    lines += [labels("cite/bibtex", md_words), "", "```bibtex"]
    lines += [citation.bibtex.rstrip("\n"), "```", ""]
    lines += [labels("cite/csl", md_words), "", "```json", csl_json(citation).rstrip("\n")]
    lines += ["```", ""]
    return lines

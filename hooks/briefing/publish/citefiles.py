"""Each recommendation's citation as files: `downloads/cite/<slug>.bib` and `.json`
(CSL-JSON), the same records its page shows (render/citing.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..render import citing

if TYPE_CHECKING:
    from ..render.site import Site


def write(site: Site, site_dir: Path) -> list[Path]:
    """Write every recommendation's citation files; the paths written."""
    written = []
    for rec in site.briefing.recommendations:
        citation = site.rec_citations.get(rec.id)
        if citation is None:
            continue
        bib, csl = citing.files(rec)
        for name, text in ((bib, citation.bibtex), (csl, citing.csl_json(citation))):
            path = site_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written

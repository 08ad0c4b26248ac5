"""Typeset the print document to PDF with WeasyPrint (`python -m briefing.publish.paper.typeset
JOB`).

Run as a child process by `run.bounded` (so a hang or a runaway allocation is bounded and
killed), never inside the build. JOB is a JSON file: {"html", "out", "site", "variant",
"identifier"}. Every resource the document asks for goes through `SiteFetcher`: a regular file
of the built site, bounded in size, or nothing (no other file of the machine, no network).
Each refusal is printed on standard output as `refused<TAB>address<TAB>why`, for the build to
report.
"""

from __future__ import annotations

import json
import logging
import resource
import sys
from pathlib import Path
from typing import Any

MEMORY = 6 * 1024**3  # bytes of address space: far beyond a briefing, short of the machine
OUTPUT = 512 * 1024**2  # bytes: the largest file the typesetter may write


def _limit() -> None:
    for limit, value in ((resource.RLIMIT_AS, MEMORY), (resource.RLIMIT_FSIZE, OUTPUT)):
        try:
            _soft, hard = resource.getrlimit(limit)
            wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (wanted, hard))
        except (ValueError, OSError):
            pass


def fetcher(site: Path, refused: list[tuple[str, str]]) -> Any:
    """A WeasyPrint URL fetcher that reads only regular files of `site`, bounded."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    from . import files

    class SiteFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: object = None) -> Any:
            try:
                if url.startswith("data:") and len(url) <= files.MAX_BYTES:
                    return super().fetch(url, headers)
                relative = files.site_path(site, url.split("?")[0].split("#")[0])
                data = files.read(files.site_file(site, relative))
            except files.Refused as why:
                refused.append((url, str(why)))
                raise ValueError(f"refused: {why}") from None
            return URLFetcherResponse(url, data, status=200)

    return SiteFetcher(allowed_protocols=("file", "data"))


def main(argv: list[str]) -> int:
    _limit()
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    site = Path(job["site"])
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    import weasyprint

    refused: list[tuple[str, str]] = []
    document = weasyprint.HTML(
        filename=job["html"],
        base_url=site.resolve().as_uri() + "/",
        url_fetcher=fetcher(site, refused),
    )
    document.write_pdf(
        job["out"],
        pdf_variant=job.get("variant") or None,
        pdf_identifier=job["identifier"].encode("ascii"),
        uncompressed_pdf=False,
    )
    for url, why in refused:
        print(f"refused\t{url}\t{why}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

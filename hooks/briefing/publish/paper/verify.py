"""A PDF is checked before it is published, freshly made or from the build cache.

A typesetter that exits 0 with a 9-byte file, or a damaged cache entry, must fail the build
with a clear message, never be published as the briefing.
"""

from __future__ import annotations

import io
import logging

import pypdf
from pypdf.errors import PyPdfError


class Unfit(Exception):
    """The bytes are not the briefing's PDF; the message says what is wrong."""


def check(data: bytes, at_least: int) -> int:
    """The number of pages of the PDF `data`; Unfit unless it parses and has `at_least` pages
    (the document's parts each start a page)."""
    if not data.startswith(b"%PDF-"):
        raise Unfit(f"it is not a PDF ({len(data)} bytes, starting {data[:16]!r})")
    if b"%%EOF" not in data[-1024:]:
        raise Unfit(f"the PDF is cut short ({len(data)} bytes, no end-of-file marker)")
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018  (every page must have a size)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise Unfit(f"the PDF cannot be read ({type(error).__name__}: {error})") from None
    finally:
        quiet.setLevel(level)
    if pages < at_least:
        raise Unfit(f"the PDF has {pages} page(s); the briefing needs at least {at_least}")
    return pages

"""Print the print document to PDF with headless Chromium (`python -m briefing.publish.paper.typeset
JOB`), in two passes for the page numbers.

Run as a child process by `run.bounded` (so a hang or a runaway allocation is bounded and
killed, the browser included), never inside the build. JOB is a JSON file: {"html", "out",
"site", "chromium"}. Every request the document makes is answered by `serve`: the
document itself, a regular file of the built site (bounded in size), or a refusal (no other
file of the machine, no network). Each refusal is printed on standard output as
`refused<TAB>address<TAB>why`, for the build to report.

Page numbers: a browser has no `target-counter()`, so the document is printed once (hidden,
laid out but not drawn), the page
each contents entry and cross-reference leads to is read back from the PDF's named
destinations (one per link target), the numbers are written into the links (`data-page`, shown
by the print style), and the document is printed again, tagged and with its outline. If a
number's width moved a heading to another page, it is done again, up to PASSES times.
Then the metadata the browser does not write (author, subject, keywords) is added, and the
dates are those of SOURCE_DATE_EPOCH (none without it), so the same document gives the
same bytes.
"""

from __future__ import annotations

import calendar
import io
import json
import logging
import mimetypes
import re
import resource
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import browser

DATA = 6 * 1024**3  # bytes of data per process: far beyond a briefing, short of the machine
OUTPUT = 512 * 1024**2  # bytes: the largest file the typesetter may write
PASSES = 4  # prints after the first, at most, for the page numbers to settle
# The first print's page numbers are zeros, as many digits as the document's likely page count
# (about 4 kB of HTML a page): a number as wide as the one that replaces it moves nothing, so
# the second print is usually the last. A wrong guess costs a print, never a wrong number.
BYTES_PER_PAGE = 4000
DOCUMENT = "briefing.html"  # the document's address under the browser's origin

# The links that print the page they lead to (`style`): the contents and cross-references.
_NUMBERED = ".contents a[href^='#'], a.to-page[href^='#']"
_FILL = """((pages, otherwise) => {
  const missing = [];
  for (const link of document.querySelectorAll(%s)) {
    const id = decodeURIComponent(link.getAttribute('href').slice(1));
    const page = pages[id];
    if (page === undefined) missing.push(id);
    link.setAttribute('data-page', String(page === undefined ? otherwise : page));
  }
  return missing;
})(%s, %s)"""


_HEADINGS = """Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'),
  (heading) => heading.textContent.split(/\\s+/).filter(Boolean).join(' '))"""


# The first print is only for the pages the link targets are on: `visibility: hidden` changes
# no box (CSS 2, 11.2), so the pages and destinations are the same, but no text is drawn and no
# font embedded (at 10x: a 94 kB PDF instead of 1.8 MB, in about half the time).
_HIDE = "document.documentElement.style.setProperty('visibility', 'hidden')"
_SHOW = "document.documentElement.style.removeProperty('visibility')"


def _limit() -> None:
    # Data, not address space: the browser reserves far more address space than it uses.
    for limit, value in ((resource.RLIMIT_DATA, DATA), (resource.RLIMIT_FSIZE, OUTPUT)):
        try:
            _soft, hard = resource.getrlimit(limit)
            wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(limit, (wanted, hard))
        except (ValueError, OSError):
            pass


def server(site: Path, document: bytes, refused: list[tuple[str, str]]) -> browser.Serve:
    """What answers the browser's requests: the document, else a regular file of `site`
    (read bounded, see `files`), else nothing (the refusal is kept in `refused`)."""
    from . import files

    def serve(url: str) -> tuple[bytes, str] | None:
        if url == browser.SITE + DOCUMENT:
            return document, "text/html; charset=utf-8"
        try:
            if not url.startswith(browser.SITE):
                raise files.Refused("it is not a file of the site")
            relative = files.site_path(site, unquote(urlsplit(url).path).removeprefix("/site/"))
            data = files.read(files.site_file(site, relative))
        except files.Refused as why:
            shown = urlsplit(url).path if url.startswith(browser.ORIGIN) else url
            refused.append((shown, str(why)))
            return None
        kind = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return data, kind

    return serve


def destinations(data: bytes) -> tuple[dict[str, int], Any]:
    """Each named destination of a PDF (an element id the document links to) and its page,
    and the PDF as pypdf reads it."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    found = {}
    for name, destination in reader.named_destinations.items():
        page = reader.get_destination_page_number(destination)
        if page is not None and page >= 0:
            found[str(name).removeprefix("/")] = page + 1
    return found, reader


def _pdf_date(epoch: int) -> str:
    return time.strftime("D:%Y%m%d%H%M%SZ", time.gmtime(epoch))


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16 with its byte order mark, in hex (nothing to escape)."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode("ascii") + b">"


# What the browser writes that differs from one run to the next: the time, and its user agent.
_NOW = re.compile(rb"/(?:CreationDate|ModDate) ?\(D:[0-9+\-Z':]*\)|/Creator ?\((?:[^()\\]|\\.)*\)")
_END = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
# The browser names each element of the PDF's structure tree after its page node's number,
# which a run can shift by one (a node more or less made while the page loads).
_NODE_ID = re.compile(rb"\(node([0-9]{8})\)")


def _node_ids(data: bytes) -> bytes:
    """`data` with the structure tree's element ids numbered from 1 in their order: the same
    ids for the same document in every run. Order and width are kept, so the ID tree stays
    sorted and every offset stays right."""
    found = sorted({int(m[1]) for m in _NODE_ID.finditer(data)})
    number = {old: new for new, old in enumerate(found, start=1)}
    return _NODE_ID.sub(lambda m: b"(node%08d)" % number[int(m[1])], data)


def _outline(reader: Any) -> list[tuple[Any, Any]]:
    """The PDF's bookmarks in document order: (reference, dictionary) of each."""
    found: list[tuple[Any, Any]] = []

    def walk(reference: Any) -> None:
        while reference is not None and len(found) < 100_000:
            node = reference.get_object()
            found.append((reference, node))
            walk(node.raw_get("/First") if "/First" in node else None)
            reference = node.raw_get("/Next") if "/Next" in node else None

    outlines = reader.trailer["/Root"].get("/Outlines")
    if outlines is not None and "/First" in outlines.get_object():
        walk(outlines.get_object().raw_get("/First"))
    return found


def _titles(reader: Any, headings: list[str]) -> list[tuple[int, int, bytes]]:
    """The bookmarks whose title lost the spaces at its heading's line breaks (the browser
    joins a wrapped heading's lines without one), each with the heading's words: the
    objects to write again, matched to the document's headings in order."""
    from pypdf.generic import NameObject, TextStringObject

    squeezed = [("".join(h.split()), h) for h in headings]
    changed = []
    at = 0
    for reference, node in _outline(reader):
        title = str(node.get("/Title", ""))
        for index in range(at, len(squeezed)):
            if squeezed[index][0] == "".join(title.split()):
                at = index + 1
                if squeezed[index][1] != title:
                    node[NameObject("/Title")] = TextStringObject(squeezed[index][1])
                    out = io.BytesIO()
                    node.write_to_stream(out)
                    changed.append((reference.idnum, reference.generation, out.getvalue()))
                break
    return changed


def finish(
    data: bytes, reader: Any, metadata: dict[str, str], epoch: int | None, headings: list[str]
) -> bytes:
    """The PDF with the document's metadata (title, author, subject, keywords), the dates
    of `epoch` (none when it is None), its bookmarks' titles as the headings are worded, and
    its structure tree's ids numbered in order: the browser's information dictionary is
    blanked where it stands (same length: every offset stays right), and the new one and the
    bookmarks are appended as an incremental update (ISO 32000-1, 7.5.6), so nothing differs
    from one run to the next. (Rewriting the whole file with pypdf took seconds; this takes
    none.)"""
    data = _node_ids(data)
    trailer = reader.trailer
    info = trailer.raw_get("/Info")
    root = trailer.raw_get("/Root")
    end = _END.search(data[-64:])
    if end is None or info is None or root is None:
        raise browser.BrowserError("the browser's PDF has no trailer this step can update")
    start = reader.xref[info.generation][info.idnum]
    stop = data.index(b"endobj", start)
    blank = _NOW.sub(lambda m: b" " * len(m[0]), data[start:stop])
    fields = {"/Producer": "Skia/PDF (Chromium)", "/Creator": "briefing", **metadata}
    entries = b"\n".join(key.encode("ascii") + b" " + _text(v) for key, v in fields.items() if v)
    if epoch is not None:  # a date is an ASCII string (7.9.4)
        entries += b"\n/CreationDate (%s)\n/ModDate (%s)" % ((_pdf_date(epoch).encode(),) * 2)
    number = int(trailer["/Size"])
    objects = [*_titles(reader, headings), (number, 0, b"<<%s>>" % entries)]
    out = io.BytesIO()
    out.write(data[:start] + blank + data[stop:])
    xref = [b"xref\n0 1\n0000000000 65535 f \n"]
    for ident, generation, body in objects:
        xref.append(b"%d 1\n%010d %05d n \n" % (ident, out.tell(), generation))
        out.write(b"%d %d obj\n%s\nendobj\n" % (ident, generation, body))
    table = out.tell()
    out.write(b"".join(xref))
    out.write(
        b"trailer\n<</Size %d /Root %d %d R /Info %d 0 R /Prev %s>>\nstartxref\n%d\n%%%%EOF\n"
        % (number + 1, root.idnum, root.generation, number, end[1], table)
    )
    return out.getvalue()


def _metadata(html: str) -> tuple[dict[str, str], int | None]:
    """The PDF's document information from the document's <title> and <meta> tags, and its
    date (`dcterms.created`, ISO 8601 in UTC) as seconds since 1970."""
    import lxml.html

    root = lxml.html.document_fromstring(html)
    wanted = {"author": "/Author", "description": "/Subject", "keywords": "/Keywords"}
    found = {"/Title": " ".join((root.findtext(".//title") or "").split())}
    epoch = None
    for meta in root.iter("meta"):
        name = str(meta.get("name", "")).lower()
        value = " ".join(str(meta.get("content", "")).split())
        if name in wanted:
            found[wanted[name]] = value
        elif name == "dcterms.created" and value:
            try:
                epoch = calendar.timegm(time.strptime(value, "%Y-%m-%dT%H:%M:%SZ"))
            except ValueError:
                epoch = None
    return found, epoch


def typeset(job: dict[str, str], refused: list[tuple[str, str]]) -> tuple[bytes, list[str]]:
    """The finished PDF of the job's document, and the ids its links lead to but that are
    not in it (each printed with '?')."""
    html = Path(job["html"]).read_text(encoding="utf-8")
    serve = server(Path(job["site"]), html.encode("utf-8"), refused)
    # The browser's profile is in the run's folder: the build removes it once every process
    # of the run is gone (a helper of the browser may still write there as it exits).
    profile = Path(job["out"]).parent / "profile"
    with browser.Browser(job["chromium"], profile) as chromium:
        metadata, epoch = _metadata(html)  # while the browser starts (and pypdf's import)
        import pypdf  # noqa: F401

        chromium.open(DOCUMENT, serve)

        def fill(pages: dict[str, int | str], otherwise: str) -> list[str]:
            script = _FILL % (json.dumps(_NUMBERED), json.dumps(pages), json.dumps(otherwise))
            missing: list[str] = chromium.evaluate(script)
            return missing

        headings: list[str] = chromium.evaluate(_HEADINGS)
        fill({}, "0" * len(str(max(1, len(html) // BYTES_PER_PAGE))))
        chromium.evaluate(_HIDE)  # laid out as it will be, nothing drawn: a fraction of the cost
        data = chromium.pdf(tagged=False)
        chromium.evaluate(_SHOW)
        written: dict[str, int] | None = None
        missing: list[str] = []
        for _ in range(PASSES):
            found, reader = destinations(data)
            if found == written:
                break
            missing = fill(dict(found), "?")
            data = chromium.pdf(tagged=True)
            written = found
        else:
            found, reader = destinations(data)
            if found != written:
                raise browser.BrowserError(
                    f"the page numbers still moved after {PASSES + 1} prints"
                )
    refused.extend((url, "it is not a file of the site") for url in chromium.refused)
    finished = finish(data, reader, metadata, epoch, headings)
    return finished, sorted(set(missing))


def main(argv: list[str]) -> int:
    _limit()
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    refused: list[tuple[str, str]] = []
    try:
        data, missing = typeset(job, refused)
    except browser.BrowserError as error:
        print(f"the browser could not print the document: {error}", flush=True)
        return 2
    Path(job["out"]).write_bytes(data)
    for url, why in refused:
        print(f"refused\t{url}\t{why}", flush=True)
    for ident in missing:
        print(f"unplaced\t{ident}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

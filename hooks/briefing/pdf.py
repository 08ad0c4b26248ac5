"""The whole briefing as one print document, and that document printed to PDF by Chromium.

`document` joins the built pages (their content, as readers get it) in reading order behind a
cover and a contents list. Ids are made unique per page and every link between pages becomes
a link inside the document, so the PDF's links work offline; links to other sites stay links.
`print_pdf` starts headless Chromium once to print it: Chromium lays out the site's own HTML
and CSS exactly as a browser does, and adds a document outline (bookmarks) and tagged PDF.
"""

from __future__ import annotations

import html
import os
import posixpath
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from . import cache
from .model import Report
from .render.text import long_date

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ENVIRONMENT = "BRIEFING_CHROMIUM"  # the browser to print with, when it is not on PATH
TIMEOUT = 180  # seconds


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class PrintPage:
    """One built page: its source, its site-relative URL, its title and its content HTML."""

    src: str
    url: str
    title: str
    content: str


# --- the print document ----------------------------------------------------------------------

_TAG = re.compile(
    r"<(?P<name>[a-zA-Z][\w:-]*)(?P<attrs>(?:\s+[^\s\"'>/=]+"
    r"(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)\s*(?P<end>/?)>"
)
_ATTR = re.compile(
    r"(?P<space>\s+)(?P<name>[^\s\"'>/=]+)"
    r"(?:(?P<eq>\s*=\s*)(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?"
)
_LOCAL_URL = re.compile(r"url\(#([^)]+)\)")
_ID_LISTS = ("aria-labelledby", "aria-describedby", "headers", "for")


def _key(url: str) -> str:
    """A page URL in one form: 'recommendations/x/', '.../index.html' and '...' alike."""
    path = posixpath.normpath(url) if url else "."
    if path == "index.html":
        return "."
    return path.removesuffix("/index.html")


def slug(url: str) -> str:
    """The id of a page's section in the print document."""
    key = _key(url)
    if key == ".":
        return "home"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", key.removesuffix(".html")).strip("-") or "page"


class _Linker:
    """Rewrites one page's ids and links for the single document."""

    def __init__(
        self,
        page: PrintPage,
        pages: Mapping[str, str],
        site_url: str | None,
        site_dir: Path | None,
    ) -> None:
        self.page = page
        self.prefix = slug(page.url)
        self.pages = pages  # page key -> section id
        self.site_url = site_url
        self.site_dir = site_dir
        folder = posixpath.dirname(page.url)
        self.base = page.url if page.url.endswith("/") else (f"{folder}/" if folder else "")

    def ident(self, value: str) -> str:
        return f"{self.prefix}--{value}"

    def link(self, value: str) -> str | None:
        """Where a link goes in the document; None when it has nowhere to go offline."""
        value = html.unescape(value)
        parts = urlsplit(value)
        if parts.scheme or value.startswith("//"):
            return value
        if not parts.path:
            return "#" + (self.ident(parts.fragment) if parts.fragment else self.prefix)
        target = posixpath.normpath(posixpath.join(self.base or ".", unquote(parts.path)))
        key = _key(target)
        if key in self.pages:
            section = self.pages[key]
            return f"#{section}--{parts.fragment}" if parts.fragment else f"#{section}"
        if self.site_url:
            return urljoin(self.site_url, target + ("/" if parts.path.endswith("/") else ""))
        return None

    def source(self, value: str) -> str:
        """An image's address: a file of the built site, read from disk while printing."""
        parts = urlsplit(html.unescape(value))
        if parts.scheme or value.startswith("//") or self.site_dir is None:
            return value
        target = posixpath.normpath(posixpath.join(self.base or ".", unquote(parts.path)))
        return (self.site_dir / target).resolve().as_uri()

    def attribute(self, match: re.Match[str]) -> str:
        name, value = match["name"].lower(), match["value"]
        if value is None:
            return match.group(0)
        quote = value[0] if value[0] in "\"'" else ""
        inner = value[1:-1] if quote else value
        if name == "id":
            inner = self.ident(inner)
        elif name in ("href", "xlink:href"):
            target = self.link(inner)
            if target is None:
                return ""
            inner = html.escape(target)
        elif name == "src":
            inner = html.escape(self.source(inner))
        elif name in _ID_LISTS:
            inner = " ".join(self.ident(v) for v in inner.split())
        elif "url(#" in inner:
            inner = _LOCAL_URL.sub(lambda m: f"url(#{self.ident(m.group(1))})", inner)
        else:
            return match.group(0)
        return f'{match["space"]}{match["name"]}{match["eq"]}"{inner}"'

    def tag(self, match: re.Match[str]) -> str:
        attrs = _ATTR.sub(self.attribute, match["attrs"])
        return f"<{match['name']}{attrs}{' /' if match['end'] else ''}>"

    def rewrite(self, content: str) -> str:
        return _TAG.sub(self.tag, content)


def _cover(report: Report, site_url: str | None, citation: str | None) -> str:
    parts = [f'<h1 class="cover-title">{html.escape(report.title)}</h1>']
    if report.subtitle:
        parts.append(f'<p class="cover-subtitle">{html.escape(report.subtitle)}</p>')
    parts.append(f'<p class="cover-publisher">{html.escape(report.publisher)}</p>')
    parts.append(f'<p class="cover-date">{html.escape(long_date(report.date))}</p>')
    authors = ", ".join(report.authors)
    if authors and authors != report.publisher:
        parts.append(f'<p class="cover-authors">{html.escape(authors)}</p>')
    details = []
    if report.doi:
        doi = f"https://doi.org/{report.doi}"
        details.append(f'DOI: <a href="{html.escape(doi)}">{html.escape(doi)}</a>')
    address = site_url  # the briefing's own address; report.url is the original report's
    if address:
        details.append(f'Read online: <a href="{html.escape(address)}">{html.escape(address)}</a>')
    if report.licence:
        details.append(f"Licence: {html.escape(report.licence)}")
    if citation:
        details.append(f"Cite as: {citation}")
    if details:
        parts.append('<div class="cover-details">' + "".join(f"<p>{d}</p>" for d in details))
        parts[-1] += "</div>"
    return '<section class="cover" id="cover">' + "".join(parts) + "</section>"


def document(
    pages: Sequence[PrintPage],
    report: Report,
    *,
    site_url: str | None = None,
    site_dir: Path | None = None,
    citation: str | None = None,
    language: str = "en",
    css: str = "",
) -> str:
    """The print document: a cover, a contents list, then every page in the order given.

    `citation` is the briefing's formatted citation (HTML); `site_dir` is where images of the
    built site are read from; links to files that are not pages go to `site_url`, or are
    dropped when the site's address is unknown.
    """
    sections = {_key(p.url): slug(p.url) for p in pages}
    base = (site_url.rstrip("/") + "/") if site_url else None
    contents = "".join(
        f'<li><a href="#{slug(p.url)}">{html.escape(html.unescape(p.title))}</a></li>'
        for p in pages
    )
    body = [
        _cover(report, base, citation),
        f'<nav class="contents" id="contents"><h2>Contents</h2><ol>{contents}</ol></nav>',
    ]
    for page in pages:
        content = _Linker(page, sections, base, site_dir).rewrite(page.content)
        if "<h1" not in content:
            content = f"<h1>{html.escape(html.unescape(page.title))}</h1>" + content
        body.append(f'<section class="page" id="{slug(page.url)}">{content}</section>')
    return (
        f'<!doctype html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">'
        f"\n<title>{html.escape(report.title)}</title>\n"
        f'<meta name="author" content="{html.escape(", ".join(report.authors))}">\n'
        f"<style>\n{css or PRINT_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


PRINT_CSS = """\
@page { size: A4; margin: 20mm 18mm 22mm;
  @bottom-center { content: counter(page) " / " counter(pages); font: 8.5pt sans-serif; } }
@page :first { @bottom-center { content: none; } }
html { color: #000; background: #fff; }
body { font: 10.5pt/1.45 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 0;
  font-variant-ligatures: none; }  /* "fi" stays two letters when text is copied or searched */
h1, h2, h3, h4 { line-height: 1.25; break-after: avoid; page-break-after: avoid; }
h1 { font-size: 20pt; margin: 0 0 0.6em; }
h2 { font-size: 14pt; margin: 1.4em 0 0.5em; }
h3 { font-size: 11.5pt; margin: 1.2em 0 0.4em; }
p, li { orphans: 3; widows: 3; }
a { color: #0b4ea2; text-decoration: none; }
a.headerlink, .md-source-file { display: none; }
section.page { break-before: page; }
.cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.cover-title { font-size: 26pt; margin-bottom: 0.4em; }
.cover-subtitle { font-size: 15pt; margin: 0 0 2em; }
.cover-publisher { font-size: 13pt; font-weight: 700; margin: 0; }
.cover-date, .cover-authors { font-size: 12pt; margin: 0.2em 0; }
.cover-details { margin-top: 3em; font-size: 9.5pt; }
.contents { break-before: page; }
.contents ol { padding-left: 1.5em; }
.contents li { margin: 0.25em 0; }
figure, table, pre, blockquote, .admonition, .chart, li { break-inside: avoid; }
figure { margin: 1em 0; }
figure.quote blockquote { margin: 0; padding-left: 1em; border-left: 3px solid #999; }
figure.quote figcaption { font-style: italic; }
.quote-context, .kicker, .byline, .cited-in { color: #444; font-size: 9pt; }
.subtitle { font-size: 13pt; }
.figure-value, .key-figure { font-size: 15pt; font-weight: 700; }
table { border-collapse: collapse; margin: 1em 0; font-size: 9.5pt; }
th, td { border: 1px solid #999; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
td.numeric { text-align: right; }
caption { font-weight: 700; text-align: left; padding-bottom: 0.4em; }
.chart svg { width: 100%; max-width: 160mm; height: auto; }
.admonition { border-left: 4px solid #666; padding: 0.1em 1em; margin: 1em 0; background: #f4f4f4; }
.admonition-title { font-weight: 700; }
pre { white-space: pre-wrap; font-size: 8.5pt; background: #f4f4f4; padding: 0.6em; }
abbr { text-decoration: none; }
.grid.cards > ul { list-style: none; padding: 0; }
.grid.cards > ul > li { border: 1px solid #ccc; padding: 0.4em 0.8em; margin: 0.5em 0; }
.grid.cards hr { display: none; }
ol.references > li, ol.works-cited > li { margin-bottom: 0.5em; }
a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 85%; color: #444;
  word-break: break-all; }
.references a::after, .works-cited a::after, .cover a::after, a.citation::after { content: none; }
"""


# --- printing --------------------------------------------------------------------------------


def find_chromium(
    environ: Mapping[str, str] | None = None, which: Callable[[str], str | None] = shutil.which
) -> str:
    """The Chromium (or Chrome) to print with: $BRIEFING_CHROMIUM, else $CHROMIUM (which the
    Makefile and the browser tests share), else the first of BROWSERS on PATH."""
    environ = os.environ if environ is None else environ
    for variable in (ENVIRONMENT, "CHROMIUM"):
        chosen = environ.get(variable)
        if not chosen:
            continue
        found = which(chosen)
        if found:
            return found
        raise PdfError(
            f"{variable}={chosen}: no such program; set it to Chromium's or Chrome's path "
            "(Debian/Ubuntu: apt-get install chromium)"
        )
    for name in BROWSERS:
        found = which(name)
        if found:
            return found
    raise PdfError(
        "the PDF (downloads/briefing.pdf) is printed by headless Chromium, and no Chromium or "
        f"Chrome was found (looked for {', '.join(BROWSERS)} on PATH). Install it "
        f"(Debian/Ubuntu: apt-get install chromium) or set {ENVIRONMENT} to its path."
    )


def _pdf_date(epoch: int) -> bytes:
    return time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch)).encode()


_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:\d{14}\+00'00')\)")


def fix_dates(pdf: bytes, epoch: int) -> bytes:
    """The PDF with its creation and modification dates set to `epoch` (same length: the
    cross-reference offsets stay right)."""
    stamp = _pdf_date(epoch)

    def replace(match: re.Match[bytes]) -> bytes:
        assert len(match.group(2)) == len(stamp)
        return b"/" + match.group(1) + b" (" + stamp + b")"

    return _DATE.sub(replace, pdf)


_LOCAL_FILE = re.compile(r"""file://[^"'\s()<>]+""")
_SRC = re.compile(r"""\ssrc\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""", re.IGNORECASE)


def _browser(chromium: str) -> str:
    """The browser told apart by its file (an upgrade replaces it, launcher scripts included),
    not by starting it."""
    try:
        path = Path(shutil.which(chromium) or chromium).resolve()
        status = path.stat()
    except OSError:
        return chromium
    return f"{path}:{status.st_size}:{status.st_mtime_ns}"


def _file_contents(uris: Sequence[str]) -> list[str | bytes]:
    """The bytes of each local file (b"" for one that is missing, as Chromium prints it)."""
    contents: list[str | bytes] = []
    for uri in sorted(set(uris)):
        try:
            contents.append(Path(unquote(urlsplit(uri).path)).read_bytes())
        except OSError:
            contents.append(b"")
    return contents


def _inputs(document_html: str, chromium: str, epoch: int | None) -> list[str | bytes]:
    """Everything a printed document depends on: its HTML, the files it shows, the browser."""
    found = _LOCAL_FILE.findall(document_html)
    return [document_html, str(epoch), _browser(chromium), *_file_contents(found)]


@dataclass(frozen=True)
class Job:
    """What `document` is made from: the pages and the settings."""

    pages: Sequence[PrintPage]
    report: Report
    site_url: str | None = None
    site_dir: Path | None = None
    citation: str | None = None
    language: str = "en"

    def document(self) -> str:
        return document(
            self.pages,
            self.report,
            site_url=self.site_url,
            site_dir=self.site_dir,
            citation=self.citation,
            language=self.language,
        )

    def inputs(self, chromium: str, epoch: int | None) -> list[str | bytes]:
        """What the printed document depends on, without making it: the job, the images its
        pages show (files of the built site), the print style, the date and the browser."""
        images = []
        for page in self.pages:
            linker = _Linker(page, {}, None, self.site_dir)
            images += [linker.source(m.group(1).strip("\"'")) for m in _SRC.finditer(page.content)]
        local = [uri for uri in images if uri.startswith("file://")]
        made = [repr(self), PRINT_CSS, str(epoch), _browser(chromium)]
        return [*made, *_file_contents(local)]


def print_pdf(
    document_html: str | Callable[[], str],
    out: Path,
    *,
    chromium: str,
    epoch: int | None = None,
    timeout: float = TIMEOUT,
    store: cache.Cache | None = None,
    inputs: Sequence[str | bytes] | None = None,
) -> bool:
    """Print the document to `out` with one headless Chromium; PdfError if it fails.

    With `epoch` (SOURCE_DATE_EPOCH) the PDF's dates are set from it, so two builds of the
    same sources give the same bytes. A document printed before by the same browser comes from
    the build cache (`cache.py`): returns whether Chromium ran. `document_html` may be a
    function making it, with `inputs` (`Job.inputs`): it is then made only to be printed.
    """
    store = store or cache.shared()
    ran = False

    def make() -> bytes:
        nonlocal ran
        ran = True
        text = document_html() if callable(document_html) else document_html
        return _print(text, chromium=chromium, epoch=epoch, timeout=timeout)

    if inputs is None:
        assert isinstance(document_html, str), "a document made on demand needs its inputs"
        inputs = _inputs(document_html, chromium, epoch)
    data = store.remember("pdf", inputs, make)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return ran


def _print(document_html: str, *, chromium: str, epoch: int | None, timeout: float) -> bytes:
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as scratch:
        folder = Path(scratch)
        source = folder / "briefing.html"
        source.write_text(document_html, encoding="utf-8")
        target = folder / "briefing.pdf"
        command = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--mute-audio",
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
        environ = dict(os.environ, TZ="UTC")
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env=environ,
                start_new_session=True,  # its helper processes go with it on a timeout
            )
        except OSError as error:
            raise PdfError(f"could not start {chromium}: {error}") from None
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise PdfError(
                f"{chromium} did not print the briefing within {timeout:.0f} s"
            ) from None
        if process.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = "\n".join(output.strip().splitlines()[-8:])
            raise PdfError(
                f"{chromium} failed to print the briefing (exit {process.returncode}):\n{tail}"
            )
        data = target.read_bytes()
    return fix_dates(data, epoch) if epoch is not None else data


@dataclass(frozen=True)
class Printed:
    """What became of a job given to `Background`: the PDF written, or why not."""

    target: Path
    seconds: float
    error: Exception | None = None  # PdfError, or the file could not be written


class Background:
    """Prints in a thread, for `mkdocs serve`: the page reloads without waiting for Chromium.

    One job at a time, newest first: a job replaced before it starts is dropped, and one that
    finishes after `cancel` (the next build has begun, and cleans the folder it would write
    into) is neither written nor kept in the cache. `done` hears of every job that finishes
    for the current build, error or not.
    """

    def __init__(self, done: Callable[[Printed], None]) -> None:
        self._done = done
        self._ready = threading.Condition()
        self._generation = 0
        self._pending: tuple[int, Callable[[], Printed]] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None

    def cancel(self) -> None:
        """Whatever is queued or printing is for a build that is over."""
        with self._ready:
            self._generation += 1
            self._pending = None

    def submit(
        self,
        job: Job,
        target: Path,
        *,
        chromium: str,
        epoch: int | None,
        store: cache.Cache | None = None,
    ) -> bool:
        """Print `job` to `target` in the background; True if the cache had it (written now)."""
        store = store or cache.shared()
        inputs = job.inputs(chromium, epoch)
        name = cache.key("pdf", inputs)
        known = store.get("pdf", name)
        if known is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(known)
            return True
        with self._ready:
            self._generation += 1
            generation = self._generation

            def work() -> Printed:
                started = time.perf_counter()
                try:
                    data = _print(job.document(), chromium=chromium, epoch=epoch, timeout=TIMEOUT)
                    with self._ready:
                        if generation == self._generation:  # still the current build's
                            store.put("pdf", name, data)
                            target.parent.mkdir(parents=True, exist_ok=True)
                            target.write_bytes(data)
                except Exception as error:  # reported by `done`: the thread must live on
                    return Printed(target, time.perf_counter() - started, error)
                return Printed(target, time.perf_counter() - started)

            self._pending = (generation, work)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="briefing-pdf", daemon=True)
                self._thread.start()
            self._ready.notify_all()
        return False

    def _run(self) -> None:
        while True:
            with self._ready:
                self._ready.wait_for(lambda: self._pending is not None)
                assert self._pending is not None
                generation, work = self._pending
                self._pending, self._busy = None, True
            try:
                printed = work()
                with self._ready:
                    current = generation == self._generation
                if current:
                    self._done(printed)
            finally:
                with self._ready:
                    self._busy = False
                    self._ready.notify_all()

    def wait(self, timeout: float = TIMEOUT) -> bool:
        """Whether every job was done within `timeout` seconds (for tests)."""
        with self._ready:
            return self._ready.wait_for(
                lambda: self._pending is None and not self._busy, timeout=timeout
            )

"""The briefing's PDF: the print document (`paper.document`) printed by headless Chromium.

`Job` is what a PDF is made from; `print_pdf` makes it (or takes it from the build cache, keyed
by the document, the site files it shows, the paper, the date and the browser's identity),
checks it (`paper.verify`) and writes it. The typesetter (`paper.typeset`, which drives the
browser, `paper.browser`) runs in a child process under `paper.run.bounded`: its time, memory
and process tree are bounded, and it reads nothing but regular files of the built site. Why
Chromium, printed twice for the page numbers, and not WeasyPrint: README, "The PDF".
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache as memoize
from importlib import metadata
from pathlib import Path

from .. import cache
from ..model import Briefing
from ..render.formats import Formats
from .paper import background, browser, files, run, style, verify
from .paper.document import Document, PrintPage, document

__all__ = ["Background", "Document", "Job", "PdfError", "PrintPage", "Printed", "print_pdf"]

# The bound on one PDF, in seconds: TIMEOUT, plus one for each kilobyte of the document (a
# bound on a hang, not a budget: far beyond what a busy shared machine needs for a 10x briefing).
TIMEOUT = 300
PER_KILOBYTE = 1.0


def bound(made: Document) -> float:
    """The time limit for typesetting `made`."""
    return TIMEOUT + PER_KILOBYTE * len(made.html.encode()) / 1000


_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding `briefing`


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do."""


def _iso(epoch: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


@dataclass(frozen=True)
class Job:
    """What the PDF is made from: the built pages, the briefing's records, the settings."""

    pages: Sequence[PrintPage]
    briefing: Briefing
    site_url: str | None = None
    site_dir: Path | None = None
    citation: str | None = None
    language: str = "en"
    paper: str = style.DEFAULT_PAPER
    epoch: int | None = None
    formats: Formats | None = None  # the site's (its locale); else the labels' in en_GB
    _made: list[Document] = field(default_factory=list, compare=False, repr=False, init=False)

    def document(self) -> Document:
        """The print document (made once per job)."""
        if not self._made:
            report = self.briefing.report
            made = document(
                self.pages,
                self.briefing,
                site_url=self.site_url,
                site_dir=self.site_dir,
                citation=self.citation,
                language=self.language,
                css=style.css(self.paper, report.title, self.briefing.labels),
                created=_iso(self.epoch) if self.epoch is not None else None,
                formats=self.formats,
            )
            self._made.append(_for_print(made, self.briefing))
        return self._made[0]

    def inputs(self) -> list[str | bytes]:
        """Everything the PDF depends on: the document (with its style, paper and date), each
        site file it shows (by digest, read bounded) and the typesetter's version."""
        made = self.document()
        parts: list[str | bytes] = [made.html, typesetter()]
        for relative in made.images:
            parts.append(relative)
            try:
                assert self.site_dir is not None
                parts.append(files.digest(files.site_file(self.site_dir, relative)))
            except (files.Refused, AssertionError) as why:
                parts.append(f"refused: {why}")
        return parts


def _for_print(made: Document, briefing: Briefing) -> Document:
    """The document with what only the browser needs: each part's running header (`style`)
    and an empty icon (else the browser asks for /favicon.ico)."""
    parts = [("contents", briefing.labels("print/contents"))]
    parts += [(e.anchor, e.title) for e in made.contents if e.level == 1]
    extra = f'<link rel="icon" href="data:,">\n<style>\n{style.running(parts)}</style>\n'
    head, found, rest = made.html.partition("</head>")
    if not found:
        return made
    return replace(made, html=head + extra + found + rest)


def typesetter() -> str:
    """The typesetter's identity for the cache key: the browser's and pypdf's."""
    return _typesetter(os.environ.get(browser.ENVIRONMENT, ""), os.environ.get("PATH", ""))


@memoize
def _typesetter(*_environment: str) -> str:
    try:
        chromium = browser.identity(browser.find())
    except browser.BrowserError:
        chromium = "-"
    try:
        version = metadata.version("pypdf")
    except metadata.PackageNotFoundError:
        version = "-"
    return f"chromium={chromium} pypdf={version}"


def _command(job_file: Path) -> list[str]:
    return [sys.executable, "-m", "briefing.publish.paper.typeset", str(job_file)]


def _print(
    made: Document,
    *,
    site_dir: Path | None,
    timeout: float | None = None,
    command: Callable[[Path], Sequence[str]] = _command,
    problems: list[str] | None = None,
) -> bytes:
    """Typeset `made` in a bounded child process; the PDF's bytes (unchecked).

    What the typesetter refused to read is added to `problems`."""
    with tempfile.TemporaryDirectory(prefix="briefing-pdf-") as scratch:
        folder = Path(scratch)
        source = folder / "briefing.html"
        source.write_text(made.html, encoding="utf-8")
        target = folder / "briefing.pdf"
        site = site_dir if site_dir is not None else folder / "no-site"
        site.mkdir(exist_ok=True)
        try:
            chromium = browser.find()
        except browser.BrowserError as error:
            raise PdfError(str(error)) from None
        job_file = folder / "job.json"
        job_file.write_text(
            json.dumps(
                {
                    "html": str(source),
                    "out": str(target),
                    "site": str(site.resolve()),
                    "chromium": chromium,
                }
            ),
            encoding="utf-8",
        )
        environ = dict(os.environ, TZ="UTC")
        environ["PYTHONPATH"] = os.pathsep.join(
            [str(_PACKAGE_ROOT), *filter(None, [environ.get("PYTHONPATH")])]
        )
        argv = list(command(job_file))
        try:
            limit = bound(made) if timeout is None else timeout
            done = run.bounded(argv, timeout=limit, folder=folder, env=environ)
        except run.RunError as error:
            raise PdfError(f"{error}") from None
        lines = done.output.strip().splitlines()
        for line in lines:
            if line.startswith("refused\t") and problems is not None:
                _, address, why = ([*line.split("\t"), "", ""])[:3]
                problems.append(
                    f"downloads/briefing.pdf: {address!r} is left out of the PDF: {why}"
                )
            elif line.startswith("unplaced\t") and problems is not None:
                problems.append(
                    f"downloads/briefing.pdf: a link to '#{line.split(chr(9))[1]}' leads to "
                    "nothing in the document, so its page number is printed as '?'"
                )
        tail = "\n".join(line for line in lines if not line.startswith(("refused\t", "unplaced\t")))
        tail = "\n".join(tail.splitlines()[-8:])
        if done.returncode != 0:
            raise PdfError(f"the typesetter failed (exit {done.returncode}):\n{tail}")
        try:
            status = target.stat()
        except OSError:
            raise PdfError(f"the typesetter exited 0 but wrote no PDF:\n{tail}".rstrip()) from None
        if status.st_size > 512 * 1024 * 1024:
            raise PdfError(f"the typesetter wrote {status.st_size} bytes: far too large a PDF")
        return target.read_bytes()


def checked(data: bytes, made: Document, origin: str) -> bytes:
    """`data` if it is the briefing's PDF; PdfError saying what is wrong otherwise."""
    try:
        verify.check(data, made.parts)
    except verify.Unfit as why:
        raise PdfError(f"{origin} is not a usable PDF, so nothing was published: {why}") from None
    return data


@dataclass(frozen=True)
class Result:
    """What `print_pdf` did: whether it typeset (or took the cache's), and what it left out."""

    ran: bool
    problems: tuple[str, ...] = ()


def print_pdf(
    job: Job,
    out: Path,
    *,
    timeout: float | None = None,
    store: cache.Cache | None = None,
    command: Callable[[Path], Sequence[str]] | None = None,
) -> Result:
    """Make the PDF of `job` and write it to `out`; PdfError if it cannot be made.

    A PDF made before from the same inputs comes from the build cache, and is checked like a
    fresh one: a cache entry that fails the check is made again.
    """
    store = store or cache.shared()
    made = job.document()
    name = cache.key("pdf", job.inputs())
    ran = False
    data = store.get("pdf", name)
    if data is not None:
        try:
            checked(data, made, "the build cache's copy of the PDF")
        except PdfError:
            data = None
    problems = list(made.problems)
    if data is None:
        ran = True
        data = checked(
            _print(
                made,
                site_dir=job.site_dir,
                timeout=timeout,
                command=command or _command,
                problems=problems,
            ),
            made,
            "what the typesetter wrote",
        )
        if len(problems) == len(made.problems):  # a PDF that left something out is not kept
            store.put("pdf", name, data)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return Result(ran, tuple(dict.fromkeys(problems)))


class Background(background.Background[Job]):
    """Prints for `mkdocs serve` in a thread (see `paper.background`)."""

    def key(self, job: Job) -> str:
        return cache.key("pdf", job.inputs())

    def cached(self, job: Job, data: bytes) -> bool:
        try:
            checked(data, job.document(), "the build cache's copy of the PDF")
        except PdfError:
            return False
        return True

    def make(self, job: Job) -> bytes:
        made = job.document()
        return checked(_print(made, site_dir=job.site_dir), made, "what the typesetter wrote")


Printed = background.Printed

"""`mkdocs serve`: the PDF is printed in the background, so a page reloads without waiting."""

from __future__ import annotations

import functools
import io
import os
import queue
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from briefing import cache
from briefing.checks.validate import validate
from briefing.publish import pdf
from briefing.publish.paper.document import Document
from sitetools import ROOT, WATCHDOG, Served, read_log_until, serve_mini

# --- the background printer, with a stand-in for Chromium --------------------------------------


@pytest.fixture
def job() -> pdf.Job:
    briefing = validate(ROOT, ROOT / "docs").briefing
    assert briefing is not None
    return pdf.Job([pdf.PrintPage("about.md", "about/", "About", "<p>About</p>")], briefing)


class FakeTypesetter:
    """Prints a document as a real PDF of the pages it needs, its words in the PDF's
    subject; `hold` keeps a print going until released."""

    def __init__(self) -> None:
        self.hold = threading.Event()
        self.hold.set()
        self.started = threading.Event()
        self.documents: list[str] = []
        self.fail = False

    def __call__(self, document: Document, **_: object) -> bytes:
        self.documents.append(document.html)
        self.started.set()
        assert self.hold.wait(WATCHDOG)
        if self.fail:
            raise pdf.PdfError("the typesetter crashed")
        writer = pypdf.PdfWriter()
        for _page in range(document.parts):
            writer.add_blank_page(595, 842)
        writer.add_metadata({"/Subject": document.html})
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()


@pytest.fixture
def typesetter(monkeypatch: pytest.MonkeyPatch) -> FakeTypesetter:
    fake = FakeTypesetter()
    monkeypatch.setattr(pdf, "_print", fake)
    return fake


class Printer:
    """A background printer, what it reported, and its own build cache."""

    def __init__(self, folder: Path) -> None:
        self.done: list[pdf.Printed] = []
        self.background = pdf.Background(self.done.append)
        self.store = cache.Cache(folder)


@pytest.fixture
def printer(tmp_path: Path) -> Printer:
    return Printer(tmp_path / "cache")


def _page(text: str) -> list[pdf.PrintPage]:
    return [pdf.PrintPage("about.md", "about/", "About", f"<p>{text}</p>")]


def test_the_newest_job_wins(
    tmp_path: Path, job: pdf.Job, typesetter: FakeTypesetter, printer: Printer
) -> None:
    target = tmp_path / "site" / "downloads" / "briefing.pdf"
    typesetter.hold.clear()
    jobs = [pdf.Job(_page(text), job.briefing) for text in ("first", "second", "third")]
    submit = functools.partial(printer.background.submit, target=target, store=printer.store)
    assert not submit(jobs[0])
    assert typesetter.started.wait(WATCHDOG)  # the first is printing ...
    submit(jobs[1])  # ... replaced twice
    submit(jobs[2])
    typesetter.hold.set()
    assert printer.background.wait(WATCHDOG)
    assert len(typesetter.documents) == 2  # the second never started
    assert "third" in typesetter.documents[-1]
    assert b"third" in target.read_bytes()
    assert [p.error for p in printer.done] == [None]  # only the current build's job is reported
    # What was printed is in the cache: the same job again is written at once.
    target.unlink()
    assert submit(jobs[2])
    assert b"third" in target.read_bytes()
    assert len(typesetter.documents) == 2


def test_a_print_for_a_build_that_is_over_is_not_written_or_kept(
    tmp_path: Path, job: pdf.Job, typesetter: FakeTypesetter, printer: Printer
) -> None:
    target = tmp_path / "briefing.pdf"
    typesetter.hold.clear()
    printer.background.submit(job, target, store=printer.store)
    assert typesetter.started.wait(WATCHDOG)
    printer.background.cancel()  # the next build began (and cleans the site folder)
    typesetter.hold.set()
    assert printer.background.wait(WATCHDOG)
    assert not target.exists() and printer.done == []
    assert not any(p.is_file() for p in (tmp_path / "cache").rglob("*"))


def test_a_failed_print_is_reported_and_the_printer_goes_on(
    tmp_path: Path, job: pdf.Job, typesetter: FakeTypesetter, printer: Printer
) -> None:
    typesetter.fail = True
    printer.background.submit(job, tmp_path / "a.pdf", store=printer.store)
    assert printer.background.wait(WATCHDOG)
    error = printer.done[0].error
    assert isinstance(error, pdf.PdfError) and "crashed" in str(error)
    typesetter.fail = False
    again = pdf.Job(_page("again"), job.briefing)
    printer.background.submit(again, tmp_path / "b.pdf", store=printer.store)
    assert printer.background.wait(WATCHDOG)
    assert printer.done[1].error is None and (tmp_path / "b.pdf").is_file()


# --- mkdocs serve, end to end ------------------------------------------------------------------


IN_USE = "Address already in use"  # mkdocs serve binds after its first build; the port may go


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """`mkdocs serve` of the small briefing, once it serves; what it logged so far is `seen`.
    Its build cache is empty: the PDF must be printed (sitetools.serve_mini)."""
    command = (sys.executable, "-m", "mkdocs", "serve", "--strict")
    yield from serve_mini(tmp_path, command, "Serving on", IN_USE)


def test_serve_prints_the_pdf_after_the_site_is_up_and_again_after_an_edit(
    served: tuple[Path, str, queue.Queue[str], list[str]],
) -> None:
    project, url, lines, seen = served
    printing = [n for n, line in enumerate(seen) if "the PDF is printing in the background" in line]
    assert printing and printing[0] < len(seen) - 1, "".join(seen)  # before "Serving on"
    read_log_until(lines, "Printed downloads/briefing.pdf in the background", seen)
    with urllib.request.urlopen(url + "downloads/briefing.pdf", timeout=30) as response:
        first = response.read()
    assert first.startswith(b"%PDF")
    recommendations = project / "data" / "recommendations.yml"
    text = recommendations.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title: "))
    recommendations.write_text(text.replace(title, title + " renamed", 1), encoding="utf-8")
    # The watcher polls: wait for it to see the edit, touching the file again should a poll have
    # fallen in the same instant as the write (a wait on the server's word, not a sleep).
    watchdog = time.monotonic() + 120
    while read_log_until(lines, "Detected file changes", seen, timeout=10, missing=None) is None:
        assert time.monotonic() < watchdog, "the server never saw the edit:\n" + "".join(seen)
        os.utime(recommendations)
    read_log_until(lines, "the PDF is printing in the background", seen)
    read_log_until(lines, "Printed downloads/briefing.pdf in the background", seen)
    with urllib.request.urlopen(url + "downloads/briefing.pdf", timeout=30) as response:
        second = response.read()
    assert second.startswith(b"%PDF") and second != first
    assert not any("ERROR" in line or "Traceback" in line for line in seen), "".join(seen)

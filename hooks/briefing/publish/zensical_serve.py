"""`make serve BUILDER=zensical`: a live preview with Zensical, which runs no hooks.

`zensical serve` (0.0.73) builds into its `site/` folder, serves that folder from disk, and
reloads a page in the browser whenever that page's file in `site/` changes (it watches the
folder; its own rebuilds and anyone else's writes alike). So the engine works around it:

- before: the export, kept current in `.zensical-serve/` (export.export `in_place`: only the
  files whose bytes changed are rewritten, so Zensical rebuilds little) whenever data/,
  docs/, references.bib or mkdocs.yml change (watchdog events);
- after: whenever Zensical has written pages (files closed under `site/`), the post-builder
  pass finishes the pages that carry their markers (afterbuild.finish_pages, keeping those
  finished before) and writes the site's files, the PDF in the background. Writing a page
  makes Zensical reload it in the browser, finished.

What cannot be done with `zensical serve`: keep the browser from seeing a page between
Zensical's write and the pass's (Zensical reloads the page as soon as it wrote it; the pass
follows within about a second and reloads it again). During that moment the preview shows the
page as Zensical built it, unsanitised, on the editor's own machine; a published site never is.
"""

from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import yaml
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from ..problems import BriefingError, Problem, format_problems
from . import afterbuild, export, finish, pdf
from .builders import zensical_command

WORK = ".zensical-serve"  # the export `zensical serve` serves, in the project
SOURCES = "sources"
SITE = "site"
WATCHED_FILES = ("references.bib", "mkdocs.yml")
WATCHED_DIRS = ("data",)  # and the docs folder, mkdocs.yml's docs_dir
# Seconds without a new event after which the events so far are one change: an editor's save,
# or Zensical writing a rebuild's pages, comes as a burst of events; each burst is exported or
# finished once, not once per event.
SETTLE = 0.2


class _Events(FileSystemEventHandler):
    """Puts SOURCES or SITE on a queue for each event that matters."""

    def __init__(self, into: queue.Queue[str], root: Path, work: Path, docs: Path) -> None:
        self.into, self.root, self.work, self.docs = into, root, work, docs

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        for raw in (event.src_path, getattr(event, "dest_path", "")):
            if not raw:
                continue
            path = Path(str(raw))
            if path.is_relative_to(self.work / "site"):
                if event.event_type in ("closed", "moved") and path.suffix == ".html":
                    self.into.put(SITE)
            elif path.is_relative_to(self.work):
                continue  # our own writes to the export
            elif self._source(path):
                self.into.put(SOURCES)

    def _source(self, path: Path) -> bool:
        if path.parent == self.root:
            return path.name in WATCHED_FILES
        return path.is_relative_to(self.docs) or path.is_relative_to(self.root / "data")


class Preview:
    """The export, the pass and what it finished so far (for the pages Zensical keeps)."""

    def __init__(self, config_path: Path, say: Callable[[str], None]) -> None:
        self.config = config_path
        self.root = config_path.resolve().parent
        self.work = self.root / WORK
        self.say = say
        self.given: afterbuild.Handed | None = None
        self.built: dict[str, finish.Built] = {}
        self.printer = pdf.Background(self._printed)

    def _printed(self, printed: pdf.Printed) -> None:
        if printed.error is not None:
            self.say(f"ERROR: downloads/briefing.pdf: {printed.error}")
        else:
            self.say(f"Printed downloads/briefing.pdf in the background in {printed.seconds:.1f} s")

    def export(self) -> bool:
        """The export brought up to date; False (and the problems said) if the briefing has
        errors: the preview keeps the last good export."""
        try:
            given = afterbuild.handed(self.config, live_reload=True)
            warnings = export.export(
                self.config,
                self.work,
                for_finish=True,
                in_place=True,
                prepared=given.prepared,
                handed=given.handed,
            )
        except BriefingError as err:
            self.say(format_problems(err.problems))
            self.say(f"{len(err.problems)} problem(s): the preview shows the last good build.")
            return False
        except (ValueError, OSError, yaml.YAMLError) as err:  # mid-save: a file half written
            self.say(f"ERROR: {self.config}: {err}")
            return False
        if warnings:
            self.say(format_problems(warnings))
        self.given = given
        self.say(f"Exported the briefing to {WORK}/ for Zensical")
        return True

    def finish(self) -> None:
        """Finish what Zensical wrote since the last pass (nothing written if nothing new)."""
        given = self.given
        if given is None:
            return
        site_dir = self.work / "site"
        try:
            pages = afterbuild.finish_pages(given, site_dir, earlier=self.built)
        except (ValueError, OSError) as err:
            self.say(f"ERROR: {err}")
            return
        waiting = [p for p in pages.problems if p.code in afterbuild.PENDING]
        problems: list[Problem] = [p for p in pages.problems if p.code not in afterbuild.PENDING]
        if problems:
            self.say(format_problems(problems))
        for note in pages.notes:
            self.say(note)
        if not pages.written:
            return
        self.printer.cancel()  # a PDF still printing belongs to the pass before
        try:
            published = afterbuild.finish_written(given, site_dir, pages, background=self.printer)
        except (ValueError, OSError) as err:  # Zensical still writing: the next pass finishes it
            self.say(f"ERROR: {err}")
            return
        self.built = dict(pages.built)
        for warning in published.problems:
            self.say(f"WARNING: {warning}")
        self.say(
            f"Finished {len(pages.written)} page(s) Zensical wrote"
            + (f" ({len(waiting)} still to come)" if waiting else "")
            + f"; {finish.summary(published)}"
        )


def serve(config_path: Path, address: str, say: Callable[[str], None] | None = None) -> int:
    """Serve the briefing with `zensical serve` at `address` until interrupted; the exit status."""
    talk = say or (lambda line: print(line, file=sys.stderr, flush=True))
    preview = Preview(config_path, talk)
    config = export.read_config(config_path)
    docs = (preview.root / str(config.get("docs_dir", "docs"))).resolve()
    if not preview.export():
        return 1
    (preview.work / "site").mkdir(exist_ok=True)
    events: queue.Queue[str] = queue.Queue()
    handler = _Events(events, preview.root, preview.work, docs)
    observer = Observer()
    for folder in (docs, *(preview.root / d for d in WATCHED_DIRS)):
        if folder.is_dir():
            observer.schedule(handler, str(folder), recursive=True)
    observer.schedule(handler, str(preview.root), recursive=False)
    observer.schedule(handler, str(preview.work / "site"), recursive=True)
    observer.start()
    server = subprocess.Popen(
        zensical_command("serve", "-f", "mkdocs.yml", "-a", address),
        cwd=preview.work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    def forward() -> None:
        assert server.stdout is not None
        for line in iter(server.stdout.readline, ""):
            talk(f"zensical: {line.rstrip()}")
        events.put("")  # Zensical stopped

    threading.Thread(target=forward, daemon=True).start()

    def interrupted(_signal: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    # Zensical replaces site/ when mkdocs.yml changes; watchdog then warns it watches anew.
    warnings.filterwarnings("ignore", "Callback with id", RuntimeWarning)
    try:
        while True:
            kinds = {events.get()}
            while True:  # one save is several events (written, closed): read them as one
                try:
                    kinds.add(events.get(timeout=SETTLE))
                except queue.Empty:
                    break
            if "" in kinds:
                talk(f"zensical serve stopped (exit status {server.wait()})")
                return 1
            if SOURCES in kinds:
                preview.export()
            if SITE in kinds:
                preview.finish()
    except KeyboardInterrupt:
        return 0
    finally:
        observer.stop()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        observer.join(timeout=20)
        preview.printer.cancel()

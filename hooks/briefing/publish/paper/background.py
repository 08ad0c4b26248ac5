"""Printing in a thread, for `mkdocs serve`: the page reloads without waiting for the PDF.

One job at a time, newest first: a job replaced before it starts is dropped, and one that
finishes after `cancel` (the next build has begun, and cleans the folder it would write into)
is neither written nor kept in the cache. `done` hears of every job that finishes for the
current build, error or not. What a job is, how it is keyed, checked and made is the
subclass's (`pdf.Background`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from ... import cache

TIMEOUT = 600  # seconds `wait` waits by default (tests)
J = TypeVar("J")


@dataclass(frozen=True)
class Printed:
    """What became of a job: the PDF written, or why not."""

    target: Path
    seconds: float
    error: Exception | None = None  # PdfError, or the file could not be written


class Background(Generic[J]):
    def __init__(self, done: Callable[[Printed], None]) -> None:
        self._done = done
        self._ready = threading.Condition()
        self._generation = 0
        self._pending: tuple[int, Callable[[], Printed]] | None = None
        self._busy = False
        self._thread: threading.Thread | None = None

    # -- what a subclass says about its jobs ----------------------------------------------

    def key(self, job: J) -> str:
        raise NotImplementedError

    def cached(self, job: J, data: bytes) -> bool:
        """Whether a cache entry for `job` may be published."""
        raise NotImplementedError

    def make(self, job: J) -> bytes:
        raise NotImplementedError

    # -- scheduling -----------------------------------------------------------------------

    def cancel(self) -> None:
        """Whatever is queued or printing is for a build that is over."""
        with self._ready:
            self._generation += 1
            self._pending = None

    def submit(self, job: J, target: Path, *, store: cache.Cache | None = None) -> bool:
        """Print `job` to `target` in the background; True if the cache had it (written now)."""
        store = store or cache.shared()
        name = self.key(job)
        known = store.get("pdf", name)
        if known is not None and self.cached(job, known):
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(known)
            return True
        with self._ready:
            self._generation += 1
            generation = self._generation

            def work() -> Printed:
                started = time.perf_counter()
                try:
                    data = self.make(job)
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

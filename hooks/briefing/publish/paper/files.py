"""What the print step may read: regular files of the built site, of bounded size, nothing else.

An image in a docs page is written by an editor; its address may be absolute (`/etc/hostname`),
climb out of the site (`../../x.png`), name a symlink that leads out, a device or a FIFO. None
of these is ever opened: `site_file` says why it is refused, and both the document (`document`)
and the typesetter's fetcher (`typeset`) go through it, so a file the document names and a file
the typesetter reads are checked the same way.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import stat
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

MAX_BYTES = 32 * 1024 * 1024  # per file: larger than any image a briefing needs
_CHUNK = 1024 * 1024


class Refused(Exception):
    """A file the print step will not read; the message says why."""


class Missing(Refused):
    """An image of the site that is not there: broken on the web page too, not a hazard."""


def site_path(site_dir: Path, address: str, base: str = "") -> str:
    """The site-relative path an address of a page at `base` (site-relative URL) leads to.

    Refused for another host or scheme, and for a path that leaves the site.
    """
    parts = urlsplit(address)
    if parts.scheme == "file" and not parts.netloc:
        path = unquote(parts.path)
        root = site_dir.resolve().as_posix()
        if not (path == root or path.startswith(root + "/")):
            raise Refused("it is a file outside the site")
        return posixpath.relpath(path, root)
    if parts.scheme or parts.netloc or address.startswith("//"):
        raise Refused("it is not a file of the site")
    path = unquote(parts.path)
    if not path:
        raise Missing("it names no file")
    if path.startswith("/"):
        raise Refused("it is an absolute path (a file of the machine, not of the site)")
    folder = base if base.endswith("/") else posixpath.dirname(base)
    joined = posixpath.normpath(posixpath.join(folder or ".", path))
    if joined == ".." or joined.startswith("../") or joined.startswith("/"):
        raise Refused("it climbs out of the site with '../'")
    return joined


def site_file(site_dir: Path, relative: str) -> Path:
    """The regular file at `relative` under the site, checked without opening it."""
    root = site_dir.resolve()
    try:
        path = (root / relative).resolve(strict=True)
    except (OSError, RuntimeError):
        raise Missing("no such file in the site") from None
    if path != root and root not in path.parents:
        raise Refused("it leads out of the site (a symbolic link)")
    try:
        status = path.stat()
    except OSError as error:
        raise Refused(f"it cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(status.st_mode):
        raise Refused("it is not a regular file (a device, FIFO or folder is never read)")
    if status.st_size > MAX_BYTES:
        raise Refused(f"it is larger than {MAX_BYTES // (1024 * 1024)} MiB")
    return path


def _chunks(path: Path) -> Iterator[bytes]:
    """A checked file's bytes in chunks, never more than MAX_BYTES, and never from a file that
    became something else after it was checked (opened without following links or blocking)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        handle = os.open(path, flags)
    except OSError as error:
        raise Refused(f"it cannot be read ({error.strerror})") from None
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise Refused("it is not a regular file (a device, FIFO or folder is never read)")
        size = 0
        while chunk := stream.read(_CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                raise Refused(f"it is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            yield chunk


def read(path: Path) -> bytes:
    """A checked file's bytes (bounded, see `_chunks`)."""
    return b"".join(_chunks(path))


def digest(path: Path) -> bytes:
    """The SHA-256 of a checked file, for the build cache's key: read in chunks, bounded."""
    hasher = hashlib.sha256()
    for chunk in _chunks(path):
        hasher.update(chunk)
    return hasher.digest()

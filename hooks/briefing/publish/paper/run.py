"""An external process with a real bound: on its whole process tree, and on the wait itself.

A process's helpers may leave its process group and its session (`setsid`), ignore SIGTERM, and
hold its output pipe open after it exits; waiting for the pipe to close would then wait for
ever. So the output goes to a file (read back, bounded, from its end), the wait is on the
process itself with a time limit, and every process of the run is found and killed when it
ends or times out: the run's session, and any process that carries the run's mark in its
environment (inherited by every descendant, whatever group or session it moved to).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

MARK = "BRIEFING_RUN"
OUTPUT_LIMIT = 64 * 1024  # bytes of output kept (the end of it)
KILL_PATIENCE = 10.0  # seconds to wait for killed processes to be gone


class RunError(Exception):
    """The process could not be started or did not finish in time."""


@dataclass(frozen=True)
class Completed:
    returncode: int
    output: str  # stdout and stderr, the last OUTPUT_LIMIT bytes


def _zombie(pid: int) -> bool:
    with open(f"/proc/{pid}/stat", "rb") as handle:
        return handle.read(4096).rpartition(b")")[2].split()[:1] == [b"Z"]


def _marked(mark: str, session: int) -> list[int]:
    """Every process of this run still alive: in its session, or carrying its mark."""
    found = []
    needle = f"{MARK}={mark}".encode()
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        if pid == os.getpid():
            continue
        try:
            if _zombie(pid):  # dead already, waiting for its parent: nothing left to kill
                continue
            if os.getsid(pid) == session:
                found.append(pid)
                continue
            with open(f"/proc/{pid}/environ", "rb") as handle:
                if needle in handle.read(1024 * 1024).split(b"\0"):
                    found.append(pid)
        except OSError:
            continue
    return found


def kill_all(mark: str, session: int, *, patience: float = KILL_PATIENCE) -> None:
    """SIGKILL every process of the run, again until none is left (they may fork meanwhile).

    A killed process is not gone the moment the signal is sent: the kernel ends it a little
    later (much later on a loaded machine). So this returns only when none of them is found
    alive any more, or after `patience` seconds (a process stuck in the kernel cannot be ended
    by anyone; the wait must still end).
    """
    with contextlib.suppress(OSError):
        os.killpg(session, signal.SIGKILL)
    deadline = time.monotonic() + patience
    pause = 0.001
    while alive := _marked(mark, session):
        for pid in alive:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        if time.monotonic() >= deadline:
            return
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


def _tail(path: Path) -> str:
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        size = handle.tell()
        handle.seek(max(0, size - OUTPUT_LIMIT))
        return handle.read(OUTPUT_LIMIT).decode("utf-8", "replace")


def bounded(
    command: Sequence[str],
    *,
    timeout: float,
    folder: Path,
    env: Mapping[str, str] | None = None,
) -> Completed:
    """Run `command` in `folder` (a temporary folder of its own); RunError on a timeout.

    When it returns or raises, no process of the run is left.
    """
    mark = uuid.uuid4().hex
    environ = dict(os.environ if env is None else env)
    environ[MARK] = mark
    log = folder / "output.log"
    with log.open("wb") as output:
        try:
            process = subprocess.Popen(
                list(command),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                cwd=folder,
                env=environ,
                start_new_session=True,
            )
        except OSError as error:
            raise RunError(f"could not start {command[0]}: {error}") from None
    try:
        returncode = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_all(mark, process.pid)
        process.wait()
        raise RunError(
            f"{Path(command[0]).name} did not finish within {timeout:.0f} s and was stopped"
            f"\n{_tail(log).strip()[-2000:]}".rstrip()
        ) from None
    except BaseException:
        kill_all(mark, process.pid)
        process.wait()
        raise
    kill_all(mark, process.pid)  # helpers it left behind
    return Completed(returncode, _tail(log))

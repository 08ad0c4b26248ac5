"""Headless Chromium driven over its DevTools pipe: load one document, print it, print again.

Chromium is started with `--remote-debugging-pipe`: it reads DevTools commands (JSON, each
ended by a NUL byte) on file descriptor 3 and writes replies and events on 4. No port is
opened and no other program can talk to it. Every request the page makes is paused
(DevTools' Fetch domain) and answered by the caller's `serve`: the document and the site's
files, or a refusal; nothing reaches the network or the disk behind the caller's back
(`--host-resolver-rules` resolves no host at all, as a second wall). Script is off in the page;
the DevTools' own `evaluate` still runs, and is how the page numbers are written in.

A hand-written client, not Playwright: Playwright starts a Node.js driver first, which took
longer than the whole print (README, "The PDF").
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
ENVIRONMENT = "BRIEFING_CHROMIUM"  # the browser to print with, when it is not on PATH
ORIGIN = "http://briefing.invalid/"  # the browser's only origin: answered by `serve`
SITE = ORIGIN + "site/"  # the built site's files, and the document, under it
_BLOCKED = "Not allowed to load local resource:"  # the browser's words for a file: it refused
MESSAGE_LIMIT = 512 * 1024 * 1024  # bytes: a reply larger than this is not read


class BrowserError(Exception):
    """The browser could not be found, started, or did not answer as it should."""


def find(environ: dict[str, str] | None = None) -> str:
    """The browser to print with: `BRIEFING_CHROMIUM`, else the first of NAMES on PATH."""
    environ = dict(os.environ) if environ is None else environ
    given = environ.get(ENVIRONMENT)
    if given:
        found = shutil.which(given)
        if not found:
            raise BrowserError(
                f"{ENVIRONMENT}={given!r} is not a program that can be run; "
                "set it to Chromium's path, or unset it to use the one on PATH"
            )
        return found
    for name in NAMES:
        found = shutil.which(name, path=environ.get("PATH"))
        if found:
            return found
    raise BrowserError(
        "no Chromium to print the PDF with: install it (Debian/Ubuntu: apt-get install "
        f"chromium) or set {ENVIRONMENT} to its path"
    )


def identity(chromium: str) -> str:
    """What stands for the browser's version in the build cache's key, without starting it:
    the program's resolved path, size and time (a new version replaces the file)."""
    path = Path(chromium).resolve()
    try:
        status = path.stat()
    except OSError:
        return str(path)
    return f"{path} {status.st_size} {status.st_mtime_ns}"


def _arguments(chromium: str, profile: Path) -> list[str]:
    return [
        chromium,
        "--headless",
        "--no-sandbox",  # the process is bounded by `run.bounded`; a sandbox needs user namespaces
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-extensions",
        "--disable-sync",
        "--disable-breakpad",
        "--no-first-run",
        "--no-default-browser-check",
        "--mute-audio",
        "--log-level=3",  # fatal errors only: its complaints about D-Bus are not ours
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        "--remote-debugging-pipe",
        "about:blank",
    ]


Serve = Callable[[str], tuple[bytes, str] | None]
"""The answer to one request: (body, content type), or None to refuse it."""


class Browser:
    """One headless Chromium with one page; `close` (or the `with` block's end) stops it."""

    def __init__(self, chromium: str, profile: Path) -> None:
        ours_in, theirs_out = os.pipe()  # the browser writes replies here
        theirs_in, ours_out = os.pipe()  # and reads commands from here

        def descriptors() -> None:  # in the child, before exec: 3 and 4 as Chromium wants
            read, write = os.dup(theirs_in), os.dup(theirs_out)
            os.dup2(read, 3)
            os.dup2(write, 4)
            os.set_inheritable(3, True)
            os.set_inheritable(4, True)

        try:
            self.process = subprocess.Popen(
                _arguments(chromium, profile),
                stdin=subprocess.DEVNULL,
                preexec_fn=descriptors,  # the typesetter has one thread: safe here
                close_fds=False,  # every other descriptor is non-inheritable already
            )
        except OSError as error:
            raise BrowserError(f"could not start {chromium}: {error}") from None
        finally:
            os.close(theirs_in)
            os.close(theirs_out)
        self._in = ours_in
        self._out = ours_out
        self._buffer = b""
        self._next = 0
        self._session: str | None = None
        self._serve: Serve | None = None
        self._loaded = False
        self.refused: list[str] = []

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- the pipe --------------------------------------------------------------------------

    def _message(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError("the browser closed its DevTools pipe (it crashed or quit)")
            self._buffer += chunk
            if len(self._buffer) > MESSAGE_LIMIT:
                raise BrowserError("the browser sent a reply larger than the limit")
        message, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(message)
        return found

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        data = json.dumps(message).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._out, data) :]
        except OSError as error:
            raise BrowserError(f"the browser stopped listening ({error.strerror})") from None
        return self._next

    def call(self, method: str, params: dict[str, Any] | None = None, *, page: bool = True) -> Any:
        """Send one command (to the page's session unless `page` is false) and return its
        result, answering the requests the page makes meanwhile."""
        number = self._send(method, params or {}, self._session if page else None)
        while True:
            message = self._message()
            if message.get("id") == number:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message', message)}")
                return message.get("result", {})
            self._event(message)

    def _event(self, message: dict[str, Any]) -> None:
        method = message.get("method")
        if method == "Fetch.requestPaused":
            self._answer(message["params"])
        elif method == "Page.loadEventFired":
            self._loaded = True
        elif method == "Log.entryAdded":
            text = str(message["params"]["entry"].get("text", ""))
            if text.startswith(_BLOCKED):  # a file: address, blocked by the browser itself
                self.refused.append(text.removeprefix(_BLOCKED).strip())

    def _answer(self, paused: dict[str, Any]) -> None:
        url = str(paused["request"]["url"])
        served = self._serve(url) if self._serve is not None else None
        if served is None:
            self._send(
                "Fetch.failRequest",
                {"requestId": paused["requestId"], "errorReason": "AccessDenied"},
                self._session,
            )
            return
        body, kind = served
        self._send(
            "Fetch.fulfillRequest",
            {
                "requestId": paused["requestId"],
                "responseCode": 200,
                "responseHeaders": [{"name": "Content-Type", "value": kind}],
                "body": base64.b64encode(body).decode("ascii"),
            },
            self._session,
        )

    # -- what the typesetter does ------------------------------------------------------------

    def open(self, address: str, serve: Serve) -> None:
        """Load `address` (under SITE) with every request answered by `serve`; returns when
        the page and everything it shows are loaded."""
        self._serve = serve
        target = self.call("Target.createTarget", {"url": "about:blank"}, page=False)
        attached = self.call(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}, page=False
        )
        self._session = str(attached["sessionId"])
        self.call("Page.enable")
        self.call("Log.enable")
        self.call("Emulation.setScriptExecutionDisabled", {"value": True})
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        self._loaded = False
        navigated = self.call("Page.navigate", {"url": SITE + address})
        if navigated.get("errorText"):
            raise BrowserError(f"the document could not be loaded: {navigated['errorText']}")
        while not self._loaded:
            self._event(self._message())

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (DevTools' own, not the page's)."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"the page could not be changed: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def pdf(self, *, tagged: bool) -> bytes:
        """The page printed, on the paper its CSS asks for; `tagged` adds the structure tree
        and the outline (bookmarks from the headings)."""
        result = self.call(
            "Page.printToPDF",
            {
                "preferCSSPageSize": True,
                "printBackground": True,
                "displayHeaderFooter": False,
                "generateTaggedPDF": tagged,
                "generateDocumentOutline": tagged,
            },
        )
        return base64.b64decode(result["data"])

    def close(self) -> None:
        """Stop the browser at once: it has nothing to save (its profile is a temporary
        folder), and a graceful quit took a third of a second. Its helpers exit with it, and
        the caller's bound (`run.bounded`) kills any that does not."""
        try:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait()
        finally:
            for handle in (self._in, self._out):
                with contextlib.suppress(OSError):
                    os.close(handle)

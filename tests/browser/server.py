"""Serve a built site on a free port of 127.0.0.1 from a background thread.

With `compress=True` text files go out gzipped when the browser asks for it, as GitHub Pages and
every other static host serve them; the Lighthouse audit measures the site as readers get it.
`serve_under` serves it at a sub-path, as GitHub Pages serves a project (`/repo/`).
"""

from __future__ import annotations

import contextlib
import gzip
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

COMPRESSIBLE = frozenset({".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map"})


class _Handler(http.server.SimpleHTTPRequestHandler):
    compress = False
    prefix = "/"  # the path the site is served under; anything else is not found

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / ".not-served" / "none")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests and the audit print what matters."""

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (self.compress and accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(root: Path, *, compress: bool = False, prefix: str = "/") -> Iterator[str]:
    """The base URL (ending in '/') of `root` served over HTTP until the block ends, at
    `prefix` (a path ending in '/')."""
    handler = type("Handler", (_Handler,), {"compress": compress, "prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(handler, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_under(root: Path, site_url: str) -> contextlib.AbstractContextManager[str]:
    """`root` served at the path of `site_url` (`https://user.github.io/repo/`: at /repo/)."""
    return serve(root, prefix=urlsplit(site_url).path or "/")

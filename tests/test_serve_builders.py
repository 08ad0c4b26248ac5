"""`make serve BUILDER=zensical`: the export kept current, `zensical serve` on it, and every page
Zensical writes finished by the engine; an edit to the data shows in the served site. And
`make serve BUILDER=properdocs`: ProperDocs runs the hooks, which watch the data."""

from __future__ import annotations

import os
import queue
import socket
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sitetools import WATCHDOG, Served, read_log_until, serve_mini

IN_USE = "Address already in use"
SERVE = (sys.executable, "-m", "briefing", "serve", "--builder", "zensical")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The small briefing served with Zensical, once its first build is finished."""
    yield from serve_mini(tmp_path, SERVE, "Finished", IN_USE)


@pytest.fixture
def properdocs(tmp_path: Path) -> Iterator[Served]:
    """The small briefing served with ProperDocs (as `make serve BUILDER=properdocs`)."""
    command = (sys.executable, "-m", "properdocs", "serve", "--strict", "-f", "mkdocs.yml")
    yield from serve_mini(tmp_path, command, "Serving on", "Address already in use")


def _get(url: str, lines: queue.Queue[str] | None = None, seen: list[str] | None = None) -> str:
    """The page at `url`; while Zensical restarts its server and writes its site anew (it does
    on a changed mkdocs.yml, such as a renamed page in the nav), the next word from the server
    first."""
    for _ in range(20):
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                text: str = response.read().decode("utf-8")
                return text
        except (urllib.error.URLError, ConnectionError) as err:
            # refused (URLError), or accepted and closed as the server stops (ConnectionError,
            # which urllib does not wrap: http.client.RemoteDisconnected)
            reason = err.reason if isinstance(err, urllib.error.URLError) else err
            restarting = isinstance(reason, ConnectionError) or (
                isinstance(err, urllib.error.HTTPError) and err.code == 404
            )
            if lines is None or seen is None or not restarting:
                raise
            read_log_until(lines, ("zensical: ", "Finished"), seen)
    pytest.fail(f"{url}: the server never came back:\n{''.join(seen or [])}")


def test_a_page_asked_for_while_the_server_stops_is_asked_for_again_after_its_next_word() -> None:
    """Zensical restarts its server on a changed nav: a request it accepts as it stops is
    closed unanswered (urllib raises that unwrapped); `_get` waits for the server's next
    line of log and asks again."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        with listener:
            first, _ = listener.accept()
            first.recv(65536)
            first.close()  # accepted, then closed unanswered
            second, _ = listener.accept()
            with second:
                second.recv(65536)
                second.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    lines: queue.Queue[str] = queue.Queue()
    lines.put("zensical: Serving on http://127.0.0.1/\n")
    seen: list[str] = []
    assert _get(f"http://127.0.0.1:{port}/", lines, seen) == "ok"
    assert seen == ["zensical: Serving on http://127.0.0.1/\n"]
    server.join()


def test_the_preview_is_finished_and_follows_a_data_edit(served: Served) -> None:
    project, url, lines, seen = served
    page = _get(url + "recommendations/", lines, seen)
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "'unsafe-inline'" in page  # the preview's own live-reload script may run
    assert "briefing:start" not in page
    assert _get(url + "downloads/briefing.json").startswith("{")

    recommendations = project / "data" / "recommendations.yml"
    text = recommendations.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title: "))
    renamed = title.removeprefix("  title: ").strip().strip("'\"") + " renamed live"
    recommendations.write_text(text.replace(title, f"  title: {renamed}", 1), encoding="utf-8")
    read_log_until(lines, ("Exported the briefing",), seen)
    # Zensical writes the page, then the pass finishes it: wait for both, one event at a time.
    page = _get(url + "recommendations/", lines, seen)
    while renamed not in page or 'http-equiv="Content-Security-Policy"' not in page:
        read_log_until(lines, ("Finished",), seen)
        page = _get(url + "recommendations/", lines, seen)
    assert "briefing:start" not in page
    assert renamed in _get(url + "downloads/briefing.json", lines, seen)
    assert not any("ERROR" in line or "Traceback" in line for line in seen), "".join(seen)


def test_a_briefing_with_errors_is_named_and_the_last_good_build_stays(served: Served) -> None:
    project, url, lines, seen = served
    findings = project / "data" / "findings.yml"
    findings.write_text(
        findings.read_text(encoding="utf-8").replace("theme:", "theme: [unclosed", 1),
        encoding="utf-8",
    )
    read_log_until(lines, ("the preview shows the last good build",), seen)
    assert any("data/findings.yml:" in line for line in seen), "".join(seen)
    assert 'http-equiv="Content-Security-Policy"' in _get(url)
    assert not any("Traceback" in line for line in seen), "".join(seen)


def test_properdocs_serves_the_hooks_site_and_rebuilds_on_a_data_edit(properdocs: Served) -> None:
    project, url, lines, seen = properdocs
    page = _get(url + "recommendations/")
    assert 'http-equiv="Content-Security-Policy"' in page
    recommendations = project / "data" / "recommendations.yml"
    text = recommendations.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("  title: "))
    recommendations.write_text(text.replace(title, title + " renamed", 1), encoding="utf-8")
    # ProperDocs' watcher polls: should a poll fall in the same instant as the write, touch the
    # file again (a wait on the server's word, not a sleep; as tests/test_serve.py).
    watchdog = time.monotonic() + WATCHDOG
    while read_log_until(lines, ("Detected file changes",), seen, timeout=10, missing=None) is None:
        assert time.monotonic() < watchdog, "the server never saw the edit:\n" + "".join(seen)
        os.utime(recommendations)
    read_log_until(lines, ("Reloading browsers",), seen)
    assert "renamed" in _get(url + "recommendations/")
    assert not any("ERROR" in line or "Traceback" in line for line in seen), "".join(seen)

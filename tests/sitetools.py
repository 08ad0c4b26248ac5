"""Build sites for the tests and read them back as parsed HTML."""

from __future__ import annotations

import json
import os
import posixpath
import queue
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markdown  # type: ignore[import-untyped]  # no stubs
import pytest
from briefing import labels
from briefing.checks.validate import validate
from briefing.citations.bibliography import Bibliography
from briefing.citations.formatting import plain
from briefing.publish.export import read_config
from briefing.render.site import Site as EngineSite
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent


def engine_site() -> EngineSite:
    """The real briefing rendered by the engine alone (no MkDocs), references in Vancouver."""
    briefing = validate(ROOT).checked()
    bibliography = Bibliography("vancouver")
    return EngineSite(
        briefing,
        lambda keys: bibliography.format([briefing.references[k] for k in keys]),
        plain,
    )


def markdown_html(text: str, config: Path | None = None) -> str:
    """Markdown rendered by Python-Markdown alone with the extensions (and their settings) of a
    project's mkdocs.yml, the real briefing's by default: what a builder makes of a page's
    Markdown before its theme, resolving no link."""
    names: list[str] = []
    configs: dict[str, object] = {}
    for extension in read_config(config or ROOT / "mkdocs.yml")["markdown_extensions"]:
        name = next(iter(extension)) if isinstance(extension, dict) else extension
        names.append(name)
        configs[name] = extension[name] or {} if isinstance(extension, dict) else {}
    rendered: str = markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
    return rendered


def english_label_words(*also_same: str) -> set[str]:
    """The words (four letters or more) of the labels' English defaults that a page in another
    language must not show, less those the same in French and names (JSON Schema, BibTeX,
    Zotero); `also_same`: more words a test's pages share with French."""
    words: set[str] = set()
    for text in labels.defaults().values():
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}", "", text))}
    same = {"table", "source", "sources", "note", "original", "citation", "part", "pages"}
    names = {"json", "bibtex", "schema", "zotero", "atom"}
    return words - same - set(also_same) - names


def build_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        NO_MKDOCS_2_WARNING="1",
        PYTHONPATH=str(ROOT / "hooks"),
        SOURCE_DATE_EPOCH=env.get("SOURCE_DATE_EPOCH", "1700000000"),
    )
    env.pop("GITHUB_ACTIONS", None)
    return env


def mkdocs_build(
    config: Path, out: Path, environ: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of `config` into `out`, with `environ` over the build's usual
    environment; the caller checks the outcome."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        env={**build_env(), **(environ or {})},
        check=False,
        timeout=600,
    )


BUILDERS = ("mkdocs", "zensical", "properdocs")  # `make site BUILDER=...`


def build_with(
    builder: str,
    config: Path,
    out: Path,
    site_url: str | None = None,
    work: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Build the project of `config` with `builder` into `out` as `make site BUILDER=...`
    does (Zensical: exported, built, finished), served at `site_url` when given; the caller
    checks the outcome (each builder is installed by `make test`). `work`: Zensical's export
    folder (a new one is a build without its cache; the project's .zensical/ if not given)."""
    if builder == "zensical":
        command = [sys.executable, "-m", "briefing", "build", "--builder", "zensical", str(out)]
        command += ["-f", str(config), *(["--site-url", site_url] if site_url else [])]
        command += ["--work", str(work)] if work else []
    elif builder in ("mkdocs", "properdocs"):
        if site_url:
            inherit = config.parent / ".site-url.mkdocs.yml"
            inherit.write_text(
                f"INHERIT: {config.name}\nsite_url: {json.dumps(site_url)}\n", encoding="utf-8"
            )
            config = inherit
        command = [sys.executable, "-m", builder, "build", "--strict", "-f", str(config)]
        command += ["-d", str(out)]
    else:
        raise ValueError(f"unknown builder {builder!r}; one of: {', '.join(BUILDERS)}")
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={**build_env(), **(environ or {})},
        check=False,
        timeout=600,
        cwd=config.parent,
    )


@dataclass
class Site:
    """A built site: its folder and each page's parsed HTML, by site-relative URL."""

    root: Path
    log: str

    @cached_property
    def pages(self) -> dict[str, BeautifulSoup]:
        """Parsed once and shared by every test that reads the site: change a copy
        (`copy.copy(tag)`), never these (`changed` finds out)."""
        pages = {}
        for file in sorted(self.root.rglob("*.html")):
            url = file.relative_to(self.root).as_posix()
            pages[url] = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        self._as_parsed = {url: str(page) for url, page in pages.items()}
        return pages

    def changed(self) -> list[str]:
        """The pages a test changed in place (there should be none)."""
        if "pages" not in self.__dict__:
            return []
        return [url for url, page in self.pages.items() if str(page) != self._as_parsed[url]]

    def page(self, url: str) -> BeautifulSoup:
        return self.pages[url.rstrip("/") + "/index.html" if url else "index.html"]

    def ids(self, url: str) -> set[str]:
        return {str(e["id"]) for e in self.pages[url].find_all(id=True)}

    def resolve(self, from_url: str, href: str) -> tuple[str, str] | None:
        """The page file and anchor a relative link leads to; None for other sites."""
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("mailto:"):
            return None
        base = posixpath.dirname(from_url)
        path = unquote(parts.path)
        target = posixpath.normpath(posixpath.join(base, path)) if path else from_url
        if path.endswith("/") or (self.root / target).is_dir():
            target = posixpath.join(target, "index.html")
        target = target.removeprefix("./")
        return target, unquote(parts.fragment)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listened on a moment ago (for `mkdocs serve`, which
    takes a number, not a socket): another process may take it first, so a caller retries on
    "Address already in use" (tests/test_serve.py)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


WATCHDOG = 120  # seconds before a silent server counts as hung: never a bound on speed


def log_lines(stream: object, into: queue.Queue[str]) -> None:
    """Put each line a server writes on `into` (a thread's work), then "" when it stops."""
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        into.put(line)
    into.put("")


def read_log_until(
    lines: queue.Queue[str],
    wanted: str | tuple[str, ...],
    seen: list[str],
    timeout: float = WATCHDOG,
    missing: str | None = "fail",
) -> str | None:
    """Read a server's log until a line holds `wanted` (one of them): which one it was.

    None after `timeout` seconds when `missing` is None; otherwise that fails the test (the
    timeout is a watchdog for a server that stopped talking, never a bound on speed)."""
    words = (wanted,) if isinstance(wanted, str) else wanted
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if not line:
            break
        for word in words:
            if word in line:
                return word
    if missing is None and (not seen or seen[-1]):
        return None
    pytest.fail(f"no {wanted!r} from the server:\n{''.join(seen)}")


Served = tuple[Path, str, queue.Queue[str], list[str]]


def serve_mini(
    tmp_path: Path, command: tuple[str, ...], ready: str, in_use: str
) -> Iterator[Served]:
    """The small briefing served by `command` (given `-a IP:PORT`), with an empty build cache,
    once it logged `ready`; the port is one the system just gave out, and another is tried
    should a process take it first (`in_use`)."""
    from conftest import make_project  # conftest imports this module

    project = make_project(tmp_path, "mini")
    env = build_env()
    env["BRIEFING_CACHE"] = str(tmp_path / "cache")
    for _ in range(5):
        port = free_port()
        server = subprocess.Popen(
            [*command, "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=log_lines, args=(server.stderr, lines), daemon=True).start()
        seen: list[str] = []
        if read_log_until(lines, (ready, in_use), seen) == in_use:
            stop(server)
            continue
        break
    else:
        pytest.fail(f"no free port for {command}:\n{''.join(seen)}")
    try:
        yield project, f"http://127.0.0.1:{port}/", lines, seen
    finally:
        stop(server)


def stop(process: subprocess.Popen[str]) -> None:
    """End a server started for a test or the benchmark: politely, then for sure."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def git(repo: Path, *args: str, date: str | None = None) -> None:
    """Run git in `repo` as a test editor (no user settings), at `date` when given."""
    env = dict(os.environ)
    env.update(
        GIT_AUTHOR_NAME="Editor",
        GIT_AUTHOR_EMAIL="editor@example.org",
        GIT_COMMITTER_NAME="Editor",
        GIT_COMMITTER_EMAIL="editor@example.org",
        GIT_CONFIG_GLOBAL="/dev/null",
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, env=env, capture_output=True)

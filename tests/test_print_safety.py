"""The PDF step sees only the site, every process it starts is bounded, and nothing but a checked
PDF is published (SECURITY.md; issue classes 2 and 7). Payloads of our own: images that point
out of the site, a FIFO, a device, a symlink out; typesetters that write junk, hang, or leave a
helper behind that ignores SIGTERM in a session of its own.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pypdf
import pytest
from briefing import cache
from briefing.checks.validate import validate
from briefing.model import Briefing
from briefing.publish import pdf
from briefing.publish.paper import files, run
from briefing.publish.paper.document import PrintPage
from conftest import make_project
from sitetools import ROOT, mkdocs_build

WATCHDOG = 600  # seconds: a test that hangs fails instead of holding the run


@pytest.fixture(autouse=True)
def watchdog() -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"the test did not finish within {WATCHDOG} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(WATCHDOG)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="module")
def briefing() -> Briefing:
    return validate(ROOT).checked()


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "about").mkdir(parents=True)
    (site / "img").mkdir()
    (site / "img" / "ok.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" '
        'height="10"/></svg>',
        encoding="utf-8",
    )
    (tmp_path / "secret.png").write_bytes(b"not for print")
    return site


def _job(briefing: Briefing, site_dir: Path, image: str) -> pdf.Job:
    page = PrintPage(
        "about.md",
        "about/",
        "About",
        f'<h1 id="about">About</h1><p>Words.</p><p><img alt="a figure" src="{image}"></p>',
    )
    return pdf.Job([page], briefing, site_dir=site_dir, epoch=1)


HOSTILE = [
    ("/etc/hostname", "absolute path"),
    ("../../secret.png", "climbs out"),
    ("../../../../../../etc/passwd", "climbs out"),
    ("file:///etc/passwd", "outside the site"),
    ("//example.org/pixel.png", "not a file of the site"),
    ("https://example.org/pixel.png", "not a file of the site"),
]


@pytest.mark.parametrize(("image", "why"), HOSTILE)
def test_an_image_from_outside_the_site_is_left_out_with_a_message(
    briefing: Briefing, site_dir: Path, image: str, why: str
) -> None:
    made = _job(briefing, site_dir, image).document()
    assert image not in made.html and "secret" not in made.html
    assert made.images == ()
    [problem] = made.problems
    assert problem.startswith("docs/about.md: the image ") and why in problem, problem


def test_a_missing_image_is_left_out_with_a_note_not_a_warning(
    briefing: Briefing, site_dir: Path
) -> None:
    """Broken on the web page as well, and no hazard: the log says so, --strict does not fail."""
    made = _job(briefing, site_dir, "../img/missing.png").document()
    assert made.images == () and made.problems == ()
    [note] = made.notes
    assert "'../img/missing.png' is left out of the PDF: no such file in the site" in note


def test_an_image_of_the_site_is_shown(briefing: Briefing, site_dir: Path) -> None:
    made = _job(briefing, site_dir, "../img/ok.svg").document()
    assert made.problems == () and made.images == ("img/ok.svg",)
    assert 'src="img/ok.svg"' in made.html


def test_a_symlink_out_of_the_site_is_not_followed(briefing: Briefing, site_dir: Path) -> None:
    (site_dir / "img" / "link.png").symlink_to(site_dir.parent / "secret.png")
    made = _job(briefing, site_dir, "../img/link.png").document()
    assert made.images == () and "leads out of the site" in made.problems[0]


def test_a_fifo_or_device_is_never_opened(briefing: Briefing, site_dir: Path) -> None:
    """Opening a FIFO for reading blocks until a writer comes: the watchdog would fire."""
    os.mkfifo(site_dir / "img" / "never.png")
    (site_dir / "img" / "zero.png").symlink_to("/dev/zero")  # inside-looking, leads out
    for name in ("never.png", "zero.png"):
        job = _job(briefing, site_dir, f"../img/{name}")
        made = job.document()
        assert made.images == () and made.problems, name
        assert job.inputs()  # the cache key reads nothing it refused
    with pytest.raises(files.Refused, match="not a regular file"):
        files.site_file(site_dir, "img/never.png")
    with pytest.raises(files.Refused, match="not a regular file"):
        list(files.read(site_dir / "img" / "never.png"))


def test_reads_are_bounded(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 1000)
    (site_dir / "img" / "big.png").write_bytes(b"x" * 1001)
    with pytest.raises(files.Refused, match="larger than"):
        files.site_file(site_dir, "img/big.png")
    (site_dir / "img" / "grows.png").write_bytes(b"x" * 10)
    path = files.site_file(site_dir, "img/grows.png")
    (site_dir / "img" / "grows.png").write_bytes(b"x" * 5000)  # grew after the check
    with pytest.raises(files.Refused, match="larger than"):
        files.digest(path)


def test_the_typesetter_reads_only_the_site(
    briefing: Briefing, site_dir: Path, tmp_path: Path
) -> None:
    """Whatever reaches the typesetter (here an address written straight into the document,
    past the document's own check) is refused by its fetcher, and the build is told."""
    job = _job(briefing, site_dir, "../img/ok.svg")
    made = job.document()
    sneaked = made.html.replace(
        "<p>Words.</p>",
        '<p>Words.</p><img alt="" src="file:///etc/hostname">'
        '<img alt="" src="../secret.png"><div style="background: url(/etc/passwd)">x</div>',
    )
    problems: list[str] = []
    data = pdf._print(
        pdf.Document(sneaked, made.contents, made.images, (), made.parts),
        site_dir=site_dir,
        problems=problems,
    )
    assert pypdf.PdfReader(io.BytesIO(data)).pages
    text = "\n".join(problems)
    assert "/etc/hostname" in text and "secret.png" in text and "/etc/passwd" in text
    assert b"not for print" not in data


# --- typesetters that misbehave --------------------------------------------------------------


def _fake(tmp_path: Path, body: str) -> Callable[[Path], list[str]]:
    script = tmp_path / "fake_typesetter.py"
    script.write_text(
        "import json, os, signal, sys, time\n"
        "job = json.load(open(sys.argv[1]))\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return lambda job_file: [sys.executable, str(script), str(job_file)]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ")[-1][0] != "Z"  # a zombie is dead
    except OSError:
        return False


def test_a_typesetter_that_writes_junk_fails_the_build(
    briefing: Briefing, site_dir: Path, tmp_path: Path
) -> None:
    command = _fake(tmp_path, 'open(job["out"], "wb").write(b"%PDF-junk")\n')
    out = site_dir / "downloads" / "briefing.pdf"
    store = cache.Cache(None, enabled=False)
    with pytest.raises(pdf.PdfError, match="not a usable PDF") as error:
        pdf.print_pdf(_job(briefing, site_dir, "../img/ok.svg"), out, store=store, command=command)
    assert "9 bytes" in str(error.value)
    assert not out.exists(), "nothing is published"


def test_a_typesetter_that_writes_nothing_fails_the_build(
    briefing: Briefing, site_dir: Path, tmp_path: Path
) -> None:
    command = _fake(tmp_path, "sys.exit(0)\n")
    with pytest.raises(pdf.PdfError, match="wrote no PDF"):
        pdf.print_pdf(
            _job(briefing, site_dir, "../img/ok.svg"),
            site_dir / "x.pdf",
            store=cache.Cache(None, enabled=False),
            command=command,
        )


def test_a_helper_that_leaves_the_session_is_killed_and_not_waited_for(
    briefing: Briefing, site_dir: Path, tmp_path: Path
) -> None:
    """The typesetter forks a helper that starts its own session, ignores SIGTERM, keeps the
    output pipe and sleeps; the typesetter itself exits 0 with junk. The build must neither
    wait for the helper nor leave it running."""
    pids = tmp_path / "helper.pid"
    command = _fake(
        tmp_path,
        f"""
        if os.fork() == 0:
            os.setsid()
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            if os.fork() == 0:
                open({str(pids)!r}, "w").write(str(os.getpid()))
                while True:
                    print("still here", flush=True)
                    time.sleep(0.2)
            os._exit(0)
        while not os.path.exists({str(pids)!r}):
            time.sleep(0.05)
        open(job["out"], "wb").write(b"junk")
        """,
    )
    with pytest.raises(pdf.PdfError, match="not a usable PDF"):
        pdf.print_pdf(
            _job(briefing, site_dir, "../img/ok.svg"),
            site_dir / "x.pdf",
            store=cache.Cache(None, enabled=False),
            command=command,
        )
    helper = int(pids.read_text())
    assert not _alive(helper), "the helper outlived the build"


def test_a_typesetter_that_hangs_is_stopped_with_its_helpers(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    script = tmp_path / "hang.py"
    script.write_text(
        textwrap.dedent(
            f"""
            import os, signal, time
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            child = os.fork()
            if child == 0:
                os.setsid()
                time.sleep(3600)
            open({str(pids)!r}, "w").write(f"{{os.getpid()}} {{child}}")
            time.sleep(3600)
            """
        ),
        encoding="utf-8",
    )
    folder = tmp_path / "run"
    folder.mkdir()
    ready = tmp_path / "pids"
    with pytest.raises(run.RunError, match="did not finish within 2 s"):
        run.bounded([sys.executable, str(script)], timeout=2, folder=folder)
    assert ready.exists()
    for pid in map(int, ready.read_text().split()):
        assert not _alive(pid), pid


def test_a_cache_entry_that_is_not_a_pdf_is_made_again(
    briefing: Briefing, site_dir: Path, tmp_path: Path
) -> None:
    store = cache.Cache(tmp_path / "cache")
    job = _job(briefing, site_dir, "../img/ok.svg")
    store.put("pdf", cache.key("pdf", job.inputs()), b"%PDF-1.7 damaged")
    out = site_dir / "briefing.pdf"
    result = pdf.print_pdf(job, out, store=store)
    assert result.ran, "the damaged entry was not published"
    assert len(pypdf.PdfReader(out).pages) >= job.document().parts
    assert pdf.print_pdf(job, out, store=store).ran is False  # the good one is kept


@pytest.mark.slow
def test_a_build_names_each_image_it_leaves_out_of_the_pdf(tmp_path: Path) -> None:
    project = make_project(tmp_path, "mini")
    page = next(iter(sorted((project / "docs").glob("*.md"))))
    page.write_text(
        page.read_text(encoding="utf-8")
        + '\n\n![host](/etc/hostname)\n\n<img alt="up" src="../../../../etc/passwd">\n',
        encoding="utf-8",
    )
    result = mkdocs_build(project / "mkdocs.yml", tmp_path / "out")
    assert result.returncode != 0  # --strict: each is a warning
    for image, why in (("/etc/hostname", "absolute path"), ("../../../../etc/passwd", "climbs")):
        expected = f"docs/{page.name}: the image '{image}' is left out of the PDF: "
        assert expected in result.stderr and why in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_zombie_is_not_a_process_left_to_kill() -> None:
    """A helper that has exited but is not reaped yet (a zombie: a killed browser's helpers,
    until their new parent waits for them) is dead: `kill_all` must not go round for it."""
    child = subprocess.Popen(["true"], start_new_session=True)
    try:
        os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, left unreaped
        assert child.pid not in run._marked("no-such-mark", child.pid)
    finally:
        child.wait()


def test_kill_all_waits_until_the_killed_are_gone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel ends a SIGKILLed process a little later, much later on a loaded machine:
    `kill_all` returns only once none is found alive, however many looks that takes."""
    looks: list[bool] = []
    gone_after = time.monotonic() + 0.3

    def marked(mark: str, session: int) -> list[int]:
        looks.append(time.monotonic() < gone_after)
        return [4242] if looks[-1] else []

    sent: list[tuple[int, int]] = []
    monkeypatch.setattr(run, "_marked", marked)
    monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append((pid, sig)))
    monkeypatch.setattr(os, "killpg", lambda pid, sig: sent.append((-pid, sig)))
    run.kill_all("mark", 99)
    assert looks[-1] is False and looks.count(False) == 1  # it stopped at the first empty look
    assert sent[0] == (-99, signal.SIGKILL) and (4242, signal.SIGKILL) in sent


def test_kill_all_gives_up_on_a_process_that_never_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    """A process stuck in the kernel cannot be ended by anyone: the wait for it still ends."""
    monkeypatch.setattr(run, "_marked", lambda mark, session: [4242])
    monkeypatch.setattr(os, "kill", lambda pid, sig: None)
    monkeypatch.setattr(os, "killpg", lambda pid, sig: None)
    run.kill_all("mark", 99, patience=0.2)  # returns (pytest-timeout would catch a hang)

"""The build cache: an entry is exactly what a fresh build would make, or it is not found."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from briefing import cache
from briefing.__main__ import main
from briefing.cache import Cache
from briefing.checks.validate import validate
from briefing.citations import csljson
from briefing.citations.bibliography import Bibliography
from briefing.model import Briefing, Reference, Span
from briefing.publish import pdf
from briefing.render import charts
from conftest import make_project
from sitetools import ROOT
from test_charts import SPECIALISMS

TITLE_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Title</title><id>title</id><updated>2024-01-01T00:00:00+00:00</updated></info>
  <citation><layout><text variable="title"/></layout></citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>"""


class Counting:
    """`make` that counts its calls."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self.make, self.calls = make, 0

    def __call__(self) -> bytes:
        self.calls += 1
        return self.make()


def test_entries_are_kept_on_disk_between_processes(tmp_path: Path) -> None:
    first = Cache(tmp_path)
    made = Counting(lambda: b"made once")
    assert first.remember("kind", ("input",), made) == b"made once"
    second = Cache(tmp_path)  # another build: nothing in memory
    assert second.remember("kind", ("input",), made) == b"made once"
    assert made.calls == 1
    assert (second.hits, second.misses) == (1, 0)


def test_any_change_of_input_misses(tmp_path: Path) -> None:
    store = Cache(tmp_path)
    made = Counting(lambda: b"x")
    store.remember("kind", ("a", "b"), made)
    store.remember("kind", ("ab",), made)  # parts cannot run together
    store.remember("other", ("a", "b"), made)
    store.remember("kind", ("a", b"b"), lambda: b"never")  # same bytes: found
    assert made.calls == 3


def test_a_new_engine_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Cache(tmp_path)
    store.remember("kind", ("input",), lambda: b"old engine")
    monkeypatch.setattr(cache, "fingerprint", lambda: "a changed engine")
    assert Cache(tmp_path).remember("kind", ("input",), lambda: b"new") == b"new"


def test_the_fingerprint_covers_the_engine_and_the_libraries() -> None:
    assert len(cache.fingerprint()) == 64
    assert "matplotlib" in cache._LIBRARIES and "citeproc-py" in cache._LIBRARIES


@pytest.mark.parametrize("damage", [b"", b"garbage", b"briefing-cache 1 0000\nmade once"])
def test_a_damaged_entry_is_made_again(tmp_path: Path, damage: bytes) -> None:
    Cache(tmp_path).remember("kind", ("input",), lambda: b"made once")
    (entry,) = (p for p in tmp_path.rglob("*") if p.is_file())
    entry.write_bytes(damage)
    assert Cache(tmp_path).remember("kind", ("input",), lambda: b"made again") == b"made again"
    assert Cache(tmp_path).remember("kind", ("input",), lambda: b"never") == b"made again"


def test_a_folder_that_cannot_be_written_is_named_and_the_build_goes_on(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    store = Cache(blocker / "cache")
    assert store.remember("kind", ("input",), lambda: b"made") == b"made"
    assert store.problem is not None and str(blocker / "cache") in store.problem
    assert store.folder is None
    assert store.remember("kind", ("input",), lambda: b"never") == b"made"  # in memory still


def test_off_keeps_nothing(tmp_path: Path) -> None:
    store = Cache(tmp_path, enabled=False)
    made = Counting(lambda: b"x")
    store.remember("kind", ("input",), made)
    store.remember("kind", ("input",), made)
    assert made.calls == 2
    assert not any(tmp_path.iterdir())


def test_the_folder_is_pruned_to_its_limit_oldest_first(tmp_path: Path) -> None:
    store = Cache(tmp_path, disk_limit=10_000)
    for n in range(5):
        name = cache.key("kind", (str(n),))
        store.put("kind", name, bytes(4000))
        os.utime(store._path("kind", name), (1_000_000 + n, 1_000_000 + n))  # n: its age
    newest = store._path("kind", cache.key("kind", ("4",)))
    store.prune()
    left = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in left) <= 10_000
    assert newest in left


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ({"BRIEFING_CACHE": "off"}, None),
        ({"BRIEFING_CACHE": "/x/cache"}, Path("/x/cache")),
        ({"XDG_CACHE_HOME": "/y"}, Path("/y/briefing")),
        ({}, Path.home() / ".cache" / "briefing"),
    ],
)
def test_where_the_cache_is(setting: dict[str, str], expected: Path | None) -> None:
    assert cache.folder_from_environment(setting) == expected


def test_formatted_references_come_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ref = Reference("k", "book", {"title": "A {Book}", "year": "2020"}, Span("x.bib", 1, 1))
    store = Cache(tmp_path)
    made = Bibliography("vancouver", store).format([ref])
    calls: list[object] = []
    monkeypatch.setattr(
        csljson, "to_csl_json", lambda *a, **k: calls.append(a)
    )  # would break formatting
    again = Bibliography("vancouver", Cache(tmp_path)).format([ref])
    assert again == made and not calls
    other = Reference("k", "book", {"title": "Another", "year": "2020"}, Span("x.bib", 9, 1))
    with pytest.raises(TypeError):  # a changed field misses, so the broken formatter runs
        Bibliography("vancouver", Cache(tmp_path)).format([other])


def test_an_edited_style_file_misses(tmp_path: Path) -> None:
    style = tmp_path / "mine.csl"
    source = TITLE_STYLE
    style.write_text(source, encoding="utf-8")
    ref = Reference("k", "book", {"title": "Title", "year": "2020"}, Span("x.bib", 1, 1))
    store = Cache(tmp_path / "cache")
    assert Bibliography(str(style), store).format([ref])["k"] == "Title"
    edited = source.replace(
        '<bibliography><layout><text variable="title"/>',
        '<bibliography><layout><text variable="title" suffix="!"/>',
    )
    style.write_text(edited, "utf-8")
    assert Bibliography(str(style), store).format([ref])["k"] == "Title!"


def test_charts_are_drawn_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path))
    stat = SPECIALISMS
    first = charts.svg(stat)
    monkeypatch.setattr(charts, "_draw", lambda s: pytest.fail("drawn twice"))
    assert charts.svg(stat) == first


def test_a_print_job_is_keyed_by_its_pages_the_site_files_they_show_and_its_settings(
    tmp_path: Path, briefing: Briefing
) -> None:
    (tmp_path / "img").mkdir()
    image = tmp_path / "img" / "a.png"
    image.write_bytes(b"one")
    page = pdf.PrintPage("about.md", "about/", "About", '<p><img alt="" src="../img/a.png"></p>')
    job = pdf.Job([page], briefing, site_dir=tmp_path, epoch=1)
    before = job.inputs()
    assert job.inputs() == before
    image.write_bytes(b"two")
    assert job.inputs() != before
    edited = pdf.Job([replace(page, content="<p>Edited</p>")], briefing, site_dir=tmp_path)
    assert edited.inputs() != job.inputs()
    for changed in (replace(job, epoch=2), replace(job, paper="letter")):
        assert changed.inputs() != job.inputs()
    assert 'src="img/a.png"' in job.document().html  # what the key read is what is shown


def test_the_export_names_a_cache_it_cannot_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BRIEFING_CACHE", str(blocker / "cache"))
    project = make_project(tmp_path, "mini")
    assert main(["export", "-f", str(project / "mkdocs.yml"), str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert f"note: built without a cache: the build cache {blocker / 'cache'}" in err
    assert (tmp_path / "out" / "mkdocs.yml").is_file()


@pytest.fixture
def briefing() -> Briefing:
    """The real briefing, loaded and checked."""
    return validate(ROOT, ROOT / "docs").checked()


def _count_items(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the works formatted from now on (each goes through `csljson.to_csl_json`)."""
    items: list[str] = []
    real = csljson.to_csl_json

    def counted(ref: Reference, **options: Any) -> dict[str, object]:
        items.append(ref.key)
        return real(ref, **options)

    monkeypatch.setattr(csljson, "to_csl_json", counted)
    return items


def test_a_numbered_style_formats_only_the_works_it_has_not_formatted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, briefing: Briefing
) -> None:
    refs = list(briefing.references.values())
    together = Bibliography("vancouver", Cache(None, enabled=False)).format(refs)
    one_by_one: dict[str, str] = {}
    for ref in refs:
        one_by_one |= Bibliography("vancouver", Cache(None, enabled=False)).format([ref])
    assert one_by_one == together  # entries do not depend on each other in a numbered style
    store = Cache(tmp_path)
    Bibliography("vancouver", store).format(refs)
    items = _count_items(monkeypatch)
    edited = replace(refs[3], fields={**refs[3].fields, "title": "{A} new title"})
    again = Bibliography("vancouver", Cache(tmp_path)).format([*refs[:3], edited, *refs[4:]])
    assert items == [refs[3].key]
    assert "A new title" in again[refs[3].key]
    assert {k: v for k, v in again.items() if k != refs[3].key} == {
        k: v for k, v in together.items() if k != refs[3].key
    }


def test_an_author_date_style_formats_the_set_as_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, briefing: Briefing
) -> None:
    refs = list(briefing.references.values())
    Bibliography("apa", Cache(tmp_path)).format(refs)
    items = _count_items(monkeypatch)
    Bibliography("apa", Cache(tmp_path)).format(refs)
    assert items == []
    Bibliography("apa", Cache(tmp_path)).format(refs[1:])  # another set: formatted anew
    assert len(items) == len(refs) - 1

"""The downloads' values that `make mutate` (tests/mutate.py, stage downloads) found no test
checking: fields as written, defaults of items nothing cites, figures as shown, the CSV's
quoting and formula guard, a shared bibliography's blank lines, and what `publish` reports.

Each test reads a small fixture prepared in this process (no build), so the stage's mutants
run them in seconds.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jsonschema
import pytest
import yaml
from briefing.publish import citefiles, downloads, items, pdf
from briefing.render.site import Site
from conftest import FIXTURES, make_project
from test_outputs import engine_site

SITE_URL = "https://example.org/trees/"


def _tracked(tmp_path: Path) -> Path:
    """The tracked fixture (history, responses with sources) with what it lacks: a theme's
    note, a quote and a statistic that are evidence for nothing, and a lower-case term."""
    root = tmp_path / "tracked"
    shutil.copytree(FIXTURES / "tracked", root)
    data = root / "data"
    with (data / "themes.yml").open("a", encoding="utf-8") as f:
        f.write("  note: |\n    Young trees were counted in *spring*.\n")
    with (data / "quotes.yml").open("a", encoding="utf-8") as f:
        f.write("- id: quote-spare\n  text: 'Nobody asked us.'\n  attribution: A resident\n")
    with (data / "statistics.yml").open("a", encoding="utf-8") as f:
        f.write("- id: stat-spare\n  title: Spare\n  source: Survey.\n")
        f.write("  value: 3\n  unit: people\n  key: true\n")
    with (data / "glossary.yml").open("a", encoding="utf-8") as f:
        f.write("canopy: The crowns of the trees seen from above\n")
    return root


def _yaml(root: Path, name: str) -> Any:
    return yaml.safe_load((root / "data" / f"{name}.yml").read_text(encoding="utf-8"))


def _json(site: Site, site_url: str | None = None) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(
        downloads.dump_json(downloads.briefing(site, site.citation, site_url))
    )
    return value


def _as_written(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


@pytest.fixture
def tracked(tmp_path: Path) -> tuple[Path, Site]:
    root = _tracked(tmp_path)
    return root, engine_site(root)


def test_json_gives_every_field_as_the_data_files_write_it(tracked: tuple[Path, Site]) -> None:
    root, site = tracked
    data = _json(site)
    jsonschema.validate(data, json.loads(downloads.SCHEMA.read_text(encoding="utf-8")))
    report = _yaml(root, "report")
    assert data["report"]["url"] == report["url"]
    themes = _yaml(root, "themes")
    assert [_as_written(t.get("note")) for t in themes] == [t["note"] for t in data["themes"]]
    assert data["themes"][1]["note"] == "Young trees were counted in *spring*."
    recs = {r["id"]: r for r in _yaml(root, "recommendations")}
    changes = responses = 0
    for rec in data["recommendations"]:
        written = recs[rec["id"]]
        for got, change in zip(rec["history"], written.get("history", []), strict=True):
            assert got["summary"] == _as_written(change.get("summary"))
            assert got["source"] == _as_written(change.get("source"))
            changes += change.get("source") is not None
        for got, response in zip(rec["responses"], written.get("responses", []), strict=True):
            assert got["source"] == _as_written(response.get("source"))
            assert got["text"] == _as_written(response.get("text"))
            responses += response.get("source") is not None
    assert changes and responses  # the fixture has sources to compare


def test_json_items_that_are_evidence_for_nothing_say_so_with_an_empty_list(
    tracked: tuple[Path, Site],
) -> None:
    data = _json(tracked[1])
    quotes = {q["id"]: q for q in data["quotes"]}
    stats = {s["id"]: s for s in data["statistics"]}
    assert quotes["quote-spare"]["evidence_for"] == []
    assert stats["stat-spare"]["evidence_for"] == []
    assert quotes["quote-cool-street"]["evidence_for"] != []


def test_json_glossary_is_in_alphabetical_order_whatever_the_case(
    tracked: tuple[Path, Site],
) -> None:
    terms = [entry["term"] for entry in _json(tracked[1])["glossary"]]
    assert terms == ["canopy", "NDVI", "UHI"]


def test_json_statistics_give_the_figure_or_the_table_as_the_pages_show_it() -> None:
    data = _json(engine_site(FIXTURES / "mini"))
    figure, table = data["statistics"]
    assert figure["shown"] == "at least 70%"
    assert (figure["columns"], figure["rows"], figure["units"], figure["shown_rows"]) == (
        None,
        None,
        None,
        None,
    )
    assert table["shown"] is None
    assert table["columns"] == ["District", "Canopy cover (%)"]
    assert table["rows"] == [["North", 31], ["East", 12], ["South", 18]]
    assert table["units"] == {"District": None, "Canopy cover (%)": "%"}
    assert table["shown_rows"] == [["North", "31"], ["East", "12"], ["South", "18"]]


def test_json_references_and_where_they_are_cited_are_absolute_with_a_site_address() -> None:
    site = engine_site(FIXTURES / "mini")
    data = _json(site, SITE_URL)
    refs = data["references"]
    assert refs[0]["url"] == SITE_URL + "references/#ref-oke2017"
    places = [c["url"] for r in refs for c in r["cited_in"]]
    assert places and all(p.startswith(SITE_URL) for p in places), places
    assert SITE_URL + "context/#cite-oke2017-1" in places


# --- recommendations.csv -------------------------------------------------------------------


def test_csv_quotes_every_text_cell_and_leaves_the_number_bare() -> None:
    text = downloads.recommendations_csv(engine_site(FIXTURES / "mini"))
    lines = text.split("\r\n")
    assert lines[0] == ",".join(f'"{c}"' for c in downloads.CSV_COLUMNS)
    assert lines[1].startswith('1,"rec-plant-hot-streets","Plant where the heat is worst",')
    assert lines[1].endswith(',"recommendations/plant-hot-streets/","",""')  # no history
    row = next(csv.reader(io.StringIO(lines[2])))
    assert row[8:] == ["", ""]


def test_csv_status_date_and_history_columns_hold_the_changes(
    tracked: tuple[Path, Site],
) -> None:
    root, site = tracked
    rows = list(csv.reader(io.StringIO(downloads.recommendations_csv(site), newline="")))
    recs = _yaml(root, "recommendations")
    for row, rec in zip(rows[1:], recs, strict=True):
        history = rec.get("history", [])
        assert row[9] == "; ".join(f"{c['date']} {c['status']}" for c in history)
        assert row[8] == (str(history[-1]["date"]) if history else "")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("=1+1", "'=1+1"),
        ("  =HYPERLINK(x)", "'  =HYPERLINK(x)"),  # after leading spaces too
        (" +1", "' +1"),
        ("\tplain", "'\tplain"),  # a tab first, even before harmless text
        ("\rplain", "'\rplain"),
        ("\uff1dSUM(A1)", "'\uff1dSUM(A1)"),
        ("plain =1", "plain =1"),
        ("a-b", "a-b"),
        ("", ""),
    ],
)
def test_csv_cell_neutralises_a_formula_start_and_only_that(text: str, kept: str) -> None:
    assert downloads.cell(text) == kept


# --- references.bib of a shared bibliography -----------------------------------------------


def test_a_shared_bibliography_loses_the_blank_lines_of_the_works_left_out(
    tmp_path: Path,
) -> None:
    root = make_project(tmp_path, "mini")
    bib_file = root / "references.bib"
    text = bib_file.read_text(encoding="utf-8")
    first_end = text.index("\n}\n") + 3  # after the first entry: uncited works in between
    uncited = "".join(
        f"\n@book{{uncited{n},\n  title = {{Never Cited {n}}},\n  year = {{2020}},\n}}\n"
        for n in range(3)
    )
    bib_file.write_text(text[:first_end] + uncited + text[first_end:], encoding="utf-8")
    site = engine_site(root, shared_bibliography=True)
    downloads.write(site, tmp_path / "site", bib_file)
    written = (tmp_path / "site" / "downloads" / "references.bib").read_text(encoding="utf-8")
    assert "uncited" not in written
    assert "\n\n\n" not in written
    assert written.count("\n\n@") == written.count("\n@") == len(site.numbering.order) - 1


# --- the citation files --------------------------------------------------------------------


def test_citation_files_written_are_the_paths_returned(tmp_path: Path) -> None:
    site = engine_site(FIXTURES / "tracked", published=True, site_url=SITE_URL)
    written = citefiles.write(site, tmp_path)
    on_disk = sorted(p for p in (tmp_path / "downloads" / "cite").iterdir())
    assert sorted(written) == on_disk
    assert len(on_disk) == 2 * len(site.briefing.recommendations)


# --- items' addresses ----------------------------------------------------------------------


def test_an_items_address_with_and_without_anchor_and_site_address() -> None:
    site = engine_site(FIXTURES / "mini")
    assert items.url(site, "context.md") == "context/"
    assert items.url(site, "context.md", "x") == "context/#x"
    assert items.url(site, "index.md", site_url="https://example.org/b") == (
        "https://example.org/b/"
    )
    assert items.url(site, "context.md", site_url="https://example.org/b/") == (
        "https://example.org/b/context/"
    )
    assert items.url(site, "index.md", site_url="https://example.org/b/") == (
        "https://example.org/b/"  # the home page's address, not ...b//
    )
    flat = engine_site(FIXTURES / "mini", directory_urls=False)
    assert items.url(flat, "context.md") == "context.html"
    assert items.item_url(flat, "rec-plant-hot-streets") == (
        "recommendations/plant-hot-streets.html#rec-plant-hot-streets"
    )


# --- publish: what it reports --------------------------------------------------------------


class _Clock:
    def __init__(self, *times: float) -> None:
        self.times = list(times)

    def __call__(self) -> float:
        return self.times.pop(0)


class _Background:
    def submit(self, job: pdf.Job, target: Path) -> bool:
        return False


PAGE = (
    '<p>Trees</p><img src="missing.png" alt="a missing picture">'
    '<img src="https://example.org/x.png" alt="a picture from elsewhere">'
)


def test_publish_reports_the_pdfs_time_problems_and_notes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, "mini")
    site = engine_site(root)  # no site address: no citation of the briefing
    assert site.citation is None
    pages = [pdf.PrintPage("context.md", "context/", "Context", PAGE)]
    jobs: list[pdf.Job] = []

    def print_pdf(job: pdf.Job, target: Path) -> pdf.Result:
        jobs.append(job)
        return pdf.Result(ran=True, problems=("what the typesetter refused",))

    monkeypatch.setattr(pdf, "print_pdf", print_pdf)
    clock = SimpleNamespace(perf_counter=_Clock(10.0, 12.5, 20.0, 20.0))
    monkeypatch.setattr(downloads, "time", clock)  # the module's clock alone
    out = tmp_path / "site"
    printed = downloads.publish(site, out, root / "references.bib", pages)
    assert printed.pdf_seconds == 2.5
    assert jobs[0].citation is None
    assert printed.problems == ("what the typesetter refused",)
    (note,) = printed.notes
    assert "the image 'missing.png' is left out of the PDF" in note
    background = downloads.publish(
        site,
        out,
        root / "references.bib",
        pages,
        background=_Background(),  # type: ignore[arg-type]
    )
    assert background.pdf == "background"
    (problem,) = background.problems
    assert "the image 'https://example.org/x.png' is left out of the PDF" in problem
    assert background.notes == printed.notes

"""The downloads' contents, in this process and without a build: every value, both ways.

test_downloads.py checks the files a real build writes (they parse, they validate); this file
checks what is in them against the data files, read here with PyYAML and not through the
engine, so a relation emptied, a number shifted or a field dropped fails a test. The engine's
site is prepared as a build prepares it (`render.site.prepare`), in a few seconds and in this
process, so `make mutate` can run these tests against each mutant of downloads.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from briefing.publish import downloads, pdf
from briefing.render.site import Site, prepare
from conftest import make_project
from sitetools import ROOT


def data(root: Path, name: str) -> Any:
    return yaml.safe_load((root / "data" / f"{name}.yml").read_text(encoding="utf-8"))


def nav(root: Path) -> list[Any] | None:
    config = root / "mkdocs.yml"
    found = (
        yaml.safe_load(config.read_text(encoding="utf-8")).get("nav") if config.exists() else None
    )
    return list(found) if found else None


def engine_site(root: Path, **options: Any) -> Site:
    """The briefing under `root` prepared as `mkdocs build` prepares it (a fresh one each call:
    nothing shared between tests)."""
    prepared = prepare(root, root / "docs", nav(root), **options)
    assert prepared.site is not None, prepared.result.errors
    return prepared.site


@pytest.fixture(scope="module")
def real() -> Site:
    """The real briefing's site; the tests only read it."""
    return engine_site(ROOT)


@pytest.fixture
def as_json(real: Site) -> dict[str, Any]:
    """briefing.json's content, through JSON as the file is (tuples become lists); made anew
    for each test, so mutmut sees each test call `downloads.briefing`."""
    value: dict[str, Any] = json.loads(downloads.dump_json(downloads.briefing(real)))
    return value


def _text(value: object) -> object:
    """A Markdown field as the JSON gives it: the text as written, without the final newline."""
    return value.strip() if isinstance(value, str) else value


def _page_of(site: Site, url: str) -> str:
    """The Markdown of the generated page a site-relative URL names, and the anchor's id."""
    path = url.split("#")[0]
    src = "index.md" if path == "" else path.rstrip("/") + ".md"
    if src not in site.pages:
        src = path + "index.md"
    assert src in site.pages, url
    return site.pages[src]


def _shows(markdown: str, item_id: str) -> bool:
    return any(f in markdown for f in (f'id="{item_id}"', f"{{#{item_id}}}", f"#{item_id} "))


# --- briefing.json: every relation, both ways, against the data files -----------------------


def test_json_keys_and_report_as_written(as_json: dict[str, Any]) -> None:
    assert list(as_json) == [
        "$schema",
        "format_version",
        "report",
        "glossary",
        "themes",
        "findings",
        "quotes",
        "statistics",
        "recommendations",
        "references",
    ]
    assert as_json["$schema"] == "briefing.schema.json"
    assert as_json["format_version"] == downloads.FORMAT_VERSION == 1
    report = data(ROOT, "report")
    got = as_json["report"]
    for key in ("title", "subtitle", "publisher", "licence", "doi"):
        assert got[key] == report.get(key), key
    assert got["authors"] == report["authors"]
    assert got["date"] == str(report["date"])
    assert got["keywords"] == report.get("keywords", [])
    assert got["summary"] == report["summary"].strip()
    assert got["note"] == _text(report.get("note"))
    assert got["url"] == report.get("url")
    assert got["citation"] is None  # no citation asked for
    glossary = data(ROOT, "glossary")
    assert as_json["glossary"] == [
        {"term": term, "expansion": glossary[term]} for term in sorted(glossary, key=str.casefold)
    ]


def test_json_themes_and_their_findings(as_json: dict[str, Any]) -> None:
    themes, findings = data(ROOT, "themes"), data(ROOT, "findings")
    assert [t["id"] for t in as_json["themes"]] == [t["id"] for t in themes]
    for n, (got, theme) in enumerate(zip(as_json["themes"], themes, strict=True), 1):
        assert got["number"] == n
        assert got["title"] == theme["title"]
        assert got["summary"] == _text(theme.get("summary"))
        assert got["note"] == _text(theme.get("note"))
        assert got["findings"] == [f["id"] for f in findings if f["theme"] == theme["id"]]
        assert got["url"] == f"themes/{theme['id'].removeprefix('theme-')}/#{theme['id']}"


def test_json_findings_with_theme_evidence_and_recommendations(as_json: dict[str, Any]) -> None:
    themes = {t["id"]: (n, t) for n, t in enumerate(data(ROOT, "themes"), 1)}
    findings, recs = data(ROOT, "findings"), data(ROOT, "recommendations")
    stats = {s["id"]: s for s in data(ROOT, "statistics")}
    assert [f["id"] for f in as_json["findings"]] == [f["id"] for f in findings]
    for got, finding in zip(as_json["findings"], findings, strict=True):
        n, theme = themes[finding["theme"]]
        assert got["title"] == finding["title"]
        assert got["statement"] == finding["statement"].strip()
        assert got["note"] == _text(finding.get("note"))
        assert got["theme"] == {"id": theme["id"], "number": n, "title": theme["title"]}
        assert [e["id"] for e in got["evidence"]] == finding.get("evidence", [])
        for evidence in got["evidence"]:
            kind = "quote" if evidence["id"].startswith("quote-") else "stat"
            assert evidence["kind"] == kind
            if kind == "stat":
                assert evidence["label"] == stats[evidence["id"]]["title"]
            else:
                assert re.fullmatch(r"“.+”", evidence["label"]), evidence
        addressed = [
            {"id": r["id"], "number": m, "title": r["title"]}
            for m, r in enumerate(recs, 1)
            if finding["id"] in r["addresses"]
        ]
        assert got["addressed_by"] == addressed
        assert got["url"].startswith(f"themes/{theme['id'].removeprefix('theme-')}/#")
        assert got["url"].endswith(f"#{finding['id']}")


def test_json_quotes_and_statistics_name_what_they_are_evidence_for(
    as_json: dict[str, Any],
) -> None:
    findings = data(ROOT, "findings")

    def evidence_for(item_id: str) -> list[str]:
        return [f["id"] for f in findings if item_id in f.get("evidence", [])]

    quotes, stats = data(ROOT, "quotes"), data(ROOT, "statistics")
    assert [q["id"] for q in as_json["quotes"]] == [q["id"] for q in quotes]
    assert any(q["evidence_for"] for q in as_json["quotes"])
    for got, quote in zip(as_json["quotes"], quotes, strict=True):
        assert got["evidence_for"] == evidence_for(quote["id"]), quote["id"]
        assert got["text"] == quote["text"]
        assert got["attribution"] == quote["attribution"]
        assert got["context"] == quote.get("context")
        assert got["note"] == _text(quote.get("note"))
    assert [s["id"] for s in as_json["statistics"]] == [s["id"] for s in stats]
    assert any(s["evidence_for"] for s in as_json["statistics"])
    for got, stat in zip(as_json["statistics"], stats, strict=True):
        assert got["evidence_for"] == evidence_for(stat["id"]), stat["id"]
        assert got["title"] == stat["title"]
        assert got["source"] == stat["source"].strip()
        assert got["note"] == _text(stat.get("note"))
        for key in ("value", "unit", "qualifier", "chart"):
            assert got[key] == stat.get(key), (stat["id"], key)
        assert got["key"] is (stat.get("key") is True)
        table = "rows" in stat
        assert got["columns"] == (stat["columns"] if table else None)
        assert got["rows"] == (stat["rows"] if table else None)
        assert got["url"] == f"survey/#{stat['id']}"


def test_json_recommendations_and_what_they_address(as_json: dict[str, Any]) -> None:
    recs = data(ROOT, "recommendations")
    findings = {f["id"]: f for f in data(ROOT, "findings")}
    assert [r["id"] for r in as_json["recommendations"]] == [r["id"] for r in recs]
    for n, (got, rec) in enumerate(zip(as_json["recommendations"], recs, strict=True), 1):
        assert got["number"] == n
        assert got["title"] == rec["title"]
        assert got["text"] == rec["text"].strip()
        assert got["rationale"] == _text(rec.get("rationale"))
        assert got["status"] == rec.get("status", "proposed")
        assert got["actors"] == rec.get("actors", [])
        assert got["note"] == _text(rec.get("note"))
        assert got["url"] == f"recommendations/{rec['id'].removeprefix('rec-')}/#{rec['id']}"
        assert got["addresses"] == [
            {"id": f, "title": findings[f]["title"], "theme": findings[f]["theme"]}
            for f in rec["addresses"]
        ]
        assert got["responses"] == [
            {
                "date": str(r["date"]),
                "actor": r["actor"],
                "text": r["text"].strip(),
                "source": _text(r.get("source")),
            }
            for r in rec.get("responses", [])
        ]


def test_json_relations_hold_both_ways(as_json: dict[str, Any]) -> None:
    """Each relation read from one side is the same relation read from the other."""
    findings = {f["id"]: f for f in as_json["findings"]}
    for theme in as_json["themes"]:
        assert {f for f, v in findings.items() if v["theme"]["id"] == theme["id"]} == set(
            theme["findings"]
        )
    for rec in as_json["recommendations"]:
        for finding in findings.values():
            forward = finding["id"] in [a["id"] for a in rec["addresses"]]
            backward = rec["id"] in [r["id"] for r in finding["addressed_by"]]
            assert forward == backward, (rec["id"], finding["id"])
    for item in as_json["quotes"] + as_json["statistics"]:
        for finding in findings.values():
            forward = item["id"] in [e["id"] for e in finding["evidence"]]
            assert forward == (finding["id"] in item["evidence_for"]), (item["id"], finding["id"])


def test_json_urls_lead_to_each_item_on_its_page(real: Site, as_json: dict[str, Any]) -> None:
    for kind in ("themes", "findings", "quotes", "statistics", "recommendations"):
        for item in as_json[kind]:
            page, _, anchor = item["url"].partition("#")
            assert anchor == item["id"]
            assert _shows(_page_of(real, page), item["id"]), item["url"]


def test_json_references_numbered_with_where_they_are_cited(
    real: Site, as_json: dict[str, Any]
) -> None:
    references = as_json["references"]
    numbers = real.numbering.numbers
    keys = [r["key"] for r in references]
    assert sorted(keys) == sorted(real.briefing.references)
    cited = [r for r in references if r["number"] is not None]
    assert [r["number"] for r in cited] == list(range(1, len(cited) + 1))
    assert references[: len(cited)] == cited  # numbered first, in number order
    for ref in references:
        assert ref["number"] == numbers.get(ref["key"])
        assert ref["url"] == f"references/#ref-{ref['key']}"
        assert ref["csl"]["id"] == ref["key"]
        backlinks = real.numbering.backlinks.get(ref["key"], ())
        pages = list(dict.fromkeys(link.page for link in backlinks))  # once per citing page
        assert len(ref["cited_in"]) == len(pages)
        assert sum(place["count"] for place in ref["cited_in"]) == len(backlinks)
        assert (ref["number"] is None) == (not ref["cited_in"])
        for place in ref["cited_in"]:
            page, _, anchor = place["url"].partition("#")
            assert re.fullmatch(rf"cite-{re.escape(ref['key'])}-\d+", anchor), place
            assert place["title"]
            src = (page.rstrip("/") or "index") + ".md"
            if src in real.pages:  # a generated page: the citation's anchor is on it
                assert f'id="{anchor}"' in real.pages[src], place


def test_json_with_a_site_address_and_a_citation(tmp_path: Path) -> None:
    root = make_project(tmp_path, "mini")
    report_file = root / "data" / "report.yml"
    text = report_file.read_text(encoding="utf-8")
    report_file.write_text(re.sub(r"(?m)^url: .*\n", "", text), encoding="utf-8")
    site = engine_site(root, site_url="https://example.org/trees", published=True)
    assert site.citation is not None
    data_ = downloads.briefing(site, site.citation, "https://example.org/trees")
    report = data_["report"]
    assert isinstance(report, dict)
    assert report["url"] is None  # the original report's address: it has none
    assert report["site_url"] == "https://example.org/trees"  # the briefing's own
    assert report["citation"] == {
        "key": site.citation.reference.key,
        "text": site.citation.text,
        "bibtex": site.citation.bibtex,
    }
    for kind in ("themes", "findings", "recommendations"):
        items = data_[kind]
        assert isinstance(items, list)
        for item in items:
            assert item["url"].startswith("https://example.org/trees/"), item["url"]
    assert downloads.item_url(site, "rec-plant-hot-streets", "https://example.org/t/") == (
        "https://example.org/t/recommendations/plant-hot-streets/#rec-plant-hot-streets"
    )


# --- recommendations.csv: one row each, Markdown as plain text ------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_rows_hold_the_data(real: Site) -> None:
    text = downloads.recommendations_csv(real)
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = _rows(text)
    assert tuple(rows[0]) == downloads.CSV_COLUMNS
    recs = data(ROOT, "recommendations")
    assert len(rows) == len(recs) + 1
    for n, (row, rec) in enumerate(zip(rows[1:], recs, strict=True), 1):
        got = dict(zip(downloads.CSV_COLUMNS, row, strict=True))
        assert got["number"] == str(n)
        assert got["id"] == rec["id"]
        assert got["title"] == rec["title"]
        assert got["text"] == " ".join(rec["text"].split())  # no markup in the HSST texts
        assert got["status"] == rec.get("status", "proposed")
        assert got["actors"] == "; ".join(rec.get("actors", []))
        assert got["addresses"] == "; ".join(rec["addresses"])
        assert got["url"] == f"recommendations/{rec['id'].removeprefix('rec-')}/"
    absolute = _rows(downloads.recommendations_csv(real, "https://example.org/b"))
    assert absolute[1][7] == "https://example.org/b/recommendations/registration/"


MARKED_UP = (
    "Plant *first* where it is **hottest** [@oke2017, p. 12], as @rec-watering-rota and "
    "[the rota][rec-watering-rota] say [@cityatlas2024; @greenfield2021] & more.\n\n"
    "- `shade` &amp; water\n- trees, see @theme-shade\n"
)
PLAIN = (
    "Plant first where it is hottest [{oke}, p. 12], as Recommendation 2 and the rota say "
    "[{atlas},{green}] & more.\n\nshade & water\n\ntrees, see {theme}"
)


@pytest.fixture
def marked_up(tmp_path: Path) -> Iterator[Site]:
    """The small briefing with a recommendation whose text has citations, emphasis, code,
    cross-references, an entity and a list."""
    root = make_project(tmp_path, "mini")
    recs = root / "data" / "recommendations.yml"
    text = recs.read_text(encoding="utf-8")
    old = "    Plant new street trees first in the districts with the least canopy cover.\n"
    assert old in text
    body = "".join(f"    {line}\n" if line else "\n" for line in MARKED_UP.splitlines())
    recs.write_text(text.replace(old, body, 1), encoding="utf-8")
    yield engine_site(root)
    shutil.rmtree(root)


def test_csv_writes_markdown_as_plain_text(marked_up: Site) -> None:
    numbers = marked_up.numbering.numbers
    theme = marked_up.briefing.themes[0]
    expected = PLAIN.format(
        oke=numbers["oke2017"],
        atlas=numbers["cityatlas2024"],
        green=numbers["greenfield2021"],
        theme=theme.title,
    )
    row = _rows(downloads.recommendations_csv(marked_up))[1]
    assert row[3] == expected
    assert downloads.plain_text(marked_up, "A [@nosuchkey] key") == "A [?] key"


def test_references_csl_in_reference_order(real: Site) -> None:
    order = downloads.reference_order(real)
    numbers = real.numbering.numbers
    assert order[: len(numbers)] == sorted(numbers, key=numbers.__getitem__)
    assert set(order[len(numbers) :]) == set(real.briefing.references) - set(numbers)
    assert [c["id"] for c in downloads.references_csl(real)] == order


def test_a_shared_bibliography_lists_only_cited_works(tmp_path: Path) -> None:
    root = make_project(tmp_path, "mini")
    with (root / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write("\n@book{uncited2020,\n  title = {Never Cited},\n  year = {2020},\n}\n")
    own = engine_site(root)
    assert "uncited2020" in downloads.reference_order(own)
    shared = engine_site(root, shared_bibliography=True)
    assert "uncited2020" not in downloads.reference_order(shared)
    assert downloads.reference_order(shared) == sorted(
        shared.numbering.numbers, key=shared.numbering.numbers.__getitem__
    )
    written = downloads.write(shared, tmp_path / "site", root / "references.bib")
    names = [p.name for p in written]
    assert names == [
        "briefing.json",
        "recommendations.csv",
        "references.json",
        "briefing.schema.json",
        "references.bib",
    ]
    bib_text = (tmp_path / "site" / "downloads" / "references.bib").read_text(encoding="utf-8")
    assert "uncited2020" not in bib_text and "oke2017" in bib_text
    assert "\n\n\n" not in bib_text and bib_text.endswith("}\n")
    csv_bytes = (tmp_path / "site" / "downloads" / "recommendations.csv").read_bytes()
    assert csv_bytes.count(b"\r\n") == len(shared.briefing.recommendations) + 1
    assert b"\r\r\n" not in csv_bytes


def test_write_puts_every_file_but_the_pdf(tmp_path: Path) -> None:
    root = make_project(tmp_path, "mini")
    recs = root / "data" / "recommendations.yml"
    text = recs.read_text(encoding="utf-8")
    recs.write_text(text.replace("heat is worst", "heat is worst — été", 1), encoding="utf-8")
    site = engine_site(root)
    written = downloads.write(site, tmp_path / "out", root / "references.bib")
    folder = tmp_path / "out" / downloads.FOLDER
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        d.name for d in downloads.FILES if d.name != "briefing.pdf"
    )
    assert all(p.parent == folder for p in written)
    assert (folder / "references.bib").read_bytes() == (root / "references.bib").read_bytes()
    assert (folder / "briefing.schema.json").read_bytes() == downloads.SCHEMA.read_bytes()
    saved = json.loads((folder / "briefing.json").read_text(encoding="utf-8"))
    assert saved == json.loads(downloads.dump_json(downloads.briefing(site)))
    assert (folder / "briefing.json").read_text(encoding="utf-8").endswith("}\n")
    for name in ("briefing.json", "recommendations.csv"):  # UTF-8, whatever the locale
        assert "worst — été".encode() in (folder / name).read_bytes(), name
    assert "é" in downloads.dump_json({"a": "é"})  # UTF-8, not \\u escapes
    assert downloads.dump_json({"a": [1]}) == '{\n  "a": [\n    1\n  ]\n}\n'
    refs = json.loads((folder / "references.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in refs] == downloads.reference_order(site)


class _Background:
    def __init__(self, cached: bool) -> None:
        self.cached = cached
        self.jobs: list[tuple[pdf.Job, Path]] = []

    def submit(self, job: pdf.Job, target: Path) -> bool:
        self.jobs.append((job, target))
        return self.cached


def test_publish_prints_the_pdf_or_hands_it_to_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(tmp_path, "mini")
    address = "https://example.org/trees/"
    site = engine_site(root, site_url=address, published=True)
    assert site.citation is not None
    printed: list[tuple[pdf.Job, Path]] = []

    def print_pdf(job: pdf.Job, target: Path) -> pdf.Result:
        printed.append((job, target))
        return pdf.Result(ran=len(printed) == 1)  # printed the first time, from the cache after

    monkeypatch.setattr(pdf, "print_pdf", print_pdf)
    pages = [pdf.PrintPage("index.md", "", "Home", "<p>Home page</p>")]
    out = tmp_path / "site"
    bib = root / "references.bib"
    first = downloads.publish(site, out, bib, pages, site_url=address, epoch=7, language="de")
    assert first.pdf == "printed" and first.pdf_seconds >= 0
    assert first.files[-1] == out / "downloads" / "briefing.pdf"
    assert len(first.files) == len(downloads.FILES)
    expected = pdf.Job(
        pages,
        site.briefing,
        site_url=address,
        site_dir=out,
        citation=site.citation.html,
        language="de",
        epoch=7,
        formats=site.formats,
    )
    assert printed[0] == (expected, out / "downloads" / "briefing.pdf")
    saved = json.loads((out / "downloads" / "briefing.json").read_text(encoding="utf-8"))
    assert saved["report"]["citation"]["key"] == site.citation.reference.key
    assert saved["themes"][0]["url"].startswith(address)
    table = (out / "downloads" / "recommendations.csv").read_text(encoding="utf-8")
    assert _rows(table)[1][7] == address + "recommendations/plant-hot-streets/"
    again = downloads.publish(site, out, bib, pages, paper="letter")
    assert again.pdf == "cached" and printed[1][0].paper == "letter"
    assert printed[1][0].language == "en" and printed[1][0].epoch is None
    for cached, state in ((True, "cached"), (False, "background")):
        background = _Background(cached)
        done = downloads.publish(
            site,
            out,
            bib,
            pages,
            site_url=address,
            background=background,  # type: ignore[arg-type]
            epoch=3,
        )
        assert done.pdf == state
        assert background.jobs == [
            (
                pdf.Job(
                    pages,
                    site.briefing,
                    site_url=address,
                    site_dir=out,
                    citation=site.citation.html,
                    epoch=3,
                    formats=site.formats,
                ),
                out / "downloads" / "briefing.pdf",
            )
        ]
    assert len(printed) == 2  # the background printed the others, not publish

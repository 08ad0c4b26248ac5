"""Make other briefings from the real one: new ids, keys and title, scaled by a factor.

Used by the end-to-end tests (a larger briefing builds with no code change) and the benchmark.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from briefing.sources import markup

ROOT = Path(__file__).resolve().parent.parent
HOOK = ROOT / "hooks" / "briefing_hooks.py"
LISTS = ("themes", "findings", "quotes", "statistics", "recommendations")
RELATIONS = {"theme": str, "evidence": list, "addresses": list}
MARKDOWN = ("summary", "statement", "text", "rationale", "source", "note")


def new_id(identifier: str, copy_number: int) -> str:
    return f"{identifier}-v{copy_number}"


def new_key(key: str, copy_number: int) -> str:
    return f"{key}v{copy_number}"


def rewrite(text: str, copy_number: int) -> str:
    """Markdown with every cited key and cross-referenced id renamed for one copy."""

    def render(token: markup.Token) -> str:
        if token.is_citation:
            cites = (
                f"@{new_key(c.key, copy_number)}" + (f", {c.locator}" if c.locator else "")
                for c in token.cites
            )
            return "[" + "; ".join(cites) + "]"
        assert token.target is not None
        return token.source.replace(token.target, new_id(token.target, copy_number))

    return markup.replace(text, render)


def _copy_item(item: dict[str, Any], copy_number: int, quote_text: bool) -> dict[str, Any]:
    item = copy.deepcopy(item)
    item["id"] = new_id(item["id"], copy_number)
    for field, kind in RELATIONS.items():
        if field in item:
            value = item[field]
            item[field] = (
                new_id(value, copy_number)
                if kind is str
                else [new_id(v, copy_number) for v in value]
            )
    for field in MARKDOWN:
        if field in item and isinstance(item[field], str) and not (field == "text" and quote_text):
            item[field] = rewrite(item[field], copy_number)
    for response in item.get("responses", []):
        response["text"] = rewrite(response["text"], copy_number)
    if copy_number > 1 and item.get("rows"):
        # Each copy's table has its own rows, as another briefing's would: its chart is drawn
        # for it, not found in the build cache under the first copy's numbers.
        item["rows"] = [
            [f"{row[0]} ({copy_number})", *row[1:]] if row else row for row in item["rows"]
        ]
    return item


def _write_yaml(path: Path, value: Any) -> None:
    path.write_text(
        yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8"
    )


def _bib_copy(text: str, copy_number: int) -> str:
    return re.sub(
        r"@(\w+)\s*\{\s*([^,\s]+)\s*,",
        lambda m: f"@{m.group(1)}{{{new_key(m.group(2), copy_number)},",
        text,
    )


def filler_references(count: int) -> str:
    """Well-formed, never-cited BibTeX entries, as in a publisher's shared bibliography."""
    entries = []
    for n in range(count):
        entries.append(
            f"@article{{filler{n},\n  author = {{Author{n}, Ann and Writer, Will}},\n"
            f"  title = {{A study of topic {n} in {{UK}} healthcare science}},\n"
            f"  journal = {{Journal of Examples}},\n  volume = {{{n % 40 + 1}}},\n"
            f"  pages = {{{n}--{n + 9}}},\n  year = {{{1990 + n % 35}}},\n}}\n"
        )
    return "\n".join(entries)


def make_briefing(
    dest: Path,
    copies: int = 1,
    title: str = "Another briefing, made from the HSST one",
    filler: int = 0,
    source: Path = ROOT,
    settings: dict[str, Any] | None = None,
) -> Path:
    """Write a briefing under `dest` with `copies` renamed copies of every item and reference."""
    data = dest / "data"
    data.mkdir(parents=True, exist_ok=True)
    for name in LISTS:
        items = yaml.safe_load((source / "data" / f"{name}.yml").read_text(encoding="utf-8"))
        out = [
            _copy_item(item, c, quote_text=name == "quotes")
            for c in range(1, copies + 1)
            for item in items
        ]
        _write_yaml(data / f"{name}.yml", out)
    report = yaml.safe_load((source / "data" / "report.yml").read_text(encoding="utf-8"))
    report["title"] = title
    report["summary"] = rewrite(report["summary"], 1)
    if "note" in report:
        report["note"] = rewrite(report["note"], 1)
    _write_yaml(data / "report.yml", report)
    shutil.copy(source / "data" / "glossary.yml", data / "glossary.yml")
    bib = (source / "references.bib").read_text(encoding="utf-8")
    parts = [_bib_copy(bib, c) for c in range(1, copies + 1)]
    if filler:
        parts.append(filler_references(filler))
    (dest / "references.bib").write_text("\n".join(parts), encoding="utf-8")
    docs = dest / "docs"
    shutil.copytree(source / "docs", docs, dirs_exist_ok=True)
    pages = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    copies_of: dict[str, list[str]] = {}
    for page in pages:
        text = (docs / page).read_text(encoding="utf-8")
        copies_of[page] = [page] + [page.replace(".md", f"-v{c}.md") for c in range(2, copies + 1)]
        for c, name in enumerate(copies_of[page], start=1):
            (docs / name).write_text(rewrite(text, c), encoding="utf-8")
    config = write_config(dest, source, title=title, settings=settings)
    document = yaml.safe_load(config.read_text(encoding="utf-8"))
    if "nav" in document:
        document["nav"] = [_with_copies(entry, copies_of) for entry in document["nav"]]
        _write_yaml(config, document)
    return dest


def _with_copies(entry: Any, copies_of: dict[str, list[str]]) -> Any:
    """A nav entry for a prose page becomes a section with the page and its copies."""
    title, value = next(iter(entry.items())) if isinstance(entry, dict) else (None, entry)
    if isinstance(value, str) and len(copies_of.get(value, [])) > 1:
        return {title or value: copies_of[value]}
    return entry


def write_config(
    dest: Path,
    source: Path = ROOT,
    title: str | None = None,
    nav: bool = True,
    settings: dict[str, Any] | None = None,
) -> Path:
    """The project's mkdocs.yml for a copy elsewhere: the same, with the hook path absolute."""
    config = yaml.safe_load((source / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(HOOK)]
    if title:
        config["site_name"] = title
    if not nav:
        config.pop("nav", None)
    if settings:
        config.setdefault("extra", {}).setdefault("briefing", {}).update(settings)
    path = dest / "mkdocs.yml"
    _write_yaml(path, config)
    return path

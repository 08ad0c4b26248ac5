"""crossref and xdata, as biblatex defines them: the fields an entry takes from the entries it
names, and the problems of a parent that is missing or a chain of parents that loops.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..problems import Code, Problem

# biblatex manual, appendix B ("Default Crossref Inheritance Setup"): fields no entry inherits.
NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey",
})  # fmt: skip
_NOT_TITLES = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")


def _titles(prefix: str, subtitle: str) -> dict[str, tuple[str, ...]]:
    return {
        "title": (f"{prefix}title",),
        "subtitle": (subtitle,),
        "titleaddon": (f"{prefix}titleaddon",),
        **{name: () for name in _NOT_TITLES},
    }


_MAIN = _titles("main", "mainsubtitle")
_BOOK = _titles("book", "booksubtitle")
# (parent types, child types, parent field -> the child's fields it fills); the rest of the
# parent's fields fill the same field of the child.
_RULES: tuple[tuple[frozenset[str], frozenset[str], dict[str, tuple[str, ...]]], ...] = (
    (
        frozenset({"mvbook", "book"}),
        frozenset({"inbook", "bookinbook", "suppbook"}),
        {"author": ("author", "bookauthor")},
    ),
    (frozenset({"mvbook"}), frozenset({"book", "inbook", "bookinbook", "suppbook"}), _MAIN),
    (
        frozenset({"mvcollection", "mvreference"}),
        frozenset({"collection", "reference", "incollection", "inreference", "suppcollection"}),
        _MAIN,
    ),
    (frozenset({"mvproceedings"}), frozenset({"proceedings", "inproceedings"}), _MAIN),
    (frozenset({"book"}), frozenset({"inbook", "bookinbook", "suppbook"}), _BOOK),
    (
        frozenset({"collection", "reference"}),
        frozenset({"incollection", "inreference", "suppcollection"}),
        _BOOK,
    ),
    (frozenset({"proceedings"}), frozenset({"inproceedings"}), _BOOK),
    (
        frozenset({"periodical"}),
        frozenset({"article", "suppperiodical"}),
        {
            "title": ("journaltitle",),
            "subtitle": ("journalsubtitle",),
            **{name: () for name in _NOT_TITLES},
        },
    ),
)
_TYPE_ALIASES = {"conference": "inproceedings"}


def inherited(parent_type: str, child_type: str, fields: Mapping[str, str]) -> dict[str, str]:
    """The fields a `child_type` entry takes from its `parent_type` crossref parent's `fields`,
    by biblatex's default inheritance rules (the child's own fields win over these)."""
    parent_type = _TYPE_ALIASES.get(parent_type, parent_type)
    child_type = _TYPE_ALIASES.get(child_type, child_type)
    mapping: dict[str, tuple[str, ...]] = {}
    for parents, children, rules in _RULES:
        if parent_type in parents and child_type in children:
            for name, targets in rules.items():
                mapping.setdefault(name, targets)
    result: dict[str, str] = {}
    for name, value in fields.items():
        if name in NOT_INHERITED:
            continue
        for target in mapping.get(name, (name,)):
            result.setdefault(target, value)
    return result


@dataclass
class Entry:
    """An entry as read, before inheritance: its fields by lower-case name, in file order."""

    key: str
    type: str
    fields: dict[str, str]
    line: int
    field_lines: dict[str, int]


# The fields by which an entry inherits from others, in the order they are applied.
PARENT_FIELDS = ("xdata", "crossref")


def parent_keys(fields: Mapping[str, str], name: str) -> list[str]:
    """The keys an entry's `name` field (xdata or crossref) names: a comma-separated list."""
    return [key.strip() for key in fields.get(name, "").split(",") if key.strip()]


def _parent_problem(
    entry: Entry, field: str, key: str, parent: Entry | None, chain: tuple[str, ...]
) -> tuple[Code, str] | None:
    """Why `entry` cannot inherit from the entry its `field` names as `key`, if it cannot."""
    if parent is None:
        return Code.BIB_UNKNOWN_PARENT, (
            f"entry '{entry.key}': {field} '{key}' names no entry in this file, so the fields "
            f"it should give are missing; add an entry '{key}' or delete the {field} field"
        )
    if parent.key in chain or parent.key == entry.key:
        loop = " -> ".join([*chain, entry.key, parent.key])
        return (
            Code.BIB_PARENT_LOOP,
            f"entry '{entry.key}': {field} '{key}' makes a loop ({loop}); delete one link",
        )
    return None


def inherit(
    path: str, entries: Mapping[str, Entry]
) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """Each entry's fields with those of its xdata entries, then its crossref parent, added.

    A parent that is missing, or a loop of parents, is a problem at the field that names it.
    """
    problems: list[Problem] = []
    done: dict[str, dict[str, str]] = {}
    folded = {key.casefold(): key for key in reversed(list(entries))}

    def find(key: str) -> Entry | None:
        return entries.get(key) or entries.get(folded.get(key.casefold(), "\0"))

    def resolve(entry: Entry, chain: tuple[str, ...]) -> dict[str, str]:
        if entry.key in done:
            return done[entry.key]
        fields = dict(entry.fields)
        for field in PARENT_FIELDS:
            for parent_key in parent_keys(entry.fields, field):
                parent = find(parent_key)
                line = entry.field_lines.get(field, entry.line)
                problem = _parent_problem(entry, field, parent_key, parent, chain)
                if problem:
                    problems.append(Problem(path, line, 1, problem[1], code=problem[0]))
                if problem or parent is None:
                    continue
                given = resolve(parent, (*chain, entry.key))
                if field == "xdata":
                    extra = {k: v for k, v in given.items() if k not in NOT_INHERITED}
                else:
                    extra = inherited(parent.type, entry.type, given)
                for name, value in extra.items():
                    fields.setdefault(name, value)
        done[entry.key] = fields
        return fields

    for entry in entries.values():
        resolve(entry, ())
    return done, problems

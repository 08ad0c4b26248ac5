"""The compiled validator (jsonschema-rs) never passes what python-jsonschema would refuse.

`schema.check` trusts the fast validator's yes and asks python-jsonschema on a no: a yes
where python-jsonschema finds a problem would hide that problem from editors.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from briefing.sources import schema, yamlfile
from sitetools import ROOT

ODD: list[Any] = [
    None, True, 0, -1, 1.5, 10**30, "", " ", "\n", "x", "theme-x\n", "rec-Bad", "finding-a--b",
    "2024-02-30", "2024-13", "2024-05\n", "\u202e", [], [None], {}, {"id": "x"}, ["x", "x"],
]  # fmt: skip


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:3]):  # the first items stand for the rest
            yield from _paths(item, (*path, index))


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copied = copy.deepcopy(value)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return copied


def _delete(value: Any, path: tuple[Any, ...]) -> Any:
    copied = copy.deepcopy(value)
    parent = copied
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return copied


def _mutants(value: Any) -> Iterator[Any]:
    for path in _paths(value):
        for odd in ODD:
            yield _replace(value, path, odd)
        if path:
            yield _delete(value, path)
    if isinstance(value, list) and value and isinstance(value[0], dict):
        yield [{**value[0], "unknown_field": "x"}, *value[1:]]
        yield [{k: v for k, v in value[0].items() if k != "id"}, *value[1:]]


@pytest.mark.parametrize("name", schema.DATA_FILES)
def test_the_fast_validator_is_never_more_lenient(name: str) -> None:
    # An optional file the real briefing does without (labels) is taken from the French one.
    root = ROOT if (ROOT / "data" / f"{name}.yml").is_file() else ROOT / "tests/fixtures/enquete"
    document, problems = yamlfile.load(root, f"data/{name}.yml")
    assert document is not None and not problems
    assert schema._valid(document.value, name)
    checked = 0
    for mutant in _mutants(document.value):
        # Whatever the fast validator passes, python-jsonschema must pass too (the same check
        # as "whatever python-jsonschema refuses, the fast one refuses", asked the cheap way
        # round: most mutants are refused, and the fast validator says so in microseconds).
        if schema._valid(mutant, name):
            errors = list(schema.validator(name).iter_errors(mutant))
            assert errors == [], (name, mutant)
        checked += 1
    assert checked > 100


def test_a_value_the_fast_validator_cannot_take_goes_to_the_slow_one() -> None:
    assert schema._valid([{"id": "theme-a", "title": "A", "extra": 10**400}], "themes") is False

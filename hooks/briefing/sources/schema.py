"""Check data files against their JSON Schemas, the single source of truth for their shape."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..model import Span
from ..problems import Code, Problem, nearest, non_ascii
from .yamlfile import Document

SCHEMAS = Path(__file__).parent.parent / "schemas"
LIMIT = 10**15  # the largest figure, either side of 0 (statistics.schema.json, CONTRIBUTING)
DATA_FILES = (
    "report",
    "glossary",
    "themes",
    "findings",
    "quotes",
    "statistics",
    "recommendations",
    "labels",  # optional: the words of the generated pages (labels.py)
)


if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, ValidationError
    from referencing import Registry


@cache
def _schemas() -> dict[str, Any]:
    """Every schema by file name, read once per process."""
    return {
        file.name: json.loads(file.read_text(encoding="utf-8"))
        for file in sorted(SCHEMAS.glob("*.schema.json"))
    }


@cache
def _registry() -> Registry:
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    resources = [(n, Resource.from_contents(c, DRAFT202012)) for n, c in _schemas().items()]
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """The validator for `data/<name>.yml` that explains what is wrong (python-jsonschema)."""
    from jsonschema import Draft202012Validator

    if f"{name}.schema.json" not in _schemas():
        return Draft202012Validator({})
    ref = {"$ref": f"{name}.schema.json"}
    return Draft202012Validator(ref, registry=_registry(), format_checker=None)


@cache
def _fast(name: str) -> Any:
    """A validator that only says whether `data/<name>.yml` is valid, some fifty times faster
    (jsonschema-rs, compiled). None when there is no schema for `name`."""
    if f"{name}.schema.json" not in _schemas():
        return None
    registry = jsonschema_rs.Registry(list(_schemas().items()))
    return jsonschema_rs.validator_for({"$ref": f"{name}.schema.json"}, registry=registry)


def _valid(value: Any, name: str) -> bool:
    """Whether `value` is valid for `name` by the fast validator; False when it cannot tell.

    On a no, python-jsonschema looks again, explains, and has the last word. Only a yes is
    taken as it is: were the fast validator more lenient than python-jsonschema somewhere, a
    problem would go unreported, and tests/test_schema_fast.py searches for such values.
    """
    fast = _fast(name)
    if fast is None:
        return True
    try:
        return bool(fast.is_valid(value))
    except (ValueError, TypeError, OverflowError):  # a value it cannot take (a huge integer)
        return False


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return "text" if value.strip() else "empty text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty"


TYPES = {  # every JSON Schema type: `TYPES[t]` names any type a schema can give
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping of 'field: value'",
    "boolean": "true or false",
    "null": "empty",
}


def _field(error: ValidationError) -> str:
    names = [str(p) for p in error.absolute_path if isinstance(p, str)]
    return names[-1] if names else ""


def _subject(error: ValidationError, name: str) -> str:
    """What a rule about the value's own shape is about: a field, or an entry of a list."""
    field = _field(error)
    owner = f"'{field}'" if field else f"data/{name}.yml"
    path = list(error.absolute_path)
    indexes = 0
    while path and isinstance(path.pop(), int):
        indexes += 1
    if indexes == 0:
        return owner
    return f"each entry of {owner}" if indexes == 1 else f"each value in {owner}"


def unknown_field(extra: str, allowed: list[str]) -> str:
    close = nearest(extra, allowed)
    hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
    return (
        f"unknown field '{extra}'{hint}{_lookalikes(extra)}; allowed fields: {', '.join(allowed)}"
    )


def _lookalikes(value: object) -> str:
    """'; it contains 'е' (U+0435 CYRILLIC SMALL LETTER IE), ...' for a name with non-ASCII
    characters: a look-alike letter is invisible in the message unless named."""
    note = non_ascii(value) if isinstance(value, str) else ""
    return f"; {note}" if note else ""


def _number(value: object) -> str:
    """A number as written, cut short when it is very long."""
    shown = repr(value)
    return shown if len(shown) <= 24 else f"{shown[:12]}… ({len(shown)} characters)"


def _message(error: ValidationError, name: str) -> tuple[Code, str]:
    field = _field(error)
    where = f"'{field}'" if field else f"data/{name}.yml"
    schema = error.schema if isinstance(error.schema, dict) else {}
    validator = error.validator
    if validator == "required":
        missing = error.message.split("'")[1]
        return Code.SCHEMA_REQUIRED, f"missing required field '{missing}'; add `{missing}: ...`"
    if "propertyNames" in error.absolute_schema_path:
        return Code.SCHEMA_GLOSSARY_TERM, (
            f"'{error.instance}' is not a glossary term: use letters, digits, & . - /"
            + _lookalikes(error.instance)
        )
    if validator == "type":
        expected = schema.get("type")
        wanted = (
            " or ".join(TYPES[str(t)] for t in expected)
            if isinstance(expected, list)
            else TYPES[str(expected)]
        )
        return (
            Code.SCHEMA_TYPE,
            f"{_subject(error, name)} must be {wanted}, not {_describe(error.instance)}",
        )
    if validator == "pattern":
        pattern = str(error.validator_value)
        if pattern.startswith("^(quote|stat)-"):
            return Code.SCHEMA_ID, (
                f"{where}: '{error.instance}' is not a quote or statistic id "
                "(quote-... or stat-...)"
            )
        for kind in ("theme", "finding", "quote", "stat", "rec"):
            if pattern.startswith(f"^{kind}-"):
                return Code.SCHEMA_ID, (
                    f"'{error.instance}' is not a valid {kind} id: ids look like "
                    f"'{kind}-some-words' (lower-case ASCII letters, digits, single hyphens)"
                    + _lookalikes(error.instance)
                )
        if pattern == r"\S":
            return (
                Code.SCHEMA_EMPTY,
                f"{_subject(error, name)} is empty; write its text or delete the field",
            )
        if field == "date" or "[0-9]{4}" in pattern:
            return (
                Code.SCHEMA_DATE,
                f'{where}: \'{error.instance}\' is not a date; write "YYYY-MM-DD" or "YYYY-MM"',
            )
        if "https?" in pattern:
            return (
                Code.SCHEMA_URL,
                f"{where}: '{error.instance}' is not an http(s) or mailto address",
            )
        if field == "doi":
            return (
                Code.SCHEMA_DOI,
                f"doi: '{error.instance}' is not a DOI such as 10.1234/abcd (no https://doi.org/)",
            )
        return Code.SCHEMA_PATTERN, f"{where}: '{error.instance}' is not allowed here"
    if validator in ("minimum", "maximum"):
        return Code.SCHEMA_RANGE, (
            f"{_subject(error, name)}: {_number(error.instance)} is larger than a briefing's "
            f"figures can be (at most {LIMIT:,} either side of 0); check the number, or give it in "
            "a larger unit (millions, billions)"
        )
    if validator == "minLength":
        return (
            Code.SCHEMA_EMPTY,
            f"{_subject(error, name)} is empty; write its text or delete the field",
        )
    if validator == "minItems":
        return Code.SCHEMA_MIN_ITEMS, f"{where} needs at least {error.validator_value} item(s)"
    if validator == "uniqueItems":
        return Code.SCHEMA_UNIQUE_ITEMS, f"{where} lists the same entry twice; keep one"
    if validator == "enum":
        options = ", ".join(str(v) for v in list(error.validator_value))  # type: ignore[arg-type]
        return Code.SCHEMA_ENUM, f"{where}: '{error.instance}' is not one of: {options}"
    if validator == "not" and "description" in schema:
        return Code.SCHEMA_FORBIDDEN_FIELD, str(schema["description"])
    return Code.SCHEMA_OTHER, f"{where}: {error.message}"


def check(document: Document, name: str) -> list[Problem]:
    """Every schema violation in `document`, placed at the offending node."""
    problems: list[Problem] = []
    if _valid(document.value, name):
        return problems
    found: list[tuple[Span, Code, str]] = []
    for error in _leaves(validator(name).iter_errors(document.value)):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and _extra(error):
            # One problem per unknown field, each at its own key (answered here alone: such an
            # error always names a field outside `properties`; no schema of ours has
            # patternProperties).
            schema = error.schema if isinstance(error.schema, dict) else {}
            allowed = sorted(schema.get("properties", {}))
            found += [
                (
                    document.key_span((*path, extra)),
                    Code.SCHEMA_UNKNOWN_FIELD,
                    unknown_field(extra, allowed),
                )
                for extra in _extra(error)
            ]
            continue
        if error.validator == "not":
            span = document.key_span(path)
        elif "propertyNames" in error.absolute_schema_path:
            span = document.key_span((*path, str(error.instance)))
        else:
            span = document.span(path)
        found.append((span, *_message(error, name)))
    for span, code, message in found:
        problem = Problem.at(span, message, code=code)
        if problem not in problems:
            problems.append(problem)
    return problems


def _extra(error: ValidationError) -> list[str]:
    """The unknown fields named by an additionalProperties error."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    instance = error.instance if isinstance(error.instance, dict) else {}
    return sorted(set(instance) - set(schema.get("properties", {})))


def _leaves(errors: Any) -> list[ValidationError]:
    """Flatten `if/then/else` and `$ref` wrappers so each problem is reported at its leaf."""
    result: list[ValidationError] = []
    for error in errors:
        if error.context:
            result += _leaves(error.context)
        else:
            result.append(error)
    return result

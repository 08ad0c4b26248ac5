"""Names of people and bodies: BibTeX name lists as CSL names, and a report's author.

BibTeX's name grammar ("Last, First and First Last and {Corporate Body}", with its von
particles and Jr parts) and biblatex's extended form (`family=Name, given=Ann`) are read
here, as BibTeX reads them; what a name's words say is turned into text by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable


def is_organisation(name: str) -> bool:
    """Whether a report's author (written as plain text, not BibTeX) is a body rather than a
    person: a comma, or more than three words."""
    return "," in name or len(name.split()) > 3


def csl_names(raw: str, text: Callable[[str], str]) -> list[dict[str, str]]:
    """CSL names from a BibTeX name list ("Last, First and First Last and {Corporate Body}")."""
    names: list[list[str]] = [[]]
    for word in _split_top(raw, " \t\n"):
        if word.lower() == "and":
            names.append([])
        elif word:
            names[-1].append(word)
    result = []
    for words in names:
        name = " ".join(words)
        if not name or name.lower() == "others":
            continue
        if _wholly_braced(name):
            person = {"literal": text(name[1:-1])}
        else:
            person = {k: text(v) for k, v in _person(name).items()}
        if person := {k: v for k, v in person.items() if v}:
            result.append(person)
    return result


# Titles written before a name ("Sir Ann Name", "Name, Dame Ann"): kept, after the name, as
# the CSL suffix, so that no style takes them for a given name and initials them.
HONORIFICS = frozenset({
    "sir", "dame", "lord", "lady", "baron", "baroness", "dr", "dr.", "prof", "prof.",
    "professor", "rev", "rev.", "revd", "hon", "hon.", "rt", "rt.",
})  # fmt: skip
GENERATIONS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_EXTENDED = re.compile(r"^\s*(family|given|prefix|suffix)\s*=", re.IGNORECASE)
_CSL_PART = {
    "family": "family",
    "given": "given",
    "prefix": "non-dropping-particle",
    "suffix": "suffix",
}


def _split_top(text: str, separators: str) -> list[str]:
    """Split at separator characters outside braces, as BibTeX does."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}" and depth:
            depth -= 1
        if depth == 0 and char in separators:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts]


def _wholly_braced(text: str) -> bool:
    """Whether one brace group spans the whole text: BibTeX's mark of a corporate name."""
    if not (text.startswith("{") and text.endswith("}")):
        return False
    depth = 0
    for char in text[:-1]:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return False
    return True


def _is_lower(word: str) -> bool:
    """Whether a name word is lower case as BibTeX decides: by its first letter outside braces,
    or the letter after a special character's command ({\\'e}cole is lower case); a word
    wholly in braces has no case and counts as upper."""
    depth = 0
    for index, char in enumerate(word):
        if char == "{":
            depth += 1
            if depth == 1 and word[index + 1 : index + 2] == "\\":
                special = re.match(r"\{\\(?:[A-Za-z]+|.)\s*\{?\s*([A-Za-z])", word[index:])
                return bool(special and special[1].islower())
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isalpha():
            return char.islower()
    return False


def _person(name: str) -> dict[str, str]:
    """Name parts as BibTeX reads them (First von Last; von Last, First; von Last, Jr, First)
    and as biblatex's extended form writes them (family=Name, given=Ann, prefix=van)."""
    parts = _split_top(name, ",")
    if all(_EXTENDED.match(part) for part in parts):
        extended: dict[str, str] = {}
        for part in parts:
            label, _, value = part.partition("=")
            extended[_CSL_PART[label.strip().lower()]] = value.strip()
        return extended
    if len(parts) == 1:
        words = _split_top(parts[0], " ")
        von = [i for i, word in enumerate(words[:-1]) if _is_lower(word)]
        if von:
            given, particle, family = (
                words[: von[0]],
                words[von[0] : von[-1] + 1],
                words[von[-1] + 1 :],
            )
        else:
            given, particle, family = words[:-1], [], words[-1:]
        suffix = ""
        # "Martin Luther King Jr.": BibTeX would take "Jr." for the family name.
        if len(words) > 2 and words[-1].strip("{}").lower() in GENERATIONS and not particle:
            given, family, suffix = words[:-2], words[-2:-1], words[-1]
    else:
        words = _split_top(parts[0], " ")
        lead = 0
        while lead < len(words) - 1 and _is_lower(words[lead]):
            lead += 1
        particle, family = words[:lead], words[lead:]
        suffix, given = (parts[1], parts[2:]) if len(parts) > 2 else ("", parts[1:])
        given = _split_top(" ".join(given), " ")
    titles = []
    while len(given) > 1 and given[0].strip("{}").lower() in HONORIFICS:
        titles.append(given.pop(0))
    if titles and not given:
        given = titles = []
    return {
        "family": " ".join(family),
        "given": " ".join(given),
        "non-dropping-particle": " ".join(particle),
        "suffix": ", ".join(x for x in (suffix, " ".join(titles)) if x),
    }

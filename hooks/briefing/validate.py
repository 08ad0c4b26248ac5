"""One entry point for validation: sources in, a checked briefing and its problems out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import bib, check, load
from .model import Briefing
from .problems import BriefingError, Problem


@dataclass(frozen=True)
class Result:
    briefing: Briefing | None
    sources: load.Sources
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def checked(self) -> Briefing:
        """The briefing, or a BriefingError carrying every error found."""
        if self.errors or self.briefing is None:
            raise BriefingError(self.errors or self.problems)
        return self.briefing


BIBLIOGRAPHY = ("own", "shared")


def bibliography_is_shared(settings: Mapping[str, object]) -> bool:
    """Whether `extra.briefing.bibliography` says references.bib is a shared list.

    `own` (the default): every work must be cited. `shared`: a publisher's bibliography that
    many briefings draw on; works this briefing never cites are ignored. ValueError otherwise.
    """
    value = settings.get("bibliography", "own")
    if value not in BIBLIOGRAPHY:
        raise ValueError(f"{value!r} is not one of: {', '.join(BIBLIOGRAPHY)}")
    return value == "shared"


def validate(
    root: Path, docs_dir: Path | None = None, *, shared_bibliography: bool = False
) -> Result:
    """Load and check the briefing under `root`; never raises on bad input.

    With `shared_bibliography`, references.bib is a shared list: works never cited are fine.
    """
    sources, problems = load.read_sources(root, docs_dir)
    references, bib_problems = bib.load(root)
    problems += bib_problems
    briefing = load.build(sources, references)
    if briefing is not None:
        problems += check.check(sources, briefing, shared_bibliography)
    unique = sorted(set(problems))
    return Result(briefing, sources, tuple(unique))

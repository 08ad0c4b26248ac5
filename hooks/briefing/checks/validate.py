"""One entry point for validation: sources in, a checked briefing and its problems out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..model import Briefing
from ..problems import BriefingError, Code, Problem
from ..sources import bib, content, load
from . import check


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
    root: Path,
    docs_dir: Path | None = None,
    *,
    shared_bibliography: bool = False,
    theme: Sequence[Path] = (),
) -> Result:
    """Load and check the briefing under `root`; never raises on bad input.

    With `shared_bibliography`, references.bib is a shared list: works never cited are fine,
    and only the entries the briefing mentions are read, so the work done depends on what is
    cited, not on the size of the list. (A key that is cited but not found has the whole list
    read, so the error can suggest the nearest keys.)

    `theme`: the theme's folders (`content.theme_dirs`); a file under docs/ at the path of one
    of their files is refused, as it would replace the theme's.
    """
    result = _validate(root, docs_dir, shared_bibliography, partial=shared_bibliography)
    if shared_bibliography and any(p.code == Code.BIB_UNKNOWN_KEY for p in result.errors):
        result = _validate(root, docs_dir, shared_bibliography, partial=False)
    published = content.check(root, docs_dir or root / "docs", theme)
    return Result(result.briefing, result.sources, tuple(sorted({*result.problems, *published})))


def _validate(root: Path, docs_dir: Path | None, shared: bool, partial: bool) -> Result:
    sources, problems = load.read_sources(root, docs_dir)
    keys = None
    if partial:
        texts = [d.text for d in sources.documents.values()]
        keys = bib.mentioned([*texts, *(page.text for page in sources.pages.values())])
    references, bib_problems = bib.load(root, keys=keys)
    problems += bib_problems
    briefing = load.build(sources, references)
    if briefing is not None:
        found = check.check(sources, briefing, shared_bibliography=shared)
        # A work whose entry cannot be read is reported once, at the entry, not at each citation.
        unreadable = {
            p.subject for p in bib_problems if p.code == Code.BIB_UNREADABLE_ENTRY and p.subject
        }
        problems += [
            p for p in found if not (p.code == Code.BIB_UNKNOWN_KEY and p.subject in unreadable)
        ]
    unique = sorted(set(problems))
    return Result(briefing, sources, tuple(unique))

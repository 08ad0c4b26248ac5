"""The site's bibliography: references formatted in one CSL style and language, through the
build cache, so the style is parsed and citeproc-py runs only for references not formatted
before."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import cache
from ..model import Reference
from . import cslstyle
from .csllocale import csl_locale
from .formatting import format_entries
from .groups import Grouping


def _record(refs: Iterable[Reference]) -> str:
    """What formatting depends on, as text: each work's key, type and fields, in order."""
    return json.dumps([[r.key, r.type, list(r.fields.items())] for r in refs], ensure_ascii=False)


class Bibliography:
    """Formats references in one CSL style.

    The parsed style is shared across builds in one process; formatted entries are kept in the
    build cache (`cache.py`), so the style is parsed and citeproc-py runs only for a set of
    references not formatted before.
    """

    def __init__(
        self,
        style: str = "vancouver",
        store: cache.Cache | None = None,
        language: str | None = None,
    ) -> None:
        self.style = style
        path = cslstyle.style_path(style)  # an unknown style fails here, before any page is made
        self._text: bytes | None = None
        if cslstyle.is_path(style):
            # The publisher's own file: checked now, and its text is part of the cache key.
            self._text = Path(path).read_bytes()
        # The style's terms ("Available from", "In:") in the briefing's language.
        self.locale = csl_locale(language, cslstyle.default_locale(style, self._text))
        if self._text is not None:
            cslstyle.load(style, self._text, self.locale)
        identity = self._text if self._text is not None else style.encode()
        self._identity = identity + (b"\0" + self.locale.encode() if self.locale else b"")
        self._store = store

    @property
    def csl(self) -> Any:
        """The parsed style (parsed on first use: cached entries need no style)."""
        return cslstyle.load(self.style, self._text, self.locale)

    def format(self, refs: Sequence[Reference]) -> dict[str, str]:
        """Key -> HTML entry without the style's number label, in the style's bibliography order."""
        unique = {ref.key: ref for ref in refs}
        store = self._store or cache.shared()
        if not self._numbered(store):
            # Author-date styles tell works apart by the others ("2020a"): one entry for all.
            made = store.remember_text(
                "csl",
                (self._identity, _record(unique.values())),
                lambda: json.dumps(list(self._format(unique).items())),
            )
            return dict(json.loads(made))
        # A numbered style formats each work on its own: only works not formatted before are.
        names = {
            k: cache.key("csl-entry", (self._identity, _record([r]))) for k, r in unique.items()
        }
        found = {key: store.get("csl-entry", name) for key, name in names.items()}
        formatted = self._format({k: unique[k] for k, data in found.items() if data is None})
        for key, entry in formatted.items():
            store.put("csl-entry", names[key], entry.encode("utf-8"))
        return {
            k: formatted[k] if k in formatted else (found[k] or b"").decode("utf-8") for k in unique
        }

    def grouping(self) -> Grouping:
        """How the style sorts and collapses a citation's numbers (kept in the build cache)."""
        store = self._store or cache.shared()
        flags = store.remember(
            "csl-grouping",
            (self._identity,),
            lambda: json.dumps(list(vars(cslstyle.grouping(self.csl)).values())).encode(),
        )
        sort, collapse = json.loads(flags)
        return Grouping(sort=bool(sort), collapse=bool(collapse))

    def _numbered(self, store: cache.Cache) -> bool:
        """Whether the style numbers its entries (kept in the cache: no parse when all is)."""
        flag = store.remember(
            "csl-numbered", (self._identity,), lambda: b"%d" % cslstyle.numbered(self.csl)
        )
        return flag == b"1"

    def _format(self, unique: Mapping[str, Reference]) -> dict[str, str]:
        """The entries of `unique`; the style is parsed only when there is one to format."""
        return format_entries(self.csl, unique) if unique else {}

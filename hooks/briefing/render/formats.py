"""Numbers, money, percentages and dates as the briefing's language writes them (Babel, CLDR).

The locale is a plain setting (`theme.language` of mkdocs.yml, or `extra.briefing.locale` for
a region, e.g. `en_GB`); nothing here knows where it came from.

What a number is comes from the data, never from a guess at its size alone:
- a figure's `unit`: an ISO 4217 currency code (`GBP`, `EUR`) is money; `%` a percentage;
  `year` a year (shown as written, 2015, and the word itself not shown); anything else a count
  or a measure, shown after the number;
- a table column's unit: `units: {Column: GBP}` on the statistic, else a unit in brackets at the
  end of the column's name ("Damages (GBP)", "Response rate (%)", "Founded (year)"). A first
  column of whole numbers from 1000 to 2999 is taken as years (the categories of a table by
  year); every other number gets the locale's grouping separator from four digits.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, format_percent

from ..labels import Labels
from ..model import Statistic

YEAR = "year"
PERCENT = ("%", "‰")
_UNIT = re.compile(r"^(?P<label>.*?)\s*\((?P<unit>[^()]+)\)\s*$")
_CODE = re.compile(r"^[A-Z]{3}$")


@cache
def _currencies() -> frozenset[str]:
    return frozenset(get_global("all_currencies"))


def is_currency(unit: str | None) -> bool:
    """Whether a unit is an ISO 4217 currency code Babel knows (GBP, EUR, USD...)."""
    return bool(unit) and bool(_CODE.match(unit or "")) and unit in _currencies()


@cache
def locale_of(name: str) -> Locale:
    """The CLDR locale for a language tag (`fr`, `en_GB`, `pt-BR`); ValueError if unknown."""
    try:
        return Locale.parse(name.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError) as err:
        raise ValueError(f"'{name}' is not a language Babel (CLDR) knows: {err}") from None


def column_unit(stat: Statistic, index: int) -> str | None:
    """The unit of a table's column: `units`, else "(unit)" at the end of its name, else
    `year` for a first column of whole numbers 1000-2999 (a table by year)."""
    name = stat.columns[index] if index < len(stat.columns) else ""
    if name in stat.units:
        return stat.units[name]
    match = _UNIT.match(name)
    if match:
        return match["unit"].strip()
    if index == 0:
        cells = [row[0] for row in stat.rows if row and row[0] not in (None, "")]
        if cells and all(_whole(c) and 1000 <= c <= 2999 for c in cells):  # type: ignore[operator]
            return YEAR
    return None


def _whole(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return float(value).is_integer()


@dataclass(frozen=True)
class Formats:
    """How one briefing writes its numbers and dates: its locale, and its labels' words for
    the qualifiers ("more than {value}")."""

    locale: str = "en_GB"
    labels: Labels = field(default_factory=Labels)

    @property
    def _locale(self) -> Locale:
        return locale_of(self.locale)

    def number(self, value: object, unit: str | None = None) -> str:
        """A number in a unit's way: money, a year, or a count with the locale's separators."""
        if isinstance(value, bool) or value is None:
            return "" if value is None else str(value)
        if not isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if unit == YEAR and isinstance(value, int):
            return str(value)
        if is_currency(unit):
            return self.money(value, str(unit))
        return format_decimal(Decimal(str(value)), locale=self._locale, decimal_quantization=False)

    def money(self, value: float | int, code: str) -> str:
        """£250,000 (en-GB), 250 000 £GB (fr): whole amounts without pence, others with them."""
        pattern = copy.copy(self._locale.currency_formats["standard"])
        whole = float(value).is_integer()
        if whole:
            pattern.frac_prec = (0, 0)
        shown: str = pattern.apply(
            Decimal(str(value)),
            self._locale,
            currency=code,
            currency_digits=not whole,
            decimal_quantization=not whole,
        )
        return shown

    def percent(self, value: float | int, unit: str = "%") -> str:
        """17% (en-GB), 17 % (fr); per mille in the same pattern: 2.5‰, 2,5 ‰."""
        pattern = self._locale.percent_formats[None].pattern
        scale = 100
        if unit == "‰":
            pattern, scale = pattern.replace("%", "‰"), 1000
        return format_percent(
            Decimal(str(value)) / scale, pattern, locale=self._locale, decimal_quantization=False
        )

    def figure(self, value: object, unit: str | None, qualifier: str | None = None) -> str:
        """'approximately 17%', '111 responses', 'more than £2,350', 'plus de 2 350 £GB'."""
        if isinstance(value, (int, float)) and not isinstance(value, bool) and unit in PERCENT:
            shown = self.percent(value, str(unit))
        else:
            shown = self.number(value, unit)
            if unit and unit != YEAR and not is_currency(unit):
                shown += f" {unit}"
        if qualifier and self.labels.has(f"qualifiers/{qualifier}"):
            return self.labels(f"qualifiers/{qualifier}", value=shown)
        return f"{qualifier} {shown}" if qualifier else shown

    def cell(self, stat: Statistic, index: int, value: object) -> str:
        """A table cell: money and years as their column says; numbers with separators."""
        unit = column_unit(stat, index)
        return self.number(value, unit if unit == YEAR or is_currency(unit) else None)

    def date(self, value: str) -> str:
        """'2024-05' -> 'May 2024', '2024-05-20' -> '20 May 2024' (en_GB); else as written."""
        parts = value.split("-")
        try:
            if len(parts) == 3:
                day = date(int(parts[0]), int(parts[1]), int(parts[2]))
                return format_date(day, "long", locale=self._locale)
            if len(parts) == 2:
                month = date(int(parts[0]), int(parts[1]), 1)
                return format_skeleton("yMMMM", month, locale=self._locale)
        except (ValueError, IndexError):
            pass
        return value

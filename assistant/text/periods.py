"""Periods as questions and column headers name them, normalised to years: "2019", "FY19",
"fiscal 2019", "December 31, 2019", "the year ended June 30, 2019" all name 2019; "this year" and
"last year" name the latest and the one before among the periods a table has.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

_YEAR = re.compile(r"(?<![\d$€£.,])(?:19|20)\d\d(?![\d%])")
_FISCAL_SHORT = re.compile(r"\b(?:FY|CY|F)'?(\d\d)\b", re.IGNORECASE)
_SPLIT_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*/\s*(\d\d)\b")  # "2019/20": the year that ends in 2020
_CURRENT = re.compile(r"\b(?:this|current|present|latest|most recent)\s+(?:fiscal\s+)?(?:year|period)\b", re.I)
_PREVIOUS = re.compile(r"\b(?:last|prior|previous|preceding)\s+(?:fiscal\s+)?(?:year|period)\b", re.I)


# A year set in spaced letters, as a header may be ("December 31 2 0 1 8").
_LETTER_SPACED = re.compile(r"(?<![\d,.])(?<!\b\d )\b([12]) ([09]) (\d) (\d)\b(?!\d|[,.]\d| \d)")


def _closed_up(match: re.Match[str]) -> str:
    year = "".join(match.groups())
    return year if year[:2] in ("19", "20") else match.group()


def years_closed_up(text: str) -> str:
    """`text` with its letter-spaced years written whole ("2 0 1 8" -> "2018")."""
    return _LETTER_SPACED.sub(_closed_up, text)


def fiscal_code(token: str) -> bool:
    """Whether a token names a year in short ("FY19", "CY19"): letters and digits that are a
    period, not a word with a note number glued to it."""
    return bool(_FISCAL_SHORT.fullmatch(token))


def years_in(text: str) -> frozenset[int]:
    """The years a text names: "2019", "FY19" and "F19", "2019/20" (both years)."""
    years = {int(match.group()) for match in _YEAR.finditer(years_closed_up(text))}
    years |= {2000 + int(match.group(1)) for match in _FISCAL_SHORT.finditer(text)}
    for match in _SPLIT_YEAR.finditer(text):
        years.add(int(match.group(1)[:2] + match.group(2)))
    return frozenset(years)


_QUARTER = re.compile(
    r"\b(?:Q([1-4])|([1-4])Q|(first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+(?:fiscal\s+)?quarter)\b", re.IGNORECASE
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}


def quarters_in(text: str) -> frozenset[int]:
    """The quarters a text names: "Q3", "3Q", "third quarter" -> 3."""
    return frozenset(quarters_named(text))


def quarters_named(text: str) -> list[int]:
    """The quarter of each mention of one in `text`, in order."""
    found = []
    for match in _QUARTER.finditer(text):
        number = match.group(1) or match.group(2)
        found.append(int(number) if number else _ORDINALS[match.group(3).lower()])
    return found


_PERIOD_CODE = re.compile(r"\b(?:(?:FY|CY)(?=\s*'?(?:19|20)?\d\d\b)|(?:FYs?|Q[1-4]|[1-4]Q|H[12])\b)", re.IGNORECASE)


def without_period_codes(text: str) -> str:
    """`text` with the letters that mark a period blanked ("FY" of "FY 2023", "both FYs", "Q2", "H1"): they
    are no names, and the years they stand beside are read by `years_in`."""
    return _PERIOD_CODE.sub(" ", text)


def relative_year(question: str, available: frozenset[int]) -> int | None:
    """The year "this year" or "last year" stands for among the years a table has."""
    if not available:
        return None
    ordered = sorted(available, reverse=True)
    if _CURRENT.search(question):
        return ordered[0]
    if _PREVIOUS.search(question) and len(ordered) > 1:
        return ordered[1]
    return None


# Month names in full or short ("Sept." too), the longer first.
_MONTH_NUMBERS = {
    name.lower(): n
    for n in range(1, 13)
    for name in (calendar.month_name[n], calendar.month_abbr[n], "Sept" if n == 9 else calendar.month_abbr[n])
}
_MONTHS = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_DAY = re.compile(rf"\b({_MONTHS})\.?\s+(\d{{1,2}}),?\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def days_in(text: str) -> frozenset[str]:
    """The days a text names ("August 30, 2023", "Dec. 31, 2022"), as ISO dates ("2023-08-30")."""
    found = set()
    for match in _DAY.finditer(text):
        month = _MONTH_NUMBERS[match[1].lower()]
        with contextlib.suppress(ValueError):
            found.add(datetime.date(int(match[3]), month, int(match[2])).isoformat())
    return frozenset(found)


# The fiscal years a filing names as such ("fiscal 2024", "fiscal year 2024", "FY2024", "FY 24").
_FISCAL_NAMED = re.compile(r"\bfiscal(?:\s+year)?\s+((?:19|20)\d\d)\b|\bFY\s?'?((?:19|20)?\d\d)\b", re.IGNORECASE)


def years_named(text: str) -> list[int]:
    """The year of each four-digit mention of one in `text`, in order."""
    return [int(match.group()) for match in _YEAR.finditer(text)]


def fiscal_years_named(text: str) -> list[int]:
    """The year of each mention of a fiscal year in `text` ("fiscal 2024", "FY24"), in order."""
    return [int(m[1] or (m[2] if len(m[2]) == 4 else f"20{m[2]}")) for m in _FISCAL_NAMED.finditer(text)]


@dataclass(frozen=True)
class FilingPeriod:
    """The period a filing or release reports on, as `DocumentInfo.periods` keeps it: "FY2024",
    "Q2" (or "annual"), and its cover's day "2023-07-29" (a period's end, or an 8-K's date)."""

    year: int | None = None
    quarter: int | None = None
    annual: bool = False
    day: str | None = None

    def tokens(self) -> tuple[str, ...]:
        return tuple(
            t
            for t in (
                f"FY{self.year}" if self.year is not None else None,
                "annual" if self.annual else (f"Q{self.quarter}" if self.quarter is not None else None),
                self.day,
            )
            if t is not None
        )

    @classmethod
    def read(cls, tokens: Iterable[str]) -> FilingPeriod:
        found = FilingPeriod()
        for token in tokens:
            if token.startswith("FY"):
                found = replace(found, year=int(token[2:]))
            elif token == "annual":
                found = replace(found, annual=True)
            elif len(token) == 2 and token[0] == "Q":
                found = replace(found, quarter=int(token[1]))
            elif token[:1].isdigit():
                found = replace(found, day=token)
        return found


@dataclass(frozen=True)
class AskedPeriod:
    """The periods a question names: days, years, quarters."""

    days: frozenset[str]
    years: frozenset[int]
    quarters: frozenset[int]


def asked_period(question: str) -> AskedPeriod | None:
    """The periods a question names, or None when it names none."""
    years = years_in(question)
    if not years:  # a day names its year too
        return None
    return AskedPeriod(days_in(question), years, quarters_in(question))


def period_match(asked: AskedPeriod, period: FilingPeriod) -> int:
    """How closely a filing's period meets the periods a question names: 3 its cover's day; 2 its
    fiscal year and, if the question names quarters, its quarter (if it names none, an annual
    report); 1 its fiscal year only; 0 nothing."""
    if period.day is not None and period.day in asked.days:
        return 3
    if period.year not in asked.years:
        return 0
    if asked.quarters:
        return 2 if period.quarter in asked.quarters else 1
    return 2 if period.annual else 1

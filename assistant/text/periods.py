"""Periods as questions and column headers name them, normalised to years: "2019", "FY19",
"fiscal 2019", "December 31, 2019", "the year ended June 30, 2019" all name 2019; "this year" and
"last year" name the latest and the one before among the periods a table has.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime
import re

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


def fiscal_code(token: str) -> bool:
    """Whether a token names a year in short ("FY19", "CY19"): letters and digits that are a
    period, not a word with a note number glued to it."""
    return bool(_FISCAL_SHORT.fullmatch(token))


def years_in(text: str) -> frozenset[int]:
    """The years a text names: "2019", "FY19" and "F19", "2019/20" (both years)."""
    years = {int(match.group()) for match in _YEAR.finditer(_LETTER_SPACED.sub(_closed_up, text))}
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


_PERIOD_CODE = re.compile(r"\b(?:(?:FY|CY)(?=\s*'?(?:19|20)?\d\d\b)|(?:Q[1-4]|[1-4]Q|H[12])\b)", re.IGNORECASE)


def without_period_codes(text: str) -> str:
    """`text` with the letters that mark a period blanked ("FY" of "FY 2023", "Q2", "H1"): they
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


def period_match(question: str, periods: tuple[str, ...]) -> int:
    """How closely the period of a filing (`DocumentInfo.periods`: "FY2024", "Q2", "2023-07-29")
    meets the periods a question names: 3 its cover's day; 2 its fiscal year and, if the question
    names quarters, its quarter (if it names none, an annual report); 1 its fiscal year only; 0
    nothing, or a question that names no period."""
    if not periods:
        return 0
    if days_in(question) & set(periods):
        return 3
    years = years_in(question)
    fiscal = {int(p[2:]) for p in periods if p.startswith("FY")}
    if not years & fiscal:
        return 0
    asked = quarters_in(question)
    own = {int(p[1:]) for p in periods if len(p) == 2 and p[0] == "Q"}
    return 2 if (own & asked if asked else "annual" in periods) else 1

"""Numbers as a reader reads them, in one place: "$ 4,073.9", "(494)" and "$(168)" (accounting
negatives), "−298" (a minus sign), "12.5%", "~70", ">800"; the scale a table states ("in
millions", "$'000", "£m"); and what is not a quantity (a year, a date).

Table cells, table headers and captions are read here; prose figures build on the same reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .vocabulary import currency_of, currency_pattern, month_names

# Scale words and their factors; "m", "bn", "k" and "'000" as tables abbreviate them.
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
_MINUS = "-−–"  # hyphen-minus, minus sign, en dash (as typeset tables print a negative)
_QUALIFIER_SIGNS = {"~": "approx", "≈": "approx", ">": "more_than", "<": "less_than", "≥": "at_least", "≤": "at_most"}


@dataclass(frozen=True)
class Quantity:
    """A number as printed and what it is worth (signed, not scaled)."""

    text: str
    value: float
    unit: str | None = None  # "percent" or an ISO 4217 currency code
    qualifier: str = "exact"  # as the API names them: "exact", "approx", "more_than", ...


@cache
def _cell_pattern() -> re.Pattern[str]:
    currency = currency_pattern()
    return re.compile(
        rf"""^\s*(?P<qual>[~≈<>≥≤])?\s*
        (?P<open>\()?\s*(?P<sign>[{_MINUS}])?\s*(?P<cur>{currency})?\s*
        (?P<open2>\()?\s*(?P<sign2>[{_MINUS}])?\s*
        (?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
        \s*(?P<pct>%)?\s*(?P<close>\))?\s*(?P<pct2>%)?\s*$""",
        re.VERBOSE,
    )


def read_quantity(text: str) -> Quantity | None:
    """The quantity a table cell (or any short text) holds when it is one number, else None:
    "$(31.5)" -> -31.5 USD, "(123 )" -> -123, "4.5%" -> 4.5 percent, "—" -> None."""
    match = _cell_pattern().match(text)
    if match is None:
        return None
    value = float(match["num"].replace(",", ""))
    parenthesised = bool(match["close"]) and bool(match["open"] or match["open2"])
    if bool(match["open"] or match["open2"]) != bool(match["close"]):
        return None  # an unbalanced parenthesis: not a number as a reader would print it
    if parenthesised or match["sign"] or match["sign2"]:
        value = -value
    unit = "percent" if (match["pct"] or match["pct2"]) else None
    if match["cur"]:
        unit = currency_of(match["cur"]) or unit
    return Quantity(" ".join(text.split()), value, unit, _QUALIFIER_SIGNS.get(match["qual"] or "", "exact"))


_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# A period as a column header writes it: "2019", "FY19", "FY2019", "Q3", "2019/20", "H1".
PERIOD = re.compile(r"(?:FY|CY)?'?(?:(?:1[89]|20)\d\d|\d\d)(?:/\d\d)?|Q[1-4]|H[12]", re.IGNORECASE)


def is_year(text: str) -> bool:
    """A four-digit year from 1800 to 2099, alone."""
    return bool(_YEAR.match(text.strip()))


@cache
def _date_pattern() -> re.Pattern[str]:
    months = "|".join(sorted(month_names(), key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?:{months})\.?\s+\d{{1,2}},?\s+(?:1[89]|20)\d\d|\d{{1,2}}\s+(?:{months})\.?,?\s+(?:1[89]|20)\d\d"
        rf"|(?:{months})\.?\s+(?:1[89]|20)\d\d|\d{{1,2}}/\d{{1,2}}/(?:\d{{2}}|\d{{4}}))\b",
        re.IGNORECASE,
    )


def dates_in(text: str) -> list[tuple[int, int]]:
    """Spans of the dates of a text ("December 31, 2018", "31 March 2019", "June 2017",
    "12/31/2018"): their numbers are not quantities."""
    return [match.span() for match in _date_pattern().finditer(text)]


_SCALE = re.compile(
    r"\b(?:in\s+|amounts?\s+in\s+)?(?P<word>thousands?|millions?|billions?)\b"
    r"|(?P<abbrev>['’]000s?|\b000s\b|\$000\b|\b(?:[$€£]|RMB|US\$|HK\$|R)\s?(?:m|mn|bn|k)\b|\b(?:m|mn|bn)\b(?=\)|$))",
    re.IGNORECASE,
)
_ABBREVIATED = {"m": "million", "mn": "million", "bn": "billion", "k": "thousand"}


def stated_scale(text: str) -> str | None:
    """The scale a caption or header states for its numbers: "(in millions)" -> "million",
    "$ in thousands" -> "thousand", "£m" -> "million", "$'000" -> "thousand"; None if it states none."""
    for match in _SCALE.finditer(text):
        if match["word"]:
            return match["word"].lower().rstrip("s")
        abbrev = match["abbrev"].lower()
        if "000" in abbrev:
            return "thousand"
        tail = re.sub(r"^[^a-z]*(?:rmb|us|hk|r)?\s?", "", abbrev)
        if tail in _ABBREVIATED:
            return _ABBREVIATED[tail]
    return None

"""Who issued a filing or a release, read from its opening text: the registrant a US SEC cover
page names ("Apple Inc. (Exact name of registrant as specified in its charter)") or the company a
press release names with its ticker ("Johnson & Johnson (NYSE: JNJ) today announced"); and, for a
filing, its form and the period it covers ("Form 10-K, fiscal year ended September 26, 2015"), so
that its title says what it is where the file's own title is a file name or an accession number.

The name is the text right before the cover's caption, back to the field before it (a file
number, a closing bracket, a line break); a release's name is the text before its ticker, back to
its dateline. Nothing else is guessed: a report without such a cover has no issuer here (its
manifest may still name a publisher).
"""

from __future__ import annotations

import calendar
import re
from collections import Counter
from functools import cache

from assistant.text.periods import FilingPeriod, days_in, fiscal_years_named, quarters_named, years_named
from assistant.text.vocabulary import data

# How far into a document its cover may run (an EDGAR Online sheet may come first).
OPENING_CHARS = 6000
_REGISTRANT = re.compile(r"\(\s*Exact name of (?:the\s+)?registrants?\b", re.IGNORECASE)
# Where the field before a name ends: a file number, a date's year, a bracket, a dateline's dash,
# a rule, a line.
_FIELD_END = re.compile(r"(?:No\.|Number:?|number:?)\s*[\d-]+|\b(?:19|20)\d\d\b|[)\]]|--|\s[–—-]\s|_{2,}|\n|\u00a0{2,}")


@cache
def _ticker() -> re.Pattern[str]:
    exchanges = data("organisations")["exchanges"]["names"]
    return re.compile(rf"\((?:{exchanges})\s*:\s*(?P<ticker>[A-Z][A-Z.]{{0,5}})\)")


def issuer(text: str) -> str | None:
    """The issuer a document's opening names, as printed ("Apple Inc.", "Johnson & Johnson (NYSE:
    JNJ)"), or None."""
    opening = text[:OPENING_CHARS]
    found = _REGISTRANT.search(opening)
    if found is not None:
        name = _name_before(opening, found.start())
        if name:
            return name
    ticker = _ticker().search(opening)
    if ticker is not None:
        name = _name_before(opening, ticker.start())
        if name:
            return f"{name} ({ticker.group()[1:-1]})"
    return None


_FORM = re.compile(r"\b(?:FORM|Form)\s+(?P<form>10-K|10-Q|8-K|20-F|40-F|6-K)\b")
_DATE = rf"(?:{'|'.join(calendar.month_name[1:])})\s+\d{{1,2}},\s+(?:19|20)\d\d"
_PERIOD = re.compile(
    rf"For the (?P<what>fiscal year|quarterly period|year|transition period) ended:?\s+(?P<date>{_DATE})|"
    rf"Date of report[^:]{{0,60}}:\s*(?P<report>{_DATE})",
    re.IGNORECASE,
)


def cover_title(text: str) -> str | None:
    """A filing's title from its cover: issuer, form and period ("Apple Inc. — Form 10-K, fiscal
    year ended September 26, 2015"); None when the opening is not an SEC cover."""
    opening = text[:OPENING_CHARS]
    caption = _REGISTRANT.search(opening)
    form = _FORM.search(opening, 0, caption.start()) if caption is not None else None
    name = _name_before(opening, caption.start()) if caption is not None else None
    if form is None or name is None:
        return None  # not a cover: a release may mention a "Form 8-K" it was furnished with
    period = _PERIOD.search(opening, form.end())
    title = f"{name} — Form {form['form']}"
    if period is not None and period["date"]:
        return f"{title}, {period['what'].lower()} ended {' '.join(period['date'].split())}"
    if period is not None and period["report"]:
        return f"{title}, dated {' '.join(period['report'].split())}"
    return title


def _name_before(text: str, end: int) -> str | None:
    window = text[max(0, end - 160) : end].rstrip()
    cuts = [m.end() for m in _FIELD_END.finditer(window)]
    name = " ".join(window[cuts[-1] if cuts else 0 :].split()).strip(" ,;:")
    if not 2 <= len(name) <= 120 or not re.search(r"[A-Z]", name):
        return None
    return name


def filing_periods(text: str) -> tuple[str, ...]:
    """The period a filing or a release reports on, as "FY2024", "Q2" (or "annual" for an annual
    report) and the date its cover gives ("2023-07-29"), for routing questions that name a period;
    () for other documents.

    The fiscal year is the year of the cover's date, unless the document names another candidate
    more often as fiscal ("fiscal 2024"), or, naming neither so, prints it more often: a year that
    ends in January to March may be named after the year it began (a 52-week year ended January 1,
    2022 is 2021), and a quarter ending in July 2023 may belong to fiscal 2024. A release has
    no cover: it names its own year and the year it is compared with most often, its own being the
    later; without such names, the year its opening (its headline) names most. A quarterly
    report's quarter is the one it names most ("second quarter", "Q2"); an annual report has none."""
    opening = text[:OPENING_CHARS]
    caption = _REGISTRANT.search(opening)
    form = _FORM.search(opening, 0, caption.start()) if caption is not None else None
    release = form is None and _ticker().search(opening) is not None
    if form is None and not release:
        return ()
    period = _PERIOD.search(opening, form.end()) if form is not None else None
    day = min(days_in(period["date"] or period["report"]), default=None) if period is not None else None
    named = Counter(fiscal_years_named(text))
    annual = period is not None and period["what"] is not None and "quarter" not in period["what"].lower()
    if day is not None:
        ended = int(day[:4])
        # a year that ends in January to March may be named after the year it began; a quarter, or
        # a day reported on, falls in the fiscal year that ends within a year after it
        early = int(day[5:7]) <= 3
        choices = ([ended, ended - 1] if early else [ended]) if annual else [ended, ended + 1]
        printed = Counter(years_named(text)) if len(choices) > 1 else Counter()
        year: int | None = max(choices, key=lambda y: (named[y], printed[y], y == ended))
    elif named:  # its own year and the one it is compared with are named most; its own is the later
        year = max(y for y, _ in named.most_common(2))
    else:
        years = Counter(years_named(opening[:2000]))
        year = max(years, key=lambda y: (years[y], y)) if years else None
    quarter = None
    if not annual and not (form is not None and form["form"] == "8-K"):
        quarters = Counter(quarters_named(text))
        quarter = max(quarters, key=lambda q: (quarters[q], -q)) if quarters else None
    return FilingPeriod(year, quarter, annual, day).tokens()

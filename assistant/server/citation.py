"""References to sources, formatted from the manifest for pasting into a report."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.model import DocumentInfo
from assistant.text.periods import FilingPeriod

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def format_authors(authors: tuple[str, ...]) -> str:
    if not authors:
        return ""
    if len(authors) == 1:
        return authors[0]
    if len(authors) <= 3:
        return ", ".join(authors[:-1]) + " and " + authors[-1]
    return f"{authors[0]} et al."


def format_date(date: str | None) -> str:
    """ "2019-08" -> "August 2019", "2018-11-11" -> "11 November 2018"; anything else as given."""
    if not date:
        return ""
    parts = date.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return date
    return date


def format_period(periods: Sequence[str]) -> str:
    """A filing's period as read: ("FY2024", "Q2", "2023-07-29") -> "Q2 of fiscal 2024 (to 29 July
    2023)"; ("FY2023", "annual", "2023-01-28") -> "fiscal 2023 (to 28 January 2023)"; an 8-K's day
    is the day it reports, not a period's end: "fiscal 2023 (dated 30 August 2023)"; "" for none."""
    period = FilingPeriod.read(periods)
    label = f"fiscal {period.year}" if period.year is not None else ""
    if period.quarter is not None:
        label = f"Q{period.quarter} of {label}" if label else f"Q{period.quarter}"
    if period.day is not None:
        when = f"{'to' if period.quarter is not None or period.annual else 'dated'} {format_date(period.day)}"
        label = f"{label} ({when})" if label else when
    return label


def format_citation(doc: DocumentInfo, page: int | None = None, page_end: int | None = None) -> str:
    """Authors, “Title,” Publisher, Date, p. N. (the comma inside the quotes, as style guides
    have it) — leaving out what the manifest does not know."""
    after = [p for p in (doc.publisher or "", format_date(doc.date)) if p]
    if page is not None:
        after.append(f"pp. {page}–{page_end}" if page_end and page_end != page else f"p. {page}")
    if doc.link:
        after.append(doc.link)
    if doc.title_supplied:
        title = f"[{doc.title}]" + ("," if after else "")
    else:
        title = f"“{doc.title},”" if after else f"“{doc.title}.”"
    authors = format_authors(doc.authors)
    text = " ".join(p for p in (f"{authors}," if authors else "", title, ", ".join(after)) if p)
    return text if text.endswith((".", ".”")) else text + "."

"""References to sources, formatted from the manifest for pasting into a report."""

from __future__ import annotations

from .index import StoredDocument

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


def format_citation(doc: StoredDocument, page: int | None = None, page_end: int | None = None) -> str:
    """Authors, “Title,” Publisher, Date, p. N. — leaving out what the manifest does not know."""
    title = f"[{doc.title}]" if doc.title_supplied else f"“{doc.title}”"
    parts = [p for p in (format_authors(doc.authors), title, doc.publisher or "", format_date(doc.date)) if p]
    if page is not None:
        parts.append(f"pp. {page}–{page_end}" if page_end and page_end != page else f"p. {page}")
    text = ", ".join(parts)
    if doc.link:
        text += f", {doc.link}"
    return text + "."

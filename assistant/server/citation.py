"""References to sources, formatted from the manifest for pasting into a report."""

from __future__ import annotations

from assistant.model import DocumentInfo

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

"""Paragraph assembly: the lines that furniture leaves, grouped into drafts of blocks.

Hard-wrapped lines are joined into paragraphs (undoing hyphenation at line ends where it is not a
compound); headings, list items, footnote bodies and table rows are told apart; runs of short
fragments (a legend, a glossary, a table whose cells extraction split apart) are kept as lists;
and paragraphs that a page break, sidebar or footnote cut in two are joined again.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.text.function_words import TITLE_MINOR

from .furniture import BULLET, PAGE_START, is_caps_heading
from .layout_tables import Table, find_tables, is_row
from .lines import fix_drop_cap, join_lines

# A closed paragraph ends a sentence, perhaps followed by a quote, a bracket or a note marker.
_AFTER_CLOSE = r"[\"”’)\]]*(?:\d{1,3}|[a-z]{1,2})?$"
CLOSED = re.compile(r"[.!?:;]" + _AFTER_CLOSE)
SENTENCE_CLOSED = re.compile(r"[.!?]" + _AFTER_CLOSE)  # a sentence's end, not a colon's
SENTENCE_END = (".", "!", "?")
ENUMERATED = re.compile(r"^\s*\(?(?:[ivx]{1,4}|[a-h]|\d{1,2})[.)]\s+(?=[A-Z])")
_NOTE_BODY = re.compile(r"^\s*(?P<label>[a-z]{1,2}|\d{1,3})\t\s*")
MINOR = TITLE_MINOR
OPEN_ENDINGS = MINOR | {"that", "which", "who", "whose", "his", "her", "than", "is", "are", "was", "were", "be"}


DraftKind = Literal["heading", "paragraph", "list_item", "note", "table_header", "caption", "table_row"]


@dataclass
class Draft:
    """A block before offsets are assigned; the markup reader builds these directly. A table comes
    as drafts of its header line, caption and rows, which share the table's number."""

    kind: DraftKind
    text: str
    page: int | None = None
    label: str | None = None
    table: int | None = None
    cells: list[str] | None = None  # a table row's cells, where the source says where each one ends
    columns: list[int] | None = None  # for each column of the table, the cell that covers it (colspans)
    full_width: bool = False  # its last line reached the column's width (for joins across breaks)
    fragment: bool = False  # one of a run of short pieces (legend, glossary, split table): never joined
    lines: list[str] = field(default_factory=list)


def is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text (PDF columns) rather than one paragraph per line (web captures)."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    return bool(lengths) and statistics.median(lengths) <= 120


def make_drafts(
    lines: list[str],
    page_of: list[int | None],
    furniture: set[int],
    wrapped: bool,
    vocabulary: Counter[str],
    given: dict[int, list[Draft]] | None = None,
) -> list[Draft]:
    """The lines that are not `furniture` as drafts, in reading order: headings, paragraphs, list
    items, notes and table rows (`wrapped` lines are joined into paragraphs first). `given` are
    drafts read already (a PDF's tables), by the line where they stand."""
    given = given or {}
    usable = [i not in furniture for i in range(len(lines))]
    notes = _note_lines(lines, usable)
    for i in notes:
        usable[i] = False
    tables = {table.first: table for table in find_tables(lines, usable)}
    for table in tables.values():
        for j in table.caption_lines:
            usable[j] = False
    width = _column_width(lines)
    drafts: list[Draft] = []
    block: list[int] = []

    def flush() -> None:
        if block:
            drafts.extend(_block_drafts([lines[j] for j in block], page_of[block[0]], width, vocabulary, wrapped))
            block.clear()

    i = 0
    headers: dict[str, int] = {}
    numbered = max((d.table or 0 for drafts in given.values() for d in drafts), default=0)
    while i < len(lines):
        if i in given:
            flush()
            drafts.extend(given[i])
            i += 1
            continue
        if i in tables:
            flush()
            table = tables[i]
            drafts.extend(_table_drafts(table, page_of, headers, numbered))
            i = table.last + 1
            continue
        if i in notes:
            flush()
            label, body = notes[i]
            drafts.append(Draft("note", join_lines(body, vocabulary), page_of[i], label=label))
            i += 1
            while i < len(lines) and i in notes and notes[i][0] == label:
                i += 1
            continue
        if not usable[i] or not lines[i].strip():
            flush()
        elif not wrapped or BULLET.match(lines[i]) or _starts_page(lines, page_of, i):
            flush()
            block.append(i)
            if not wrapped:
                flush()
        else:
            block.append(i)
        i += 1
    flush()
    if wrapped:
        _promote_headings(drafts, width)
    return _mark_fragment_lists(drafts)


def _promote_headings(drafts: list[Draft], width: int) -> None:
    """A one-line paragraph shaped like a heading, followed by body text, is a heading."""
    for i, draft in enumerate(drafts[:-1]):
        following = drafts[i + 1]
        if (
            draft.kind == "paragraph"
            and len(draft.lines) == 1
            and _is_heading(draft.text, width)
            and following.kind in {"paragraph", "list_item"}
            and (following.text[:1].isupper() or following.text[:1].isdigit())
            and len(following.text) > 2 * len(draft.text)
        ):
            drafts[i] = replace(draft, kind="heading")


def _starts_page(lines: list[str], page_of: list[int | None], i: int) -> bool:
    """A new page (known, or marked by extraction's leading space) begins a new block."""
    return i > 0 and (page_of[i] != page_of[i - 1] or bool(PAGE_START.match(lines[i])))


def _note_lines(lines: list[str], usable: list[bool]) -> dict[int, tuple[str, list[str]]]:
    """Footnote bodies ("a<TAB>The original ...") running to the next blank line."""
    notes: dict[int, tuple[str, list[str]]] = {}
    i = 0
    while i < len(lines):
        match = _NOTE_BODY.match(lines[i]) if usable[i] else None
        if not match:
            i += 1
            continue
        label = match["label"]
        body = [lines[i][match.end() :]]
        members = [i]
        j = i + 1
        while (
            j < len(lines)
            and lines[j].strip()
            and usable[j]
            and not _NOTE_BODY.match(lines[j])
            and not PAGE_START.match(lines[j])
        ):
            body.append(lines[j])
            members.append(j)
            j += 1
        for k in members:
            notes[k] = (label, body)
        i = j
    return notes


def _column_width(lines: list[str]) -> int:
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def _block_drafts(
    block: list[str], page: int | None, width: int, vocabulary: Counter[str], wrapped: bool
) -> list[Draft]:
    """A run of lines between blank lines: optional heading, list items, paragraph."""
    out: list[Draft] = []
    rest = list(block)
    if len(rest) <= 3 and is_caps_heading(" ".join(" ".join(rest).split())):
        return [Draft("heading", " ".join(" ".join(rest).split()), page)]
    if len(rest) == 1 and ENUMERATED.match(rest[0]) and _is_heading(ENUMERATED.sub("", rest[0]), width):
        return [Draft("heading", " ".join(rest[0].split()), page)]
    first_line = rest[0].rstrip()
    two_line = len(rest) >= 3 and _continues_heading(first_line, rest[1])
    headed = _is_heading(first_line.removesuffix("-"), width) if two_line else _is_heading(first_line, width)
    if wrapped and len(rest) >= 2 and headed:
        take = 2 if two_line else 1
        body = " ".join(rest[take:]).strip()
        if (len(body) > 60 or len(rest) - take >= 2) and (
            body[:1].isupper() or body[:1].isdigit() or body[:1] in "“\"‘'"
        ):
            out.append(Draft("heading", join_lines(rest[:take], vocabulary), page))
            rest = rest[take:]
    if not wrapped and len(rest) == 1 and _is_line_heading(rest[0]):
        return [Draft("heading", " ".join(rest[0].split()), page)]
    items: list[list[str]] = []
    for line in rest:
        if BULLET.match(line) or not items or (wrapped and _ends_paragraph(items[-1][-1], line, width)):
            items.append([line])
        else:
            items[-1].append(line)
    for item in items:
        is_item = bool(BULLET.match(item[0]))
        if is_item:
            item = [BULLET.sub("", item[0], count=1), *item[1:]]
        text = fix_drop_cap(join_lines(item, vocabulary))
        if text:
            last = item[-1].rstrip()
            out.append(
                Draft(
                    "list_item" if is_item else "paragraph",
                    text,
                    page,
                    full_width=len(last) >= 0.85 * width,
                    lines=item,
                )
            )
    return out


def _ends_paragraph(line: str, following: str, width: int) -> bool:
    """Whether a wrapped line ends its paragraph though no blank line follows (a PDF's paragraphs
    are often set apart by space, which its text does not keep): it closes a sentence well short
    of the column's width, and the next line starts a new one."""
    line, following = line.rstrip(), following.strip()
    return (
        len(line) < 0.8 * width
        and bool(SENTENCE_CLOSED.search(line))
        and (following[:1].isupper() or following[:1].isdigit() or following[:1] in "“\"‘'")
    )


def _is_heading(line: str, width: int) -> bool:
    text = " ".join(line.split())
    words = text.split()
    if not words or len(words) > 12 or len(text) > max(30, 0.75 * width) or is_row(text):
        return False
    if text.endswith((".", "!", ";", ",", ":", "-")) or not (text[0].isupper() or text[0].isdigit()):
        return False
    if words[-1].lower() in OPEN_ENDINGS - MINOR and len(words) > 3:
        return False
    if is_caps_heading(text):
        return True
    long_words = [w for w in words if len(w) >= 4 and w.lower() not in MINOR]
    capitalised = sum(1 for w in long_words if w[0].isupper() or w[0] in "‘'“\"(")
    return bool(long_words) and capitalised / len(long_words) >= 0.6


def _continues_heading(first: str, second: str) -> bool:
    first, second = first.rstrip(), second.strip()
    return (
        len(second) <= 40
        and not second.endswith(SENTENCE_END)
        and (
            first.endswith("-")
            or first.split()[-1].lower() in OPEN_ENDINGS
            or second[:1].isupper()
            or second[:1].islower()
        )
    )


def _is_line_heading(line: str) -> bool:
    text = " ".join(line.split())
    words = text.split()
    if not words or len(words) > 12 or len(text) > 160 or text.endswith((".", "!", ";", ",", ":", "...")):
        return False
    if text.endswith("?"):
        return len(words) <= 8
    return text[0].isupper() or text[0].isdigit()


def _mark_fragment_lists(drafts: list[Draft]) -> list[Draft]:
    """Runs of four or more short, unpunctuated blocks (a legend, a glossary, a table whose cells
    extraction split apart) read as a list: kept together, line by line, never joined as prose."""
    out = list(drafts)
    i = 0
    while i < len(out):
        j = i
        while (
            j < len(out)
            and _is_fragment(out[j])
            and not (out[j].kind == "heading" and j + 1 < len(out) and out[j + 1].kind == "paragraph")
        ):
            j += 1
        if j - i >= 4:
            for k in range(i, j):
                out[k] = replace(out[k], kind="list_item", full_width=False, fragment=True)
        i = max(j, i + 1)
    return out


def _is_fragment(draft: Draft) -> bool:
    text = draft.text
    return (
        draft.kind in {"paragraph", "heading"}
        and len(text) <= 220
        and len(text.split()) <= 30
        and not text.endswith(SENTENCE_END)
        and not is_caps_heading(text)
    )


def _table_drafts(table: Table, page_of: list[int | None], headers: dict[str, int], numbered: int) -> list[Draft]:
    key = " ".join((table.header or "").split()).lower()
    out: list[Draft] = []
    if key and key in headers:
        number = headers[key]
    else:
        number = len({n for k, n in headers.items() if not k.startswith("caption:")}) + 1 + numbered
        headers[key or f"#{number}"] = number
        if table.header:
            out.append(Draft("table_header", table.header, page_of[table.first], table=number))
    if table.caption and f"caption:{number}" not in headers:
        headers[f"caption:{number}"] = number
        out.append(Draft("caption", table.caption, page_of[table.first], table=number))
    for line_index, row in table.rows:
        out.append(Draft("table_row", row, page_of[line_index], table=number))
    return out

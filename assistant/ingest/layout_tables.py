"""Tables in extracted text: find them among lines and keep each row whole, with its header.

PDF extraction flattens a table into lines. Two shapes occur: a row per line with its label
first ("Portugal 97 2,926 -/4,605 98 >800 99 12/2016"), and label lines followed by a line of
numbers ("Returned \\nhome\\n\\n124 38 80 242"). Both become rows "label cells...", each carrying
the table's header so it can be read and cited on its own. A table continued on the next page
under a repeated header stays one table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.text.vocabulary import currency_signs

_CELL = re.compile(
    rf"^(?:[~<>≈]\s?)?[-–]?[{currency_signs()}]?\d[\d,./\-+]*%?[a-z]{{0,2}}$|^N/?A$|^[-–]$|^[-–]?/[-\d,]+$|^\d[\d,]*/[-–]$"
)
_ALPHA = re.compile(r"[A-Za-z\u00C0-\u024F]")
_CAPTION = re.compile(r"^\s*Table\b\s*(\d+[.:]?|[:.])")
_TERMINAL = (".", "!", "?", ";")

MIN_ROWS = 3
MAX_LABEL_WORDS = 4


@dataclass
class Table:
    """A table found among lines: which lines it spans and the rows it reads as."""

    first: int  # index of its first line (header or first row)
    last: int  # index of its last line
    header: str | None
    rows: list[tuple[int, str]] = field(default_factory=list)  # (line index, row text)
    caption: str | None = None
    caption_lines: tuple[int, ...] = ()


def is_row(line: str) -> bool:
    """A line that reads as a table row: at least two cells of figures, at most a short label."""
    tokens = line.split()
    if not tokens or len(line) > 110:
        return False
    cells = sum(1 for token in tokens if _CELL.match(token))
    words = [token for token in tokens if not _CELL.match(token) and _ALPHA.search(token)]
    # "COUNTRY 18 FFs 19 SENTBACK/STOP" is a header with note numbers, not a row
    capitals = sum(1 for word in words if word.isupper() and len(re.sub(r"\W", "", word)) >= 3)
    return cells >= 2 and len(words) <= MAX_LABEL_WORDS and cells >= len(words) / 2 and capitals < 2


def _is_label(line: str) -> bool:
    stripped = line.strip()
    return (
        bool(stripped)
        and len(stripped) <= 40
        and len(stripped.split()) <= MAX_LABEL_WORDS
        and not stripped.endswith(_TERMINAL)
    )


def _is_header_line(line: str) -> bool:
    """Short, unpunctuated, in capitals or title case: "REMAIN RETURNED DATE", "Men Women Children"."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80 or stripped.endswith(_TERMINAL):
        return False
    words = [w for w in stripped.split() if _ALPHA.search(w)]
    if not words:
        return False
    significant = [w for w in words if len(w) >= 4 or w.isupper()]
    capitalised = sum(1 for w in significant if w[0].isupper())
    return bool(significant) and capitalised / len(significant) >= 0.6


def _mostly_upper(line: str) -> bool:
    words = [w for w in line.split() if _ALPHA.search(w)]
    upper = sum(1 for w in words if w.upper() == w)
    return bool(words) and upper / len(words) >= 0.6


def find_tables(lines: Sequence[str], usable: Sequence[bool]) -> list[Table]:
    """Tables among `lines`; `usable[i]` is False for lines already claimed (notes, furniture)."""
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        if not (usable[i] and is_row(lines[i])):
            i += 1
            continue
        region = _region(lines, usable, i)
        groups = _groups_above(lines, usable, i)
        lead: list[int] = []
        label_led = not _CELL.match(lines[i].split()[0])
        if not label_led and groups and all(_is_label(lines[k]) for k in groups[0]):
            lead, groups = groups[0], groups[1:]  # the first row's own label lines
        rows = _rows(lines, sorted(lead) + region)
        if len(rows) < MIN_ROWS:
            i = region[-1] + 1
            continue
        header_lines = _header_lines(lines, groups)
        header = " ".join(" ".join(lines[j].split()) for j in header_lines) or None
        first = min(header_lines + lead + [i])
        table = Table(first=first, last=region[-1], header=header, rows=rows)
        table.caption, table.caption_lines = _caption_near(lines, usable, first, region[-1])
        tables.append(table)
        i = region[-1] + 1
    return tables


def _region(lines: Sequence[str], usable: Sequence[bool], start: int) -> list[int]:
    """Line indices from `start` over rows, blank lines and row labels; ends on a row."""
    members = [start]
    j = start + 1
    pending: list[int] = []
    while j < len(lines):
        line = lines[j]
        if not usable[j]:
            j += 1
            continue
        if is_row(line):
            members.extend(pending)
            members.append(j)
            pending = []
        elif not line.strip() or _is_label(line):
            pending.append(j)
            if len([p for p in pending if lines[p].strip()]) > 3:
                break
        else:
            break
        j += 1
    return sorted(members)


def _rows(lines: Sequence[str], region: list[int]) -> list[tuple[int, str]]:
    rows: list[tuple[int, str]] = []
    label: list[tuple[int, str]] = []
    for j in region:
        text = " ".join(lines[j].split())
        if not text:
            continue
        if is_row(text):
            if label and _CELL.match(text.split()[0]):
                text = " ".join(part for _, part in label) + " " + text
                rows.append((label[0][0], text))
            else:
                rows.append((j, text))
            label = []
        else:
            label.append((j, text))
    return rows


def _groups_above(lines: Sequence[str], usable: Sequence[bool], first_row: int) -> list[list[int]]:
    """Groups of short lines above a row, nearest first; groups are separated by blank lines."""
    groups: list[list[int]] = []
    current: list[int] = []
    j = first_row - 1
    while j >= 0 and len(groups) < 5:
        line = lines[j]
        if not usable[j]:
            pass
        elif not line.strip():
            if current:
                groups.append(sorted(current))
                current = []
        elif (_is_header_line(line) or _is_label(line)) and len(current) < 3:
            current.append(j)
            if re.match(r"^ {1,2}\S", line):
                break  # the header opens its page; what stands above belongs to the page before
        else:
            break
        j -= 1
    if current:
        groups.append(sorted(current))
    return groups


def _header_lines(lines: Sequence[str], groups: list[list[int]]) -> list[int]:
    """The nearest group is the header; capitalised groups above it continue it ("COUNTRY FFs /
    REMAIN RETURNED DATE"). A caption or a group in ordinary case ends it."""
    chosen: list[int] = []
    for n, group in enumerate(groups):
        if _CAPTION.match(lines[group[0]]):
            break
        upper = all(_mostly_upper(lines[k]) for k in group)
        if not all(_is_header_line(lines[k]) for k in group) or (n > 0 and not upper):
            break
        chosen.extend(group)
        if not upper:
            break
    return sorted(chosen)


def _caption_near(
    lines: Sequence[str], usable: Sequence[bool], first: int, last: int
) -> tuple[str | None, tuple[int, ...]]:
    """A "Table N: ..." caption within a few lines before the table or after it."""
    for candidates in (range(first - 1, max(-1, first - 6), -1), range(last + 1, min(len(lines), last + 16))):
        for j in candidates:
            if usable[j] and _CAPTION.match(lines[j]):
                taken = [j]
                k = j + 1
                while k < len(lines) and lines[k].strip() and not is_row(lines[k]) and len(taken) < 3:
                    if lines[k - 1].rstrip().endswith(_TERMINAL) or re.match(r"^ {1,2}\S", lines[k]):
                        break
                    if _mostly_upper(lines[k]) and _is_header_line(lines[k]):
                        break
                    taken.append(k)
                    k += 1
                return " ".join(" ".join(lines[t].split()) for t in taken), tuple(taken)
    return None, ()

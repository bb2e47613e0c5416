"""PDF pages read with their layout (pypdfium2): text in reading order, and tables found by the
positions of their text.

pdfium reports each page's text as runs with their boxes. A line is the runs that share a
height; a table is a run of lines whose numbers line up in columns (their right edges, as
financial tables align them), with the label of each row at the left and the header lines just
above whose words stand over the columns (a date split over two lines, "Years ended" over all
of them). What lies between tables is the page's own text, in pdfium's order, band by band. A
table comes out as drafts of a caption, header rows and body rows with their cells, placed where
it stood on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from assistant.text.numbers import is_year, read_quantity

from .paragraphs import Draft

_SAME_LINE = 0.5  # runs overlapping vertically by this share of the smaller height are one line
_RUN_GAP = 2.5  # points between runs that belong to one cell
_TOUCHING = 1.0  # points between runs that are one word
_WORD_SPACE = 0.8  # a gap up to this share of the letters' height is a word space; a wider one, a column's
_SIGN_GAP = 100.0  # points between a lone currency sign and its number ("$        9.28")
_COLUMN_SLACK = 4.0  # points of play in a column's right edge
_MIN_ROWS = 3  # rows with numbers that make a table
_GAP_LINES = 3  # label lines in a row between rows with numbers (sections, wrapped labels)
_HEADER_LINES = 4  # lines above a table that may head it
_CAPTION_LINES = 2
_HEADER_REACH = 30.0  # points left of the value columns a header word may start
_EMPTY = {"-", "–", "—"}
_SIGNS = {"$", "€", "£", "¥", "US$"}


@dataclass
class _Run:
    x0: float
    x1: float
    text: str
    digits_x1: float | None = None  # right edge of its last digit: "(1,327 )" aligns on the 7

    @property
    def aligned_right(self) -> float:
        return self.x1 if self.digits_x1 is None else self.digits_x1


@dataclass
class _Line:
    top: float
    bottom: float
    runs: list[_Run] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(run.text for run in self.runs)


@dataclass
class PageTable:
    """A table found on a page: the band it covers and its drafts."""

    top: float
    bottom: float
    drafts: list[Draft]


def page_tables(textpage: Any, number: int, table: int) -> list[PageTable]:
    """The tables of one page (numbered from `table` + 1), top first."""
    lines = _lines(textpage)
    found: list[PageTable] = []
    i = 0
    while i < len(lines):
        region = _region(lines, i)
        if region is None:
            i += 1
            continue
        first, last, columns = region
        value_left = _value_left(lines, first, last, columns)
        first, header_first = _head(lines, first, columns, value_left)
        caption_first = _caption_start(lines, header_first)
        table += 1
        drafts = _drafts(lines, caption_first, header_first, first, last, columns, number, table)
        found.append(PageTable(lines[caption_first].top, lines[last].bottom, drafts))
        i = last + 1
    return found


def page_text(textpage: Any, width: float, height: float, tables: list[PageTable]) -> tuple[str, list[int]]:
    """The page's text outside its tables, in pdfium's order, band by band, with a blank line
    where each table stood; and the index of that line for each table."""
    pieces: list[str] = []
    at: list[int] = []
    top = height
    for table in tables:
        pieces.append(textpage.get_text_bounded(0, table.top + 0.5, width, top).rstrip("\n"))
        at.append(sum(piece.count("\n") + 1 for piece in pieces))
        pieces.append("")
        top = table.bottom - 0.5
    pieces.append(textpage.get_text_bounded(0, 0, width, top))
    return "\n".join(pieces), at


def _lines(textpage: Any) -> list[_Line]:
    """The page's runs of text grouped into lines, top first, each line's runs left to right.

    A run is the characters that follow each other on a line with no more than a word space
    between them; a wider gap starts a new run, so a table's cells come apart where its columns
    do."""
    count = textpage.count_chars()
    text = textpage.get_text_range(0, count)
    if len(text) != count:
        return []  # characters outside the basic plane shift the indices: read the page as text only
    runs: list[tuple[float, float, float, float, str, float | None]] = []
    current: list[Any] = []  # [left, bottom, right, top, text, right edge of the last digit]
    spaced = False
    for index, char in enumerate(text):
        if char in "\r\n":
            current, spaced = _close(current, runs), False
            continue
        if char.isspace():
            spaced = True
            continue
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left:
            spaced = True
            continue
        band = current[3] - current[1] if current else 0.0
        height = max(top - bottom, band, 1.0)
        centre = (top + bottom) / 2
        # on the run's line: its band, give or take half its height (a comma sits low, a quote high)
        joins = bool(current) and current[1] - band / 2 <= centre <= current[3] + band / 2
        joins = joins and -height < left - current[2] < max(_RUN_GAP, _WORD_SPACE * height)
        if joins:
            current[2], current[1], current[3] = right, min(current[1], bottom), max(current[3], top)
            current[4] += (" " if spaced else "") + char
        else:
            _close(current, runs)
            current = [left, bottom, right, top, char, None]
        if char.isdigit():
            current[5] = right
        spaced = False
    _close(current, runs)
    runs.sort(key=lambda r: (-r[3], r[0]))
    lines: list[_Line] = []
    for left, bottom, right, top, chars, digits_right in runs:
        line = next((ln for ln in lines[-3:] if _overlap(ln, bottom, top)), None)
        if line is None:
            line = _Line(top, bottom)
            lines.append(line)
        line.top, line.bottom = max(line.top, top), min(line.bottom, bottom)
        line.runs.append(_Run(left, right, chars, digits_right))
    for line in lines:
        line.runs = _merged(sorted(line.runs, key=lambda r: r.x0))
    lines.sort(key=lambda ln: -ln.top)
    return lines


def _close(current: list[Any], runs: list[tuple[float, float, float, float, str, float | None]]) -> list[Any]:
    if current and current[4].strip():
        runs.append((current[0], current[1], current[2], current[3], current[4], current[5]))
    return []


def _overlapping(bottom: float, top: float, other_bottom: float, other_top: float) -> bool:
    shared = min(top, other_top) - max(bottom, other_bottom)
    return shared > _SAME_LINE * min(top - bottom, other_top - other_bottom)


def _overlap(line: _Line, bottom: float, top: float) -> bool:
    return _overlapping(line.bottom, line.top, bottom, top)


def _merged(runs: list[_Run]) -> list[_Run]:
    """Runs closer than a space apart as one, and a lone currency sign with the number after it."""
    out: list[_Run] = []
    for run in runs:
        gap = run.x0 - out[-1].x1 if out else 0.0
        sign = bool(out) and out[-1].text in _SIGNS and read_quantity(run.text) is not None
        lone_sign = run.text in _SIGNS  # "$" before the next column's number never joins the last
        if out and ((gap < _RUN_GAP and not lone_sign) or (sign and gap < _SIGN_GAP)):
            space = "" if gap < _TOUCHING else " "
            digits = run.digits_x1 if run.digits_x1 is not None else out[-1].digits_x1
            out[-1] = _Run(out[-1].x0, run.x1, f"{out[-1].text}{space}{run.text}", digits)
        else:
            out.append(run)
    return out


def _is_value(text: str) -> bool:
    return read_quantity(text) is not None or text.strip() in _EMPTY or bool(re.fullmatch(r"\(?\s*[-–—]\s*\)?", text))


def _values(line: _Line) -> list[_Run]:
    """The runs of a line that are values, right of its first run (the label); years alone are a
    header's, not a row's."""
    if len(line.runs) < 2 or is_year(line.runs[0].text.strip()):
        return []
    return [run for run in line.runs[1:] if _is_value(run.text) and not is_year(run.text.strip())]


def _region(lines: list[_Line], start: int) -> tuple[int, int, _Columns] | None:
    """The table starting at line `start`, if one does: its first and last line and the right
    edges of its value columns."""
    if len(_values(lines[start])) < 1:
        return None
    found: list[_Run] = []
    last = start
    rows = 0
    j = start
    gap_lines = 0
    while j < len(lines):
        values = _values(lines[j])
        words = len(lines[j].runs) - 1 - len(values)  # runs beside the label that are not values
        if values and words <= 1:
            rows += 1
            found += values
            last = j
            gap_lines = 0
        elif gap_lines < _GAP_LINES and found and _label_only(lines[j], min(run.x0 for run in found)):
            gap_lines += 1  # a section label ("Operating expenses:") or a label's first line between rows
        else:
            break
        j += 1
    columns = _columns(found, rows)
    if rows < _MIN_ROWS or len(columns.edges) < 1:
        return None
    if len(columns.edges) == 1 and rows < 2 * _MIN_ROWS:
        return None  # one column of numbers is as likely a list as a table
    return start, last, columns


def _label_only(line: _Line, value_left: float) -> bool:
    """A line with nothing but a label, clear of the value columns."""
    return len(line.runs) == 1 and line.runs[0].x1 < value_left


@dataclass(frozen=True)
class _Columns:
    """A table's value columns: the edges their values line up on, right edges (as financial
    tables set numbers) or left edges (as plain tables do), left to right."""

    edges: tuple[float, ...]
    right: bool

    def index(self, run: _Run) -> int | None:
        """The column a value run stands in, within slack of its edge."""
        x = run.aligned_right if self.right else run.x0
        best = min(range(len(self.edges)), key=lambda k: abs(self.edges[k] - x))
        return best if abs(self.edges[best] - x) <= 2 * _COLUMN_SLACK else None

    def spans(self, value_left: float, value_right: float) -> list[tuple[float, float]]:
        """The horizontal span of each column, for the header words above it."""
        edges = self.edges
        if self.right:
            return [(value_left if k == 0 else edges[k - 1] + _COLUMN_SLACK, e) for k, e in enumerate(edges)]
        return [(e, edges[k + 1] - _COLUMN_SLACK if k + 1 < len(edges) else value_right) for k, e in enumerate(edges)]


def _columns(values: list[_Run], rows: int) -> _Columns:
    """The edges shared by the values of several rows: right edges, or left edges where those
    explain more of the values."""
    support = max(2, rows // 3)
    choices = []
    for right in (True, False):
        clusters: list[list[float]] = []
        for x in sorted(v.aligned_right if right else v.x0 for v in values):
            if clusters and x - clusters[-1][-1] <= _COLUMN_SLACK:
                clusters[-1].append(x)
            else:
                clusters.append([x])
        kept = [c for c in clusters if len(c) >= support]
        edges = tuple((max(c) if right else min(c)) for c in kept)
        choices.append((sum(len(c) for c in kept), right, edges))
    _, right, edges = max(choices, key=lambda choice: (choice[0], choice[1]))
    return _Columns(edges, right)


def _value_left(lines: list[_Line], first: int, last: int, columns: _Columns) -> float:
    lefts = [run.x0 for line in lines[first : last + 1] for run in _values(line) if columns.index(run) is not None]
    return min(lefts) if lefts else columns.edges[0]


def _head(lines: list[_Line], first: int, columns: _Columns, value_left: float) -> tuple[int, int]:
    """The table's first line and its header's: section labels between the header and the first
    row of numbers ("CURRENT LIABILITIES", "Revenues:") belong to the table's body."""
    top = first
    while top > 0 and first - top < _GAP_LINES and _label_only(lines[top - 1], value_left):
        top -= 1
    header_first = _header_start(lines, top, columns, value_left)
    if header_first < top:
        return top, header_first
    return first, _header_start(lines, first, columns, value_left)


def _header_start(lines: list[_Line], first: int, columns: _Columns, value_left: float) -> int:
    """The first of the lines just above a table that head it: each of their runs stands over the
    value columns, or is a short name for the label column left of them; a line running from the
    label side into the columns is text, not a header."""
    start = first
    for j in range(first - 1, max(-1, first - 1 - _HEADER_LINES), -1):
        runs = lines[j].runs
        over = [run for run in runs if run.x0 >= value_left - _HEADER_REACH]
        left = [run for run in runs if run not in over]
        if not over or any(run.x1 > value_left or len(run.text) > 40 for run in left):
            break
        if any(run.x1 > max(columns.edges) + 6 * _HEADER_REACH for run in over):
            break
        start = j
    return start


def _caption_start(lines: list[_Line], header_first: int) -> int:
    """Up to two short lines above the header that name the table ("CONSOLIDATED BALANCE SHEETS",
    "(In millions)"): not a sentence's tail, which starts in lower case or ends with a stop."""
    start = header_first
    for j in range(header_first - 1, max(-1, header_first - 1 - _CAPTION_LINES), -1):
        text = lines[j].text.strip()
        if len(lines[j].runs) > 2 or len(text) > 100 or text.endswith((".", ":", ";")) or text[:1].islower():
            break
        start = j
    return start


def _drafts(
    lines: list[_Line],
    caption_first: int,
    header_first: int,
    first: int,
    last: int,
    columns: _Columns,
    page: int,
    table: int,
) -> list[Draft]:
    drafts: list[Draft] = []
    if caption_first < header_first:
        caption = " ".join(lines[j].text for j in range(caption_first, header_first))
        drafts.append(Draft("caption", caption, page, table=table))
    value_left = _value_left(lines, first, last, columns)
    value_right = max(run.x1 for line in lines[first : last + 1] for run in line.runs)
    spans = columns.spans(value_left, value_right)
    for j in range(header_first, first):
        cells = [""] * (len(columns.edges) + 1)
        for run in lines[j].runs:
            centre = (run.x0 + run.x1) / 2
            over = run.x0 >= value_left - _HEADER_REACH  # words from the label side head the label column
            hit = [k for k, (a, b) in enumerate(spans) if over and a - _HEADER_REACH <= centre <= b + _COLUMN_SLACK]
            if not hit:
                cells[0] = f"{cells[0]} {run.text}".strip()
            for k in hit[:1]:
                cells[k + 1] = f"{cells[k + 1]} {run.text}".strip()
        if any(cells):
            drafts.append(Draft("table_header", " | ".join(cells), page, table=table, cells=cells))
    width = len(columns.edges) + 1
    pending = ""  # a label alone on its line: a section's, or the first part of the next row's

    def section(label: str) -> Draft:
        return Draft("table_row", label, page, table=table, cells=[label] + [""] * (width - 1))

    for j in range(first, last + 1):
        runs = lines[j].runs
        label_runs = [
            run for run in runs if run.x1 <= value_left + _COLUMN_SLACK and (run is runs[0] or not _is_value(run.text))
        ]
        cells = [""] * width
        label = " ".join(run.text for run in label_runs)
        for run in runs:
            if run in label_runs:
                continue
            column = columns.index(run)
            if column is None:
                label = f"{label} {run.text}".strip()
            else:
                cells[column + 1] = f"{cells[column + 1]} {run.text}".strip()
        if pending and label[:1].islower():
            label = f"{pending} {label}"  # a label wrapped onto the row's line
        elif pending:
            drafts.append(section(pending))
        pending = ""
        if not any(cells[1:]):
            pending = label
            continue
        cells[0] = label
        drafts.append(Draft("table_row", " | ".join(cells), page, table=table, cells=cells))
    if pending:
        drafts.append(section(pending))
    return _staggered_merged(drafts)


def _staggered_merged(drafts: list[Draft]) -> list[Draft]:
    """A header centred over two columns that no row fills both of is theirs: a year over the
    amounts and, set off beside them on other rows, their shares of sales ("2015" over "$ 8,067"
    and "3%"). Each such pair of columns, one headed and one not, is one column."""
    headers = [d for d in drafts if d.kind == "table_header" and d.cells]
    rows = [d for d in drafts if d.kind == "table_row" and d.cells]
    if not headers or not rows:
        return drafts
    width = len(rows[0].cells or [])
    heads = [" ".join(h.cells[k] for h in headers if h.cells and h.cells[k]) for k in range(width)]
    keep = list(range(width))
    k = 1
    while k + 1 < len(keep):
        a, b = keep[k], keep[k + 1]
        if bool(heads[a]) != bool(heads[b]) and not any(r.cells and r.cells[a] and r.cells[b] for r in rows):
            for draft in (*headers, *rows):
                if draft.cells:
                    draft.cells[a] = draft.cells[a] or draft.cells[b]
                    draft.cells[b] = ""
            heads[a] = heads[a] or heads[b]
            del keep[k + 1]
        k += 1
    if len(keep) == width:
        return drafts
    out = []
    for draft in drafts:
        if draft.cells and draft.kind in {"table_header", "table_row"}:
            cells = [draft.cells[k] for k in keep]
            text = " | ".join(cells) if any(cells[1:]) or draft.kind == "table_header" else cells[0]
            draft = replace(draft, cells=cells, text=text)
        out.append(draft)
    return out

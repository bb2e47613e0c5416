"""The cells of a text layout's table: a row line cut into its label and value cells, the header
line cut into column names, and each value set under its column by position.

A flattened table does not say where a cell ends, so this reads it the way a reader does: the
label is the words before the first value; values are figures, "N/A", "-" or a pair such as
"183/2,831"; words after a value belong to it ("90 stopped"). The first value goes under the first
value column, a pair under the column whose name has a slash, a month/year under the date column,
and the rest right-aligned, so that a row with gaps still puts its last values under the last
columns. A note marker ends a column name; other header words are names of their own unless they
read as one phrase ("STOPPED AT BORDER").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.model import Cell, Row
from assistant.text.markers import MARKER, mask_markers
from assistant.text.vocabulary import currency_pattern, word_set

_ROW_NAMES = word_set("figure_words", "classes.row_names")
_PHRASE_WORDS = word_set("figure_words", "classes.phrase_words")
_DATE_COLUMN = re.compile(r"date|as of|updated|year|period", re.IGNORECASE)
_VALUE = re.compile(rf"(?:[~≈<>≤≥])?\s?(?:{currency_pattern()})?\d[\d,]*(?:\.\d+)?%?\+?")
_PART = r"(?:\d[\d,]*(?:\+\d[\d,]*)?|[-–])"
_SLASH = re.compile(rf"{_PART}/{_PART}")
_DATE = re.compile(r"(?:\d{1,2}/){1,2}(?:19|20)\d\d|(?:19|20)\d\d")
_EMPTY = re.compile(r"N/?A|n/?a|[-–—?]")
_QUALIFIER_SIGNS = set("~≈<>≥≤")


@dataclass
class _Piece:
    start: int
    end: int
    kind: str  # value | slash | date | empty | text


def layout_cells(header: Row | None, rows: list[Row]) -> tuple[Row | None, list[Row]]:
    """The header and rows of a text layout's table with their cells: the label first, then one
    cell per value column (blank where the row has none), and any value left over at the end."""
    read = [_pieces(row.text) for row in rows]
    needed = max((len(values) for _, values in read), default=0)
    names = _columns(header.text, needed) if header is not None else []
    spans = _locate(header.text, names) if header is not None else []
    leading = bool(names) and (names[0].lower() in _ROW_NAMES or any(label for label, _ in read))
    if leading and len(names) > 1 and (names[0].lower() in _ROW_NAMES or len(names) == needed + 1):
        label_span, value_spans, value_names = spans[0], spans[1:], names[1:]
    else:
        label_span, value_spans, value_names = None, spans, names
    new_header = None
    if header is not None:
        label_cell = _cell(header, label_span) if label_span else Cell("", header.start, header.start)
        new_header = Row(
            header.text, header.start, header.end, header.page, (label_cell, *(_cell(header, s) for s in value_spans))
        )
    new_rows = []
    for row, (label, values) in zip(rows, read, strict=True):
        placed = _assign(values, value_names)
        cells = [
            Cell(row.text[label[0] : label[1]], row.start + label[0], row.start + label[1])
            if label
            else Cell("", row.start, row.start)
        ]
        by_column = {column: piece for piece, column in placed if column is not None}
        for column in range(len(value_names)):
            piece = by_column.get(column)
            cells.append(_cell(row, (piece.start, piece.end)) if piece else Cell("", row.end, row.end))
        cells += [_cell(row, (piece.start, piece.end)) for piece, column in placed if column is None]
        new_rows.append(Row(row.text, row.start, row.end, row.page, tuple(cells)))
    return new_header, new_rows


def _cell(row: Row, span: tuple[int, int]) -> Cell:
    start, end = span
    return Cell(row.text[start:end], row.start + start, row.start + end)


def _pieces(text: str) -> tuple[tuple[int, int] | None, list[_Piece]]:
    """The label's span and the value pieces of a row line (a value keeps the words after it)."""
    masked = mask_markers(text)
    tokens: list[_Piece] = []
    pending: int | None = None
    for match in re.finditer(r"\S+", masked):
        token, start = match.group(), match.start()
        if pending is not None:  # "~ 70"
            token, start, pending = masked[pending : match.end()].replace(" ", ""), pending, None
        if token in _QUALIFIER_SIGNS:
            pending = start
            continue
        tokens.append(_Piece(start, match.end(), _kind(token)))
    label_end = next((i for i, t in enumerate(tokens) if t.kind != "text"), len(tokens))
    label = (tokens[0].start, _with_markers(text, tokens[label_end - 1].end)) if label_end else None
    values: list[_Piece] = []
    for piece in tokens[label_end:]:
        if piece.kind == "text" and values:
            values[-1].end = piece.end  # "90 stopped": words after a value stay with it
        elif piece.kind != "text":
            values.append(piece)
    for value in values:
        value.end = _with_markers(text, value.end)
    return label, values


def _with_markers(text: str, end: int) -> int:
    """`end` moved past the note markers right after it: "2,926 [98]" keeps its marker."""
    while (match := re.match(r"\s*" + MARKER.pattern, text[end:])) is not None:
        end += match.end()
    return end


def _kind(token: str) -> str:
    if _DATE.fullmatch(token):
        return "date"
    if _VALUE.fullmatch(token):
        return "value"
    if _SLASH.fullmatch(token):
        return "slash"
    if _EMPTY.fullmatch(token):
        return "empty"
    return "text"


def _columns(header: str, needed: int) -> list[str]:
    """Column names: a note marker ends a name; other runs split into words unless they read as
    one phrase ("STOPPED AT BORDER"); a leading row-label name stands alone."""
    groups = [g.split() for g in MARKER.split(header) if g.strip()]
    names: list[str] = []
    for index, words in enumerate(groups):
        if index == 0 and len(words) > 1 and words[0].lower() in _ROW_NAMES:
            names.append(words.pop(0))
        if len(words) > 1 and not any("/" in w or w.lower() in _PHRASE_WORDS for w in words):
            names.extend(words)
        else:
            names.append(" ".join(words))
    if len(names) < needed:
        names = [w for name in names for w in name.split()]
    return names


def _locate(header: str, names: list[str]) -> list[tuple[int, int]]:
    """Where each column name stands in the header line (with the note marker after it)."""
    spans = []
    cursor = 0
    for name in names:
        words = name.split()
        pattern = r"\s*(?:\[[^\]]*\]\s*)?".join(re.escape(w) for w in words)
        match = re.compile(pattern).search(header, cursor)
        if match is None:
            spans.append((cursor, cursor))
            continue
        end = _with_markers(header, match.end())
        spans.append((match.start(), end))
        cursor = end
    return spans


def _assign(values: list[_Piece], columns: list[str]) -> list[tuple[_Piece, int | None]]:
    """Each value piece with the index of the column it stands under (None: no column left)."""
    if not columns:
        return [(v, None) for v in values]
    indexed = list(enumerate(columns))
    date_column = next((n for n, c in indexed if _DATE_COLUMN.search(c)), None)
    value_columns = [n for n, _ in indexed if n != date_column]
    slash_column = next((n for n in value_columns if "/" in columns[n]), None)
    if slash_column is None and any(v.kind == "slash" for v in values) and len(value_columns) > 1:
        slash_column = value_columns[1]
    pairs: list[tuple[_Piece, int | None]] = []
    rest: list[_Piece] = []
    first_column: int | None = None
    for value in values:
        if value.kind == "date":
            pairs.append((value, date_column))
        elif value.kind == "slash":
            pairs.append((value, slash_column))
        elif first_column is None and value_columns:
            first_column = value_columns[0]
            pairs.append((value, first_column))
        else:
            rest.append(value)
    free = [n for n in value_columns if n not in {first_column, slash_column}]
    fitted = min(len(rest), len(free))
    pairs.extend((value, None) for value in rest[: len(rest) - fitted])
    pairs.extend(zip(rest[len(rest) - fitted :], free[len(free) - fitted :], strict=True))
    return sorted(pairs, key=lambda pair: pair[0].start)

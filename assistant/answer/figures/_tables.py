"""Figures in table rows: a row cut into its label and cells, the header split into column names,
cells assigned to columns by position, column notes taken from a caption that enumerates them, and
one `Figure` per value labelled "row label: column name" ("Total sales: 2019").

Table rows have no sentences, so they are read against their header instead of by the prose rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.markers import MARKER as _MARKER
from assistant.text.markers import mask_markers as _mask_markers
from assistant.text.vocabulary import currency_of

from ._figure import Figure
from ._lexicon import _CURRENCY, _PHRASE_WORDS, _ROW_NAMES

_DATE_COLUMN = re.compile(r"date|as of|updated|year|period", re.IGNORECASE)

_CELL_VALUE = re.compile(
    rf"(?P<q>[~≈<>≤≥])?\s?(?P<cur>{_CURRENCY})?(?P<num>\d[\d,]*(?:\.\d+)?)(?P<pct>%)?(?P<plus>\+)?"
)
_CELL_PART = r"(?:\d[\d,]*(?:\+\d[\d,]*)?|[-–])"
_CELL_SLASH = re.compile(rf"{_CELL_PART}/{_CELL_PART}")
_CELL_DATE = re.compile(r"(?:\d{1,2}/){1,2}(?:19|20)\d\d|(?:19|20)\d\d")
_CELL_EMPTY = re.compile(r"N/?A|n/?a|[-–—?]")
_SYMBOL_QUALIFIERS = {"~": "approx", "≈": "approx", ">": "more_than", "<": "less_than", "≥": "at_least", "≤": "at_most"}


@dataclass
class _Cell:
    text: str
    start: int
    end: int
    kind: str  # value | slash | date | empty | text
    note: str = ""


def extract_table_figures(row: str, header: str | None, caption: str | None = None) -> list[Figure]:
    """The figures of one table row, each labelled "row label: column name".

    Cells are assigned to the header's columns by position: the first value to the first value
    column, a "sent back/stopped" pair ("183/2,831") to the column whose name has a slash (or the
    one after the first), a month/year to the date column, and the rest right-aligned, so that a
    row with gaps still puts its last values under the last columns. Both halves of a slash pair
    are emitted, labelled with the matching half of the column name ("Portugal: SENT BACK", "Portugal:
    STOPPED AT BORDER"); a half written as a sum ("153+51") counts as its total. Dates, "-" and
    N/A are skipped; a value left over when the columns run out is labelled by its row alone; words
    after a value ("stopped", "women and children") stay in its label. The caption labels the cells
    of a row that has no label of its own.
    """
    label, cells = _row_cells(row)
    values = [c for c in cells if c.kind != "text"]
    columns = _columns(header, len(values)) if header else []
    if columns and (columns[0].lower() in _ROW_NAMES or (label and len(columns) == len(values) + 1)):
        columns = columns[1:]
    sentence = f"{header} | {row}" if header else row
    context = label or _caption_text(caption)
    notes = _column_notes(columns, caption)
    figures: list[Figure] = []
    for cell, column in _assign(values, columns):
        described = f"{column} ({notes[column]})" if column in notes else column
        figures.extend(_cell_figures(cell, described, context, sentence))
    return figures


_ENUMERATED_ITEM = re.compile(
    r"\((?P<n>i{1,3}|iv|v|vi{1,3}|ix|x)\)\s*(?P<item>[^;()]+?)\s*(?=[;,]?\s*(?:and,?\s*)?\((?:i{1,3}|iv|v|vi{1,3}|ix|x)\)|[;.]?\s*$)"
)
_NOT_VALUES = {"date", "dates", "year", "as of", "period", "source", "sources"}


def _column_notes(columns: list[str], caption: str | None) -> dict[str, str]:
    """What cryptic columns mean, when the caption enumerates them in order: "Employees who have (i)
    moved abroad; ... (iii) remain abroad; and, (iv) returned" explains MOVED, ...,
    REMAIN, RETURNED."""
    if not caption:
        return {}
    items = [" ".join(m.group("item").split()) for m in _ENUMERATED_ITEM.finditer(_mask_markers(caption))]
    value_columns = [c for c in columns if c.lower() not in _NOT_VALUES]
    if len(items) < 2 or len(items) != len(value_columns):
        return {}
    return {column: item for column, item in zip(value_columns, items, strict=True) if item.lower() != column.lower()}


def _row_cells(row: str) -> tuple[str | None, list[_Cell]]:
    masked = _mask_markers(row)
    cells: list[_Cell] = []
    pending: tuple[int, str] | None = None
    for m in re.finditer(r"\S+", masked):
        text, start = m.group(), m.start()
        if pending is not None:  # "~ 70"
            text, start, pending = pending[1] + masked[pending[0] + 1 : m.start()] + text, pending[0], None
        if text in _SYMBOL_QUALIFIERS:
            pending = (start, text)
            continue
        cells.append(_Cell(row[start : m.end()], start, m.end(), _cell_kind(text)))
    label_end = next((i for i, c in enumerate(cells) if c.kind != "text"), len(cells))
    label = row[cells[0].start : cells[label_end - 1].end] if label_end else None
    kept: list[_Cell] = []
    for cell in cells[label_end:]:
        if cell.kind == "text" and kept:
            kept[-1].note = f"{kept[-1].note} {cell.text}".strip()
        elif cell.kind != "text":
            kept.append(cell)
    return label, kept


def _cell_kind(text: str) -> str:
    if _CELL_DATE.fullmatch(text):
        return "date"
    if _CELL_VALUE.fullmatch(text):
        return "value"
    if _CELL_SLASH.fullmatch(text):
        return "slash"
    if _CELL_EMPTY.fullmatch(text):
        return "empty"
    return "text"


def _columns(header: str, needed: int) -> list[str]:
    """Column names: a note marker ends a name; other runs split into words unless they read as
    one phrase ("SENT BACK/STOPPED AT BORDER"); a leading row-label name stands alone."""
    groups = [g.split() for g in _MARKER.split(header) if g.strip()]
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


def _assign(cells: list[_Cell], columns: list[str]) -> list[tuple[_Cell, str | None]]:
    if not columns:
        return [(c, None) for c in cells]
    date_column = next((c for c in columns if _DATE_COLUMN.search(c)), None)
    value_columns = [c for c in columns if c != date_column]
    has_slash = any(c.kind == "slash" for c in cells)
    slash_column = next((c for c in value_columns if "/" in c), None)
    if slash_column is None and has_slash and len(value_columns) > 1:
        slash_column = value_columns[1]
    pairs: list[tuple[_Cell, str | None]] = []
    rest: list[_Cell] = []
    first_column: str | None = None
    for cell in cells:
        if cell.kind == "date":
            pairs.append((cell, date_column))
        elif cell.kind == "slash":
            pairs.append((cell, slash_column))
        elif first_column is None and value_columns:
            first_column = value_columns[0]
            pairs.append((cell, first_column))
        else:
            rest.append(cell)
    free = [c for c in value_columns if c not in {first_column, slash_column}]
    fitted = min(len(rest), len(free))
    pairs.extend((cell, None) for cell in rest[: len(rest) - fitted])
    pairs.extend(zip(rest[len(rest) - fitted :], free[len(free) - fitted :], strict=True))
    return sorted(pairs, key=lambda pair: pair[0].start)


def _cell_figures(cell: _Cell, column: str | None, context: str | None, sentence: str) -> list[Figure]:
    if cell.kind in {"date", "empty"}:
        return []
    if cell.kind == "slash":
        return _slash_figures(cell, column, context, sentence)
    match = _CELL_VALUE.fullmatch(_mask_markers(cell.text).strip())
    if match is None:
        return []
    label = _cell_label(context, column, cell.note)
    qualifier = _SYMBOL_QUALIFIERS.get(match["q"] or "", "more_than" if match["plus"] else "exact")
    unit, kind = ("percent", "percent") if match["pct"] else (None, "count")
    if match["cur"]:
        unit, kind = currency_of(match["cur"]) or match["cur"], "money"
    value = float(match["num"].replace(",", ""))
    text = cell.text.strip()
    return [Figure(text, value, None, qualifier, unit, kind, label, sentence, cell.start, cell.start + len(text), True)]


def _slash_figures(cell: _Cell, column: str | None, context: str | None, sentence: str) -> list[Figure]:
    halves = column.split("/") if column else []
    names = [h.strip() for h in halves] if len(halves) == 2 else [f"{column} (first)", f"{column} (second)"]
    figures: list[Figure] = []
    offset = cell.start
    for part, name in zip(cell.text.split("/"), names, strict=False):
        numbers = re.findall(r"\d[\d,]*", part)
        if numbers:
            value = sum(float(n.replace(",", "")) for n in numbers)
            label = _cell_label(context, name if column else None, "")
            figures.append(
                Figure(part, value, None, "exact", None, "count", label, sentence, offset, offset + len(part), True)
            )
        offset += len(part) + 1
    return figures


def _cell_label(context: str | None, column: str | None, note: str) -> str:
    label = ": ".join(x for x in (context, column) if x) or "value"
    return f"{label} ({note})" if note else label


def _caption_text(caption: str | None) -> str | None:
    if not caption:
        return None
    text = re.sub(r"^\s*Table\s*\d*\s*[:.]?\s*", "", _mask_markers(caption)).strip()
    return " ".join(text.split()) or None


def describe_row(row: str, header: str | None, caption: str | None = None) -> str:
    """A table row as a reader can take it in without the header above it: "Portugal: MOVED (moved
    abroad) 2,926; STOPPED AT BORDER 4,605; RETURNED >800 (12/2016)"."""
    figures = extract_table_figures(row, header, caption)
    label, _ = _row_cells(row)
    if not figures:
        return " ".join(_mask_markers(row).split())
    cells = []
    for figure in figures:
        owner, _, column = figure.label.partition(": ")
        column = re.sub(r" \([^()]{25,}\)$", "", column)  # a long caption note stays in the label only
        cells.append(f"{column} {figure.text}" if column else figure.text)
        label = label or owner
    dates = [m.group() for m in re.finditer(r"\b\d{1,2}/(?:\d{4}|\d{2})\b", _mask_markers(row))]
    head = " ".join(_mask_markers(label).split()) if label else ""
    text = f"{head}: " + "; ".join(cells) if head else "; ".join(cells)
    return text + (f" ({dates[-1]})" if dates else "")

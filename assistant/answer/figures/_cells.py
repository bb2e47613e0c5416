"""Figures in the cells of a table: each value cell read as a number, labelled by its row (under
its section) and its column (all its header rows, and what the caption says the column means),
with the table's stated scale.

A cell may hold a pair ("183/2,831" under "SENT BACK/STOPPED"): each half is a figure labelled
with its half of the column's name, and a half written as a sum ("153+51") counts as its total.
Words after a value ("90 stopped") stay in its label. Dates, "-" and "N/A" are not values.
"""

from __future__ import annotations

import re

from assistant.model import Table
from assistant.text.markers import mask_markers, strip_markers
from assistant.text.numbers import read_quantity
from assistant.text.vocabulary import word_set

from ._figure import Figure

# Columns whose numbers refer to something rather than count it ("Note 12", "Page 4").
_REFERENCE_COLUMNS = word_set("figure_words", "references.columns")
_PERCENT_COLUMN = re.compile(r"%|\bper\s?cent\b|\bpercentage\b", re.IGNORECASE)
_PAIR = re.compile(r"^(?P<a>\d[\d,]*(?:\+\d[\d,]*)?|[-–])/(?P<b>\d[\d,]*(?:\+\d[\d,]*)?|[-–])$")
_DATE = re.compile(r"(?:\d{1,2}/){1,2}(?:19|20)\d\d")
_LEADING = re.compile(r"^(?P<value>\S+(?:\s?%)?)\s+(?P<note>[A-Za-z][^\d]*)$")
_ENUMERATED_ITEM = re.compile(
    r"\((?P<n>i{1,3}|iv|v|vi{1,3}|ix|x)\)\s*(?P<item>[^;()]+?)\s*"
    r"(?=[;,]?\s*(?:and,?\s*)?\((?:i{1,3}|iv|v|vi{1,3}|ix|x)\)|[;.]?\s*$)"
)
_NOT_VALUES = {"date", "dates", "year", "as of", "period", "source", "sources"}


def row_figures(table: Table, index: int, line: str) -> list[Figure]:
    """The figures of body row `index`, read from its cells; `line` is how the row is shown (the
    figures' sentence)."""
    row = table.rows[index]
    names = table.column_names()
    notes = column_notes(table)
    path = table.row_path(index)
    figures: list[Figure] = []
    for column, cell in enumerate(row.cells[1:], 1):
        name = names[column] if column < len(names) else ""
        if name.lower() in _REFERENCE_COLUMNS:
            continue
        text = " ".join(mask_markers(cell.text).split())
        described = f"{name} ({notes[name]})" if name in notes else name
        figures += _cell_figures(text, name, described, path, line, table.scale)
    return figures


def _cell_figures(text: str, name: str, described: str, path: str, line: str, scale: str | None) -> list[Figure]:
    quantity = read_quantity(text)
    note = ""
    if quantity is None and (leading := _LEADING.match(text)) is not None:
        quantity, note = read_quantity(leading["value"]), leading["note"]
    if quantity is not None:
        unit = quantity.unit or ("percent" if _PERCENT_COLUMN.search(name) else None)
        kind = "percent" if unit == "percent" else "money" if unit else "count"
        label = " — ".join(part for part in (path, described) if part) or "value"
        label = f"{label} ({note})" if note else label
        return [_figure(quantity.text, quantity.value, quantity.qualifier, unit, kind, label, line, path, name, scale)]
    pair = _PAIR.match(text)
    if pair is None or _DATE.fullmatch(text):
        return []
    halves = name.split("/") if name else []
    names = [h.strip() for h in halves] if len(halves) == 2 else [f"{name} (first)", f"{name} (second)"]
    figures = []
    for part, half in zip((pair["a"], pair["b"]), names, strict=True):
        numbers = re.findall(r"\d[\d,]*", part)
        if numbers:
            value = sum(float(n.replace(",", "")) for n in numbers)
            label = " — ".join(p for p in (path, half) if p) or "value"
            figures.append(_figure(part, value, "exact", None, "count", label, line, path, half, scale))
    return figures


def _figure(
    text: str,
    value: float,
    qualifier: str,
    unit: str | None,
    kind: str,
    label: str,
    line: str,
    row: str,
    column: str,
    scale: str | None,
) -> Figure:
    start = max(0, line.find(text))
    return Figure(
        text, value, None, qualifier, unit, kind, label, line, start, start + len(text), True, row, column, scale
    )


def column_notes(table: Table) -> dict[str, str]:
    """What cryptic columns mean, when the caption enumerates them in order: "Employees who have
    (i) moved abroad; ... (iii) remain abroad; and, (iv) returned" explains MOVED, ..., REMAIN,
    RETURNED."""
    if table.caption is None:
        return {}
    caption = strip_markers(table.caption.text)
    items = [" ".join(m.group("item").split()) for m in _ENUMERATED_ITEM.finditer(caption)]
    value_columns = [c for c in table.column_names()[1:] if c and c.lower() not in _NOT_VALUES]
    if len(items) < 2 or len(items) != len(value_columns):
        return {}
    return {column: item for column, item in zip(value_columns, items, strict=True) if item.lower() != column.lower()}

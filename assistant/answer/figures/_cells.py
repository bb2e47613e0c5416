"""Figures in the cells of a table that comes cut into cells (HTML, Markdown, a PDF's ruled
tables): each value cell read as a number, labelled by its row (under its section) and its
column (all its header rows), with the table's stated scale.
"""

from __future__ import annotations

import re

from assistant.model import Table
from assistant.text.markers import mask_markers
from assistant.text.numbers import read_quantity
from assistant.text.vocabulary import word_set

from ._figure import Figure

# Columns whose numbers refer to something rather than count it ("Note 12", "Page 4").
_REFERENCE_COLUMNS = word_set("figure_words", "references.columns")


_PERCENT_COLUMN = re.compile(r"%|\bper\s?cent\b|\bpercentage\b", re.IGNORECASE)


def row_figures(table: Table, index: int, line: str) -> list[Figure]:
    """The figures of body row `index`, read from its cells; `line` is how the row is shown (the
    figures' sentence)."""
    row = table.rows[index]
    names = table.column_names()
    path = table.row_path(index)
    figures: list[Figure] = []
    for column, cell in enumerate(row.cells[1:], 1):
        name = names[column] if column < len(names) else ""
        if name.lower() in _REFERENCE_COLUMNS:
            continue
        quantity = read_quantity(mask_markers(cell.text))
        if quantity is None:
            continue
        unit = quantity.unit or ("percent" if _PERCENT_COLUMN.search(name) else None)
        kind = "percent" if unit == "percent" else "money" if unit else "count"
        label = " — ".join(part for part in (path, name) if part) or "value"
        start = max(0, line.find(quantity.text))
        figures.append(
            Figure(
                quantity.text,
                quantity.value,
                None,
                quantity.qualifier,
                unit,
                kind,
                label,
                line,
                start,
                start + len(quantity.text),
                True,
                path,
                name,
                table.scale,
            )
        )
    return figures

"""Questions that ask which period a figure was largest, smallest, above or below a number in
("In which year was the amount for Sensors the largest?", "Which years did revenue exceed $5
million?"): the answer is a column of the best matching table row, picked by comparing its cells.

The row is the one of the best-ranked table cell; the candidates are the row's cells under a
column that names one year; the answer is a figure whose value is that year, labelled with the
comparison and the cell it rests on, so the reader sees why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.text.numbers import read_quantity
from assistant.text.periods import years_in

from .figures import Figure, row_figures
from .ranking import RankedFigure, row_fit

_WHICH_PERIOD = re.compile(
    r"\b(?:which|what)\s+(?:fiscal\s+|financial\s+|calendar\s+)?(?:year|period|quarter|FY|fiscal)s?\b", re.I
)
_THRESHOLD = re.compile(
    r"\b(?P<op>less than|fewer than|lower than|smaller than|below|under|more than|greater than|higher than|"
    r"larger than|above|over|exceed(?:s|ed|ing)?|in excess of|at least|at most)\s*"
    r"(?P<num>[-−(]?\s?[$€£]?\s?[-−]?\s?\d[\d,]*(?:\.\d+)?\)?)",
    re.IGNORECASE,
)
_BELOW = {"less than", "fewer than", "lower than", "smaller than", "below", "under", "at most"}
_LARGEST = re.compile(
    r"\b(?:larger|largest|higher|highest|greater|greatest|more|most|bigger|biggest|maximum|max)\b", re.I
)
_SMALLEST = re.compile(r"\b(?:smaller|smallest|lower|lowest|less|least|fewer|fewest|minimum|min)\b", re.I)
_NEGATIVE = re.compile(r"\bnegative\b|\ba loss\b|\bdeficit\b", re.I)
_POSITIVE = re.compile(r"\bpositive\b|\ba profit\b|\ba gain\b", re.I)


@dataclass(frozen=True)
class Comparison:
    """What a which-period question asks of the values: the largest, the smallest, or those on
    one side of a number (or of zero)."""

    pick: str  # "largest", "smallest", "below", "above"
    threshold: float = 0.0
    wording: str = ""


def asked_comparison(question: str) -> Comparison | None:
    """The comparison a question asks for, when it asks which period ("In which year ...")."""
    if not _WHICH_PERIOD.search(question):
        return None
    threshold = _THRESHOLD.search(question)
    if threshold is not None:
        quantity = read_quantity(threshold["num"].replace("−", "-"))
        if quantity is not None:
            op = threshold["op"].lower()
            pick = "below" if op in _BELOW else "above"
            return Comparison(pick, quantity.value, f"{op} {threshold['num'].strip()}")
    if _NEGATIVE.search(question):
        return Comparison("below", 0.0, "negative")
    if _POSITIVE.search(question):
        return Comparison("above", 0.0, "positive")
    if _LARGEST.search(question):
        return Comparison("largest", wording="the largest")
    if _SMALLEST.search(question):
        return Comparison("smallest", wording="the smallest")
    return None


def period_answer(question: str, ranked: Sequence[RankedFigure]) -> list[RankedFigure]:
    """For a which-period question, the period figures (best first) read from the row of the
    best-ranked table cell; empty when the question is of another kind or no row has periods."""
    comparison = asked_comparison(question)
    if comparison is None:
        return []
    # the row the question names best; among equals, the one of the better-ranked cell
    order = sorted(range(len(ranked)), key=lambda n: (-row_fit(ranked[n].figure, question), n))
    for best in (ranked[n] for n in order):
        candidate = best.origin.candidate if best.origin is not None else None
        table = candidate.table if candidate is not None else None
        if candidate is None or table is None:
            continue
        cells = _comparable([f for f in row_figures(table, candidate.row, candidate.text) if _one_year(f)], question)
        if len(cells) < 2:
            continue
        chosen = _chosen(cells, comparison)
        return [replace(best, figure=_period_figure(f, comparison), score=best.score + 1.0) for f in chosen]
    return []


def _comparable(cells: list[Figure], question: str) -> list[Figure]:
    """The cells of one unit: the percentages when the question asks for a share, else the
    amounts of the unit most cells have ("$" beside "%" columns)."""
    units = [f.unit for f in cells]
    if len(set(units)) <= 1:
        return cells
    if _SHARE.search(question) and "percent" in units:
        return [f for f in cells if f.unit == "percent"]
    amounts = [u for u in units if u != "percent"]
    common = max(set(amounts), key=amounts.count) if amounts else None
    return [f for f in cells if f.unit == common]


_SHARE = re.compile(r"%|\bper\s?cent|\bpercentage\b|\bshare\b|\bproportion\b|\bmargin\b", re.IGNORECASE)


def _one_year(figure: Figure) -> bool:
    return len(years_in(figure.column or "")) == 1


def _chosen(cells: list[Figure], comparison: Comparison) -> list[Figure]:
    # amounts that are all negative (costs, losses, outflows in parentheses) compare by size
    size = abs if all(f.value < 0 for f in cells) else (lambda value: value)
    if comparison.pick == "largest":
        return [max(cells, key=lambda f: size(f.value))]
    if comparison.pick == "smallest":
        return [min(cells, key=lambda f: size(f.value))]
    if comparison.pick == "below":
        return [f for f in cells if f.value < comparison.threshold]
    return [f for f in cells if f.value > comparison.threshold]


def _period_figure(cell: Figure, comparison: Comparison) -> Figure:
    (year,) = years_in(cell.column or "")
    label = f"year in which {cell.row or 'the value'} was {comparison.wording} ({cell.text} in {cell.column})"
    return replace(
        cell, text=str(year), value=float(year), qualifier="exact", unit=None, kind="period", label=label, scale=None
    )

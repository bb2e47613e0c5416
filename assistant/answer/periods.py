"""Questions that ask which period a figure was largest, smallest, above or below a number in
("In which year was the amount for Sensors the largest?", "Which years did revenue exceed $5
million?"): the answer is a column of the best matching table row, picked by comparing its cells.

The row is the one of the best-ranked table cell; the candidates are the row's cells under a
column that names one year; the answer is a figure whose value is that year, labelled with the
comparison and the cell it rests on, so the reader sees why.

Questions that ask which row ("Which segment had the highest revenue in 2019?", "Among
operations, investing and financing, which brought in the most cash?") are answered down the
column of the best-ranked table cell: its rows' cells there (totals aside) are compared and the
row holding the largest (or smallest, or second largest) leads the answer, with its cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from assistant.text.numbers import read_quantity
from assistant.text.periods import years_in

from .figures import Figure, row_figures
from .ranking import RankedFigure, row_fit
from .sentences import Scored

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
    """What a which-period or which-row question asks of the values: the largest, the smallest
    (for rows, perhaps the second or third of them), or those on one side of a number (or of zero)."""

    pick: str  # "largest", "smallest", "below", "above"
    threshold: float = 0.0
    wording: str = ""
    rank: int = 1  # the second largest: 2 (rows only)


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


_WHICH = re.compile(r"\bwhich\b", re.I)
_OTHER_QUESTION_WORD = re.compile(r"\b(?:what|how|who|whom|whose|when|where|why)\b", re.I)
# a superlative, perhaps ordinal ("the second highest"); "at least" and "at most" are no superlatives
_SUPERLATIVE = re.compile(
    r"(?<!\bat )\b(?:(?P<nth>second|third)\s+)?(?:(?P<most>largest|highest|greatest|most|biggest|maximum)|"
    r"(?P<least>smallest|lowest|least|fewest|minimum))\b",
    re.I,
)
_ORDINALS = {"second": 2, "third": 3}
_TOTAL_ROW = re.compile(r"^\W*(?:sub)?total\b|\btotal\W*$", re.I)


def asked_extreme(question: str) -> Comparison | None:
    """The comparison a question asks of a table's rows when "which" is its question word ("Which
    segment had the highest revenue?", "Among A, B and C, which brought in the most?"): the
    largest or the smallest, or the second or third of them; None when it asks which period (see
    `asked_comparison`), or "which" only leads a clause of another question ("What was the revenue
    of the segment which ...")."""
    which = _WHICH.search(question)
    if which is None or _OTHER_QUESTION_WORD.search(question[: which.start()]) or asked_comparison(question):
        return None
    found = _SUPERLATIVE.search(question, which.end())
    if found is None:
        return None
    pick = "largest" if found["most"] else "smallest"
    nth = (found["nth"] or "").lower()
    return Comparison(pick, wording=" ".join(filter(None, ("the", nth, pick))), rank=_ORDINALS.get(nth, 1))


def row_answer(comparison: Comparison, ranked: Sequence[RankedFigure], scored: Sequence[Scored]) -> list[RankedFigure]:
    """For a which-row question, the cell (with its row) that is the largest or smallest (or second
    ...) down the column of the best-ranked table cell, among that table's rows the passages show,
    totals aside; empty when fewer than two rows have a cell there."""
    best = next((r for r in ranked if r.origin is not None and r.origin.candidate.table is not None), None)
    if best is None or best.origin is None or not best.figure.column:
        return []
    table, column = best.origin.candidate.table, best.figure.column
    cells: dict[int, tuple[Figure, Scored]] = {}
    for item in scored:
        candidate = item.candidate
        if candidate.table is None or candidate.row in cells or candidate.table != table:
            continue
        shown = row_figures(candidate.table, candidate.row, candidate.text)
        cell = next((f for f in shown if f.column == column), None)
        if cell is not None and cell.row and not _TOTAL_ROW.search(cell.row):
            cells[candidate.row] = (cell, item)
    # of one kind: amounts, or percentages (a column of amounts may hold a row of shares); a "$"
    # printed on the first row only does not set it apart
    percent = best.figure.unit == "percent"
    pairs = [(cell, item) for cell, item in cells.values() if (cell.unit == "percent") == percent]
    if len(pairs) < max(2, comparison.rank):
        return []
    size = _size([cell for cell, _ in pairs])
    pairs.sort(key=lambda pair: size(pair[0].value), reverse=comparison.pick == "largest")
    cell, item = pairs[comparison.rank - 1]
    figure = replace(cell, label=f"{cell.row}: {comparison.wording} of {len(pairs)} rows under {column}")
    return [replace(best, figure=figure, origin=item, citation=item.candidate.passage, score=best.score + 1.0)]


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


def _size(cells: list[Figure]) -> Callable[[float], float]:
    """How cells compare: amounts that are all negative (costs, losses, outflows in parentheses)
    by size, others by value."""
    return abs if all(f.value < 0 for f in cells) else (lambda value: value)


def _chosen(cells: list[Figure], comparison: Comparison) -> list[Figure]:
    size = _size(cells)
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

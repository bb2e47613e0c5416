"""Derived figures: a change, a percentage change, an average, a sum, a difference or a ratio,
computed from cited figures and shown with its work.

The documents hold the operands, not the answer: "By how much did revenue grow from 2018 to
2019?" is answered by the cells of the revenue row under 2019 and 2018. The question is read for
an operation (its wording is data: `operations.toml`) and for what it is applied to, which is one
of two shapes:

- one quantity over periods: the row of the best-named table cell, its cells under the years
  asked ("from 2018 to 2019", "2017-2019"; none means every year the row has), or in a table whose
  rows are years, the cells of the best-named column;
- named quantities: "A as a percentage of B", "the difference between A and B", "the total of A
  and B": each named part is the figure among the ranked ones whose own words (its row, column and
  label) best cover it, of the period asked.

A change (or a difference) over periods runs from the earlier period to the later; a difference
of named quantities from the first named to the second. The result keeps the operands' unit and
scale, is shown rounded as they are (percentages to two places), and lists every operand with the
passage it is cited from. A figure the source prints that is the computed one, as it rounds it,
comes first. Nothing is computed from a guess: with one year named, or parts no figure covers,
the answer is the quoted figures; a computation over years no passage names is declined
(`missing_periods`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from assistant.text.function_words import STOPWORDS
from assistant.text.periods import years_in
from assistant.text.words import stem, words

from .answerability import Verdict
from .figures import Figure, row_figures
from .operations import Operation, asked_operation, asked_years, asks_in_percent
from .ranking import RankedFigure, column_fit, statement_item
from .sentences import AnswerSentence
from .weights import WEIGHTS


def derive(question: str, ranked: Sequence[RankedFigure]) -> list[RankedFigure]:
    """The figure the question asks to compute, from the ranked figures (all of them: an operand
    need not be among the best few), scored above the best of them; empty when it asks for none or
    its operands are not there."""
    operation = asked_operation(question)
    if operation is None or not ranked:
        return []
    years = asked_years(question)
    periodic = operation.name in _OVER_PERIODS and (len(years) >= 2 or not operation.parts)
    operands = _over_periods(operation.name, question, years, ranked) if periodic else None
    over_periods = operands is not None
    if operands is None and operation.parts:
        operands = _named_operands(operation, years, ranked)
    if operands is None and not periodic and operation.name in _OVER_PERIODS:
        operands = _over_periods(operation.name, question, years, ranked)
        over_periods = operands is not None
    if not operands:
        return []
    # The operation is asked in the question's own words, not in the operands' names: "the change
    # in the weighted average rate" is a change; "total revenue in 2019" asks for no sum.
    again = asked_operation(_without(question, " ".join(_names(o) for o in operands)))
    if again is None:
        return []
    name = again.name if again.name in _OVER_PERIODS or len(operands) == 2 else operation.name
    # over periods the later less the earlier; of two named quantities the first less the second
    if name in ("change", "difference"):
        name = "change" if over_periods else "difference"
    if name == "change" and asks_in_percent(question):  # the unit asked for is the question's own
        name = "percent_change"
    result = compute(name, [o.figure for o in operands])
    if result is None:
        return []
    figure, formula = result
    best = max(o.score for o in operands)
    derived = replace(operands[0], figure=figure, score=best + 1.0, formula=formula, derived_from=tuple(operands))
    printed = next((r for r in ranked if _agrees(r.figure, figure, operands)), None)
    if printed is not None:  # the source prints it: its own words first, the computation beside
        return [replace(printed, score=best + 1.0), derived]
    return [derived]


def working(derived: RankedFigure) -> AnswerSentence | None:
    """A derived figure as the answer's first line: what it is and how it was computed ("Percentage
    change in Total net sales, 2016 to 2017: (177,866 − 135,987) / 135,987 = 30.80%"), citing and
    quoting each operand where it stands; None for a figure not computed."""
    if derived.formula is None or not derived.derived_from:
        return None
    label = derived.figure.label or "computed"
    operands = derived.derived_from
    spans = {(o.citation, o.origin.candidate.start, o.origin.candidate.end) for o in operands if o.origin is not None}
    return AnswerSentence(
        f"{label[:1].upper()}{label[1:]}: {derived.formula}",
        tuple(sorted({o.citation for o in operands})),
        1.0,
        tuple(sorted(spans)),
        computed=True,
    )


def _agrees(printed: Figure, derived: Figure, operands: Sequence[RankedFigure]) -> bool:
    """Whether a figure the source prints is the derived one, as the source rounds it: of its
    kind, about what the operands count (a cell of their table not under one of the periods, as a
    "Change" column; a sentence that names their row), and equal once rounded as it is."""
    if printed.qualifier == "derived" or printed.kind != derived.kind or printed.value == 0:
        return False
    if any(printed is o.figure for o in operands):
        return False
    if printed.in_table:
        periods = set().union(*(years_in(o.figure.column or "") for o in operands))
        if years_in(printed.column or "") - periods or printed.row not in {o.figure.row for o in operands}:
            return False
    else:
        named = {stem(w) for o in operands for w in words(o.figure.row or "") if w not in STOPWORDS}
        if not named & {stem(w) for w in words(printed.sentence)}:
            return False
    return round(abs(derived.value), decimals(printed.text)) == abs(printed.value)


def _names(operand: RankedFigure) -> str:
    """The words that name an operand: its row, its column and its table's caption."""
    context = operand.origin.candidate.context if operand.origin is not None else None
    return " ".join(filter(None, (operand.figure.row, operand.figure.column, context)))


_OVER_PERIODS = ("change", "percent_change", "difference", "average", "sum")


def missing_periods(question: str, passages: Sequence[str]) -> bool:
    """Whether a computation over periods names years none of the passages names ("the change in
    revenue from 2015 to 2016" over reports of 2018 and 2019): its operands are not there, and
    nothing should be computed or offered in their place. One year present is enough to go on: a
    fiscal year may be printed under the calendar dates it spans ("fiscal 2024" ends in 2023)."""
    operation = asked_operation(question)
    years = years_in(question)  # as written: a range's ends, not the years inside it
    if operation is None or operation.name not in _OVER_PERIODS or len(years) < 2:
        return False
    present = frozenset().union(*(years_in(text) for text in passages))
    return not years & present


def computed_verdict(
    verdict: Verdict, question: str, passages: Sequence[str], figures: Sequence[RankedFigure]
) -> Verdict:
    """The verdict on an answer, as computing bears on it: a computation over years no passage
    names is declined; an answer led by a computed figure is as likely right as computed answers
    measure (`WEIGHTS.derived_right`), not as the model fitted on quoted answers says."""
    if not verdict.answerable:
        return verdict
    if missing_periods(question, passages):
        return replace(verdict, answerable=False, confidence=0.0)
    if figures and figures[0].figure.qualifier == "derived":
        return replace(verdict, confidence=WEIGHTS.derived_right)
    return verdict


def _without(question: str, names: str) -> str:
    """The question less the words of the operands' names."""
    named = {stem(w) for w in words(names)}
    return " ".join(w for w in question.split() if not ({stem(x) for x in words(w)} & named))


def _over_periods(
    operation: str, question: str, years: list[int], ranked: Sequence[RankedFigure]
) -> list[RankedFigure] | None:
    """One quantity over periods: the cells of the best-named table row under the years asked,
    or, in a table whose rows are periods, the cells of the best-named column in those rows."""
    order = sorted(
        range(len(ranked)), key=lambda n: (-_label_fit(ranked[n], question), -_statement(ranked[n], question), n)
    )
    seen: set[tuple[int, int]] = set()
    for n in order:
        best = ranked[n]
        candidate = best.origin.candidate if best.origin is not None else None
        if candidate is None or candidate.table is None or (id(candidate.table), candidate.row) in seen:
            continue
        seen.add((id(candidate.table), candidate.row))
        by_year: dict[int, list[Figure]] = {}
        for cell in row_figures(candidate.table, candidate.row, candidate.text):
            own = years_in(cell.column or "")
            if len(own) == 1:
                by_year.setdefault(next(iter(own)), []).append(cell)
        wanted = _periods(operation, years, sorted(by_year))
        if wanted is not None and all(y in by_year for y in wanted):
            model = best.figure if len(years_in(best.figure.column or "")) == 1 else by_year[wanted[-1]][0]
            cells = [_like(by_year[y], model, question) for y in wanted]
            if len({cell.kind == "percent" for cell in cells}) == 1:  # not "(3.7% + 1,671) / 2"
                return [replace(best, figure=cell) for cell in cells]
    return _down_periods(operation, question, years, ranked)


def _statement(ranked: RankedFigure, question: str) -> float:
    """1 for a cell of a financial statement's row of the line item asked: of rows named alike
    ("Revenue" of a segment's table and of the income statement), the statement's."""
    return statement_item(ranked.figure, ranked.origin.candidate, question) if ranked.origin is not None else 0.0


def _label_fit(ranked: RankedFigure, question: str) -> float:
    """How much of a cell's row label (its own words, without its section) the question names."""
    candidate = ranked.origin.candidate if ranked.origin is not None else None
    if candidate is None or candidate.table is None:
        return 0.0
    cells = candidate.table.rows[candidate.row].cells
    label = [stem(w) for w in words(cells[0].text if cells else "") if w not in STOPWORDS and not w.isdigit()]
    asked = {stem(w) for w in words(question)}
    return sum(w in asked for w in label) / len(label) if label else 0.0


def _down_periods(
    operation: str, question: str, years: list[int], ranked: Sequence[RankedFigure]
) -> list[RankedFigure] | None:
    """In a table whose rows are periods ("2020", "2021", ... down the side), the cells of the
    column the question names best, in the rows of the years asked."""
    periods = [r for r in ranked if r.figure.row is not None and len(years_in(r.figure.row)) == 1]
    if not periods:
        return None
    best = max(periods, key=lambda r: column_fit(r.figure, question))
    table = best.origin.candidate.table if best.origin is not None else None
    by_year: dict[int, RankedFigure] = {}
    for r in periods:
        if r.origin is not None and r.origin.candidate.table is table and r.figure.column == best.figure.column:
            by_year.setdefault(next(iter(years_in(r.figure.row or ""))), r)
    wanted = _periods(operation, years, sorted(by_year))
    if wanted is None or not all(y in by_year for y in wanted):
        return None
    return [by_year[y] for y in wanted]


def _periods(operation: str, asked: list[int], available: list[int]) -> list[int] | None:
    """The years to compute over, oldest first: for a change, the earliest and the latest asked;
    else all those asked; with none asked, every year the row has. With one asked, none: "the
    change in 2019" or "the 2019 average" may be over the year before or over the quarters, and
    a guess was right for about one question in three of TAT-QA's dev split."""
    if len(asked) == 1 or len(available) < 2:
        return None
    chosen = sorted(asked) if asked else available
    return [chosen[0], chosen[-1]] if operation in ("change", "percent_change", "difference") else chosen


def _like(cells: list[Figure], model: Figure, question: str) -> Figure:
    """Of a row's cells for one year, the one whose column the question names ("in $M"), else
    the one that reads most like the model's ("2019 Amount" for "2018 Amount", not "2019 %")."""
    asked = {stem(w) for w in words(question)}
    wanted = _column_words(model.column or "")
    return max(
        cells,
        key=lambda cell: (
            len(asked & _column_words(cell.column or "")),
            len(wanted & _column_words(cell.column or "")),
            cell.unit == model.unit,
        ),
    )


def _column_words(column: str) -> set[str]:
    return {stem(w) for w in words(column) if not years_in(w) and not w.isdigit()}


def _named_operands(
    operation: Operation, years: list[int], ranked: Sequence[RankedFigure]
) -> list[RankedFigure] | None:
    """For each part the question names, the ranked figure whose own words (with its table's
    caption) cover it best, of the year asked (when one is); the second in the first one's column
    or row when one there covers it as well: distinct figures of one kind."""
    pool = [r for r in ranked if r.figure.kind not in ("identifier", "period")]
    if len(years) == 1:
        pool = [r for r in pool if years[0] in _years_of(r.figure)] or pool
    chosen: list[RankedFigure] = []
    for part in operation.parts:
        wanted = {stem(w) for w in part.split()}
        scored = [
            (_cover(wanted, r), _aligned(r, chosen), -n, r)
            for n, r in enumerate(pool)
            if all(r.figure is not c.figure for c in chosen)
        ]
        if not scored:
            return None
        cover, _, _, best = max(scored, key=lambda s: s[:3])
        if cover < 0.5:
            return None
        chosen.append(best)
    if len(chosen) != 2:
        return None
    first, second = (c.figure for c in chosen)
    twice = first.text == second.text and first.row == second.row
    if twice or (first.kind == "percent") != (second.kind == "percent"):
        return None  # one figure twice, or a percentage with an amount ("1.6%" of "6,316"; "$453" with "361" goes)
    return chosen


def _aligned(r: RankedFigure, chosen: list[RankedFigure]) -> bool:
    """Whether a figure sits in the column (or the row) of the operand chosen before it."""
    if not chosen:
        return False
    first = chosen[0].figure
    return r.figure.column is not None and (r.figure.column == first.column or r.figure.row == first.row)


def _cover(wanted: set[str], ranked: RankedFigure) -> float:
    """The share of a named part's words that a figure's own words (and its table's caption) hold."""
    figure = ranked.figure
    context = ranked.origin.candidate.context if ranked.origin is not None else None
    own = {stem(w) for w in words(" ".join(filter(None, (figure.row, figure.column, figure.label, context))))}
    return len(wanted & own) / len(wanted) if wanted else 0.0


def _years_of(figure: Figure) -> frozenset[int]:
    return years_in(figure.column) if figure.column else years_in(figure.sentence)


def compute(operation: str, operands: Sequence[Figure]) -> tuple[Figure, str] | None:
    """The derived figure and its formula, from operands in order (oldest first for a change)."""
    values = [f.value for f in operands]
    shown = [f.text.strip() for f in operands]
    first = operands[0]
    if operation == "change":
        value = values[-1] - values[0]
        formula = f"{shown[-1]} − {_signed(shown[0], values[0])}"
    elif operation == "difference":
        value = values[0] - values[1]
        formula = f"{shown[0]} − {_signed(shown[1], values[1])}"
    elif operation == "percent_change":
        if values[0] == 0:
            return None
        value = (values[-1] - values[0]) / values[0] * 100
        formula = f"({shown[-1]} − {_signed(shown[0], values[0])}) / {shown[0]}"
    elif operation in ("average", "sum"):
        value = sum(values) / (len(values) if operation == "average" else 1)
        formula = " + ".join(shown)
        formula = f"({formula}) / {len(values)}" if operation == "average" else formula
    elif operation in ("share", "ratio"):
        if values[1] == 0 or (operation == "share" and 0 < values[1] < values[0]):
            return None  # a part of a whole is not larger than the whole
        value = values[0] / values[1] * (100 if operation == "share" else 1)
        formula = f"{shown[0]} / {shown[1]}"
    else:
        return None
    percent = operation in ("percent_change", "share")
    places = 2 if percent or operation in ("average", "ratio") else max(decimals(t) for t in shown)
    text = f"{value:,.{places}f}{'%' if percent else ''}"
    unit = "percent" if percent else None if operation == "ratio" else first.unit
    kind = "percent" if percent else "multiplier" if operation == "ratio" else first.kind
    scale = None if percent or operation == "ratio" else first.scale
    label = _label(operation, operands)
    figure = Figure(
        text, round(value, 6), None, "derived", unit, kind, label, f"{formula} = {text}", 0, len(text),
        first.in_table, first.row, first.column if len({f.column for f in operands}) == 1 else None, scale,
    )  # fmt: skip
    return figure, f"{formula} = {text}"


def _signed(shown: str, value: float) -> str:
    """An operand subtracted, in brackets when negative and not already written so ("-5" but
    not "(5)" or "$(5)"), so the formula reads right."""
    return f"({shown})" if value < 0 and not any(sign in shown for sign in "(-−") else shown


def decimals(text: str) -> int:
    """The decimal places a number is written with ("1,496.5": 1)."""
    found = re.search(r"\.(\d+)", text)
    return len(found.group(1)) if found else 0


_WORDING = {
    "change": "change in",
    "difference": "difference in",
    "percent_change": "percentage change in",
    "average": "average of",
    "sum": "total of",
    "share": "share of",
    "ratio": "ratio of",
}


def _label(operation: str, operands: Sequence[Figure]) -> str:
    names = list(dict.fromkeys(f.row or f.label for f in operands))
    columns = [f.column or "" for f in operands]
    if len(names) == 1:
        over = " to ".join(dict.fromkeys(c for c in (columns[0], columns[-1]) if c))
        return f"{_WORDING[operation]} {names[0]}" + (f", {over}" if over else "")
    joined = " to ".join(names) if operation in ("share", "ratio") else " and ".join(names)
    return f"{_WORDING[operation]} {joined}"

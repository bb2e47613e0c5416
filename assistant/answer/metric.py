"""A metric the question defines or names, answered: each quantity of its definition looked up as
a figure question of its own ("What was accounts payable in 2016?"), over the passages found for
the question and for those lookups, and the metric computed from the cells found, cited. A
standard metric the filer prints under its name is not computed: the filer's figure answers
(`printed`).

A quantity's figure is the best-ranked one of its year that is an amount or a count, not a
percentage, a period or an identifier: a metric's definition names line items, which filings print
as amounts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace

from assistant.search.statements import amount_row, statement_of
from assistant.text.function_words import STOPWORDS
from assistant.text.periods import years_in
from assistant.text.words import stem, words

from .arithmetic import evaluate, scale_of
from .figures import Figure, row_figures
from .formulas import PERCENT_WORDS, Metric, Quantity
from .operations import asks_in_percent
from .ranking import RankedFigure, statement_item

_UNSIGNED = re.compile(r"[()\s\-−]")  # the brackets or the minus of an amount paid out
LOOKUP_PASSAGES = 3  # passages searched for each line item of a metric's definition
_NOTE = re.compile(r"notes?\b", re.I)  # the notes to the statements are not the statements
_PRINTED = 3  # the first figures a printed metric is looked for among
_CAPTION_WORDS = 8  # a statement's caption names it within its first words, after the company's name
Rank = Callable[[str], Sequence[RankedFigure]]  # the figures of the passages for a question, best first


def lookups(metric: Metric) -> list[str]:
    """The questions to search for the quantities' line items: one per item, with its years."""
    items: dict[tuple[str, str], set[int]] = {}
    for quantity in metric.tree.quantities():
        items.setdefault((quantity.item, quantity.hint), set()).update(quantity.years)
    return [" ".join([item, hint, *map(str, sorted(years))]).strip() for (item, hint), years in items.items()]


def metric_answer(metric: Metric, rank: Rank, place: Callable[[int], int] | None = None) -> RankedFigure | None:
    """The metric computed from the figures `rank` finds, as a derived figure whose operands are
    the cited cells; None when a quantity's figure is not found. `place` says where a cited
    passage stands in its document (its position), for a filing of two registrants' statements."""
    chosen: dict[tuple[Quantity, int], RankedFigure] = {}

    def lookup(quantity: Quantity, year: int) -> Figure | None:
        key = (quantity, year)
        if key not in chosen:
            question = _question(quantity, year)
            ranked = rank(question)
            first = next(iter(chosen.values()), None)
            if first is not None:  # one company's figures: every operand from the document of the first
                ranked = [r for r in ranked if r.doc_id == first.doc_id]
            near = place(first.citation) if place is not None and first is not None else None
            found = _of_year(ranked, year, question, near, place)
            if found is None:
                return None
            chosen[key] = found
        return _as_named(chosen[key])

    computed = evaluate(metric, lookup)
    if computed is None:
        return None
    operands = tuple(dict.fromkeys(chosen.values()))
    first = operands[0]
    if computed.amount:
        kind, unit = ("money" if first.figure.kind == "money" else first.figure.kind), first.figure.unit
    else:
        kind, unit = ("percent", "percent") if computed.text.endswith("%") else ("multiplier", None)
    figure = Figure(
        computed.text, computed.value, None, "derived", unit, kind,
        metric.name, computed.working, 0, len(computed.text), scale=scale_of(computed),
    )  # fmt: skip
    best = max(o.score for o in operands)
    return replace(first, figure=figure, score=best + 1.0, formula=computed.working, derived_from=operands)


def printed(metric: Metric, figures: Sequence[RankedFigure], named: Collection[str] = (), question: str = "") -> bool:
    """Whether a standard metric the question names (not defines) is printed among the first
    figures found, by the company asked about (`named`, when the question names one): a row or a
    label that names it, of the year asked ("Free cash flow $ 12,945", "Current ratio 1.6"). The
    filer's figure under the metric's name is the answer, by the filer's own definition (a "Gross
    margin" of $8,574 is the amount Cisco calls so), unless the question asks for a percentage and
    the filer prints an amount. Over years, its row must print every year asked (FedEx prints its
    operating margin for two years, not the three of a 3 year average)."""
    if not metric.implied:
        return False
    wanted = {stem(w) for w in words(metric.base or metric.name)} - {"%"}
    year = max(y for q in metric.tree.quantities() for y in q.years)
    in_percent = asks_in_percent(question) or bool(PERCENT_WORDS.search(question))
    return any(
        wanted <= {stem(w) for w in words(f"{f.figure.row or ''} {f.figure.label}")}
        and _dated(f.figure, year)
        and (not in_percent or f.figure.kind == "percent" or "%" in (f.figure.row or ""))
        and (not named or f.doc_id in named)
        and set(metric.over) <= _row_years(f)
        for f in figures[:_PRINTED]
    )


def _row_years(ranked: RankedFigure) -> set[int]:
    """The years a figure's table row prints (the year of a figure of prose)."""
    candidate = ranked.origin.candidate if ranked.origin is not None else None
    if candidate is None or candidate.table is None:
        return set(years_in(ranked.figure.sentence))
    cells = row_figures(candidate.table, candidate.row, candidate.text)
    return {year for cell in cells for year in years_in(cell.column or "")}


def _as_named(ranked: RankedFigure) -> Figure:
    """A cell as the definition names it: a statement prints an amount it deducts or pays out in
    brackets, as a direction ("Interest expense (432,196)", "Capital expenditures (6,174)"); the
    definition's "interest expense" is the amount, 432,196. An income, a loss or cash provided or
    used keeps its sign (`amount_row`)."""
    figure = ranked.figure
    if figure.value >= 0 or figure.row is None or not _statement_table(ranked) or not amount_row(figure.row):
        return figure
    return replace(figure, value=-figure.value, text=_UNSIGNED.sub("", figure.text))


def _question(quantity: Quantity, year: int) -> str:
    hint = f" ({quantity.hint})" if quantity.hint else ""
    return f"What was {quantity.item} in {year}?{hint}"


def _of_year(
    ranked: Sequence[RankedFigure],
    year: int,
    question: str,
    near: int | None = None,
    place: Callable[[int], int] | None = None,
) -> RankedFigure | None:
    """The best-ranked amount or count of the year: a table cell under the year's column, or a
    figure of a sentence that names the year; a cell of the line item's row in a financial
    statement before any other (a segment's or a quarter's revenue is not the year's). Of several
    statements' rows that differ, the one nearest the operand found first (`near`, a position): a
    filing of two registrants (a REIT and its operating partnership) prints each one's statements
    together, and a metric is of one of them."""
    of_year = [r for r in ranked if _amount_of(r.figure, year)]
    in_statement = [r for r in of_year if _statement_row(r, question)]
    if near is not None and place is not None and len({r.figure.value for r in in_statement}) > 1:
        in_statement.sort(key=lambda r: abs(place(r.citation) - near))
    named = (r for r in of_year if _names_item(r.figure, question))  # else one whose own words name the item
    return in_statement[0] if in_statement else next(named, None)


def _names_item(figure: Figure, question: str) -> bool:
    """Whether a figure's row or label holds at least half the words of the item asked ("What was
    inventory in 2023?" is not answered by "$2.6 billion of cash in foreign jurisdictions")."""
    asked = {stem(w) for w in words(question) if w not in STOPWORDS and not years_in(w)} - {"what"}
    own = {stem(w) for w in words(f"{figure.row or ''} {figure.label}")}
    return bool(asked) and len(asked & own) * 2 >= len(asked)


def _statement_row(ranked: RankedFigure, question: str) -> bool:
    """A cell of the asked line item's row in a table whose caption opens with a statement's name
    ("CONSOLIDATED BALANCE SHEETS", "XYZ CORP CONSOLIDATED STATEMENTS OF CASH FLOWS"), not of a note
    whose caption or paragraph mentions one ("Note 10 – Balance Sheet Components")."""
    return (
        _statement_table(ranked)
        and ranked.origin is not None
        and bool(statement_item(ranked.figure, ranked.origin.candidate, question))
    )


def _statement_table(ranked: RankedFigure) -> bool:
    """A table whose caption opens with a statement's name."""
    if ranked.origin is None:
        return False
    opening = " ".join((ranked.origin.candidate.context or "").split()[:_CAPTION_WORDS])
    return not _NOTE.match(opening) and statement_of(opening) is not None


def _amount_of(figure: Figure, year: int) -> bool:
    """A table cell, or an amount of money written in a sentence, of the year."""
    if figure.kind in ("percent", "period", "identifier", "multiplier") or figure.qualifier == "derived":
        return False
    if not figure.in_table and figure.kind != "money":
        return False  # "three segments" is not a line item's amount
    return _dated(figure, year)


def _dated(figure: Figure, year: int) -> bool:
    """A cell under the year's column, or a figure of a sentence that names the year."""
    years = years_in(figure.column or "") if figure.in_table else years_in(figure.sentence)
    return years == {year} or (not figure.in_table and year in years)

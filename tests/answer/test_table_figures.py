"""Figures from table cells: values as printed (negatives in parentheses, currencies, percent
columns), labels of row and column, the period a question asks for, and which-period questions."""

from __future__ import annotations

import pytest

from assistant.answer.figures import row_figures
from assistant.answer.periods import _chosen, asked_comparison
from assistant.answer.ranking import period_fit
from assistant.answer.sentences import Candidate
from assistant.model import Cell, Row, Table
from assistant.text.periods import quarters_in, relative_year, years_in


def table(header: list[list[str]], rows: list[list[str]], scale: str | None = "million") -> Table:
    def row(texts: list[str]) -> Row:
        return Row(" | ".join(texts), 0, 0, None, tuple(Cell(t, 0, 0) for t in texts))

    return Table(1, tuple(row(h) for h in header), tuple(row(r) for r in rows), None, scale)


TAXES = table(
    [["", "April 26, 2019", "April 27, 2018"]],
    [
        ["Deferred tax assets:", "", ""],
        ["Reserves and accruals", "$ 50", "$ 57"],
        ["Valuation allowance", "(123 )", "(109 )"],
        ["Effective tax rate", "21.0", "24.5"],
    ],
)


def test_cells_are_read_as_printed_with_sign_unit_and_labels() -> None:
    figures = row_figures(TAXES, 2, TAXES.row_line(2))
    assert [(f.text, f.value, f.unit, f.kind) for f in figures] == [
        ("(123 )", -123.0, None, "count"),
        ("(109 )", -109.0, None, "count"),
    ]
    assert figures[0].row == "Deferred tax assets: Valuation allowance"
    assert figures[0].column == "April 26, 2019" and figures[0].scale == "million"
    money = row_figures(TAXES, 1, TAXES.row_line(1))
    assert [(f.value, f.unit, f.kind) for f in money] == [(50.0, "USD", "money"), (57.0, "USD", "money")]


def test_a_percent_column_makes_its_cells_percentages_and_note_columns_are_not_values() -> None:
    shares = table([["", "Note", "2019 %", "2018 %"]], [["Gross margin", "4", "50.9", "48.2"]], None)
    figures = row_figures(shares, 0, shares.row_line(0))
    assert [(f.text, f.kind, f.unit) for f in figures] == [
        ("50.9", "percent", "percent"),
        ("48.2", "percent", "percent"),
    ]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("What was the revenue in fiscal 2019?", {2019}),
        ("How much was it in FY18 and FY2017?", {2018, 2017}),
        ("as of December 31, 2018", {2018}),
        ("the 2019/20 season", {2019, 2020}),
        ("revenue of $2019 million", set()),
        ("December 31 2 0 1 8", {2018}),  # a header set in spaced letters (TAT-QA report-f8ac9ddd)
        ("scores of 1 2 0 1 8 and 2 0 1 9 4", set()),
    ],
)
def test_years_are_read_in_their_forms(text: str, years: set[int]) -> None:
    assert years_in(text) == years


def test_quarters_and_relative_years() -> None:
    assert quarters_in("the fiscal 2019 second quarter") == {2}
    assert quarters_in("Q3 2019 and 4Q") == {3, 4}
    assert relative_year("What was it last year?", frozenset({2017, 2018, 2019})) == 2018
    assert relative_year("And this year?", frozenset({2017, 2018, 2019})) == 2019


def test_a_cell_of_another_period_than_asked_is_marked_down() -> None:
    candidate = Candidate(1, TAXES.row_line(1), 0, 0, None, None, True, TAXES, 1)
    first, second = row_figures(TAXES, 1, TAXES.row_line(1))
    question = "What were the reserves and accruals in 2019?"
    assert period_fit(first, candidate, question, years_in(question)) == 1.0
    assert period_fit(second, candidate, question, years_in(question)) == -1.0
    assert period_fit(second, candidate, "What were the reserves and accruals?", frozenset()) == 0.0


def test_prose_figures_take_the_year_written_with_them() -> None:
    sentence = (
        "Advertising costs were $278,057 and $378,217 for the years ended September 30, 2019 and 2018, respectively."
    )
    from assistant.answer.figures import extract_figures

    first, second = extract_figures(sentence)
    candidate = Candidate(1, sentence, 0, len(sentence))
    assert period_fit(first, candidate, "in 2019?", frozenset({2019})) == 1.0
    assert period_fit(second, candidate, "in 2019?", frozenset({2019})) == -1.0


def test_respectively_pairs_figures_with_the_years_before_it_not_a_clause_after() -> None:
    from assistant.answer.figures import extract_figures

    sentence = (  # Oracle's 10-K for fiscal 2015
        "Research and development expenditures were $5.5 billion, $5.2 billion and $4.9 billion in fiscal 2015, "
        "2014 and 2013, respectively, or 14% of total revenues in fiscal 2015 and 13% of total revenues in fiscal 2014."
    )
    figures = extract_figures(sentence)
    candidate = Candidate(1, sentence, 0, len(sentence))
    fits = [period_fit(f, candidate, "in fiscal 2014?", frozenset({2014})) for f in figures[:3]]
    assert [f.text for f in figures[:3]] == ["$5.5 billion", "$5.2 billion", "$4.9 billion"]
    assert fits == [-1.0, 1.0, -1.0]


@pytest.mark.parametrize(
    ("question", "pick", "threshold"),
    [
        ("In which year was the amount for Sensors the largest?", "largest", 0.0),
        ("Which year has the lowest service cost?", "smallest", 0.0),
        ("In which year was Maintenance less than15,000 thousands?", "below", 15000.0),
        ("Which years did revenue exceed $20,000 thousand?", "above", 20000.0),
        ("In which year was Other income (expense), net negative?", "below", 0.0),
        ("What was the revenue in 2019?", None, None),
    ],
)
def test_which_period_questions_and_their_comparison(question: str, pick: str | None, threshold: float | None) -> None:
    comparison = asked_comparison(question)
    if pick is None:
        assert comparison is None
        return
    assert comparison is not None and (comparison.pick, comparison.threshold) == (pick, threshold)


def test_the_comparison_picks_among_a_rows_period_cells() -> None:
    sensors = table([["", "Fiscal 2019", "2018", "2017"]], [["Sensors", "814", "918", "914"]], None)
    cells = row_figures(sensors, 0, sensors.row_line(0))
    largest = asked_comparison("In which year was the amount for Sensors the largest?")
    assert largest is not None and [f.column for f in _chosen(cells, largest)] == ["2018"]
    costs = table([["", "2019", "2018"]], [["Foreign exchange movements", "(4.2)", "(1.5)"]], None)
    greater = asked_comparison("In which year is there a greater foreign exchange movement?")
    assert greater is not None
    assert [f.column for f in _chosen(row_figures(costs, 0, costs.row_line(0)), greater)] == ["2019"]  # by size

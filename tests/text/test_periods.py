"""Periods a question names, against the period a filing reports on."""

from __future__ import annotations

import pytest

from assistant.text.periods import FilingPeriod, asked_period, days_in, period_match, quarters_in

TEN_K = ("FY2023", "annual", "2023-01-28")
TEN_Q = ("FY2024", "Q2", "2023-07-29")
EIGHT_K = ("FY2023", "2023-08-30")


def test_days_are_read_in_full_only() -> None:
    assert days_in("the gain as of August 30, 2023, and on june 1 2022") == {"2023-08-30", "2022-06-01"}
    assert days_in("as of Dec. 31, 2022 and Sept 30, 2021") == {"2022-12-31", "2021-09-30"}
    assert days_in("in August 2023, and on February 30, 2023") == set()


def test_quarters_are_read_with_or_without_a_hyphen() -> None:
    assert quarters_in("second-quarter results, Q3 and the 4th fiscal quarter") == {2, 3, 4}


@pytest.mark.parametrize(
    ("question", "periods", "grade"),
    [
        ("What was the gain as of August 30, 2023?", EIGHT_K, 3),
        ("What was revenue in FY2023?", TEN_K, 2),
        ("What was revenue in FY2023?", EIGHT_K, 1),  # of that year, but no annual report
        ("Sales in Q2 of FY2024?", TEN_Q, 2),
        ("Sales in Q3 of FY2024?", TEN_Q, 1),
        ("Sales in Q2 of FY2024?", TEN_K, 0),
        ("What was revenue in FY2023?", (), 0),
    ],
)
def test_a_filing_meets_a_question_by_day_then_year_and_quarter_then_year(
    question: str, periods: tuple[str, ...], grade: int
) -> None:
    asked = asked_period(question)
    assert asked is not None and period_match(asked, FilingPeriod.read(periods)) == grade
    assert FilingPeriod.read(periods).tokens() == periods  # kept and read back alike


def test_a_question_naming_no_period_asks_none() -> None:
    assert asked_period("What is the total revenue?") is None
    assert asked_period("Sales in the second quarter?") is None  # a quarter of no year says no filing

"""Which-row questions ("Which segment had the highest ...?"): the rows of the best table compared
down the column asked, totals aside, on real TAT-QA reports and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answer.periods import asked_extreme
from tests.conftest import served_tatqa

# Weighted-average exchange rates of four currencies to the dollar over two years; restructuring
# charges by segment with a total row.
REPORTS = ("report-dff0ca31", "report-fe20d447")


def test_the_comparison_asked_of_rows() -> None:
    assert asked_extreme("Which segment had the lowest operating margin in 2019?").pick == "smallest"  # type: ignore[union-attr]
    among = asked_extreme("Among operations, investing, and financing, which brought in the most (or lost the least)?")
    assert among is not None and (among.pick, among.rank) == ("largest", 1)
    second = asked_extreme("Which department has the second highest amount of Goodwill in 2017?")
    assert second is not None and (second.pick, second.rank) == ("largest", 2)
    assert asked_extreme("In which year was revenue the highest?") is None  # a period: asked_comparison's
    assert asked_extreme("What was the highest revenue in 2019?") is None  # asks for the number
    assert asked_extreme("Which segment grew?") is None
    # "which" leading a clause of another question; "at least"; an ordinal away from the superlative
    assert asked_extreme("What was the revenue of the segment which had the highest margin?") is None
    assert asked_extreme("Which segments had at least $5 million of revenue?") is None
    quarter = asked_extreme("Which segment had the highest revenue in the second quarter?")
    assert quarter is not None and (quarter.pick, quarter.rank) == ("largest", 1)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, REPORTS) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "row", "value"),
    [
        # TAT-QA dev questions
        (
            "Which foreign currency has the highest weighted-average exchange rate to the U.S. Dollars in 2019?",
            "report-dff0ca31",
            "South Korean Won",
            1165.70,
        ),
        ("In which segment was the Remaining Expected Charges the largest?", "report-fe20d447", "Transportation", 16),
        # of our own: the smallest, of another year; the second largest, the total row left out
        (
            "Which currency had the lowest weighted-average exchange rate in 2018?",
            "report-dff0ca31",
            "Swedish Krona",
            8.70,
        ),
        ("Which segment had the second largest remaining expected charges?", "report-fe20d447", "Industrial", 14),
    ],
)
def test_the_row_asked_for_leads_with_its_cell(
    reports: TestClient, question: str, doc: str, row: str, value: float
) -> None:
    response = reports.post("/api/ask", json={"question": question, "doc": [doc]})
    assert response.status_code == 200
    answer = response.json()
    assert answer["answer"][0]["text"].startswith(row)
    first = answer["figures"][0]
    assert first["value"] == pytest.approx(value) and first["label"].startswith(row)
    assert all(f["sentence"] != first["sentence"] or f["text"] != first["text"] for f in answer["figures"][1:])
    passage = next(p for p in answer["passages"] if p["n"] == first["citation"])
    assert first["text"] in passage["text"]

"""A question asking what something is, holds or how it is arrived at is answered by a sentence
that says so, not by the table row that prints its amount: on real TAT-QA reports and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answer.sentences import asks_for_description
from tests.conftest import served_tatqa


def test_questions_that_ask_for_a_description() -> None:
    for question in (
        "What does the cost of products revenue comprise of?",
        "How is the net average selling price calculated?",
        "What is included in Service delivery costs?",
        "What does the recorded investment include?",
        "How often are the executive officers elected?",
        "What is the definition of the term 'Earnings per share'?",
    ):
        assert asks_for_description(question), question
    for question in (
        "What was the cost of products revenue in 2019?",
        "In which years was the total net sales calculated?",  # a table's header answers it
        "How many shares were included in the count?",
        "What is Amazon's FY2017 DPO? DPO is defined as payables over COGS.",  # the question defines its term
    ):
        assert not asks_for_description(question), question


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, ("report-47aef271", "report-82aee0df", "report-ece5c810")) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        ("What does the cost of products revenue comprise of?", "report-47aef271", "third-party manufacturing"),
        ("How is the net average shell egg selling price calculated?", "report-82aee0df", "blended price"),
        ("What does ship management creditors consist of?", "report-ece5c810", "cash collected"),
    ],
)
def test_the_first_answer_sentence_says_what_it_is(reports: TestClient, question: str, doc: str, said: str) -> None:
    """TAT-QA dev questions: each report also prints the item's amounts in a table row, whose label
    matches the question as well ("Cost of revenue: Products — 2019: $29,816"), and "cost" and
    "price" ask for money: the row came first."""
    response = reports.post("/api/ask", json={"question": question, "doc": [doc]})
    assert response.status_code == 200
    first = response.json()["answer"][0]["text"]
    assert said in first and " — " not in first

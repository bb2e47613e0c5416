"""A question asking for a reason, or for what something is, holds or how it is arrived at, is
answered by a sentence that says so, not by the table row that prints the amount: on real TAT-QA
reports and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answer.sentences import asks_for_description, asks_for_reason, gives_reason
from tests.conftest import served_tatqa


def test_questions_that_ask_for_a_reason() -> None:
    for question in (
        "Why did interest expense increase in fiscal 2019?",
        "What was the reason for the decrease in the effective tax rate?",
        "What drove the reduction in SG&A expense as a percent of net sales in FY2023?",
        "What caused the increase in interest income?",
        "What led to the decline in margins?",
        # the connective left at the end of the question
        "What was the increase in free cash flow from 2018 to 2019 driven by?",
        "What is the increase in prepared chicken inventory due to?",
    ):
        assert asks_for_reason(question), question
    for question in (
        "What was the interest expense in 2019?",
        "How many stores were opened?",
        "Who drove the car?",
        "How much of the increase was due to interest?",
    ):
        assert not asks_for_reason(question), question


def test_sentences_that_give_one() -> None:
    assert gives_reason("Interest expense increased primarily due to higher average borrowings.")
    assert gives_reason("The increase was driven by lower capital expenditure.")
    assert not gives_reason("Interest expense increased $621 million compared to 2018.")
    assert not gives_reason("Total interest expense — 2019: $1,344; 2018: $723")


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


REPORTS = (
    "report-3eee9fc1",
    "report-c3d2669c",
    "report-47aef271",
    "report-82aee0df",
    "report-ece5c810",
    "report-6d9e104c",
)


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, REPORTS) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        # both reports also state the change itself ("Interest expense increased $621 million") and
        # print it in a table row: neither says why
        ("What caused the increase in interest expense in 2019?", "report-3eee9fc1", "higher average debt balance"),
        ("What was the reason for decrease in effective income tax rate?", "report-c3d2669c", "non-recurring tax"),
        # TAT-QA dev questions: each report prints the item's amounts in a row whose label matches
        # the question as well ("Cost of revenue: Products — 2019: $29,816"), and "cost" and "price"
        # ask for money: the row came first
        ("What does the cost of products revenue comprise of?", "report-47aef271", "third-party manufacturing"),
        ("How is the net average shell egg selling price calculated?", "report-82aee0df", "blended price"),
        ("What does ship management creditors consist of?", "report-ece5c810", "cash collected"),
        # a change the inventory table lets us compute, asked with "due to" at its end: the reason
        # comes first, not the working
        ("What is the increase in prepared chicken inventory due to?", "report-6d9e104c", "mix of the different"),
    ],
)
def test_the_first_answer_sentence_says_why_or_what(reports: TestClient, question: str, doc: str, said: str) -> None:
    response = reports.post("/api/ask", json={"question": question, "doc": [doc]})
    assert response.status_code == 200
    first = response.json()["answer"][0]["text"]
    assert said in first and " — " not in first  # a sentence, not a table row
    assert gives_reason(first) or not asks_for_reason(question)

"""A question asking for a reason is answered by a sentence that gives one, on real TAT-QA reports
and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answer.sentences import asks_for_reason, gives_reason
from tests.conftest import served_tatqa


def test_questions_that_ask_for_a_reason() -> None:
    for question in (
        "Why did interest expense increase in fiscal 2019?",
        "What was the reason for the decrease in the effective tax rate?",
        "What drove the reduction in SG&A expense as a percent of net sales in FY2023?",
        "What caused the increase in interest income?",
        "What led to the decline in margins?",
    ):
        assert asks_for_reason(question), question
    for question in ("What was the interest expense in 2019?", "How many stores were opened?", "Who drove the car?"):
        assert not asks_for_reason(question), question


def test_sentences_that_give_one() -> None:
    assert gives_reason("Interest expense increased primarily due to higher average borrowings.")
    assert gives_reason("The increase was driven by lower capital expenditure.")
    assert not gives_reason("Interest expense increased $621 million compared to 2018.")
    assert not gives_reason("Total interest expense — 2019: $1,344; 2018: $723")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, ("report-3eee9fc1", "report-c3d2669c")) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "cause"),
    [
        ("What caused the increase in interest expense in 2019?", "report-3eee9fc1", "higher average debt balance"),
        ("What was the reason for decrease in effective income tax rate?", "report-c3d2669c", "non-recurring tax"),
    ],
)
def test_the_first_answer_sentence_gives_the_reason(reports: TestClient, question: str, doc: str, cause: str) -> None:
    """Both reports also state the change itself ("Interest expense increased $621 million") and
    print it in a table row: neither says why."""
    response = reports.post("/api/ask", json={"question": question, "doc": [doc]})
    assert response.status_code == 200
    first = response.json()["answer"][0]["text"]
    assert cause in first and gives_reason(first)

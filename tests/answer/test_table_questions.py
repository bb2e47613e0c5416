"""A question asking what a table of the documents shows ("What does the table represent?") names
little of the table's subject: it is answered by the sentence that introduces the table, not
declined for sharing few words with the passages; on real TAT-QA reports and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from assistant.answer.sentences import asks_about_table, introduces_table
from tests.conftest import served_tatqa


def test_questions_that_ask_what_a_table_shows() -> None:
    for question in (
        "What does the table show?",
        "What does this table present?",
        "What do the Other items in the table represent?",
        "What financial information does the table provide?",
        "What charges does the table summarize for the fiscal 2019 program?",
    ):
        assert asks_about_table(question), question
    for question in (
        "What does the company show as revenue in 2019?",  # no table named
        "How many Kosovar women appear in the table of foreign women?",  # a count, asked of a table
        "What was the total in the table in 2019?",
        "Which years does the table provide information for?",  # its header answers
        "How many segments does the table show?",
    ):
        assert not asks_about_table(question), question


def test_sentences_that_introduce_a_table() -> None:
    assert introduces_table("The following table summarizes the changes in goodwill by segment.")
    assert introduces_table("Maturities of lease liabilities were as follows:")
    assert introduces_table("The table below shows the carrying amounts of our debt.")
    assert introduces_table("Accrued expenses consisted of the following:")
    assert not introduces_table("Revenue increased 4% in 2019, driven by higher volumes.")
    assert not introduces_table("The tables turned in the second half of the year.")


REPORTS = ("report-b9871425", "report-a10e0909", "report-a8559ad7")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, REPORTS) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "said"),
    [
        ("What does this table present?", "report-b9871425", "carrying amounts and estimated fair values of our debt"),
        ("What is shown in the table?", "report-a10e0909", "maturities of lease liabilities"),
        ("What does the table show us?", "report-a8559ad7", "carrying value of goodwill by segment"),
    ],
)
def test_what_a_table_shows_is_answered_by_the_sentence_introducing_it(
    reports: TestClient, question: str, doc: str, said: str
) -> None:
    response = reports.post("/api/ask", json={"question": question, "doc": [doc]})
    assert response.status_code == 200
    body = response.json()
    assert body["answerable"] is True, body["passages"][0]["text"][:200]
    assert said in body["answer"][0]["text"], body["answer"][0]["text"]

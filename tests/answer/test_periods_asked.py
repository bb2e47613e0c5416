"""An answer sentence about other years than the ones asked ranks below one about the year asked,
on real TAT-QA reports and the real model."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.answer.sentences import Relevance
from tests.conftest import served_tatqa


def test_a_sentence_of_the_year_asked_or_of_none() -> None:
    asked = Relevance({}, np.zeros(3), years=frozenset({2019}))
    assert asked.of_years_asked("Fiscal 2019 includes $3.5 million of legal expense.")
    assert asked.of_years_asked("Revenue was $4.1 billion in FY19, against $3.9 billion in 2018.")
    assert asked.of_years_asked("Legal expense relates to the Hetronic litigation.")  # names no year
    assert not asked.of_years_asked("Fiscal 2016 includes $9.9 million of legal expense.")


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with served_tatqa(tmp_path_factory, ("report-ed99123e", "report-1b94b114")) as client:
        yield client


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "answers"),
    [
        (
            "What was the pre-tax legal expense relating to Hetronic litigation in 2019?",
            "report-ed99123e",
            ("$3.5 million",),
        ),
        (  # the report's sentence, or the cash-flow row that prints the year asked beside the other
            "How much cash was provided from financing activities in 2018?",
            "report-1b94b114",
            ("$1.8 million", "2018: 1,779"),
        ),
    ],
)
def test_the_first_answer_sentence_is_of_the_year_asked(
    reports: TestClient, question: str, doc: str, answers: tuple[str, ...]
) -> None:
    response = reports.post("/api/ask", json={"question": question, "k": 5, "doc": [doc]})
    assert response.status_code == 200
    first = response.json()["answer"][0]["text"]
    assert any(answer in first for answer in answers), first

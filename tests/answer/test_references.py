"""A sentence that only points elsewhere ("Refer to Note 2, Acquisitions, for additional
information.") is not an answer, unless the question asks where something is said."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answer.sentences import _REFERS, relevance


@pytest.mark.parametrize(
    ("sentence", "refers"),
    [
        ("Refer to Note 2, Acquisitions, for additional information.", True),
        ("See Note 7 of Notes to Consolidated Financial Statements for additional information.", True),
        ("For further information, see Part II, Item 7.", True),
        ("In fiscal 2022, we acquired all of the outstanding shares of Current Health Ltd.", False),
        ("We refer to these as our core markets.", False),  # not at the sentence's start
        ("Seen from Europe, the threat has grown.", False),
    ],
)
def test_a_cross_reference_is_told_from_a_statement(sentence: str, refers: bool) -> None:
    assert bool(_REFERS.search(sentence)) is refers


@pytest.mark.parametrize(
    ("question", "located"),
    [
        ("Where can the discussion of operating income be found?", True),
        ("Which note describes the company's notes payable?", True),
        ("What are major acquisitions that Best Buy has done in FY2023?", False),
    ],
)
def test_a_question_asking_where_something_is_said(question: str, located: bool) -> None:
    assert relevance(question, np.zeros(3), lambda term: 0, 10).located is located

"""A sentence that goes on from the one before it ("It was set up in response to ...") is read with
that sentence: what the question describes may stand there, and the answer after it."""

from __future__ import annotations

import pytest

from assistant.answer.sentences import best_sentences, refers_back, relevance, score_sentences
from assistant.model import Chunk, ChunkKind
from assistant.search.retrieval import Hit
from assistant.text.words import stems
from tests.conftest import FakeEmbedder

EMBED = FakeEmbedder()


def prose(text: str, seq: int = 0, before: str = "") -> Hit:
    chunk = Chunk(f"report:{seq:04d}", "report", seq, ChunkKind.TEXT, text, text, 0, len(text), None, None, None)
    return Hit(chunk, 1.0, 0.5, 1.0, text, before=before)


def first_answer(question: str, *hits: Hit) -> str:
    asked = relevance(question, EMBED.embed([question])[0], lambda term: 1, 100)
    return best_sentences(score_sentences(hits, asked, EMBED.embed))[0].text


@pytest.mark.parametrize(
    ("sentence", "before", "goes_on"),
    [
        ("It was set up in response to the 2011 floods.", "The agency runs the national flood warning centre.", True),
        ("Their plant in Ohio closed in 2020.", "Two suppliers make the casings.", True),
        # a definite noun phrase whose noun the sentence before holds
        (
            "The Hartwell unit, the smallest division, carried out the recall.",
            "The company recalled 40,000 heaters after a fault was found.",
            True,
        ),
        ("Net sales grew 4% in Asia.", "The board met in March.", False),
        ("We opened 12 stores.", "The market grew.", False),  # the first person points at the writer
    ],
)
def test_a_sentence_that_goes_on_from_the_one_before(sentence: str, before: str, goes_on: bool) -> None:
    assert refers_back(sentence, stems(before)) is goes_on


@pytest.mark.parametrize(
    ("passage", "first"),
    [
        # the answer goes on from the sentence that describes what is asked: it leads
        (
            "The Harbour Authority runs the national flood warning centre for the coast. "
            "It was set up in response to the 2011 storm surge, with staff from nine agencies.",
            "It was set up in response to the 2011 storm surge",
        ),
        # a sentence that does not go on from a good one takes nothing from it
        (
            "The national flood warning centre was set up in response to the 2011 storm surge. "
            "Rainfall in the north was the highest on record in 2011.",
            "The national flood warning centre was set up",
        ),
    ],
)
def test_a_sentence_is_read_with_the_one_it_goes_on_from(passage: str, first: str) -> None:
    question = "The national flood warning centre was set up in response to which event?"
    assert first_answer(question, prose(passage)).startswith(first)


def test_the_sentence_before_may_end_the_passage_before() -> None:
    described = "Mining companies have been over-represented among the firms bidding for the Kestrel and Osprey leases."
    answer_passage = prose(
        "And many of them are now being sued in Canadian courts, which has raised their insurance costs. "
        "Coal prices fell in the same year.",
        seq=1,
        before=f"Prices for the leases rose. {described}",
    )
    question = "In whose courts are many of the companies bidding for the Kestrel and Osprey leases being sued?"
    assert first_answer(question, prose(described), answer_passage).startswith("And many of them are now being sued")
    # without the passage before, the sentence that goes on from it has nothing to go on from
    alone = prose(answer_passage.text, seq=1)
    assert not first_answer(question, prose(described), alone).startswith("And many of them")

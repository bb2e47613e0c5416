"""Follow-up questions: what is carried from history, and when nothing is."""

from __future__ import annotations

import pytest

from assistant.search.followups import MAX_RESOLVED_CHARS, depends_on_context, resolve, subject_of


@pytest.mark.parametrize(
    ("history", "question", "resolved"),
    [
        (
            ["How many foreign fighters came from Tunisia?"],
            "And how many came back?",
            "How many foreign fighters from Tunisia came back?",
        ),
        (
            ["How many Tunisians went off to fight in Syria and Iraq?"],
            "And how many of them are back in Tunisia now?",
            "How many of the Tunisians that went off to fight in Syria and Iraq are back in Tunisia now?",
        ),
        (
            ["How many Western Balkan foreign fighters are still in Syria and Iraq?"],
            "And how many were killed fighting there?",
            "How many Western Balkan foreign fighters were killed fighting in Syria and Iraq?",
        ),
        (
            ["What share of the guerrillas in eastern Colombia are Venezuelan?"],
            "And across Colombia as a whole?",
            "What share of the guerrillas across Colombia as a whole are Venezuelan?",
        ),
        (["How many Tunisians went off to fight?"], "What about Morocco?", "How many Moroccans went off to fight?"),
        (["Who leads Kata'ib Hezbollah?"], "Where is its main base?", "Where is Kata'ib Hezbollah's main base?"),
        (
            ["How many Tunisians went off to fight?", "And how many came back?"],
            "What about Morocco?",
            "How many Moroccans came back?",
        ),
        (  # where they came from is carried along with where they went
            ["How many foreign fighters went from Tunisia to Syria and Iraq?"],
            "And how many came back?",
            "How many foreign fighters from Tunisia to Syria and Iraq came back?",
        ),
        (  # a country stands in for the country that varies, not for one of the pair "Syria and Iraq"
            ["How many foreign fighters went from Indonesia to Syria and Iraq?"],
            "What about Serbia?",
            "How many foreign fighters went from Serbia to Syria and Iraq?",
        ),
        (  # a group stands in for a group, not for the place named after it
            ["How many fighters does Kata'ib Hezbollah have in Syria?"],
            "What about Asa'ib Ahl al-Haq?",
            "How many fighters does Asa'ib Ahl al-Haq have in Syria?",
        ),
        (["How many foreign fighters are in Syria?"], "What about Iraq?", "How many foreign fighters are in Iraq?"),
    ],
)
def test_elliptical_questions_carry_the_subject_over(history: list[str], question: str, resolved: str) -> None:
    result = resolve(question, history)
    assert result.query == resolved
    assert result.is_follow_up


@pytest.mark.parametrize(
    ("history", "question"),
    [
        (["How many Tunisians went off to fight?"], "How many Moroccan jihadists are still on the battlefield?"),
        (["How many Tunisians went off to fight?"], "Which militia has exclusive control over Samarra?"),
        (["Which militia controls Samarra?"], "Is there a PMF headquarters in Baghdad?"),
        ([], "How many of them came back?"),  # nothing to resolve against
    ],
)
def test_self_contained_questions_are_not_polluted(history: list[str], question: str) -> None:
    result = resolve(question, history)
    assert result.query == question
    assert not result.is_follow_up


@pytest.mark.parametrize(
    ("question", "dependent"),
    [
        ("And how many came back?", True),
        ("How many of them were women?", True),
        ("And across Colombia as a whole?", True),
        ("What about Morocco?", True),
        ("How many were killed there?", True),
        ("How many Kosovars were prosecuted?", False),
        ("Is there a ceiling on US forces in Syria?", False),
        ("In how many countries?", True),  # a preposition and a question word, no verb
        ("Since when?", True),
        ("In which year was the unit founded?", False),
        ("", False),
    ],
)
def test_which_turns_depend_on_context(question: str, dependent: bool) -> None:
    assert depends_on_context(question) is dependent


def test_a_bare_question_word_asks_about_the_earlier_turn() -> None:
    history = ["How many attacks did the group carry out in 2016?"]
    result = resolve("In how many countries?", history)
    assert (
        result.is_follow_up
        and result.query == "In how many countries (How many attacks did the group carry out in 2016)"
    )


def test_subject_and_clause_of_a_question() -> None:
    assert subject_of("How many people from Kosovo travelled to Syria and Iraq between 2012 and 2015?") == (
        "people from Kosovo",
        "that travelled to Syria and Iraq between 2012 and 2015",
    )
    assert subject_of("Who headed the faction?") == (None, None)


def test_a_long_history_cannot_grow_the_resolved_question_past_a_questions_limit() -> None:
    """Each turn carries the one before it in parentheses; twenty long turns once made a
    19,421-character query out of questions of at most 1,000."""
    turn = "And what about " + "the returnees " * 65 + "?"
    history = ["How many foreign fighters came from Tunisia?", *([turn] * 19)]
    resolved = resolve("And then?", history)
    assert resolved.is_follow_up and "returnees" in resolved.query
    assert len(resolved.query) <= MAX_RESOLVED_CHARS == 1_000  # the longest question the API takes

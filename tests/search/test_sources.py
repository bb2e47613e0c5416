"""Documents a question names by their author's surname, their publisher's name without its legal
form, or its ticker."""

from __future__ import annotations

import pytest

from assistant.model import DocumentInfo
from assistant.search.sources import (
    issuer_names,
    issuer_words,
    named_sources,
    names_issuer,
    period_sources,
    source_words,
)


def test_a_publishers_names_leave_out_its_legal_form() -> None:
    assert issuer_names("AMAZON.COM, INC.") == ((("amazon",),), None)
    assert issuer_names("BOSTON PROPERTIES, INC. BOSTON PROPERTIES LIMITED PARTNERSHIP") == (
        (("boston", "properties"),),
        None,
    )
    assert issuer_names("Johnson & Johnson (NYSE: JNJ)") == ((("johnson", "johnson"),), "JNJ")
    assert issuer_names("Government Accountability Office (GAO)") == (
        (("government", "accountability", "office"),),
        "GAO",
    )


@pytest.mark.parametrize(
    ("question", "publisher", "named"),
    [
        ("What is Amazon's FY2017 days payable outstanding?", "AMAZON.COM, INC.", True),
        ("Is growth in JnJ's adjusted EPS expected to accelerate in FY2023?", "Johnson & Johnson (NYSE: JNJ)", True),
        ("How did Johnson & Johnson's US sales grow?", "Johnson & Johnson (NYSE: JNJ)", True),
        ("What drove Ulta Beauty's inventories?", "Ulta Beauty, Inc. (NASDAQ: ULTA)", True),
        ("Which stores did the best buy chains open?", "BEST BUY CO., INC.", False),  # not written as a name
        ("How many apples were sold?", "Apple Inc.", False),
        ("What were eBay's capital expenditures in 2015?", "eBay Inc.", True),  # spelt as the company spells it
        ("Which items sold best on ebay?", "eBay Inc.", False),
        ("What did the Brookings Institution estimate?", "The Brookings Institution", True),
        ("What did the GAO find?", "Government Accountability Office (GAO)", True),
    ],
)
def test_a_question_names_a_publisher_by_name_or_ticker(question: str, publisher: str, named: bool) -> None:
    assert names_issuer(question, publisher) is named


def info(
    doc_id: str, publisher: str | None, authors: tuple[str, ...] = (), periods: tuple[str, ...] = ()
) -> DocumentInfo:
    return DocumentInfo(
        doc_id, f"{doc_id}.pdf", "pdf", "0" * 64, doc_id, authors, publisher, None, None, False, 1, 100, 0, periods
    )


def test_named_sources_route_a_question_to_its_issuers_filings() -> None:
    shelf = [
        info("amazon-2017-10k", "AMAZON.COM, INC."),
        info("bestbuy-2023-10k", "BEST BUY CO., INC."),
        info("jnj-2022q4", "Johnson & Johnson (NYSE: JNJ)"),
        info("paper", None, ("Richard Barrett",)),
    ]
    assert named_sources(shelf, "How did JnJ's US sales growth compare to international sales growth?") == [
        "jnj-2022q4"
    ]
    assert named_sources(shelf, "What did Barrett count?") == ["paper"]
    assert named_sources(shelf, "What is the total revenue?") == []


def test_the_words_a_question_routes_by_are_the_publishers_names_and_tickers() -> None:
    docs = [
        info("jnj-2022q4", "Johnson & Johnson (NYSE: JNJ)"),
        info("bestbuy-2023-10k", "BEST BUY CO., INC."),
        info("paper", None, ("Richard Barrett",)),
    ]
    assert issuer_words(docs) == {"johnson", "jnj", "best", "buy"}


def test_the_words_a_question_routes_by_include_the_surnames_it_gives() -> None:
    docs = [info("paper", "Policy Institute", ("Richard Barrett", "Ann Li"))]
    assert source_words(docs, "According to Barrett's count, how many returned?") == {"policy", "institute", "barrett"}
    assert source_words(docs, "How many returned?") == {"policy", "institute"}


def test_a_question_naming_a_period_is_routed_to_the_filing_of_that_period() -> None:
    shelf = [
        info("bestbuy-2023-10k", "BEST BUY CO., INC.", periods=("FY2023", "annual", "2023-01-28")),
        info("bestbuy-2024q2-10q", "BEST BUY CO., INC.", periods=("FY2024", "Q2", "2023-07-29")),
        info("jnj-2023q2", "Johnson & Johnson (NYSE: JNJ)", periods=("FY2023", "Q2")),
        info("jnj-8k", "Johnson & Johnson", periods=("FY2023", "2023-08-30")),
        info("paper", None, ("Richard Barrett",)),
    ]
    best_buy = named_sources(shelf, "Best Buy's stores in Q2 of FY2024")
    assert period_sources(shelf, "Which category grew most in Q2 of FY2024?", best_buy) == ["bestbuy-2024q2-10q"]
    assert period_sources(shelf, "What was the FY2023 revenue?", best_buy) == ["bestbuy-2023-10k"]
    # the quarter asked weighs more than a year both name
    assert period_sources(shelf, "Cash between FY 2023 and Q2 of FY2024?", best_buy) == ["bestbuy-2024q2-10q"]
    jnj = named_sources(shelf, "JnJ")
    assert period_sources(shelf, "The gain as of August 30, 2023?", jnj) == ["jnj-8k"]  # the day of its cover
    assert period_sources(shelf, "Net earnings in Q2 of FY2023?", jnj) == ["jnj-2023q2"]
    # no period named, or none that tells the filings apart: nothing is favoured
    assert period_sources(shelf, "What is the total revenue?") == []
    assert period_sources(shelf, "Net earnings in Q2 of FY2023?", ["jnj-2023q2"]) == []
    assert period_sources(shelf, "Revenue in 2031?") == []

"""Paragraph assembly on excerpts that are not the demo's: wrapped lines joined, hyphens undone
or kept, headings and list items told apart, and paragraphs cut by a note joined again."""

from __future__ import annotations

from collections import Counter

import pytest

from assistant.ingest.cleaning import clean_plain
from assistant.ingest.joining import join_broken_paragraphs
from assistant.ingest.lines import fix_drop_cap, join, join_lines
from assistant.ingest.paragraphs import Draft, is_wrapped, make_drafts

REPORT = """Liquidity and Capital Resources

The Company believes its existing balances of cash, cash equivalents and mar-
ketable securities will be sufficient to satisfy its working capital needs, capital
asset purchases, outstanding commitments and other liquidity requirements
over the next 12 months.

Outlook

• Net sales are expected to grow in the mid-single digits.
• Gross margin is expected to be between 39 and 40 percent.
"""


def kinds_and_texts(raw: str) -> list[tuple[str, str]]:
    cleaned = clean_plain(raw)
    return [(block.kind.value, cleaned.text[block.start : block.end]) for block in cleaned.blocks]


def test_a_wrapped_report_becomes_headings_a_paragraph_and_list_items() -> None:
    assert kinds_and_texts(REPORT) == [
        ("heading", "Liquidity and Capital Resources"),
        (
            "paragraph",
            "The Company believes its existing balances of cash, cash equivalents and marketable securities "
            "will be sufficient to satisfy its working capital needs, capital asset purchases, outstanding "
            "commitments and other liquidity requirements over the next 12 months.",
        ),
        ("heading", "Outlook"),
        ("list_item", "Net sales are expected to grow in the mid-single digits."),
        ("list_item", "Gross margin is expected to be between 39 and 40 percent."),
    ]


@pytest.mark.parametrize(
    ("left", "right", "joined"),
    [
        ("working cap-", "ital needs", "working capital needs"),  # a word hyphenated at the line end
        ("a non-", "recurring charge", "a non-recurring charge"),  # a real compound keeps its hyphen
        ("fiscal 2018-", "2019 results", "fiscal 2018-2019 results"),  # a range
        ("the year—", "a record", "the year—a record"),
        ("net sales", "increased", "net sales increased"),
    ],
)
def test_line_end_joins(left: str, right: str, joined: str) -> None:
    assert join(left, right, Counter()) == joined


def test_the_documents_own_spelling_decides_a_hyphen() -> None:
    vocabulary = Counter({"e-commerce": 3})
    assert join("grew its e-", "commerce sales", vocabulary) == "grew its e-commerce sales"
    assert join_lines(["  The board ", "", " approved it. "], Counter()) == "The board approved it."


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("T he board approved the plan.", "The board approved the plan."), ("A nd so on", "And so on")],
)
def test_a_drop_cap_set_apart_is_joined_to_its_word(raw: str, expected: str) -> None:
    assert fix_drop_cap(raw) == expected


def test_one_paragraph_per_line_is_not_wrapped_text() -> None:
    web = ["A whole paragraph on one line, as web pages are captured, runs well past the column width. " * 2] * 3
    assert not is_wrapped(web)
    assert is_wrapped(REPORT.splitlines())


def test_a_paragraph_cut_by_a_note_is_joined_again() -> None:
    drafts = [
        Draft("paragraph", "Revenue from services grew because the company"),
        Draft("note", "Services include repairs and support plans.", label="3"),
        Draft("paragraph", "signed two new contracts in the quarter."),
    ]
    joined = join_broken_paragraphs(drafts, Counter())
    assert [d.kind for d in joined] == ["paragraph", "note"]
    assert joined[0].text == "Revenue from services grew because the company signed two new contracts in the quarter."


def test_lines_of_a_layout_table_become_table_rows_under_their_header() -> None:
    lines = [
        "Segment Results",
        "",
        "Region Sales Profit Margin",
        "Americas 1,496 212 14%",
        "Europe 1,203 150 12%",
        "Asia 880 75 9%",
        "",
        "Sales in every region grew faster than costs did, so that margins rose across the company as a whole.",
    ]
    drafts = make_drafts(lines, [None] * len(lines), set(), True, Counter())
    kinds = [d.kind for d in drafts]
    assert kinds[1:] == ["table_header", "table_row", "table_row", "table_row", "paragraph"]
    assert {d.table for d in drafts if d.kind.startswith("table")} == {1}

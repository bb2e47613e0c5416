"""Page furniture: running headers, footers, page numbers and web chrome, found by position and
repetition, on a real filing and on made-up pages."""

from __future__ import annotations

from functools import cache

import pypdfium2 as pdfium
import pytest

from assistant.ingest.cleaning import clean_plain, normalize
from assistant.ingest.furniture import find_furniture, infer_pages
from tests.conftest import SHARED

FILING = SHARED / "pdfs" / "APPLE_2015_10K.pdf"


@cache
def filing_pages(first: int, last: int) -> tuple[str, ...]:
    pdf = pdfium.PdfDocument(FILING)
    try:
        return tuple(pdf[n].get_textpage().get_text_bounded() for n in range(first, last))
    finally:
        pdf.close()


def lines_of(pages: tuple[str, ...]) -> tuple[list[str], list[int | None]]:
    lines: list[str] = []
    page_of: list[int | None] = []
    for number, page in enumerate(pages, 1):
        for line in normalize(page).split("\n"):
            lines.append(line.rstrip())
            page_of.append(number)
    return lines, page_of


@pytest.mark.skipif(not FILING.is_file(), reason="the shared filings are not beside the checkout")
def test_a_filings_running_header_and_footer_are_found_by_repetition_at_the_page_edges() -> None:
    lines, page_of = lines_of(filing_pages(18, 22))
    furniture, _, _ = find_furniture(lines, page_of, running=())
    dropped = {" ".join(lines[i].split()) for i in furniture}
    assert "Table of Contents" in dropped
    assert {"Apple Inc. | 2015 Form 10-K | 18", "Apple Inc. | 2015 Form 10-K | 19"} <= dropped
    kept = [line for i, line in enumerate(lines) if i not in furniture and line.strip()]
    assert any("Purchases of Equity Securities" in line for line in kept)


@pytest.mark.skipif(not FILING.is_file(), reason="the shared filings are not beside the checkout")
def test_cleaned_filing_pages_keep_their_page_and_lose_the_furniture() -> None:
    cleaned = clean_plain("", pages=list(filing_pages(18, 22)))
    assert "Form 10-K | 19" not in cleaned.text and "Table of Contents" not in cleaned.text
    assert cleaned.page_count == 4
    assert {block.page for block in cleaned.blocks} == {1, 2, 3, 4}


def made_up_pages() -> list[str]:
    body = "The cooperative registered {n} new members in the spring, more than in any earlier year of its history."
    return [f"QUARTERLY REVIEW      Spring issue      {n}\n\n{body.format(n=n * 10)}\n\n{n}\n" for n in range(3, 7)]


def test_a_header_with_wide_gaps_carries_its_page_number() -> None:
    lines, page_of = lines_of(tuple(made_up_pages()))
    furniture, anchors, _ = find_furniture(lines, page_of, running=())
    headers = [i for i in furniture if lines[i].startswith("QUARTERLY")]
    assert len(headers) == 4
    assert sorted(anchors[i] for i in headers) == [3, 4, 5, 6]
    assert all(i in furniture for i, line in enumerate(lines) if line.strip().isdigit())


def test_pages_of_a_flat_text_are_counted_from_a_header_that_numbers_one() -> None:
    """An extraction that opens each page with a space, and one running header saying "2"."""
    lines = [" The review opens here.", "More text.", " REVIEW      SPRING      2", "Body.", " Closing page."]
    assert infer_pages(lines, {2: 2}) == [1, 1, 2, 2, 3]
    assert infer_pages(lines, {}) == [None] * 5  # nothing to count from


def test_web_chrome_is_furniture_and_prose_is_not() -> None:
    lines = [
        "Share this article",
        "Follow us on social media",
        "Sign up for our newsletter",
        "",
        "Analysts expect the merger to close in the third quarter, pending approval by regulators.",
        "",
        "The two companies said the combined group would keep both head offices for two years.",
        "",
        "All rights reserved.",
    ]
    furniture, _, _ = find_furniture(lines, None, running=())
    assert furniture == {0, 1, 2, 8}

"""A real filing read page by page: what runs along its pages (a header, a footer with the page
number) is in no passage's text, and every passage knows its page. The running lines are found
here independently of the product: lines at the top or bottom of half the pages or more.

(A table's caption may still carry a running line, "Table of Contents" above a statement: taking
it out lost FinanceBench questions their filing, doc@1 .81 -> .71, because the running lines of
a filing name its company; that wants the company in every passage's context, not the header.)"""

from __future__ import annotations

import re
from collections import Counter

import pypdfium2
import pytest

from assistant.ingest.chunking import ChunkingParams, chunk_document
from assistant.model import Chunk
from tests.conftest import SHARED
from tests.ingest.test_pdf_tables import read

FILING = SHARED / "pdfs" / "APPLE_2015_10K.pdf"
pytestmark = pytest.mark.skipif(not FILING.is_file(), reason="the shared filings are not beside the checkout")


@pytest.fixture(scope="module")
def pages() -> list[str]:
    pdf = pypdfium2.PdfDocument(FILING)
    try:
        return [pdf[n].get_textpage().get_text_range() for n in range(len(pdf))]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def passages() -> list[Chunk]:
    params = ChunkingParams(target_tokens=160, max_tokens=254, max_chars=1200)
    return chunk_document(read(FILING), params, lambda text: len(text.split()) * 4 // 3)


def running(pages: list[str]) -> list[re.Pattern[str]]:
    """Lines at the top or bottom (two lines each) of half the pages or more, numbers as any."""
    seen: Counter[str] = Counter()
    for page in pages:
        lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
        seen.update({re.sub(r"\d+", "#", line) for line in lines[:2] + lines[-2:]})
    shapes = [shape for shape, count in seen.items() if count >= len(pages) / 2]
    return [
        re.compile(r"\s*".join(re.escape(part).replace("\\#", r"\d+") for part in shape.split())) for shape in shapes
    ]


def test_what_runs_along_the_pages_is_in_no_passage(pages: list[str], passages: list[Chunk]) -> None:
    lines = running(pages)
    assert len(lines) >= 2  # "Table of Contents" at the top, "Apple Inc. | 2015 Form 10-K | 23" at the foot
    left = [(line.pattern, chunk.text[:80]) for line in lines for chunk in passages if line.search(chunk.text)]
    assert left == []


def test_every_passage_has_its_page(pages: list[str], passages: list[Chunk]) -> None:
    assert passages and all(c.page_start is not None and 1 <= c.page_start <= len(pages) for c in passages)
    row = next(c for c in passages if c.text.startswith("Net sales — Years ended September 26, 2015: $ 233,715"))
    statement = [
        n + 1 for n, page in enumerate(pages) if "CONSOLIDATED STATEMENTS OF OPERATIONS" in page and "233,715" in page
    ]
    assert row.page_start in statement

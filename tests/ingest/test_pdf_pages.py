"""A real filing read page by page: what runs along its pages (a header, a footer with the page
number) is in no passage's text, and every passage knows its page. The running lines are found
here independently of the product: lines at the top or bottom of half the pages or more.

(A table's caption may still carry a running line, "Table of Contents" above a statement: taking
it out lost FinanceBench questions their filing, doc@1 .81 -> .71, because the running lines of
a filing name its company; that wants the company in every passage's context, not the header.)"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pypdfium2
import pytest
from fpdf import FPDF

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


def wide_pdf(path: Path) -> None:
    """Small type across a wide page: lines of 150 characters and more, as in some filings."""
    pdf = FPDF(orientation="landscape")
    pdf.add_page()
    pdf.set_font("helvetica", size=8)
    for paragraph in PARAGRAPHS:
        pdf.multi_cell(0, 4, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    pdf.output(str(path))


PARAGRAPHS = (
    "Our financial focus is on long-term growth in free cash flows, which are driven primarily by increasing "
    "operating income and efficiently managing working capital and cash capital expenditures, including our "
    "decision to purchase or lease property and equipment. Increases in operating income primarily result from "
    "increases in sales of products and services and efficiently managing our operating costs, partially offset "
    "by investments we make in longer-term strategic initiatives.",
    "We seek to reduce our variable costs per unit and work to leverage our fixed costs. Our variable costs "
    "include product and content costs, payment processing and related transaction costs, picking, packaging and "
    "preparing orders for shipment, transportation, customer service support and a portion of our marketing costs.",
)


def test_a_pdf_of_long_lines_reads_as_paragraphs_not_one_line_each(tmp_path: Path) -> None:
    """Lines of a PDF are its layout's, however wide: joined into paragraphs, so no sentence ends
    where a line does (a median line over 120 characters once read them as a list, line by line)."""
    path = tmp_path / "wide.pdf"
    wide_pdf(path)
    document = read(path)
    pdf = pypdfium2.PdfDocument(path)
    lengths = sorted(len(line) for line in pdf[0].get_textpage().get_text_range().splitlines() if line.strip())
    pdf.close()
    assert lengths[len(lengths) // 2] > 120  # the median line is long
    blocks = [document.text[b.start : b.end] for b in document.blocks]
    assert [b.kind.value for b in document.blocks] == ["paragraph", "paragraph"]
    assert blocks == [" ".join(p.split()) for p in PARAGRAPHS]


def test_a_filings_wide_lines_are_joined_into_its_sentences() -> None:
    """Oracle's 10-K sets lines of about 150 characters: its sentences run over line ends."""
    document = read(SHARED / "pdfs" / "ORACLE_2015_10K.pdf")
    sentence = (
        "Research and development expenditures were $5.5 billion, $5.2 billion and $4.9 billion in fiscal 2015, "
        "2014 and 2013, respectively"
    )
    holding = [b for b in document.blocks if sentence in document.text[b.start : b.end]]
    assert [b.kind.value for b in holding] == ["paragraph"]
    lists = [b for b in document.blocks if b.kind.value == "list_item"]
    assert len(lists) < 0.3 * len(document.blocks)  # its bullets; read line by line, 2,817 of 5,214 blocks were

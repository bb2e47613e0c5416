"""Who issued a filing or a release, read from its cover: real filings of ../shared, and the
openings of a press release and an 8-K as they print them."""

from __future__ import annotations

import pytest

from assistant.ingest.issuer import cover_title, issuer
from tests.conftest import SHARED
from tests.ingest.test_pdf_tables import read

FILINGS = SHARED / "pdfs"


@pytest.mark.parametrize(
    ("name", "issued_by", "title"),
    [
        ("APPLE_2015_10K.pdf", "Apple Inc.", "Apple Inc. — Form 10-K, fiscal year ended September 26, 2015"),
        ("FEDEX_2023_10K.pdf", "FedEx Corporation", "FedEx Corporation — Form 10-K, fiscal year ended May 31, 2023"),
        # an EDGAR Online sheet comes before the SEC cover
        ("ORACLE_2015_10K.pdf", "Oracle Corporation", "Oracle Corporation — Form 10-K, fiscal year ended May 31, 2015"),
    ],
)
def test_a_filings_registrant_form_and_period_are_read_from_its_cover(name: str, issued_by: str, title: str) -> None:
    path = FILINGS / name
    if not path.is_file():
        pytest.skip("the shared filings are not beside the checkout")
    document = read(path)
    assert issuer(document.text) == issued_by
    # the document says who issued it and what it is (Apple's own metadata title is "0001193125-15-356351")
    assert (document.info.publisher, document.info.title) == (issued_by, title)


@pytest.mark.parametrize(
    ("opening", "issued_by"),
    [
        (  # Johnson & Johnson's second-quarter 2023 release (FinanceBench)
            "Company is increasing 2023 full-year guidance midpoints\n\nNew Brunswick, N.J. (July 20, 2023) – "
            "Johnson & Johnson (NYSE: JNJ) today announced results for second-quarter 2023.",
            "Johnson & Johnson (NYSE: JNJ)",
        ),
        (  # Ulta Beauty's fourth-quarter fiscal 2022 release
            "BOLINGBROOK, Ill.--(BUSINESS WIRE)-- Ulta Beauty, Inc. (NASDAQ: ULTA) today announced financial results",
            "Ulta Beauty, Inc. (NASDAQ: ULTA)",
        ),
        (  # an 8-K: the date of report comes right before the registrant
            "FORM 8-K\n\nCURRENT REPORT\n\nDate of report (Date of earliest event reported): August 30, 2023\n\n"
            "Johnson & Johnson\n\n(Exact name of registrant as specified in its charter)",
            "Johnson & Johnson",
        ),
        ("Foreign fighters returned home in 2017 (see Table 2).", None),
    ],
)
def test_a_releases_issuer_is_the_name_before_its_ticker(opening: str, issued_by: str | None) -> None:
    assert issuer(opening) == issued_by


def test_an_8k_is_titled_by_its_issuer_and_date() -> None:
    opening = (
        "FORM 8-K\n\nCURRENT REPORT\n\nDate of report (Date of earliest event reported): August 30, 2023\n\n"
        "Johnson & Johnson\n\n(Exact name of registrant as specified in its charter)"
    )
    assert cover_title(opening) == "Johnson & Johnson — Form 8-K, dated August 30, 2023"
    assert cover_title("Ulta Beauty, Inc. (NASDAQ: ULTA) today announced results") is None  # not a filing
    release = "Johnson & Johnson (NYSE: JNJ) today announced results, furnished on a Current Report on Form 8-K."
    assert cover_title(release) is None  # a release that mentions a form is no filing's cover

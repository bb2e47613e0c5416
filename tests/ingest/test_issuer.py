"""Who issued a filing or a release, read from its cover: real filings of ../shared, and the
openings of a press release and an 8-K as they print them."""

from __future__ import annotations

import pytest

from assistant.ingest.issuer import cover_title, filing_periods, issuer
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
    ("name", "periods"),
    [
        ("APPLE_2015_10K.pdf", ("FY2015", "annual", "2015-09-26")),
        # FedEx's tables say "FY22" fifty times; its year ended in May 2023 is fiscal 2023
        ("FEDEX_2023_10K.pdf", ("FY2023", "annual", "2023-05-31")),
        # "fiscal 2016" is named only where the report looks ahead
        ("BOSTONPROPERTIES_2015_10K.pdf", ("FY2015", "annual", "2015-12-31")),
    ],
)
def test_a_filings_period_is_read_from_its_cover_and_its_own_words(name: str, periods: tuple[str, ...]) -> None:
    path = FILINGS / name
    if not path.is_file():
        pytest.skip("the shared filings are not beside the checkout")
    assert read(path).info.periods == periods


def test_a_year_ending_in_january_and_its_quarters_are_named_as_the_filing_names_them() -> None:
    cover = (
        "FORM {form}\n\nFor the {what} ended {day}\n\n"
        "BEST BUY CO., INC.\n(Exact name of registrant as specified in its charter)\n\n"
    )
    annual = cover.format(form="10-K", what="fiscal year", day="January 28, 2023") + "In fiscal 2023 and 2022, "
    assert filing_periods(annual * 3) == ("FY2023", "annual", "2023-01-28")
    quarter = cover.format(form="10-Q", what="quarterly period", day="July 29, 2023")
    text = quarter + "In the second quarter of fiscal 2024 sales fell; in the first quarter of fiscal 2024 they rose. "
    assert filing_periods(text + "The second quarter. ") == ("FY2024", "Q2", "2023-07-29")
    # a 52-week year ended on the first day of January, by a filer that never says "fiscal 2021"
    closing = cover.format(form="10-K", what="fiscal year", day="January 1, 2022") + "In 2021 sales and 2021 costs. "
    assert filing_periods(closing * 2) == ("FY2021", "annual", "2022-01-01")
    release = "Ulta Beauty, Inc. (NASDAQ: ULTA) today announced results for the fourth quarter of fiscal 2022, "
    assert filing_periods(release + "against the fourth quarter of fiscal 2021. " * 3) == ("FY2022", "Q4")
    assert filing_periods("Foreign fighters returned home in 2017 (see Table 2).") == ()


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

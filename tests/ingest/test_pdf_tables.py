"""Tables in PDFs, found by the positions of their words: a table made here with fpdf2 with
rules and one without, and a page of a real filing."""

from __future__ import annotations

from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.ingest.discover import discover
from assistant.ingest.readers import read_document
from assistant.model import Document, Table
from tests.conftest import SHARED


def read(path: Path) -> Document:
    files, _ = discover(path.parent)
    return read_document(next(f for f in files if f.path == path), None, 10**9)


def rows_of(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def made_pdf(path: Path, ruled: bool) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(0, 6, "Quarterly Review", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 6, "Sales rose in every region this year, led by the Americas.", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    rows = [
        ["Region", "2019", "2018"],
        ["Americas", "1,496.5", "1,202.9"],
        ["Europe", "880.2", "(12.4)"],
        ["Asia", "310.0", "288.7"],
        ["Total", "2,686.7", "1,479.2"],
    ]
    widths = (70, 40, 40)
    for row in rows:
        for n, (text, width) in enumerate(zip(row, widths, strict=True)):
            pdf.cell(width, 8, text, border=1 if ruled else 0, align="L" if n == 0 else "R")
        pdf.ln(8)
    pdf.ln(4)
    pdf.multi_cell(0, 6, "Europe fell because of one-off charges.", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


@pytest.mark.parametrize("ruled", [True, False], ids=["ruled", "unruled"])
def test_a_made_table_is_read_with_its_header_and_cells(tmp_path: Path, ruled: bool) -> None:
    made_pdf(tmp_path / "review.pdf", ruled)
    document = read(tmp_path / "review.pdf")
    ((_, table),) = document.tables()
    assert table.column_names()[1:] == ("2019", "2018")
    assert rows_of(table) == [
        ["Americas", "1,496.5", "1,202.9"],
        ["Europe", "880.2", "(12.4)"],
        ["Asia", "310.0", "288.7"],
        ["Total", "2,686.7", "1,479.2"],
    ]
    assert "Sales rose in every region this year" in document.text
    assert "Europe fell because of one-off charges." in document.text
    assert document.text.index("Sales rose") < table.rows[0].start < document.text.index("Europe fell")


FILING = SHARED / "pdfs" / "APPLE_2015_10K.pdf"


@pytest.mark.skipif(not FILING.is_file(), reason="the shared filings are not beside the checkout")
def test_a_filings_statement_of_operations_is_a_table() -> None:
    document = read(FILING)
    statement = next(
        table
        for _, table in document.tables()
        if table.caption is not None and table.caption.text.startswith("CONSOLIDATED STATEMENTS OF OPERATIONS")
    )
    assert statement.scale == "million"  # "(In millions, except number of shares ...)"
    assert statement.column_names()[1:] == (
        "Years ended September 26, 2015",
        "Years ended September 27, 2014",
        "Years ended September 28, 2013",
    )
    assert rows_of(statement)[0] == ["Net sales", "$ 233,715", "$ 182,795", "$ 170,910"]
    income = next(n for n, row in enumerate(statement.rows) if row.cells[0].text.startswith("Operating income"))
    assert statement.row_line(income) == (
        "Operating income — Years ended September 26, 2015: 71,230; Years ended September 27, 2014: 52,503; "
        "Years ended September 28, 2013: 48,999 (in millions)"
    )


def test_a_year_centred_over_amounts_and_their_shares_heads_both() -> None:
    """Apple's operating expenses: each year stands over two columns, the amounts and, on the rows
    between, their shares of net sales, and no row fills both; a "Change" column follows each."""
    document = read(FILING)
    expenses = next(
        table
        for _, table in document.tables()
        if "Change" in table.column_names()
        and any(row.cells[0].text == "Research and development" for row in table.rows)
    )
    assert expenses.column_names()[1:] == ("2015", "Change", "2014", "Change", "2013")
    assert rows_of(expenses)[0] == ["Research and development", "$ 8,067", "34%", "$ 6,041", "35%", "$ 4,475"]
    assert rows_of(expenses)[1] == ["Percentage of total net sales", "3%", "", "3%", "", "3%"]


BALANCE_SHEET = SHARED / "pdfs" / "FEDEX_2023_10K.pdf"


@pytest.mark.skipif(not BALANCE_SHEET.is_file(), reason="the shared filings are not beside the checkout")
def test_a_balance_sheet_keeps_its_sections_and_its_negatives_in_their_columns() -> None:
    """Section labels between the header and the first row ("CURRENT LIABILITIES") are rows of
    the table, a label wrapped over two lines is one, and "(11,645 )", whose bracket hangs right of
    the column's digits, stands in its year's column."""
    document = read(BALANCE_SHEET)
    sheet = next(
        table
        for _, table in document.tables()
        if any(row.cells[0].text.startswith("Treasury stock, at cost") for row in table.rows)
    )
    assert sheet.column_names()[1:] == ("May 31, 2023", "May 31, 2022")
    rows = {row.cells[0].text: [cell.text for cell in row.cells[1:]] for row in sheet.rows}
    assert rows["Treasury stock, at cost"] == ["(11,645 )", "(10,484 )"]
    assert rows["Accounts payable"] == ["3,848", "4,030"]
    wrapped = "Common stock, $0.10 par value; 800 million shares authorized; 318 million shares issued as of"
    assert rows[f"{wrapped} May 31, 2023 and 2022"] == ["32", "32"]
    labels = [row.cells[0].text for row in sheet.rows]
    assert labels.index("CURRENT LIABILITIES") < labels.index("Accounts payable")
    assert labels.index("Total current liabilities") < labels.index("Retained earnings")

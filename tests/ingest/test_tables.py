"""Tables read as data: HTML (header rows, spans, sections, caption, scale), Markdown (with a
line of periods above the pipe table), on TAT-QA excerpts and made-up tables."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.discover import discover
from assistant.ingest.readers import read_document
from assistant.model import Document, Table
from tests.conftest import SHARED

TATQA = SHARED / "eval" / "tatqa"


def read(path: Path) -> Document:
    files, problems = discover(path.parent)
    assert not problems
    return read_document(next(f for f in files if f.path == path), None, 10**8)


def only_table(document: Document) -> Table:
    (_, table), *rest = document.tables()
    assert not rest
    return table


def cells(table: Table, row: int) -> list[str]:
    return [cell.text for cell in table.rows[row].cells]


def test_an_html_table_with_spans_sections_caption_and_scale(tmp_path: Path) -> None:
    (tmp_path / "results.html").write_text(
        """<html><body><main><h1>Quarterly results</h1>
        <table><caption>Segment results (in millions)</caption>
        <thead>
          <tr><th rowspan="2">Segment</th><th colspan="2">Fiscal 2019</th><th colspan="2">Fiscal 2018</th></tr>
          <tr><th>Sales</th><th>Profit</th><th>Sales</th><th>Profit</th></tr>
        </thead>
        <tbody>
          <tr><td>Products:</td><td></td><td></td><td></td><td></td></tr>
          <tr><td>Hardware</td><td>$1,496.5</td><td>$(168)</td><td>$1,202.9</td><td>(12.4)</td></tr>
          <tr><td rowspan="2">Services</td><td>310</td><td>41</td><td>288</td><td>−3</td></tr>
          <tr><td>12</td><td>2</td><td>10</td><td>1</td></tr>
        </tbody></table>
        <p>Hardware sales grew on new models.</p></main></body></html>""",
        encoding="utf-8",
    )
    document = read(tmp_path / "results.html")
    table = only_table(document)
    assert table.caption is not None and table.caption.text == "Segment results (in millions)"
    assert table.scale == "million"
    assert table.column_names() == (
        "Segment",
        "Fiscal 2019 Sales",
        "Fiscal 2019 Profit",
        "Fiscal 2018 Sales",
        "Fiscal 2018 Profit",
    )
    assert cells(table, 1) == ["Hardware", "$1,496.5", "$(168)", "$1,202.9", "(12.4)"]
    assert cells(table, 3) == ["Services", "12", "2", "10", "1"]  # the label spans two rows
    assert table.sections()[1] == "Products"
    assert table.row_path(1) == "Products: Hardware"
    assert table.row_line(1) == (
        "Products: Hardware — Fiscal 2019 Sales: $1,496.5; Fiscal 2019 Profit: $(168); "
        "Fiscal 2018 Sales: $1,202.9; Fiscal 2018 Profit: (12.4) (in millions)"
    )
    for row in table.rows:  # every cell points at its own words in the document's text
        for cell in row.cells:
            assert document.text[cell.start : cell.end] == cell.text
    assert "Hardware sales grew on new models." in document.text


def test_a_tatqa_table_keeps_its_two_header_rows() -> None:
    table = only_table(read(TATQA / "corpus" / "report-001e29d7.html"))
    assert table.column_names() == ("", "Note", "2019 £m", "2018 £m")
    assert table.scale == "million"
    assert table.row_line(2) == "Total — 2019 £m: 24.9; 2018 £m: 25.4 (in millions)"


def test_a_spanning_period_over_column_headers_heads_each_of_them() -> None:
    table = only_table(read(TATQA / "corpus" / "report-00a5764e.html"))
    assert table.column_names()[1:] == (
        "Years Ended December 31 2019",
        "Years Ended December 31 2018",
        "Years Ended December 31 2017",
    )


def test_header_rows_inside_the_body_head_the_rows_below_them() -> None:
    """A quarterly table that stacks fiscal 2018 under fiscal 2019, its second header in the body:
    the rows below it read their own columns, under the table's number."""
    document = read(TATQA / "corpus" / "report-073a0021.html")
    (_, first), (_, second), *rest = document.tables()
    assert not rest and first.number == second.number
    assert first.row_line(0).startswith("Revenues — Fiscal 2019 First Quarter: $ 94,888;")
    assert second.row_line(0).startswith("Revenues — Fiscal 2018 First Quarter: $88,081;")
    assert second.row_line(0).endswith("Fiscal 2018 Total: $365,912")
    assert [len(first.rows), len(second.rows)] == [5, 5]


def test_a_row_of_years_at_the_top_of_the_body_joins_the_header() -> None:
    """The years sit in the body's first row, under a `<thead>` of "Years Ended December 31,"."""
    table = only_table(read(TATQA / "corpus" / "report-e9d3bb25.html"))
    assert [name.split()[-1] for name in table.column_names()[1:]] == ["2019", "2018", "2017"]
    assert cells(table, 0) == ["Current provision for income taxes:", "", "", ""]


def test_a_row_of_words_under_figures_that_heads_nothing_stays_a_row(tmp_path: Path) -> None:
    (tmp_path / "plain.html").write_text(
        "<html><body><table><thead><tr><th></th><th>2019</th><th>2018</th></tr></thead><tbody>"
        "<tr><td>Sales</td><td>10</td><td>9</td></tr><tr><td></td><td>n/a</td><td>Restated</td></tr>"
        "<tr><td>Costs</td><td>5</td><td>4</td></tr></tbody></table></body></html>",
        encoding="utf-8",
    )
    table = only_table(read(tmp_path / "plain.html"))
    assert [cells(table, n) for n in range(len(table.rows))] == [
        ["Sales", "10", "9"],
        ["", "n/a", "Restated"],
        ["Costs", "5", "4"],
    ]
    assert table.column_names()[1:] == ("2019", "2018")


def test_markdown_reads_the_line_of_periods_above_its_pipe_table() -> None:
    html = only_table(read(TATQA / "corpus" / "report-001e29d7.html"))
    markdown = only_table(read(TATQA / "corpus-md" / "report-001e29d7.md"))
    assert markdown.column_names() == html.column_names()
    assert [cells(markdown, n) for n in range(3)] == [cells(html, n) for n in range(3)]


def test_a_one_column_layout_table_is_read_as_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "layout.html").write_text(
        "<html><body><table><tr><td><p>The first paragraph of the page says a good deal about the plan.</p>"
        "</td></tr><tr><td><p>The second one adds what the board decided.</p></td></tr></table></body></html>",
        encoding="utf-8",
    )
    document = read(tmp_path / "layout.html")
    assert document.tables() == []
    assert "The second one adds what the board decided." in document.text

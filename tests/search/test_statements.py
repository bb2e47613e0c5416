"""Financial statements recognised by their captions, and the line item a question asks for found
in its statement's row through standard line-item names ("capital expenditures" is "Payments for
acquisition of property, plant and equipment"): the names on their own, the statements of a real
filing in ../shared/pdfs, and questions of our own over that filing on the real model."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.answer.figures import Figure
from assistant.ingest.chunking import ChunkingParams, chunk_document
from assistant.model import ChunkKind
from assistant.search.statements import amount_row, asked_items, named_statement, row_items, statement_of
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import SHARED, settings_for
from tests.ingest.test_pdf_tables import read

FILING = SHARED / "pdfs" / "APPLE_2015_10K.pdf"
needs_filing = pytest.mark.skipif(not FILING.is_file(), reason="the shared filings are not beside the checkout")


@pytest.mark.parametrize(
    ("caption", "statement"),
    [
        ("CONSOLIDATED STATEMENTS OF OPERATIONS (In millions, except per share amounts)", "income"),
        ("Condensed Consolidated Statements of Earnings $ and shares in millions", "income"),
        ("CONSOLIDATED BALANCE SHEETS (In millions)", "balance"),
        ("Consolidated Statements of Financial Position", "balance"),
        ("CONSOLIDATED STATEMENTS OF CASH FLOWS (In millions)", "cash_flow"),
        ("CONSOLIDATED STATEMENTS OF COMPREHENSIVE INCOME (In millions)", None),  # not the income statement
        ("Segment information (in millions)", None),
    ],
)
def test_a_statement_is_recognised_by_its_caption(caption: str, statement: str | None) -> None:
    assert statement_of(caption) == statement


@pytest.mark.parametrize(
    ("question", "items"),
    [
        ("What is the FY2018 capital expenditure (in USD millions) for 3M?", {"capital_expenditure"}),
        ("What was the year-over-year change in revenue?", {"revenue"}),
        ("What were net sales in 2019?", {"revenue"}),  # "net sales", not also "sales" inside it
        ("How much was spent on purchases of property and equipment?", {"capital_expenditure"}),
        ("What was the cost of sales and the gross margin in 2019?", {"cost_of_revenue", "gross_profit"}),
        ("How many foreign fighters came from Tunisia?", set()),
    ],
)
def test_the_line_items_a_question_names(question: str, items: set[str]) -> None:
    assert asked_items(question) == items


@pytest.mark.parametrize(
    ("label", "items"),
    [
        ("Total net sales", {"revenue"}),
        ("Payments for acquisition of property, plant and equipment", {"capital_expenditure"}),
        ("Net cash provided by (used in) operating activities", {"operating_cash_flow"}),
        ("Operating expenses: Cost of sales", {"cost_of_revenue"}),
        ("Property and equipment, net", {"property_plant_equipment"}),
        # the allowance a balance sheet deducts is not part of the item's name
        ("Current assets: Accounts receivable, less allowances of $82 and $86, respectively", {"receivables"}),
        ("Trade receivables, net of allowances for doubtful accounts of $285 and $306", {"receivables"}),
        ("Selling, general and administrative", {"selling_general_administrative"}),
        ("Net product sales", set()),  # a part of revenue, not revenue
        ("Deferred revenue", set()),
    ],
)
def test_a_row_label_is_a_name_of_a_line_item(label: str, items: set[str]) -> None:
    assert row_items(label) == items


@pytest.mark.parametrize(
    ("label", "amount"),
    [
        ("Other income (expense): Interest expense", True),  # "(35)": an expense of 35
        ("INVESTING ACTIVITIES: Capital expenditures", True),  # "(6,174)": 6,174 paid
        ("Net income", False),  # a loss is less than nothing
        ("Net cash provided by (used in) investing activities", False),
        ("Provision for income taxes", False),  # a benefit too
        ("Segment results", False),  # no line item
    ],
)
def test_a_row_of_an_amount_is_told_from_one_reported_with_a_sign(label: str, amount: bool) -> None:
    assert amount_row(label) is amount


def test_a_question_may_name_the_statement_it_means() -> None:
    assert named_statement("From the income statement alone, what was net income in 2019?") == "income"
    assert named_statement("What was net income in 2019?") is None


@needs_filing
def test_the_three_statements_of_a_real_filing_and_their_line_items() -> None:
    params = ChunkingParams(target_tokens=160, max_tokens=254, max_chars=1200)
    passages = chunk_document(read(FILING), params, lambda text: len(text.split()) * 4 // 3)
    rows = [p for p in passages if p.kind == ChunkKind.TABLE_ROW and p.context]
    found = {statement_of(p.context or "") for p in rows} - {None}
    assert found == {"income", "balance", "cash_flow"}
    capex = [
        p.text
        for p in rows
        if statement_of(p.context or "") == "cash_flow" and "capital_expenditure" in row_items(p.text.split(" — ")[0])
    ]
    assert len(capex) == 1 and "Payments for acquisition of property, plant and equipment" in capex[0]
    assert "Years ended September 26, 2015: (11,247)" in capex[0]


SHELF = (FILING, SHARED / "pdfs" / "EBAY_2015_10K.pdf")


@pytest.fixture(scope="module")
def shelf_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Two real 10-Ks of the same year indexed with the real model."""
    from assistant.ingest.build import build_index
    from assistant.store.embedding import load_embedder

    if not all(path.is_file() for path in SHELF):
        pytest.skip("the shared filings are not beside the checkout")
    corpus = tmp_path_factory.mktemp("two-filings")
    for path in SHELF:
        shutil.copy(path, corpus / path.name)
    settings: Settings = settings_for(corpus, Path(tmp_path_factory.mktemp("two-filings-index")))
    build_index(settings, lambda: load_embedder(settings, bulk=True))
    return settings


@pytest.fixture(scope="module")
def shelf(shelf_settings: Settings) -> Assistant:
    return Assistant.load(shelf_settings)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "doc", "statement", "label", "value"),
    [
        # questions of our own; the item's name in the question is not the row's
        ("What were Apple's capital expenditures in fiscal 2015?", "apple", "cash_flow", "Payments for acq", 11247e6),
        ("What was Apple's revenue in 2015?", "apple", "income", "Net sales", 233715e6),
        ("What were Apple's total current liabilities in fiscal 2015?", "apple", "balance", "Total current", 80610e6),
        (
            "How much cash did Apple's operating activities generate in 2015?",
            "apple",
            "cash_flow",
            "Cash generat",
            81266e6,
        ),
        # the company as it spells itself, and its own statement's figure, not the other's
        ("What were eBay's capital expenditures in 2015?", "ebay", "cash_flow", "Purchases of property", 668e6),
        ("What was eBay's income from operations in 2015?", "ebay", "income", "Income from operations", 2197e6),
    ],
)
def test_a_line_item_is_found_in_its_statement(
    shelf: Assistant, question: str, doc: str, statement: str, label: str, value: float
) -> None:
    answer = shelf.ask(question)
    rows = [
        h.chunk
        for h in answer.hits[:5]
        if h.chunk.doc_id.startswith(doc) and statement_of(h.chunk.context or "") == statement
    ]
    assert any(label in row.text.split(" — ")[0] for row in rows), [h.chunk.text[:80] for h in answer.hits]
    assert answer.figures and abs(dollars(answer.figures[0].figure) - value) <= 0.01 * value  # "$11.2 billion" too
    assert answer.hits[0].chunk.doc_id.startswith(doc)


def dollars(figure: Figure) -> float:
    """A figure's amount in units, whether printed in a table "in millions" or as "$11.2 billion"."""
    return abs(figure.value) * {"thousand": 1e3, "million": 1e6, "billion": 1e9}.get(figure.scale or "", 1.0)


@pytest.mark.model
def test_a_change_in_percent_is_computed_from_the_statement(shelf: Assistant) -> None:
    answer = shelf.ask("What was the percentage change in Apple's net sales from 2014 to 2015?")
    first = answer.figures[0]
    assert first.figure.qualifier == "derived"
    assert round(first.figure.value, 2) == 27.86  # (233,715 - 182,795) / 182,795, not a segment's
    assert [o.figure.text for o in first.derived_from] == ["$ 182,795", "$ 233,715"]


@pytest.mark.model
def test_the_api_and_the_page_say_which_line_item_was_looked_up(shelf_settings: Settings, shelf: Assistant) -> None:
    from fastapi.testclient import TestClient

    from assistant.server.app import create_app

    question = "What were eBay's capital expenditures in 2015?"
    with TestClient(create_app(shelf_settings, shelf)) as client:
        answer = client.post("/api/ask", json={"question": question}).json()
        assert answer["line_items"] == [
            {
                "item": "capital expenditure",
                "element": "PaymentsToAcquirePropertyPlantAndEquipment",
                "statement": "cash_flow",
            }
        ]
        page = client.get("/ask", params={"q": question}).text
        assert "Looked up in the financial statements: capital expenditure (cash-flow statement)" in page
        # a year no statement of these filings has: nothing was looked up, and the page says nothing
        later = client.post("/api/ask", json={"question": "What were eBay's capital expenditures in 2021?"}).json()
        assert later["line_items"] == []
        assert "Looked up in" not in client.get("/ask", params={"q": "What did eBay say about PayPal?"}).text


@pytest.mark.model
def test_a_question_naming_a_day_is_routed_to_its_filing(shelf_settings: Settings, shelf: Assistant) -> None:
    from fastapi.testclient import TestClient

    from assistant.server.app import create_app

    # both are 10-Ks of fiscal 2015; the day names eBay's year, not Apple's (ended September 26)
    question = "What were the capital expenditures for the year ended December 31, 2015?"
    with TestClient(create_app(shelf_settings, shelf)) as client:
        answer = client.post("/api/ask", json={"question": question}).json()
        assert [d.split("-")[0] for d in answer["period_sources"]] == ["ebay"]
        assert answer["passages"][0]["doc_id"].startswith("ebay")
        page = client.get("/ask", params={"q": question}).text
        assert "Searched first: eBay Inc. — Form 10-K, fiscal year ended December 31, 2015" in page
        # a year both filings report on favours neither
        both = client.post("/api/ask", json={"question": "What were the capital expenditures in fiscal 2015?"}).json()
        assert both["period_sources"] == []
        documents = {d["doc_id"].split("-")[0]: d["periods"] for d in client.get("/api/documents").json()}
        assert documents["apple"] == ["FY2015", "annual", "2015-09-26"]
        assert "fiscal 2015 (to 26 September 2015)" in client.get("/docs").text  # the collection says it too


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "text", "operands"),
    [
        (
            "What is Apple's FY2015 days payable outstanding (DPO)? DPO is defined as: 365 * (average accounts "
            "payable between FY2014 and FY2015) / (FY2015 COGS + change in inventory between FY2014 and FY2015). "
            "Round your answer to two decimal places.",
            "85.43",
            ["$ 30,196", "$ 35,490", "140,089", "2,111", "2,349"],
        ),
        # the statement's row, not a note's: "Property and equipment, net", not the gross cost of Note 10
        (
            "What is the FY2015 fixed asset turnover ratio for eBay? Fixed asset turnover ratio is defined as: "
            "FY2015 revenue / (average PP&E between FY2014 and FY2015). Round your answer to two decimal places.",
            "5.65",
            ["$ 8,592", "1,486", "1,554"],
        ),
        # capital expenditures are what was paid, though the cash-flow statement prints "(668)"
        (
            "What is eBay's FY2015 free cash flow (in USD millions)? Free cash flow is defined as: cash from "
            "operations - capital expenditures.",
            "3,365",
            ["4,033", "(668)"],
        ),
    ],
)
def test_a_metric_the_question_defines_is_computed_from_the_statements(
    shelf_settings: Settings, shelf: Assistant, question: str, text: str, operands: list[str]
) -> None:
    from fastapi.testclient import TestClient

    from assistant.server.app import create_app

    answer = shelf.ask(question)
    first = answer.figures[0]
    assert (first.figure.qualifier, first.figure.text) == ("derived", text)
    assert [o.figure.text for o in first.derived_from] == operands
    for operand in first.derived_from:  # each cited where it stands
        assert operand.figure.text in answer.hits[operand.citation - 1].text
    with TestClient(create_app(shelf_settings, shelf)) as client:
        body = client.post("/api/ask", json={"question": question}).json()
    lead = body["answer"][0]
    assert lead["computed"] is True and lead["text"].endswith(f"= {text}")
    assert body["figures"][0]["value"] == pytest.approx(first.figure.value)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "text", "operands"),
    [
        ("What is Apple's FY2015 current ratio?", "1.11", ["89,378", "80,610"]),
        ("What was Apple's operating margin in fiscal 2015?", "30.48%", ["71,230", "$ 233,715"]),
        ("What is eBay's free cash flow in 2015?", "3,365", ["4,033", "(668)"]),
        # over years: capital expenditures over net sales of each year, averaged
        (
            "What is the FY2013 - FY2015 3 year average of capex as a % of revenue for Apple?",
            "4.94%",
            ["(8,165)", "$ 170,910", "(9,571)", "$ 182,795", "(11,247)", "$ 233,715"],
        ),
    ],
)
def test_a_standard_metric_named_is_computed_from_the_statements(
    shelf: Assistant, question: str, text: str, operands: list[str]
) -> None:
    answer = shelf.ask(question)
    first = answer.figures[0]
    assert (first.figure.qualifier, first.figure.text) == ("derived", text)
    assert [o.figure.text for o in first.derived_from] == operands
    assert answer.sentences[0].computed


@pytest.mark.model
def test_a_metric_the_filer_prints_under_its_name_is_the_filers(shelf: Assistant) -> None:
    # Apple calls its gross profit "Gross margin": its figure, not one computed by another definition
    first = shelf.ask("What is Apple's FY2015 gross margin?").figures[0]
    assert (first.figure.qualifier, first.figure.text, first.figure.row) == ("exact", "93,626", "Gross margin")


@pytest.mark.model
def test_the_answer_sentences_are_of_the_company_named(shelf: Assistant) -> None:
    # Apple's 10-K says much about margins; the question is eBay's
    answer = shelf.ask("What was eBay's net profit margin in 2015?")
    cited = {answer.hits[n - 1].chunk.doc_id.split("-")[0] for s in answer.sentences for n in s.citations}
    assert cited == {"ebay"}

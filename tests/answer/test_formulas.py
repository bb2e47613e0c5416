"""Metrics a question defines ("DPO is defined as: 365 * (average accounts payable between FY2016
and FY2017) / ..."): the definition read as arithmetic over named quantities, nested definitions,
where to read a quantity, what is not a definition; and the arithmetic on cells as filings print
them (scales, signs, rounding, the working shown)."""

from __future__ import annotations

import pytest

from assistant.answer.arithmetic import evaluate
from assistant.answer.figures import Figure
from assistant.answer.formulas import Metric, Node, Quantity, defined_metric, definitions_in

DPO = (
    "What is Amazon's FY2017 days payable outstanding (DPO)? DPO is defined as: 365 * (average accounts payable "
    "between FY2016 and FY2017) / (FY2017 COGS + change in inventory between FY2016 and FY2017). Round your answer "
    "to two decimal places. Address the question by using the line items and information shown within the balance "
    "sheet and the P&L statement."
)


def shown(node: Node) -> str:
    if node.constant is not None:
        return f"{node.constant:g}"
    if node.quantity is not None:
        q = node.quantity
        return f"{q.how}[{q.item}|{','.join(map(str, q.years))}{'|' + q.hint if q.hint else ''}]"
    assert node.left is not None and node.right is not None
    return f"({shown(node.left)} {node.op} {shown(node.right)})"


@pytest.mark.parametrize(
    ("question", "name", "tree", "places"),
    [
        (
            DPO,
            "DPO",
            "((365 × average[accounts payable|2016,2017]) / (value[COGS|2017] + change[inventory|2016,2017]))",
            2,
        ),
        (
            "What is the FY2019 fixed asset turnover ratio for Activision Blizzard? Fixed asset turnover ratio is "
            "defined as: FY2019 revenue / (average PP&E between FY2018 and FY2019). Round your answer to two "
            "decimal places.",
            "Fixed asset turnover ratio",
            "(value[revenue|2019] / average[PP&E|2018,2019])",
            2,
        ),
        # "Define X as", words for the operators, a quantity's year the question's own
        (
            "What is Corning's FY2020 working capital ratio? Define working capital ratio as total current assets "
            "divided by total current liabilities.",
            "working capital ratio",
            "(value[total current assets|2020] / value[total current liabilities|2020])",
            None,
        ),
        # where to read a quantity, in square brackets after it
        (
            "What is FedEx's FY2023 unadjusted EBITDA? Define unadjusted EBITDA as unadjusted operating income + "
            "depreciation and amortization [from cash flow statement].",
            "unadjusted EBITDA",
            "(value[unadjusted operating income|2023] + value[depreciation and amortization|2023|from cash flow "
            "statement])",
            None,
        ),
        # a definition in terms of others the question defines
        (
            "What is Intel's FY2019 cash conversion cycle (CCC)? CCC is defined as: DIO + DSO - DPO. DIO is defined "
            "as: 365 * (average inventory between FY2018 and FY2019) / (FY2019 COGS). DSO is defined as: 365 * "
            "(average accounts receivable between FY2018 and FY2019) / (FY2019 Revenue). DPO is defined as: 365 * "
            "(average accounts payable between FY2018 and FY2019) / (FY2019 COGS + change in inventory between "
            "FY2018 and FY2019). Round your answer to one decimal place.",
            "CCC",
            "((((365 × average[inventory|2018,2019]) / value[COGS|2019]) + ((365 × average[accounts receivable|"
            "2018,2019]) / value[Revenue|2019])) − ((365 × average[accounts payable|2018,2019]) / (value[COGS|2019]"
            " + change[inventory|2018,2019])))",
            1,
        ),
        (
            "What is the quick ratio in 2019? Quick ratio = (cash and cash equivalents + short-term investments + "
            "accounts receivable) / total current liabilities",
            "Quick ratio",
            "(((value[cash and cash equivalents|2019] + value[short-term investments|2019]) + "
            "value[accounts receivable|2019]) / value[total current liabilities|2019])",
            None,
        ),
    ],
)
def test_a_definition_is_read_as_arithmetic(question: str, name: str, tree: str, places: int | None) -> None:
    metric = defined_metric(question)
    assert metric is not None
    assert (metric.name, shown(metric.tree), metric.places) == (name, tree, places)


@pytest.mark.parametrize(
    "question",
    [
        "What was the change in revenue from 2018 to 2019?",
        # an instruction, not a definition
        "What is Amazon's year-over-year change in revenue from FY2016 to FY2017 (in units of percents and round to "
        "one decimal place)? Calculate what was asked by utilizing the line items clearly shown in the statement of "
        "income.",
        # the metric with more than one operation on it
        "What is Amcor's FY2020 unadjusted EBITDA less capex plus leases? Define unadjusted EBITDA as unadjusted "
        "operating income + depreciation and amortization [from cash flow statement].",
        # a definition of what is not asked
        "How did sales grow in 2019? Gross margin is defined as gross profit / revenue.",
    ],
)
def test_what_is_not_a_definition_of_the_metric_asked(question: str) -> None:
    assert defined_metric(question) is None


def test_the_definitions_of_a_question_are_found_where_they_stand() -> None:
    question = (
        "What is the FY2017 DPO? DPO is defined as: 365 * payables / COGS. Define Turnover as sales / assets. "
        "Round to two decimal places."
    )
    found = definitions_in(question)
    assert [(d.name, d.expression) for d in found] == [
        ("DPO", "365 * payables / COGS"),
        ("Turnover", "sales / assets"),
    ]
    assert [question[slice(*d.span)] for d in found] == ["365 * payables / COGS", "sales / assets"]
    assert [question[slice(*d.sentence)].strip() for d in found] == [
        "DPO is defined as: 365 * payables / COGS.",
        "Define Turnover as sales / assets.",
    ]


def cell(text: str, value: float, row: str, column: str, scale: str | None = "million") -> Figure:
    return Figure(text, value, None, "exact", "USD", "money", row, f"{row} — {column}: {text}", 0, len(text),
                  True, row, column, scale)  # fmt: skip


AMAZON = {
    ("accounts payable", 2016): cell("$ 25,309", 25309, "Accounts payable", "December 31, 2016"),
    ("accounts payable", 2017): cell("$ 34,616", 34616, "Accounts payable", "December 31, 2017"),
    ("COGS", 2017): cell("111,934", 111934, "Cost of sales", "Year Ended December 31, 2017"),
    ("inventory", 2016): cell("11,461", 11461, "Inventories", "December 31, 2016"),
    ("inventory", 2017): cell("16,047", 16047, "Inventories", "December 31, 2017"),
}


def test_the_metric_is_computed_from_the_cells_with_its_working() -> None:
    metric = defined_metric(DPO)
    assert metric is not None
    computed = evaluate(metric, lambda quantity, year: AMAZON.get((quantity.item, year)))
    assert computed is not None
    assert (computed.text, round(computed.value, 2), computed.amount) == ("93.86", 93.86, False)
    assert computed.working == "365 × (($ 25,309 + $ 34,616) / 2) / (111,934 + (16,047 − 11,461)) = 93.86"
    assert [f.text for f in computed.operands] == ["$ 25,309", "$ 34,616", "111,934", "11,461", "16,047"]


def test_amounts_of_different_scales_are_added_in_units_and_shown_in_the_tables_scale() -> None:
    tree = Node("+", Node(quantity=Quantity("operating income", (2023,))), Node(quantity=Quantity("d&a", (2023,))))
    found = {
        "operating income": cell("4,912", 4912, "Operating income", "2023"),
        "d&a": Figure("$4.2 billion", 4.2e9, None, "exact", "USD", "money", "D&A", "D&A was $4.2 billion.", 0, 12),
    }
    computed = evaluate(Metric("EBITDA", tree, None, False), lambda q, year: found[q.item])
    assert computed is not None
    assert (computed.text, computed.value, computed.amount) == ("9,112", 9112.0, True)


@pytest.mark.parametrize(
    ("percent", "places", "text"),
    [(False, 2, "0.20"), (True, 2, "20.45%"), (False, None, "0.20"), (True, 1, "20.4%")],
)
def test_a_ratio_is_rounded_as_asked_and_in_percent_when_asked(percent: bool, places: int | None, text: str) -> None:
    tree = Node("/", Node(quantity=Quantity("net income", (2015,))), Node(quantity=Quantity("assets", (2015,))))
    found = {"net income": cell("53,394", 53394, "Net income", "2015"), "assets": cell("261,159", 261159, "A", "2015")}
    computed = evaluate(Metric("ROA", tree, places, percent), lambda q, year: found[q.item])
    assert computed is not None and computed.text == text


def test_nothing_is_computed_without_every_operand_or_over_zero() -> None:
    metric = defined_metric(DPO)
    assert metric is not None
    assert (
        evaluate(metric, lambda quantity, year: None if quantity.item == "COGS" else AMAZON[(quantity.item, year)])
        is None
    )
    tree = Node("/", Node(constant=1.0), Node(quantity=Quantity("x", (2019,))))
    assert evaluate(Metric("m", tree, 2, False), lambda q, year: cell("0", 0, "x", "2019")) is None


@pytest.mark.parametrize(
    ("question", "name", "tree", "percent"),
    [
        # a standard metric named, not defined (assistant/text/data/metrics.toml)
        (
            "What is Apple's FY2015 current ratio?",
            "current ratio",
            "(value[total current assets|2015] / value[total current liabilities|2015])",
            False,
        ),
        (
            "What is Oracle's FY2015 operating margin?",
            "operating margin",
            "(value[operating income|2015] / value[revenue|2015])",
            True,
        ),
        # an item's margin: the item over revenue, in percent; the item itself a standard metric
        (
            "What is the FY2021 COGS % margin for Coca Cola?",
            "COGS % margin",
            "(value[COGS|2021] / value[revenue|2021])",
            True,
        ),
        (
            "What is the FY2022 unadjusted EBITDA % margin for AES?",
            "unadjusted EBITDA % margin",
            "((value[operating income|2022] + value[depreciation and amortization|2022]) / value[revenue|2022])",
            True,
        ),
        # named in terms of other standard metrics
        (
            "What is Intel's FY2019 cash conversion cycle?",
            "cash conversion cycle",
            "((((365 × average[inventory|2018,2019]) / value[cost of sales|2019]) + ((365 × "
            "average[accounts receivable|2018,2019]) / value[revenue|2019])) − ((365 × average[accounts payable|"
            "2018,2019]) / (value[cost of sales|2019] + change[inventory|2018,2019])))",
            False,
        ),
    ],
)
def test_a_standard_metric_named_is_read_from_its_definition(
    question: str, name: str, tree: str, percent: bool
) -> None:
    metric = defined_metric(question)
    assert metric is not None and metric.implied
    assert (metric.name, shown(metric.tree), metric.percent) == (name, tree, percent)


@pytest.mark.parametrize(
    "question",
    [
        "What was the underlying EBITDA in FY19?",  # the filer's own measure, not the standard one
        "What was the change in working capital in 2019?",  # a change with one year: over what?
        "What does working capital consist of?",  # no year to compute it for
    ],
)
def test_a_metric_named_is_not_computed_where_the_question_asks_otherwise(question: str) -> None:
    assert defined_metric(question) is None


@pytest.mark.parametrize(
    ("question", "name", "tree"),
    [
        (
            "What is the FY2015 - FY2017 3 year average of capex as a % of revenue for Adobe?",
            "average capex as a % of revenue, 2015 to 2017",
            "((((value[capex|2015] / value[revenue|2015]) + (value[capex|2016] / value[revenue|2016])) + "
            "(value[capex|2017] / value[revenue|2017])) / 3)",
        ),
        (
            "What was the change in working capital between 2018 and 2019?",
            "change in working capital, 2018 to 2019",
            "((value[total current assets|2019] − value[total current liabilities|2019]) − "
            "(value[total current assets|2018] − value[total current liabilities|2018]))",
        ),
        (
            "What is the 3 year average net profit margin (as a %) for Nike from FY2017 to FY2019?",
            "average net profit margin, 2017 to 2019",
            "((((value[net income|2017] / value[revenue|2017]) + (value[net income|2018] / value[revenue|2018])) + "
            "(value[net income|2019] / value[revenue|2019])) / 3)",
        ),
    ],
)
def test_a_metric_over_years_is_its_average_or_change(question: str, name: str, tree: str) -> None:
    metric = defined_metric(question)
    assert metric is not None
    assert (metric.name, shown(metric.tree)) == (name, tree)
    assert metric.base in name and not any(year in metric.base for year in ("2015", "2017", "2018", "2019"))


def test_what_the_question_asks_of_a_metric_it_defines() -> None:
    metric = defined_metric(
        "What is Amcor's FY2020 unadjusted EBITDA less capex (in USD millions)? Define unadjusted EBITDA as "
        "unadjusted operating income + depreciation and amortization [from cash flow statement]."
    )
    assert metric is not None and metric.name == "unadjusted EBITDA less capex"
    assert shown(metric.tree) == (
        "((value[unadjusted operating income|2020] + value[depreciation and amortization|2020|from cash flow "
        "statement]) − value[capex|2020])"
    )


def test_a_definition_nested_or_chained_past_reading_is_not_one() -> None:
    assert defined_metric("What is the ratio in 2019? Ratio = " + "(" * 400 + "revenue" + ")" * 400) is None
    assert defined_metric("What is the total in 2019? Total = " + " + ".join(["revenue"] * 600)) is None
    assert defined_metric("What is the total in 2019? Total = (revenue + (cost of sales)) / 2") is not None

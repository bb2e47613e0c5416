"""Financial statements as an analyst reads them: the balance sheet, the income statement and the
cash-flow statement recognised by their tables' captions, and the line item a question asks for
("capital expenditure", "revenue") matched to its row through the standard line-item names of
`assistant/text/data/statements.toml` (the US GAAP taxonomy's labels): "capital expenditure"
finds "Purchases of property and equipment", "revenue" finds "Total net sales".

Search adds these rows to a question's candidates and favours them: the statement is where a
filing prints the figure, and the prose around it repeats the item's name too often to find it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from assistant.store.reader import IndexReader
from assistant.text.periods import years_in
from assistant.text.vocabulary import data
from assistant.text.words import WORD, stem

_PARENTHESES = re.compile(r"\([^)]*\)")
_SIGNED_ELEMENT = re.compile(r"Loss|Benefit|UsedIn|IncreaseDecrease")
_DEDUCTED = re.compile(r",\s*(?:net\b|less\b).*$", re.IGNORECASE | re.DOTALL)
_LABEL_END = " — "  # a table row passage reads "Label — column: value; ..."
_CACHE_KEY = "statement_rows"
_ASKED_KEY = "statement_rows_asked"
_ASKED_KEPT = 64


@dataclass(frozen=True)
class LineItem:
    name: str
    statement: str  # "income", "balance" or "cash_flow"
    labels: tuple[tuple[str, ...], ...]  # each label as its words' stems
    element: str = ""  # the US GAAP taxonomy element it is
    names: tuple[str, ...] = ()  # its labels as written, lower-cased: "cost of sales", "cogs", ...

    @property
    def signed(self) -> bool:
        """Whether the taxonomy reports the item with a sign: an income or a loss, an expense or a
        benefit, cash provided or used ("NetIncomeLoss", "IncomeTaxExpenseBenefit",
        "NetCashProvidedByUsedInOperatingActivities"). The others are amounts ("InterestExpense",
        "PaymentsToAcquirePropertyPlantAndEquipment"): a statement that prints one in brackets
        shows which way it goes, not that it is less than nothing."""
        return bool(_SIGNED_ELEMENT.search(self.element))

    @property
    def words(self) -> str:
        """The item as a reader says it: "capital expenditure"."""
        return self.name.replace("_", " ")


def statement_name(kind: str) -> str:
    """A statement as a reader says it: "cash-flow statement"."""
    return str(data("statements")["statements"][kind]["name"])


@dataclass(frozen=True)
class StatementRow:
    pos: int
    doc_id: str
    statement: str
    items: frozenset[str]  # the line items its label is a name of
    years: frozenset[int]  # the years its columns are headed with


def _normal(text: str) -> tuple[str, ...]:
    """A label as it is compared: its words' stems, without words in parentheses, a section
    prefix ("Operating expenses: Cost of sales"), a leading "total" or a trailing ", net" or the
    allowance a balance sheet deducts ("Accounts receivable, less allowances of $82 and $86",
    "Trade receivables, net of allowances for doubtful accounts of $285")."""
    text = _PARENTHESES.sub(" ", text).split(":")[-1].strip()
    text = _DEDUCTED.sub("", text)
    words = [stem(w) for w in WORD.findall(text)]
    if words[:1] == ["total"]:
        words = words[1:]
    return tuple(words)


@cache
def _captions() -> dict[str, tuple[tuple[str, ...], ...]]:
    return {
        kind: tuple(_normal(caption) for caption in entry["captions"])
        for kind, entry in data("statements")["statements"].items()
    }


@cache
def line_items() -> tuple[LineItem, ...]:
    return tuple(
        LineItem(
            name,
            entry["statement"],
            tuple(dict.fromkeys(_normal(label) for label in entry["labels"])),
            entry["element"],
            tuple(label.lower() for label in entry["labels"]),
        )
        for name, entry in data("statements")["items"].items()
    )


@lru_cache(maxsize=4096)
def same_item_labels(name: str) -> tuple[str, ...]:
    """Every label of the line item `name` is a label of ("cogs" -> "cost of sales", "cost of
    revenue", ...); none when it names no line item."""
    words = _normal(name)
    return next((item.names for item in line_items() if words in item.labels), ())


def statement_of(caption: str) -> str | None:
    """The statement a table's caption names ("CONSOLIDATED STATEMENTS OF OPERATIONS (in
    millions)" is the income statement), or None."""
    words = _normal(_PARENTHESES.sub(" ", caption))
    for kind, captions in _captions().items():
        if any(_contains(words, phrase) for phrase in captions):
            return kind
    return None


@lru_cache(maxsize=1024)
def asked_items(question: str) -> frozenset[str]:
    """The line items a question names ("the FY2018 capital expenditure" -> capital_expenditure),
    and only the longest where one name holds another ("net sales" is not also "sales")."""
    words = tuple(stem(w) for w in WORD.findall(question))
    found: dict[str, int] = {}
    spans: list[tuple[int, int, str]] = []
    for item in line_items():
        for label in item.labels:
            for at in _occurrences(words, label):
                spans.append((at, at + len(label), item.name))
    for start, end, name in spans:
        inside = any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)
        if not inside:
            found[name] = max(found.get(name, 0), end - start)
    return frozenset(found)


def named_statement(question: str) -> str | None:
    """The statement a question names ("stated only in the income statement")."""
    return statement_of(question)


@lru_cache(maxsize=65536)
def row_items(label: str) -> frozenset[str]:
    """The line items a row label is a name of: the label, as compared, is one of the item's."""
    words = _normal(label)
    return frozenset(item.name for item in line_items() if words in item.labels)


def amount_row(label: str) -> bool:
    """Whether a row label names line items that are all amounts, reported without a sign (see
    `LineItem.signed`): "Interest expense" printed "(432,196)" is an expense of 432,196."""
    items = row_items(label)
    return bool(items) and not any(item.signed for item in line_items() if item.name in items)


def statement_rows(reader: IndexReader) -> tuple[StatementRow, ...]:
    """The rows of the index's statements that are a standard line item (read once per index)."""
    cached = reader.cache.get(_CACHE_KEY)
    if cached is None:
        rows = []
        for pos, doc_id, caption, text in reader.captioned_rows():
            kind = statement_of(caption)
            if kind is None or _LABEL_END not in text:  # a section's heading row ("ASSETS") prints no figure
                continue
            items = row_items(text.split(_LABEL_END)[0])
            if items:
                rows.append(StatementRow(pos, doc_id, kind, items, years_in(text)))
        cached = reader.cache[_CACHE_KEY] = tuple(rows)
    return cached


def asked_rows(reader: IndexReader, question: str, doc_ids: Sequence[str] | None) -> list[int]:
    """The statement rows that print what a question asks for: rows of the item's own statement
    (or of the statement the question names) whose label is a name of the item asked, under every
    year the question asks about (a filing's statement of other years is not the one asked for)."""
    return [row.pos for row, _ in _asked(reader, question, doc_ids)]


def looked_up(reader: IndexReader, question: str, doc_ids: Sequence[str] | None) -> list[LineItem]:
    """The line items a question was looked up by in the statements: those with a row found."""
    found = {name for _, names in _asked(reader, question, doc_ids) for name in names}
    return [item for item in line_items() if item.name in found]


def _asked(
    reader: IndexReader, question: str, doc_ids: Sequence[str] | None
) -> list[tuple[StatementRow, frozenset[str]]]:
    """`asked_rows`, each with the items asked that it is a row of; kept for the last few questions
    (search asks for the rows, and answering for the items, of the same question)."""
    memo: dict[tuple[str, tuple[str, ...] | None], list[tuple[StatementRow, frozenset[str]]]]
    memo = reader.cache.setdefault(_ASKED_KEY, {})
    key = (question, tuple(doc_ids) if doc_ids is not None else None)
    found = memo.get(key)
    if found is None:
        found = _find_asked(reader, question, doc_ids)
        while len(memo) >= _ASKED_KEPT:
            memo.pop(next(iter(memo)), None)  # the oldest first
        memo[key] = found
    return found


def _find_asked(
    reader: IndexReader, question: str, doc_ids: Sequence[str] | None
) -> list[tuple[StatementRow, frozenset[str]]]:
    items = asked_items(question)
    if not items:
        return []
    years = years_in(question)
    named = named_statement(question)
    kinds = {item.name: item.statement for item in line_items()}
    allowed = set(doc_ids) if doc_ids is not None else None
    out = []
    for row in statement_rows(reader):
        if (allowed is None or row.doc_id in allowed) and years <= row.years:
            names = frozenset(name for name in row.items & items if row.statement == (named or kinds[name]))
            if names:
                out.append((row, names))
    return out


def _occurrences(words: tuple[str, ...], phrase: tuple[str, ...]) -> list[int]:
    n = len(phrase)
    return [at for at in range(len(words) - n + 1) if phrase and words[at : at + n] == phrase]


def _contains(words: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    return bool(_occurrences(words, phrase))

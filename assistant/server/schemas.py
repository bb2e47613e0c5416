"""Response and request schemas of the JSON API (the public contract in shared/API.md).

Fields of the contract are never renamed or dropped; fields added here are marked as additions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

MAX_QUERY_CHARS = 1000
# Some non-blank character, stated in the schema so that clients can see the rule. Control
# characters (NUL and the C1 controls included) are read as spaces, so they never reach the index
# or a page; C1 is named because Python counts U+0085 as a space where JSON Schema's \s does not.
TEXT_PATTERN = r"[^\s\x00-\x1f\x7f-\x9f]"
MAX_HISTORY_TURNS = 20
MAX_DOC_IDS = 100  # documents a search or a question may be restricted to

Turn = Annotated[str, Field(max_length=MAX_QUERY_CHARS)]
DocId = Annotated[str, Field(min_length=1, max_length=300, pattern=TEXT_PATTERN)]

Qualifier = Literal["exact", "approx", "more_than", "less_than", "at_least", "at_most", "range", "derived"]


class SearchResultModel(BaseModel):
    rank: int = Field(description="1 for the best passage.")
    score: float = Field(description="Fused relevance, 1.0 for the best passage of the query.")
    doc_id: str
    title: str
    chunk_id: str
    text: str = Field(description="The passage, cleaned for reading, at most 1,200 characters.")
    page: int | None = Field(description="Page of the passage in the source; null where the source has no pages.")
    url: str = Field(description="Opens the document viewer at the passage.")
    # additions to the contract
    page_end: int | None = Field(None, description="Last page, when the passage runs over a page break.")
    section: str | None = Field(None, description="Heading of the section the passage is in.")
    kind: str = Field("text", description="text, table_row, list or note.")
    dense: float | None = Field(None, description="Cosine similarity to the query, if among the dense candidates.")
    lexical: float | None = Field(None, description="BM25 score, if among the lexical candidates.")
    cite: str = Field("", description="A formatted reference to the passage's source, for pasting into a report.")


class SearchResponse(BaseModel):
    query: str
    took_ms: float
    results: list[SearchResultModel]


class PassageModel(SearchResultModel):
    n: int = Field(description="Passage number, from 1 in rank order; citations refer to it.")


class QuoteModel(BaseModel):
    """Where an answer sentence stands: character offsets in a cited passage's `text`."""

    passage: int
    start: int
    end: int


class AnswerSentenceModel(BaseModel):
    text: str
    citations: list[int]
    quotes: list[QuoteModel] = Field(default_factory=list, description="Where the sentence stands (an addition).")
    computed: bool = Field(
        False,
        description=(
            "True for a derived figure's working ('Change in revenue, 2018 to 2019: 1,496.5 − 1,202.9 = 293.6'): "
            "computed from the figures it cites and quotes, not a sentence of the documents (an addition)."
        ),
    )


class OperandModel(BaseModel):
    """A cited figure a derived figure is computed from (an addition)."""

    text: str = Field(description="The operand exactly as the source writes it.")
    value: float
    label: str = Field(description="What it counts, in the source's words.")
    row: str | None = Field(None, description="For a table cell: what its row is about.")
    column: str | None = Field(None, description="For a table cell: its column's header.")
    citation: int = Field(description="Number of the passage it comes from.")


class FigureModel(BaseModel):
    text: str = Field(description="The figure exactly as the source writes it.")
    value: float
    value_high: float | None = Field(None, description="Upper bound of a range.")
    qualifier: Qualifier
    unit: str | None
    label: str = Field(description="What is counted, in the source's words.")
    sentence: str = Field(description="The sentence or table row the figure comes from.")
    citation: int = Field(description="Number of the passage it comes from.")
    # additions to the contract
    kind: str = Field(
        "count",
        description="count, percent, money, distance, measure, multiplier, duration, fraction, identifier or period.",
    )
    scale: str | None = Field(None, description="What the table says its numbers count in: thousand, million, ...")
    row: str | None = Field(None, description="For a table cell: what its row is about.")
    column: str | None = Field(None, description="For a table cell: its column's header.")
    group: int | None = Field(None, description="Index into `conflicts` when sources disagree on this quantity.")
    formula: str | None = Field(
        None,
        description="For a derived figure (qualifier `derived`: computed, not quoted): how it was computed from "
        'its operands, as the source prints them: "(85,123 − 62,575) / 62,575 = 36.03%".',
    )
    derived_from: list[OperandModel] = Field(
        default_factory=list, description="For a derived figure: its operands, in the formula's order, each cited."
    )


class ConflictModel(BaseModel):
    """Figures from different sources for the same thing, to be shown side by side (an addition)."""

    label: str
    figures: list[int] = Field(description="Indices into `figures`.")
    sources: list[str] = Field(description="Document ids, one per figure.")


class LineItemModel(BaseModel):
    """A financial statement's line item the question was looked up by (an addition)."""

    item: str = Field(description='The item, as a reader says it: "capital expenditure".')
    element: str = Field(
        description='The US GAAP taxonomy element it is: "PaymentsToAcquirePropertyPlantAndEquipment".'
    )
    statement: Literal["income", "balance", "cash_flow"]


class AskRequest(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    question: str = Field(
        description="The question, 1 to 1,000 characters after trimming.",
        min_length=1,
        max_length=MAX_QUERY_CHARS,
        pattern=TEXT_PATTERN,
    )
    history: list[Turn] = Field(
        default_factory=list, description="Earlier user turns, oldest first, at most 20.", max_length=MAX_HISTORY_TURNS
    )
    k: int = Field(5, ge=1, le=20, description="How many passages to cite.")
    doc: list[DocId] | None = Field(
        None,
        max_length=MAX_DOC_IDS,
        description="Restrict the answer to these document ids (at most 100); unknown ids give 404.",
    )

    @field_validator("question")
    @classmethod
    def _question_length(cls, value: str) -> str:
        return _checked_text(value, "question")

    @field_validator("history")
    @classmethod
    def _history_items(cls, value: list[str]) -> list[str]:
        return [_CONTROL.sub(" ", turn) for turn in value]


class AskResponse(BaseModel):
    question: str
    resolved_query: str
    took_ms: float
    answerable: bool = Field(
        description="False when the documents do not answer: then `answer` and `figures` are empty and "
        "`passages` are the closest ones, for checking."
    )
    confidence: float = Field(
        ge=0.0, le=1.0, description="How likely the answer is right (calibrated on the dev questions); 0 when declined."
    )
    answer: list[AnswerSentenceModel]
    passages: list[PassageModel]
    figures: list[FigureModel]
    conflicts: list[ConflictModel] = Field(default_factory=list, description="Disagreeing figures (an addition).")
    named_sources: list[str] = Field(
        default_factory=list,
        description='Documents the question names by author, publisher or ticker ("JnJ"), whose passages are '
        "favoured (an addition).",
    )
    period_sources: list[str] = Field(
        default_factory=list,
        description='Filings whose period best meets the one the question names ("Q2 of FY2024": the 10-Q of '
        "that quarter; a day: the filing of that day), whose passages are favoured (an addition).",
    )
    line_items: list[LineItemModel] = Field(
        default_factory=list,
        description="Line items of the financial statements the question names and that were found in a "
        "statement's row under the years it asks about; those rows are favoured (an addition).",
    )


class HealthResponse(BaseModel):
    status: str
    documents: int
    chunks: int
    model: str
    generation: str  # the index generation served
    warning: str | None = None  # why it is not the newest one (that one is damaged or does not fit)


class ErrorResponse(BaseModel):
    detail: str


class DocumentModel(BaseModel):
    doc_id: str
    title: str
    authors: list[str]
    publisher: str | None
    date: str | None
    link: str | None
    pages: int | None
    chunks: int
    url: str
    periods: list[str] = Field(
        default_factory=list,
        description='the period a filing or release reports on: "FY2024", "Q2" or "annual", its cover\'s date',
    )


class PassageSummaryModel(BaseModel):
    chunk_id: str
    kind: str
    section: str | None
    page: int | None
    url: str
    text: str


class DocumentDetailModel(DocumentModel):
    cite: str
    passages: list[PassageSummaryModel]


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _checked_text(value: str, name: str) -> str:
    value = " ".join(_CONTROL.sub(" ", value).split())
    if not value:
        raise ValueError(f"{name} must not be empty")
    if len(value) > MAX_QUERY_CHARS:
        raise ValueError(f"{name} must be at most {MAX_QUERY_CHARS} characters")
    return value


_PLAIN_MESSAGES = {
    "string_too_short": "must not be empty",
    "string_pattern_mismatch": "must not be blank",
}


def readable_errors(errors: Sequence[Any]) -> str:
    """Validation problems in plain words, one per field: "body.k: Input should be less than or
    equal to 20; query.q: must not be empty"."""
    parts = []
    for error in errors:
        location = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body",) or len(error["loc"]) == 1)
        message = _PLAIN_MESSAGES.get(str(error.get("type")), str(error.get("msg", "invalid")))
        if error.get("type") == "string_too_long":
            message = f"must be at most {error.get('ctx', {}).get('max_length')} characters"
        message = message.removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    return "; ".join(parts) or "invalid request"


def checked_query(value: str, name: str = "q") -> str:
    """The same rules for a query given as a URL parameter."""
    return _checked_text(value, name)

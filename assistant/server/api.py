"""The JSON API: /api/search, /api/ask, /api/health, /api/documents (shared/API.md).

Routes are thin: they validate input, call the core (`Assistant`), and shape the result with the
same functions the pages use, so a page and its JSON twin always agree.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from assistant.answer.ranking import RankedFigure
from assistant.errors import IndexMissing, InvalidInput
from assistant.model import DocumentInfo
from assistant.search.retrieval import Hit
from assistant.service import Answer, Assistant
from assistant.store import IndexReader

from .citation import format_citation
from .schemas import (
    MAX_DOC_IDS,
    MAX_QUERY_CHARS,
    TEXT_PATTERN,
    AnswerSentenceModel,
    AskRequest,
    AskResponse,
    ConflictModel,
    DocId,
    DocumentDetailModel,
    DocumentModel,
    ErrorResponse,
    FigureModel,
    HealthResponse,
    LineItemModel,
    OperandModel,
    PassageModel,
    PassageSummaryModel,
    QuoteModel,
    SearchResponse,
    SearchResultModel,
    Turn,
    checked_query,
    readable_errors,
)

router = APIRouter(prefix="/api", tags=["api"])
# In the schema too: some non-blank character, at most 1,000 in all (checked again after trimming).
QUERY_RULES: dict[str, Any] = {"min_length": 1, "max_length": MAX_QUERY_CHARS, "pattern": TEXT_PATTERN}
ERRORS: dict[int | str, dict[str, object]] = {
    400: {"model": ErrorResponse},
    404: {"model": ErrorResponse},
    413: {"model": ErrorResponse},
    422: {"model": ErrorResponse},
    503: {"model": ErrorResponse},
}


def assistant_of(request: Request) -> Assistant:
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None:
        raise IndexMissing("the index is not loaded: build one with `assistant index`, then restart the server")
    return assistant


def doc_url(doc_id: str, seq: int | None = None) -> str:
    """The viewer's address for a document, or for one passage: the part holding it, scrolled to it."""
    return f"/docs/{doc_id}" + (f"?at={seq}#c-{seq:04d}" if seq is not None else "")


def result_model(reader: IndexReader, hit: Hit, rank: int) -> SearchResultModel:
    chunk = hit.chunk
    doc = reader.documents[chunk.doc_id]
    return SearchResultModel(
        rank=rank,
        score=hit.score,
        doc_id=chunk.doc_id,
        title=doc.title,
        chunk_id=chunk.chunk_id,
        text=hit.text,
        page=chunk.page_start,
        url=doc_url(chunk.doc_id, chunk.seq),
        page_end=chunk.page_end,
        section=chunk.section,
        kind=chunk.kind,
        dense=hit.dense,
        lexical=hit.lexical,
        cite=format_citation(doc, chunk.page_start, chunk.page_end),
    )


def ask_response(answer: Answer) -> AskResponse:
    passages = [
        PassageModel(n=n, **result_model(answer.reader, hit, n).model_dump()) for n, hit in enumerate(answer.hits, 1)
    ]
    return AskResponse(
        question=answer.question,
        resolved_query=answer.resolved.query,
        took_ms=answer.took_ms,
        answerable=answer.answerable,
        confidence=answer.verdict.confidence,
        answer=[
            AnswerSentenceModel(
                text=s.text,
                citations=list(s.citations),
                quotes=[QuoteModel(passage=n, start=a, end=b) for n, a, b in s.spans],
                computed=s.computed,
            )
            for s in answer.sentences
        ],
        passages=passages,
        figures=[figure_model(ranked) for ranked in answer.figures],
        conflicts=[
            ConflictModel(label=c.label, figures=list(c.members), sources=list(c.sources)) for c in answer.conflicts
        ],
        named_sources=list(answer.named),
        period_sources=list(answer.dated),
        line_items=[
            LineItemModel(item=item.words, element=item.element, statement=item.statement)  # type: ignore[arg-type]
            for item in answer.line_items
        ],
    )


def figure_model(ranked: RankedFigure) -> FigureModel:
    figure = ranked.figure
    return FigureModel(
        text=figure.text,
        value=figure.value,
        value_high=figure.value_high,
        qualifier=figure.qualifier,  # type: ignore[arg-type]
        unit=figure.unit,
        label=figure.label,
        sentence=figure.sentence,
        citation=ranked.citation,
        kind=figure.kind,
        group=ranked.group,
        scale=figure.scale,
        row=figure.row,
        column=figure.column,
        formula=ranked.formula,
        derived_from=[
            OperandModel(
                text=o.figure.text,
                value=o.figure.value,
                label=o.figure.label,
                row=o.figure.row,
                column=o.figure.column,
                citation=o.citation,
            )
            for o in ranked.derived_from
        ],
    )


@router.get("/search", response_model=SearchResponse, responses=ERRORS, summary="Ranked passages for a query")
def api_search(
    request: Request,
    q: Annotated[str, Query(description="The query, 1 to 1,000 characters after trimming.", **QUERY_RULES)],
    k: Annotated[int, Query(ge=1, le=50, description="How many passages.")] = 10,
    doc: Annotated[
        list[DocId] | None,
        Query(description="Restrict to these document ids (repeatable, at most 100).", max_length=MAX_DOC_IDS),
    ] = None,
) -> SearchResponse:
    try:
        query = checked_query(q)
    except ValueError as exc:
        raise InvalidInput(f"query.q: {exc}") from None
    result = assistant_of(request).search(query, k, doc)
    return SearchResponse(
        query=result.query,
        took_ms=result.took_ms,
        results=[result_model(result.reader, hit, rank) for rank, hit in enumerate(result.hits, 1)],
    )


@router.post("/ask", response_model=AskResponse, responses=ERRORS, summary="An extractive answer with citations")
def api_ask(request: Request, body: AskRequest) -> AskResponse:
    return ask_response(assistant_of(request).ask(body.question, body.history, body.k, body.doc))


@router.get("/ask", response_model=AskResponse, responses=ERRORS, summary="The same answer, for a link or a script")
def api_ask_get(
    request: Request,
    q: Annotated[str, Query(description="The question, 1 to 1,000 characters after trimming.", **QUERY_RULES)],
    history: Annotated[
        list[Turn] | None,
        Query(description="Earlier user turns, oldest first (repeatable, at most 20).", max_length=20),
    ] = None,
    k: Annotated[int, Query(ge=1, le=20, description="How many passages to cite.")] = 5,
    doc: Annotated[
        list[DocId] | None,
        Query(description="Restrict to these document ids (repeatable, at most 100).", max_length=MAX_DOC_IDS),
    ] = None,
) -> AskResponse:
    try:
        body = AskRequest(question=q, history=history or [], k=k, doc=doc)
    except ValidationError as exc:
        raise InvalidInput(readable_errors(exc.errors())) from None
    return ask_response(assistant_of(request).ask(body.question, body.history, body.k, body.doc))


@router.get("/health", response_model=HealthResponse, responses={503: {"model": ErrorResponse}}, summary="Readiness")
def api_health(request: Request) -> HealthResponse | JSONResponse:
    assistant: Assistant | None = getattr(request.app.state, "assistant", None)
    if assistant is None or not assistant.ready:
        return JSONResponse({"detail": "no index loaded: build one with `assistant index`"}, status_code=503)
    reader = assistant.reader
    return HealthResponse(
        status="ok",
        documents=len(reader.documents),
        chunks=reader.chunk_count,
        model=assistant.embedder.name,
        generation=reader.folder.name,
        warning=assistant.warning,
    )


@router.get("/documents", response_model=list[DocumentModel], responses=ERRORS, summary="The collection")
def api_documents(request: Request) -> list[DocumentModel]:
    return [document_model(doc) for doc in assistant_of(request).documents()]


@router.get(
    "/documents/{doc_id}", response_model=DocumentDetailModel, responses=ERRORS, summary="One document and its passages"
)
def api_document(request: Request, doc_id: str) -> DocumentDetailModel:
    document, chunks = assistant_of(request).document(doc_id)
    info = document.info
    return DocumentDetailModel(
        **document_model(info).model_dump(),
        cite=format_citation(info),
        passages=[
            PassageSummaryModel(
                chunk_id=c.chunk_id,
                kind=c.kind,
                section=c.section,
                page=c.page_start,
                url=doc_url(c.doc_id, c.seq),
                text=c.text,
            )
            for c in chunks
        ],
    )


def document_model(doc: DocumentInfo) -> DocumentModel:
    return DocumentModel(
        doc_id=doc.doc_id,
        title=doc.title,
        authors=list(doc.authors),
        publisher=doc.publisher,
        date=doc.date,
        link=doc.link,
        pages=doc.page_count,
        chunks=doc.chunk_count,
        url=doc_url(doc.doc_id),
        periods=list(doc.periods),
    )

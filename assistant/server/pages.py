"""The pages a person uses: the chat (`/`, `/ask`), the collection (`/docs`) and the document
viewer (`/docs/{id}`).

Each page is built from the same core call as its JSON twin (`assistant.api`) and links to it.
The chat's form is a real GET form that works without JavaScript; htmx requests (`HX-Request`)
get only the partial for the new turn, which the full page includes too. All text from documents
and questions is escaped: the templates autoescape, and the highlighted passages are built with
markupsafe (`assistant.highlight`).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from assistant.errors import AssistantError, InvalidInput, NotFound
from assistant.model import DocumentInfo
from assistant.search.lexical import query_terms
from assistant.search.retrieval import Hit
from assistant.search.statements import statement_name
from assistant.service import Answer
from assistant.store.reader import IndexReader

from .api import ask_response, assistant_of, document_model
from .citation import format_authors, format_citation, format_date, format_period
from .export import figures_csv, turn_markdown
from .highlight import Segment, highlight, inline
from .schemas import (
    MAX_HISTORY_TURNS,
    MAX_QUERY_CHARS,
    AnswerSentenceModel,
    AskRequest,
    AskResponse,
    FigureModel,
    PassageModel,
)
from .viewer import document_part, in_reading_order, part_of
from .wording import citations_of, page_label, qualification, qualifier_words

WEB = Path(__file__).resolve().parents[2] / "web"
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"
SHOWN_FIGURES = 5

router = APIRouter(include_in_schema=False)


# --- the chat ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What a passage card says about the document a passage comes from."""

    authors: str
    publisher: str | None


@dataclass(frozen=True)
class TableCard:
    """A table passage as its card shows it: the columns, and each row's cells, with the row the
    passage is about and the rows an answer quotes marked."""

    columns: list[str]
    rows: list[tuple[list[str], bool, bool]]  # (cells, the passage's own row, quoted by an answer)


def table_card(hit: Hit, quotes: Sequence[tuple[int, int]]) -> TableCard | None:
    """The card of a passage that shows rows of a table cut into cells; None for prose."""
    if not hit.rows or any(row.table is None for row in hit.rows):
        return None
    table = hit.rows[0].table
    assert table is not None
    rows = []
    for row in hit.rows:
        quoted = any(start < row.end and row.start < end for start, end in quotes)
        rows.append(([cell.text for cell in table.rows[row.row].cells], row.own, quoted))
    return TableCard(list(table.column_names()), rows)


@dataclass(frozen=True)
class Lead:
    """The one line a turn opens with: the best figure (with what it counts) or the best answer
    sentence, and the passage it comes from."""

    text: str
    detail: str  # for a figure: how the source qualifies it, and what it counts
    citation: int
    is_figure: bool


def lead_of(response: AskResponse) -> Lead | None:
    if not response.answerable:
        return None
    if response.figures:
        best = response.figures[0]
        detail = " · ".join(part for part in (qualification(best), best.label) if part)
        return Lead(best.text, detail, best.citation, True)
    if response.answer and response.answer[0].citations:
        first = response.answer[0]
        return Lead(first.text, "", first.citations[0], False)
    return None


def in_citation_order(response: AskResponse, lead: Lead | None) -> AskResponse:
    """The response with its passages numbered in the order the page first cites them (the lead,
    the answer sentences, the figures), then the passages nobody cites in rank order."""
    order: list[int] = []
    cited = [lead.citation] if lead else []
    cited += [n for sentence in response.answer for n in sentence.citations]
    cited += [n for figure in response.figures for n in citations_of(figure)]
    for n in [*cited, *(p.n for p in response.passages)]:
        if n not in order:
            order.append(n)
    number = {old: new for new, old in enumerate(order, 1)}
    passages = sorted((p.model_copy(update={"n": number[p.n]}) for p in response.passages), key=lambda p: p.n)
    answer = [
        sentence.model_copy(
            update={
                "citations": [number[n] for n in sentence.citations],
                "quotes": [q.model_copy(update={"passage": number[q.passage]}) for q in sentence.quotes],
            }
        )
        for sentence in response.answer
    ]
    figures = [
        figure.model_copy(
            update={
                "citation": number[figure.citation],
                "derived_from": [o.model_copy(update={"citation": number[o.citation]}) for o in figure.derived_from],
            }
        )
        for figure in response.figures
    ]
    return response.model_copy(update={"passages": passages, "answer": answer, "figures": figures})


@dataclass(frozen=True)
class Turn:
    """One answered question, as the page shows it: the API's response plus what only a page needs."""

    id: str
    response: AskResponse  # its passages renumbered in the order the page first cites them
    understood_as: str | None
    highlighted: dict[int, list[Segment]]
    sources: dict[int, Source]
    json_url: str
    passages: dict[int, PassageModel]
    tables: dict[int, TableCard] = field(default_factory=dict)
    lead: Lead | None = None
    export_query: str = ""  # the turn's question, history and documents, for its export links
    searched_first: str | None = None  # who the question names, whose documents were searched first
    looked_up: str | None = None  # the statements' line items it was looked up by

    @property
    def supporting(self) -> list[AnswerSentenceModel]:
        """The answer sentences under the lead, less what it already shows: the lead sentence, a
        derived lead figure's working (shown with it), or the table row the lead figure comes from
        (its cells are in the figures table)."""
        lead, sentences = self.lead, self.response.answer
        if lead is None:
            return sentences
        if not lead.is_figure:
            return sentences[1:]
        sentences = [s for s in sentences if not s.computed]
        passage = self.passages.get(lead.citation)
        if passage is None or passage.kind != "table_row":
            return sentences
        return [s for s in sentences if not (lead.citation in s.citations and lead.text in s.text)]

    @property
    def shown_figures(self) -> list[FigureModel]:
        return self.response.figures[:SHOWN_FIGURES]

    @property
    def more_figures(self) -> list[FigureModel]:
        return self.response.figures[SHOWN_FIGURES:]


def ask_json_url(question: str, history: Sequence[str]) -> str:
    return "/api/ask?" + urlencode([("q", question), *(("history", h) for h in history)])


def build_turn(answer: Answer, history: Sequence[str], docs: Sequence[str] = ()) -> Turn:
    ranked = ask_response(answer)
    response = in_citation_order(ranked, lead_of(ranked))
    hit_of = {p.rank: hit for p, hit in zip(ranked.passages, answer.hits, strict=True)}  # ranks stay
    terms = query_terms(response.resolved_query)
    highlighted = {}
    tables = {}
    for passage, hit in ((p, hit_of[p.rank]) for p in response.passages):
        quotes = [(q.start, q.end) for s in response.answer for q in s.quotes if q.passage == passage.n]
        highlighted[passage.n] = highlight(passage.text, quotes, terms, parts=table_parts(hit))
        card = table_card(hit, quotes)
        if card is not None:
            tables[passage.n] = card
    documents = answer.reader.documents
    sources = {
        p.n: Source(format_authors(documents[p.doc_id].authors), documents[p.doc_id].publisher)
        for p in response.passages
        if p.doc_id in documents
    }
    same = " ".join(response.resolved_query.split()).casefold() == " ".join(response.question.split()).casefold()
    named = [documents[d] for d in answer.named if d in documents]
    issuers = list(dict.fromkeys(doc.publisher or format_authors(doc.authors) for doc in named))
    searched_first = f"{'; '.join(issuers)} ({len(named)} document{'s' if len(named) != 1 else ''})" if named else None
    dated = "; ".join(documents[d].title for d in answer.dated if d in documents)
    if dated:  # the filings of the period asked, among them
        searched_first = f"{searched_first}, above all {dated}" if searched_first else dated
    items = [f"{item.words} ({statement_name(item.statement)})" for item in answer.line_items]
    return Turn(
        id="t-" + secrets.token_hex(4),
        response=response,
        understood_as=None if same else response.resolved_query,
        searched_first=searched_first,
        looked_up="; ".join(items) or None,
        highlighted=highlighted,
        sources=sources,
        json_url=ask_json_url(response.question, history),
        passages={p.n: p for p in response.passages},
        tables=tables,
        lead=lead_of(response),
        export_query=conversation_query(response.question, history, docs),
    )


def conversation_query(question: str, history: Sequence[str], docs: Sequence[str] = ()) -> str:
    """The query string of a turn's page: its question, the questions before it, the documents."""
    return urlencode([("q", question), *(("history", h) for h in history), *(("doc", d) for d in docs)])


def table_parts(hit: Hit) -> list[tuple[str, int, int]] | None:
    """A table passage's header and rows as spans of its text, for its card; None for prose."""
    if not hit.rows:
        return None
    head = [("head", 0, len(hit.header))] if hit.header else []
    return [*head, ("rows", hit.rows[0].start, hit.rows[-1].end)]


def checked_question(question: str) -> str:
    """The question as the core will see it, or an `InvalidInput` a person can act on."""
    cleaned = " ".join(question.split())
    if not cleaned:
        raise InvalidInput("Type a question first.")
    if len(cleaned) > MAX_QUERY_CHARS:
        raise InvalidInput(
            f"That question is {len(cleaned):,} characters long; the limit is {MAX_QUERY_CHARS:,}. "
            "Shorten it and ask again."
        )
    return cleaned


@router.get("/", summary="The chat")
def chat_page(request: Request) -> Response:
    context = {"json_url": "/api/health", "history": [], "turns": [], "docs": []}
    return _page(request, "chat.html", _chat_context(request, context), headers={"Vary": "HX-Request"})


@router.get("/ask", summary="A conversation as a full page, or (for htmx) its newest turn")
def ask_page(
    request: Request,
    q: str = "",
    history: Annotated[list[str] | None, Query()] = None,
    doc: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The URL holds the whole conversation (the question, the questions before it, the documents
    searched), so a reload, Back or a shared link shows every turn again; htmx asks only for the
    newest turn and puts this URL in the address bar."""
    earlier = [" ".join(turn.split()) for turn in history or [] if turn.strip()][-MAX_HISTORY_TURNS:]
    docs = list(dict.fromkeys(d for d in doc or [] if d.strip()))
    json_url = ask_json_url(q, earlier)
    assistant = assistant_of(request)
    turns: list[Turn] = []
    try:
        question = checked_question(q)
        body = AskRequest.model_validate({"question": question, "history": earlier, "doc": docs or None})
        if not is_htmx(request):
            turns = _earlier_turns(request, earlier, docs)
        answer = assistant.ask(body.question, body.history, body.k, body.doc)
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {str(e['msg']).removeprefix('Value error, ')}" for e in exc.errors()
        )
        return _ask_error(request, q, earlier, docs, turns, json_url, 422, message)
    except AssistantError as exc:
        return _ask_error(request, q, earlier, docs, turns, json_url, exc.status_code, exc.message)
    turn = build_turn(answer, earlier, docs)
    context = {
        "turn": turn,
        "turns": [*turns, turn],
        "history": [*earlier, turn.response.question][-MAX_HISTORY_TURNS:],
        "json_url": turn.json_url,
        "docs": docs,
    }
    name = "_partials/ask_result.html" if is_htmx(request) else "chat.html"
    return _page(request, name, _chat_context(request, context), headers={"Vary": "HX-Request"})


def _earlier_turns(request: Request, earlier: list[str], docs: list[str]) -> list[Turn]:
    """The turns before the newest, answered again as they were asked (each with the questions
    before it); one that can no longer be answered is left out."""
    turns = []
    for n, question in enumerate(earlier):
        try:
            answer = assistant_of(request).ask(question, earlier[:n], 5, docs or None)
        except AssistantError:
            continue
        turns.append(build_turn(answer, earlier[:n], docs))
    return turns


def _chat_context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """What the whole chat page needs besides its turns: the collection (for the form's document
    filter and, before the first turn, the introduction); an htmx fragment needs none of it."""
    if is_htmx(request):
        return {"nav": "ask", **context}
    assistant = assistant_of(request)
    collection = assistant.reader.manifest.get("collection") or {}
    intro = not context.get("turns") and not context.get("error")
    return {
        "nav": "ask",
        "documents": assistant.documents(),
        "collection": collection,
        "topics": topics(assistant.reader) if intro and not collection.get("examples") else [],
        **context,
    }


def topics(reader: IndexReader, limit: int = 5) -> list[str]:
    """For a collection whose manifest gives no example questions: headings of its documents to
    start from, the first of each document that reads as a heading of substance."""
    found: dict[str, str] = {}
    rows = reader.db.execute("SELECT doc_id, section FROM chunks WHERE section IS NOT NULL ORDER BY pos")
    for doc_id, section in rows:
        heading = " ".join(str(section).split())
        if doc_id not in found and 12 <= len(heading) <= 80 and len(heading.split()) >= 2:
            found[doc_id] = heading
            if len(found) == limit:
                break
    return list(found.values())


def _ask_error(
    request: Request,
    question: str,
    earlier: list[str],
    docs: list[str],
    turns: list[Turn],
    json_url: str,
    status: int,
    message: str,
) -> Response:
    shown = " ".join(question.split())
    context = {
        "error": {"question": shown, "message": message},
        "turns": turns,
        "history": earlier,
        "draft": shown,
        "json_url": json_url,
        "docs": docs,
    }
    htmx = is_htmx(request)
    name = "_partials/error_turn.html" if htmx else "chat.html"
    headers = {"Vary": "HX-Request", **({"HX-Push-Url": "false"} if htmx else {})}  # a failed turn is not kept
    return _page(request, name, _chat_context(request, context), status_code=status, headers=headers)


# --- a turn taken away ---------------------------------------------------------------------------


_EXPORTS = {  # name: how a turn is written, and its media type
    "answer.md": (turn_markdown, "text/markdown; charset=utf-8"),
    "figures.csv": (figures_csv, "text/csv; charset=utf-8"),
}


@router.get("/export/{name}", summary="One turn as Markdown (answer.md) or its figures as CSV (figures.csv)")
def export_turn(
    request: Request,
    name: str,
    q: str = "",
    history: Annotated[list[str] | None, Query()] = None,
    doc: Annotated[list[str] | None, Query()] = None,
) -> Response:
    if name not in _EXPORTS:
        return error_response(request, 404, f"There is no export called “{name}”: answer.md or figures.csv.")
    return _export(request, q, history, doc, name)


def _export(request: Request, q: str, history: list[str] | None, doc: list[str] | None, name: str) -> Response:
    earlier = [" ".join(turn.split()) for turn in history or [] if turn.strip()][-MAX_HISTORY_TURNS:]
    docs = list(dict.fromkeys(d for d in doc or [] if d.strip()))
    try:
        body = AskRequest.model_validate({"question": checked_question(q), "history": earlier, "doc": docs or None})
        answer = assistant_of(request).ask(body.question, body.history, body.k, body.doc)
    except ValidationError as exc:
        return error_response(
            request, 422, "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        )
    except AssistantError as exc:
        return error_response(request, exc.status_code, exc.message)
    turn = build_turn(answer, earlier, docs)
    base = str(request.base_url).rstrip("/")

    def absolute(path: str) -> str:
        return base + path

    write, media = _EXPORTS[name]
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(write(turn, absolute), media_type=media, headers=headers)


@router.get("/api/docs", summary="The JSON API, to read and try in the browser")
def api_docs(request: Request) -> Response:
    return _page(request, "api_docs.html", {"json_url": "/openapi.json", "nav": "api"})


# --- the collection and the viewer ------------------------------------------------------------


@router.get("/docs", summary="The collection")
def documents_page(request: Request) -> Response:
    documents = [document_model(doc) for doc in assistant_of(request).documents()]
    return _page(request, "documents.html", {"documents": documents, "json_url": "/api/documents", "nav": "docs"})


@router.get("/docs/{doc_id}", summary="The document viewer")
def document_page(
    request: Request,
    doc_id: str,
    at: Annotated[int | None, Query(ge=0, description="Show the part holding this passage (its number).")] = None,
    part: Annotated[int, Query(ge=1, description="Show this part of the document (from 1).")] = 1,
) -> Response:
    try:
        document, chunks = assistant_of(request).document(doc_id)
    except NotFound:
        return error_response(request, 404, f"There is no document with the id “{doc_id}” in the collection.")
    number = part_of(in_reading_order(chunks), at) if at is not None else part - 1
    shown = document_part(document, chunks, number)
    info = document.info
    context = {
        "doc": document_model(info),
        "info": info,
        "authors": format_authors(info.authors),
        "date": format_date(info.date),
        "cite": format_citation(info),
        "link": info.link if info.link and info.link.startswith(("https://", "http://")) else None,
        "pieces": shown.pieces,
        "part": shown,
        "json_url": f"/api/documents/{doc_id}",
        "nav": "docs",
    }
    return _page(request, "document.html", context)


# --- plumbing ----------------------------------------------------------------------------------


def is_htmx(request: Request) -> bool:
    """A request htmx makes for a fragment (restoring a page from history asks for all of it)."""
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-history-restore-request") != "true"


def is_page(request: Request) -> bool:
    """Whether a request is for a page (answered in HTML) rather than the JSON API."""
    path = request.url.path
    return not (path.startswith(("/api/", "/static/")) or path in ("/api", "/openapi.json"))


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as a page, or (for htmx) as an error turn of the conversation."""
    if is_htmx(request):
        context: dict[str, Any] = {"error": {"question": "", "message": message}}
        headers = {"Vary": "HX-Request", "HX-Push-Url": "false"}
        return _page(request, "_partials/error_turn.html", context, status_code=status, headers=headers)
    context = {"status": status, "message": message, "json_url": "/api/health"}
    return _page(request, "error.html", context, status_code=status, headers={"Vary": "HX-Request"})


def document_label(doc: DocumentInfo) -> str:
    return f"[{doc.title}]" if doc.title_supplied else doc.title


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["qualifier_words"] = qualifier_words
    environment.filters["qualification"] = qualification
    environment.filters["inline"] = inline
    environment.filters["date"] = format_date
    environment.filters["period"] = format_period
    environment.globals["page_label"] = page_label
    environment.globals["document_label"] = document_label
    environment.globals["htmx_js"] = _htmx_file()
    environment.globals["max_chars"] = MAX_QUERY_CHARS
    return Jinja2Templates(env=environment)


def _htmx_file() -> str:
    """The vendored htmx, whose version is in its file name."""
    found = sorted(STATIC.glob("htmx-*.min.js"))
    if not found:
        raise RuntimeError(f"htmx is missing from {STATIC}")
    return found[-1].name


def _page(
    request: Request,
    name: str,
    context: dict[str, Any],
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    return templates().TemplateResponse(request, name, context, status_code=status_code, headers=headers)

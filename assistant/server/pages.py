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
from assistant.service import Answer

from .api import ask_response, assistant_of, document_model
from .citation import format_authors, format_citation, format_date
from .highlight import Segment, highlight, inline
from .schemas import MAX_HISTORY_TURNS, MAX_QUERY_CHARS, AskRequest, AskResponse, FigureModel, PassageModel
from .viewer import document_part, in_reading_order, part_of

WEB = Path(__file__).resolve().parents[2] / "web"
STATIC = WEB / "static"
TEMPLATES = WEB / "templates"
SHOWN_FIGURES = 5

router = APIRouter(include_in_schema=False)

_QUALIFIERS = {
    "exact": "exact figure",
    "approx": "about",
    "more_than": "more than",
    "less_than": "less than",
    "at_least": "at least",
    "at_most": "at most",
    "range": "between",
}
_UNITS = {"percent": "%"}


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
class Turn:
    """One answered question, as the page shows it: the API's response plus what only a page needs."""

    id: str
    response: AskResponse
    understood_as: str | None
    highlighted: dict[int, list[Segment]]
    sources: dict[int, Source]
    json_url: str
    passages: dict[int, PassageModel]
    tables: dict[int, TableCard] = field(default_factory=dict)

    @property
    def shown_figures(self) -> list[FigureModel]:
        return self.response.figures[:SHOWN_FIGURES]

    @property
    def more_figures(self) -> list[FigureModel]:
        return self.response.figures[SHOWN_FIGURES:]


def ask_json_url(question: str, history: Sequence[str]) -> str:
    return "/api/ask?" + urlencode([("q", question), *(("history", h) for h in history)])


def build_turn(answer: Answer, history: Sequence[str]) -> Turn:
    response = ask_response(answer)
    terms = query_terms(response.resolved_query)
    highlighted = {}
    tables = {}
    for passage, hit in zip(response.passages, answer.hits, strict=True):
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
    return Turn(
        id="t-" + secrets.token_hex(4),
        response=response,
        understood_as=None if same else response.resolved_query,
        highlighted=highlighted,
        sources=sources,
        json_url=ask_json_url(response.question, history),
        passages={p.n: p for p in response.passages},
        tables=tables,
    )


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
    assistant = assistant_of(request)
    context = {
        "json_url": "/api/health",
        "nav": "ask",
        "documents": assistant.documents(),
        "collection": assistant.reader.manifest.get("collection") or {},
        "history": [],
    }
    return _page(request, "chat.html", context, headers={"Vary": "HX-Request"})


@router.get("/ask", summary="One turn of the chat, as a full page or (for htmx) a partial")
def ask_page(
    request: Request,
    q: str = "",
    history: Annotated[list[str] | None, Query()] = None,
) -> Response:
    earlier = [" ".join(turn.split()) for turn in history or [] if turn.strip()][-MAX_HISTORY_TURNS:]
    json_url = ask_json_url(q, earlier)
    try:
        question = checked_question(q)
        body = AskRequest.model_validate({"question": question, "history": earlier})
        answer = assistant_of(request).ask(body.question, body.history, body.k)
    except ValidationError as exc:
        message = "; ".join(
            f"{'.'.join(map(str, e['loc']))}: {str(e['msg']).removeprefix('Value error, ')}" for e in exc.errors()
        )
        return _ask_error(request, q, earlier, json_url, 422, message)
    except AssistantError as exc:
        return _ask_error(request, q, earlier, json_url, exc.status_code, exc.message)
    turn = build_turn(answer, earlier)
    context = {
        "turn": turn,
        "earlier": earlier,
        "history": [*earlier, turn.response.question][-MAX_HISTORY_TURNS:],
        "json_url": turn.json_url,
        "nav": "ask",
    }
    name = "_partials/ask_result.html" if is_htmx(request) else "chat.html"
    return _page(request, name, context, headers={"Vary": "HX-Request"})


def _ask_error(
    request: Request, question: str, earlier: list[str], json_url: str, status: int, message: str
) -> Response:
    shown = " ".join(question.split())
    context = {
        "error": {"question": shown, "message": message},
        "earlier": earlier,
        "history": earlier,
        "draft": shown,
        "json_url": json_url,
        "nav": "ask",
    }
    name = "_partials/error_turn.html" if is_htmx(request) else "chat.html"
    return _page(request, name, context, status_code=status, headers={"Vary": "HX-Request"})


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
    return request.headers.get("hx-request") == "true"


def is_page(request: Request) -> bool:
    """Whether a request is for a page (answered in HTML) rather than the JSON API."""
    path = request.url.path
    return not (path.startswith(("/api/", "/static/")) or path in ("/api", "/openapi.json"))


def error_response(request: Request, status: int, message: str) -> Response:
    """An error as a page, or (for htmx) as an error turn of the conversation."""
    if is_htmx(request):
        context: dict[str, Any] = {"error": {"question": "", "message": message}}
        return _page(request, "_partials/error_turn.html", context, status_code=status, headers={"Vary": "HX-Request"})
    context = {"status": status, "message": message, "json_url": "/api/health"}
    return _page(request, "error.html", context, status_code=status, headers={"Vary": "HX-Request"})


def qualifier_words(figure: FigureModel) -> str:
    """ "more than 800", "about 30,000", "between 5 and 10 percent": how the source qualifies a figure."""
    unit = _UNITS.get(figure.unit or "", f" {figure.unit}" if figure.unit else "")
    words = _QUALIFIERS.get(figure.qualifier, figure.qualifier.replace("_", " "))
    if figure.qualifier == "exact":
        return words
    if figure.qualifier == "range" and figure.value_high is not None:
        return f"{words} {_number(figure.value)} and {_number(figure.value_high)}{unit}"
    return f"{words} {_number(figure.value)}{unit}"


def _number(value: float) -> str:
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def page_label(first: int | None, last: int | None = None) -> str:
    if first is None:
        return ""
    return f"pp.\u00a0{first}–{last}" if last and last != first else f"p.\u00a0{first}"


def document_label(doc: DocumentInfo) -> str:
    return f"[{doc.title}]" if doc.title_supplied else doc.title


@lru_cache(maxsize=1)
def templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    environment.filters["qualifier_words"] = qualifier_words
    environment.filters["inline"] = inline
    environment.filters["date"] = format_date
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
